"""What the case queue and the review panel share: a search box over a list.

``/`` puts the caret in the box, every change of its text is handed to the screen
(:meth:`SearchedList.searched`), Enter goes back to the list, and Escape leaves the box,
or the screen when the list has the focus.
"""

from __future__ import annotations

from typing import ClassVar

from textual.screen import Screen

from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["SearchedList"]


class SearchedList(Screen[None]):
    """A screen whose search box (``SEARCH_ID``) filters its list (``LIST_ID``)."""

    SEARCH_ID: ClassVar[str]
    """The search box's id (without ``#``)."""
    LIST_ID: ClassVar[str]
    """The list's id (without ``#``)."""

    def searched(self, text: str) -> None:
        """The search box now holds ``text`` (logical)."""
        raise NotImplementedError

    def action_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one(f"#{self.SEARCH_ID}", BidiInput).focus()

    def on_bidi_input_changed(self, event: BidiInput.Changed) -> None:
        if event.control.id == self.SEARCH_ID:
            event.stop()
            self.searched(event.value)

    def on_bidi_input_submitted(self, event: BidiInput.Submitted) -> None:
        if event.control.id == self.SEARCH_ID:
            event.stop()
            self.query_one(f"#{self.LIST_ID}").focus()

    def action_back(self) -> None:
        """Leave the search box, or the screen."""
        if self.focused is self.query_one(f"#{self.SEARCH_ID}"):
            self.query_one(f"#{self.LIST_ID}").focus()
        else:
            self.app.pop_screen()
