"""The receipt after submission: read it to the applicant, save it to print."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label

from daman_tui.domain.permissions import Actor
from daman_tui.services.intake import Submitted
from daman_tui.services.receipt import receipt_for, receipt_lines, save_receipt
from daman_tui.services.store import Store
from daman_tui.text.catalog import t
from daman_tui.text.display import localize_bindings, rtext
from daman_tui.text.keyboard import letter_keys
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.sync_indicator import DamanHeader

__all__ = ["ReceiptScreen"]


class ReceiptScreen(Screen[None]):
    """The submitted application's receipt; P saves it as text, F as PDF."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(letter_keys("p"), "save('txt')", "save receipt", id="daman.print"),
        Binding(letter_keys("f"), "save('pdf')", "PDF", id="daman.print_pdf"),
        Binding("escape,enter", "app.go_home", "back", id="daman.back"),
    ]

    def __init__(self, store: Store, actor: Actor, submitted: Submitted) -> None:
        super().__init__()
        self._store = store
        self.data = receipt_for(submitted, actor.full_name)
        self._lang = "ar"
        self.saved: Path | None = None

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with VerticalScroll(id="receipt-body"):
            yield Label(id="receipt-text")
        yield Label(id="receipt-keys")
        yield Label(id="receipt-status")
        yield DamanFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)

    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        localize_bindings(self, lang)
        # The receipt's own first line is its title; the header names the screen.
        self.sub_title = t("receipt_screen.title", lang)
        text = "\n".join(receipt_lines(self.data, lang))
        self.query_one("#receipt-text", Label).update(rtext(text, lang))
        self.query_one("#receipt-keys", Label).update(rtext(t("receipt_screen.keys", lang), lang))

    def action_save(self, fmt: Literal["txt", "pdf"]) -> None:
        self._save(fmt)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _save(self, fmt: Literal["txt", "pdf"]) -> None:
        try:
            path = save_receipt(self._store, self.data, fmt=fmt)
        except (OSError, RuntimeError, ValueError) as err:
            text = t("receipt_screen.print_failed", self._lang, error=str(err))
        else:
            self.saved = path
            text = t("receipt_screen.printed", self._lang, path=str(path))
        self.app.call_from_thread(
            self.query_one("#receipt-status", Label).update, rtext(text, self._lang)
        )
