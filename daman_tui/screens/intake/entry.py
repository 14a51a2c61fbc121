"""One entry of a repeatable section (an income line, a licence, a vehicle), in a dialog."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from daman_tui.domain.intake.fields import GroupSpec, SectionSpec
from daman_tui.text.catalog import t
from daman_tui.text.display import localize_bindings, rtext
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.section_form import SectionForm

__all__ = ["EntryScreen"]


class EntryScreen(ModalScreen[dict[str, str] | None]):
    """Edit a copy of an entry; Ctrl+S keeps it (errors and all: they show in the list),
    Escape drops the changes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "save", id="daman.save_entry"),
        Binding("escape", "drop", "cancel", id="daman.cancel"),
    ]

    def __init__(self, group: GroupSpec, item: dict[str, str], *, lang: str, today: date) -> None:
        super().__init__(classes="rtl" if lang == "ar" else "ltr")
        self.group = group
        self.item = dict(item)
        self.lang = lang
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="entry-box"):
            yield Label(id="entry-title", classes="title")
            yield SectionForm(
                SectionSpec(self.group.key, self.group.fields),
                self.item,
                lang=self.lang,
                today=self.today,
                prefix="entry-",
            )
            yield Label(id="entry-keys")
        yield DamanFooter()

    def on_mount(self) -> None:
        title = t("group.entry_title", self.lang, group=t(f"group.{self.group.key}", self.lang))
        self.query_one("#entry-title", Label).update(rtext(title, self.lang, "bold"))
        self.query_one("#entry-keys", Label).update(
            rtext(t("group.entry_keys", self.lang), self.lang)
        )
        localize_bindings(self, self.lang)
        form = self.query_one(SectionForm)
        key = form.first_open_key() or self.group.fields[0].key
        form.focus_key(key)

    def on_section_form_edited(self, event: SectionForm.Edited) -> None:
        event.stop()

    def action_keep(self) -> None:
        self.dismiss(self.item)

    def action_drop(self) -> None:
        self.dismiss(None)
