"""What the filter dialogs share: apply (Ctrl+S), clear, cancel (Escape).

A filter dialog builds its filter from what is ticked and typed (:meth:`FilterDialog.build`,
None when something typed cannot be read: it says why and nothing is applied), and
knows its filter with nothing set (:meth:`FilterDialog.cleared`).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button

from daman_tui.text.catalog import t
from daman_tui.text.display import rtext

__all__ = ["FilterDialog"]

F = TypeVar("F")


class FilterDialog(ModalScreen[F | None]):
    """Dismissed with the filter chosen, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "apply", id="daman.apply_filters", priority=True),
        Binding("escape", "cancel", "cancel", id="daman.cancel"),
    ]

    def build(self) -> F | None:
        """The filter as ticked and typed, or None (the reason said) if it cannot be read."""
        raise NotImplementedError

    def cleared(self) -> F:
        """The filter with nothing set."""
        raise NotImplementedError

    def buttons(self, lang: str) -> ComposeResult:
        """Apply, clear and cancel, in one row."""
        with Horizontal(id="filter-buttons"):
            for key, button_id, variant in (
                ("queue.filter.apply", "filter-apply", "primary"),
                ("queue.filter.clear", "filter-clear", "default"),
                ("key.cancel", "filter-cancel", "default"),
            ):
                yield Button(rtext(t(key, lang), lang), id=button_id, variant=variant)  # type: ignore[arg-type]

    def action_apply(self) -> None:
        """Apply the filters as they stand."""
        chosen = self.build()
        if chosen is not None:
            self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#filter-apply")
    def _apply_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_apply()

    @on(Button.Pressed, "#filter-clear")
    def _clear_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.cleared())

    @on(Button.Pressed, "#filter-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()
