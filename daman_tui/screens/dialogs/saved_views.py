"""Saved queue views: open one, save the current one under a name, delete one.

Each user has their own; they sync with the user's other rows, so a supervisor finds
them on any terminal of the branch.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from daman_tui.domain.errors import DomainError
from daman_tui.domain.permissions import Actor
from daman_tui.services.queue import QueueQuery
from daman_tui.services.saved_filters import SavedView, delete_saved, list_saved, save_query
from daman_tui.services.store import Store
from daman_tui.text.catalog import t
from daman_tui.text.display import localize_bindings, rtext, visual
from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["SavedViewsDialog"]


class SavedViewsDialog(ModalScreen[SavedView | None]):
    """Returns the view to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete", "delete", "delete", id="daman.delete"),
        Binding("escape", "cancel", "cancel", id="daman.cancel"),
    ]

    DEFAULT_CSS = """
    SavedViewsDialog { align: center middle; background: $background 60%; }
    SavedViewsDialog > Vertical {
        width: 70; height: auto; max-height: 30; background: $surface;
        border: tall $primary; padding: 0 1;
    }
    SavedViewsDialog OptionList { height: auto; max-height: 14; }
    SavedViewsDialog Horizontal { height: auto; }
    SavedViewsDialog BidiInput { width: 1fr; }
    SavedViewsDialog .error { color: $error; height: auto; }
    """

    def __init__(self, store: Store, actor: Actor, current: QueueQuery, lang: str) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._current = current
        self._lang = lang
        self._views: list[SavedView] = []

    def compose(self) -> ComposeResult:
        lang = self._lang
        with Vertical():
            yield Label(rtext(t("queue.views_title", lang), lang, "bold"))
            yield OptionList(id="views-list")
            yield Label(id="views-empty")
            yield Label(rtext(t("queue.views_save_as", lang), lang, "bold"))
            with Horizontal():
                yield BidiInput(id="views-name", max_length=60)
                yield Button(
                    rtext(t("queue.views_save", lang), lang), id="views-save", variant="primary"
                )
            yield Label(id="views-error", classes="error")

    def on_mount(self) -> None:
        localize_bindings(self, self._lang)
        self._fill()

    def _fill(self) -> None:
        self._views = list_saved(self._store, self._actor)
        options = self.query_one("#views-list", OptionList)
        options.clear_options()
        options.add_options(Option(rtext(v.name, self._lang), id=v.id) for v in self._views)
        if self._views:
            options.highlighted = 0
        self.query_one("#views-empty", Label).update(
            "" if self._views else rtext(t("queue.views_none", self._lang), self._lang)
        )
        (options if self._views else self.query_one("#views-name")).focus()

    @on(OptionList.OptionSelected, "#views-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(next(v for v in self._views if v.id == event.option_id))

    def _save(self) -> None:
        name = self.query_one("#views-name", BidiInput).value
        try:
            view = save_query(self._store, self._actor, name, self._current)
        except DomainError as exc:
            self.query_one("#views-error", Label).update(rtext(exc.message(self._lang), self._lang))
            return
        self.notify(visual(t("queue.views_saved", self._lang, name=view.name)), markup=False)
        self.dismiss(None)

    @on(BidiInput.Submitted, "#views-name")
    def _name_entered(self, event: BidiInput.Submitted) -> None:
        event.stop()
        self._save()

    @on(Button.Pressed, "#views-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._save()

    def action_delete(self) -> None:
        """Delete the highlighted view."""
        options = self.query_one("#views-list", OptionList)
        if self.focused is not options or options.highlighted is None:
            return
        view = self._views[options.highlighted]
        delete_saved(self._store, self._actor, view.id)
        self._fill()

    def action_cancel(self) -> None:
        self.dismiss(None)
