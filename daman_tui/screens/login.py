"""The sign-in screen of a shared counter terminal."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label
from textual.worker import Worker, WorkerState

from daman_tui.domain.permissions import Actor
from daman_tui.services.auth import AuthError, authenticate
from daman_tui.services.store import Store
from daman_tui.text.catalog import t
from daman_tui.text.display import localize_bindings, rtext
from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["LoginScreen"]


class LoginScreen(Screen[None]):
    """User name and password; Enter signs in. The app moves on when it hears ``SignedIn``."""

    class SignedIn(Message):
        """The credentials were accepted."""

        def __init__(self, login_screen: LoginScreen, actor: Actor) -> None:
            super().__init__()
            self.login_screen = login_screen
            self.actor = actor

        @property
        def control(self) -> LoginScreen:
            """The login screen that signed the user in."""
            return self.login_screen

    class Refused(Message):
        """The credentials were refused (or the account is locked or disabled)."""

        def __init__(self, error: AuthError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._lang = "ar"
        self._error: AuthError | None = None
        self._unexpected = False
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login-form"):
            yield Label(id="login-title", classes="title")
            yield Label(id="username-label", classes="field-label")
            # Enter moves on at once (not after the message round trip), so a password
            # typed right after it lands in the password field.
            yield BidiInput(id="username", direction="ltr", max_length=64, advance_on_submit=True)
            yield Label(id="password-label", classes="field-label")
            yield BidiInput(id="password", direction="ltr", password=True, max_length=128)
            yield Label(id="login-error", classes="error")
            with Horizontal(id="login-actions"):
                yield Button(id="login-submit", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)
        self.set_focus(self.query_one("#username", BidiInput))

    @on(BidiInput.Submitted, "#username")
    def _username_entered(self, event: BidiInput.Submitted) -> None:
        # The field has moved on by itself (advance_on_submit) unless something refocused
        # it; set directly, as Widget.focus() defers, and never pull focus back from a
        # field the user has reached since.
        if self.focused is event.control:
            self.set_focus(self.query_one("#password", BidiInput))

    @on(BidiInput.Submitted, "#password")
    @on(Button.Pressed, "#login-submit")
    def _submit(self) -> None:
        if self._busy:
            return
        username = self.query_one("#username", BidiInput).value.strip()
        password = self.query_one("#password", BidiInput).value
        if not username:
            self.set_focus(self.query_one("#username", BidiInput))
            return
        self._busy = True
        self._error = None
        self._unexpected = False
        self._render_status()
        self._authenticate(username, password)

    def on_login_screen_refused(self, message: Refused) -> None:
        message.stop()
        self._busy = False
        self._error = message.error
        self._render_status()
        # The user name stays as typed; only the password is asked for again.
        password = self.query_one("#password", BidiInput)
        password.value = ""
        self.set_focus(password)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self._busy = False
            self._unexpected = True
            self._render_status()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _authenticate(self, username: str, password: str) -> None:
        try:
            actor = authenticate(self._store, username, password)
        except AuthError as error:
            self.post_message(self.Refused(error))
        else:
            self.post_message(self.SignedIn(self, actor))

    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        localize_bindings(self, lang)
        self.query_one("#login-title", Label).update(rtext(t("login.title", lang), lang))
        self.query_one("#username-label", Label).update(rtext(t("login.username", lang), lang))
        self.query_one("#password-label", Label).update(rtext(t("login.password", lang), lang))
        self.query_one("#login-submit", Button).label = rtext(t("login.submit", lang), lang)
        self._render_status()

    def _render_status(self) -> None:
        label = self.query_one("#login-error", Label)
        if self._busy:
            text = t("login.checking", self._lang)
        elif self._unexpected:
            text = t("error.unexpected", self._lang)
        elif self._error is not None:
            text = self._error.message(self._lang)
        else:
            text = ""
        label.update(rtext(text, self._lang))
        label.set_class(self._busy, "-busy")
