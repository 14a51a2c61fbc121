"""The sign-in to sync: the signed-in user's password, checked by the sync service.

A refusal (a wrong password, the server out of reach) is said in the dialog and the
password stays as typed; the dialog closes with True once the service has signed the
user in.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.widgets import Label

from daman_tui.screens.dialogs.review_dialogs import _CSS, WRAP, _CarryingDialog
from daman_tui.text.catalog import t
from daman_tui.text.display import rtext, rtext_wrapped
from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["SyncSignInDialog"]


class SyncSignInDialog(_CarryingDialog):
    """The password of ``who``; ``sign_in(password)`` runs in a worker on Enter or Ctrl+S."""

    DEFAULT_CSS = _CSS.format(name="SyncSignInDialog")

    def __init__(self, lang: str, who: str, sign_in: Callable[[str], None]) -> None:
        super().__init__(
            t("sync.sign_in.title", lang), t("sync.sign_in.help", lang, name=who), lang
        )
        self._sign_in = sign_in

    def fields(self) -> ComposeResult:
        lang = self._lang
        yield Label(rtext(t("sync.sign_in.password", lang), lang, "bold"))
        yield BidiInput(id="sync-password", direction="ltr", password=True, max_length=128)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#sync-password", BidiInput).focus()

    def action_confirm(self) -> None:
        field = self.query_one("#sync-password", BidiInput)
        password = field.value
        if not password or self.busy:
            field.focus()
            return
        sign_in = self._sign_in

        def signed_in() -> bool:
            sign_in(password)
            return True

        self.carry(signed_in)
        self.query_one("#dialog-error", Label).update(
            rtext_wrapped(t("sync.sign_in.checking", self._lang), self._lang, WRAP)
        )

    @on(BidiInput.Submitted, "#sync-password")
    def _entered(self, event: BidiInput.Submitted) -> None:
        event.stop()
        self.action_confirm()
