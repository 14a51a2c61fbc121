"""The wizard's first screen: find the applicant by ID, then start, resume or update.

One household, one open application: an existing file or an open application is shown
before anything is created, and a person already listed as someone's dependent is
flagged.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Label

from daman_tui.domain.enums import ApplicationStatus, IdentityCheck
from daman_tui.domain.errors import DomainError
from daman_tui.domain.permissions import Actor
from daman_tui.screens.intake.wizard import WizardScreen
from daman_tui.services import intake
from daman_tui.services.intake import DraftRef, Lookup
from daman_tui.services.store import Store
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import localize_bindings, rtext, rtext_wrapped
from daman_tui.text.keyboard import letter_keys
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.choice_field import ChoiceField
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.sync_indicator import DamanHeader

__all__ = ["StartAction", "StartScreen"]

WRAP = 76


class StartAction(StrEnum):
    """What the main button does for the person found."""

    START = "start"
    UPDATE = "update"
    RESUME = "resume"
    NONE = "none"


class StartScreen(Screen[None]):
    """National ID → the person's files → a draft to work on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(letter_keys("n"), "new_family", "another family", id="daman.new_family"),
        Binding("escape", "app.go_home", "back", id="daman.back"),
    ]
    AUTO_FOCUS = "#start-id"

    class Found(Message):
        def __init__(self, lookup: Lookup) -> None:
            super().__init__()
            self.lookup = lookup

    class Opened(Message):
        def __init__(self, ref: DraftRef) -> None:
            super().__init__()
            self.ref = ref

    class Refused(Message):
        def __init__(self, error: DomainError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, store: Store, actor: Actor) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._lang = "ar"
        self.lookup: Lookup | None = None
        self.action = StartAction.NONE

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with Vertical(id="start-form"):
            yield Label(id="start-title", classes="title")
            yield Label(id="start-id-label", classes="field-label")
            yield BidiInput(direction="ltr", numeric=True, max_length=10, id="start-id")
            yield Label(id="start-result")
            yield Label(id="start-identity-label", classes="field-label")
            yield ChoiceField(id="start-identity")
            with Horizontal(id="start-actions"):
                yield Button("", id="start-go", variant="primary")
                yield Button("", id="start-new-family")
            yield Label(id="start-error", classes="error")
        yield DamanFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)
        self._arrange()

    # ---- lookup ---------------------------------------------------------------------------
    @on(BidiInput.Submitted, "#start-id")
    def _look_up(self, event: BidiInput.Submitted) -> None:
        event.stop()
        self._error("")
        self.query_one("#start-result", Label).update(
            rtext(t("intake.checking", self._lang), self._lang)
        )
        self._find(event.value)

    @on(BidiInput.Changed, "#start-id")
    def _id_changed(self, event: BidiInput.Changed) -> None:
        if self.lookup is not None and self.lookup.national_id != event.value:
            self.lookup = None
            self.action = StartAction.NONE
            self._arrange()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _find(self, national_id: str) -> None:
        try:
            self.post_message(self.Found(intake.lookup(self._store, self._actor, national_id)))
        except DomainError as err:
            self.post_message(self.Refused(err))

    def on_start_screen_found(self, message: Found) -> None:
        message.stop()
        self.lookup = message.lookup
        open_app = message.lookup.open_application
        if open_app is not None:
            self.action = (
                StartAction.RESUME
                if open_app.status is ApplicationStatus.DRAFT
                else StartAction.NONE
            )
        elif message.lookup.households:
            self.action = StartAction.UPDATE
        else:
            self.action = StartAction.START
        self._arrange()
        target = "#start-go" if self.action is StartAction.RESUME else "#start-identity"
        if self.action is not StartAction.NONE:
            self.query_one(target).focus()

    @on(ChoiceField.Changed, "#start-identity")
    def _identity_chosen(self, event: ChoiceField.Changed) -> None:
        if event.value:
            self.query_one("#start-go", Button).focus()

    # ---- acting -----------------------------------------------------------------------------
    @on(Button.Pressed, "#start-go")
    def _go(self, event: Button.Pressed) -> None:
        event.stop()
        self._open(new_family=False)

    @on(Button.Pressed, "#start-new-family")
    def _new_family(self, event: Button.Pressed) -> None:
        event.stop()
        self._open(new_family=True)

    def action_new_family(self) -> None:
        """A file for another family the person provides for (the key the hint names)."""
        if self.action is StartAction.UPDATE:
            self._open(new_family=True)
        else:
            self.app.bell()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Typing an ID must not trigger the key: only offered once a file was found.
        if action == "new_family":
            return self.action is StartAction.UPDATE and self.focused is not self.query_one(
                "#start-id"
            )
        return True

    def _open(self, *, new_family: bool) -> None:
        lookup = self.lookup
        if lookup is None or self.action is StartAction.NONE:
            self.app.bell()
            return
        raw = self.query_one("#start-identity", ChoiceField).value
        identity = IdentityCheck(raw) if raw else None
        self._error("")
        self._create(lookup, self.action, identity, new_family)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _create(
        self, lookup: Lookup, action: StartAction, identity: IdentityCheck | None, new_family: bool
    ) -> None:
        store, actor = self._store, self._actor
        try:
            if action is StartAction.RESUME and lookup.open_application is not None:
                ref = intake.open_draft(store, actor, lookup.open_application.id)
            elif action is StartAction.UPDATE and not new_family:
                ref = intake.start_update(store, actor, lookup.households[0].id, identity)
            else:
                ref = intake.start_application(
                    store, actor, lookup.national_id, identity, new_family=new_family
                )
        except DomainError as err:
            self.post_message(self.Refused(err))
            return
        self.post_message(self.Opened(ref))

    def on_start_screen_opened(self, message: Opened) -> None:
        message.stop()
        # Not awaited: this screen's own handler cannot wait for its own removal.
        self.app.switch_screen(WizardScreen(self._store, self._actor, message.ref))

    def on_start_screen_refused(self, message: Refused) -> None:
        message.stop()
        self._error(message.error.message(self._lang))
        if self.lookup is None:
            self.query_one("#start-result", Label).update("")

    # ---- drawing ------------------------------------------------------------------------------
    def _error(self, text: str) -> None:
        self.query_one("#start-error", Label).update(rtext_wrapped(text, self._lang, WRAP))

    def _arrange(self) -> None:
        lang, lookup, action = self._lang, self.lookup, self.action
        wants_identity = action in (StartAction.START, StartAction.UPDATE)
        for widget_id in ("#start-identity-label", "#start-identity"):
            self.query_one(widget_id).display = wants_identity
        go = self.query_one("#start-go", Button)
        go.display = action is not StartAction.NONE
        go.label = rtext(
            t("key.update_file" if action is StartAction.UPDATE else "intake.start", lang)
            if action is not StartAction.RESUME
            else t("intake.resume_hint", lang),
            lang,
        )
        other = self.query_one("#start-new-family", Button)
        other.display = action is StartAction.UPDATE
        self.refresh_bindings()
        other.label = rtext(t("key.new_family", lang), lang)
        self.query_one("#start-result", Label).update(
            rtext_wrapped("\n".join(self._result_lines()), lang, WRAP) if lookup else ""
        )

    def _result_lines(self) -> list[str]:
        lang, lookup = self._lang, self.lookup
        if lookup is None:
            return []
        lines = []
        if lookup.name:
            lines.append(t("intake.known_person", lang, name=lookup.name))
        open_app = lookup.open_application
        if open_app is not None:
            lines.append(
                t(
                    "intake.open_application",
                    lang,
                    number=open_app.request_number,
                    status=enum_label(open_app.status, lang),
                )
            )
            lines.append(
                t(
                    "intake.resume_hint"
                    if open_app.status is ApplicationStatus.DRAFT
                    else "intake.open_elsewhere",
                    lang,
                )
            )
        elif lookup.households:
            lines.append(t("intake.existing_file", lang, file=lookup.households[0].file_number))
            lines.append(t("intake.update_hint", lang))
        else:
            lines.append(t("intake.new_person", lang))
        if lookup.claimed_in:
            lines.append(
                t("intake.claimed", lang, files=t("list.separator", lang).join(lookup.claimed_in))
            )
        return lines

    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        localize_bindings(self, lang)
        self.query_one("#start-title", Label).update(
            rtext(t("intake.start_title", lang), lang, "bold")
        )
        self.query_one("#start-id-label", Label).update(rtext(t("intake.id_label", lang), lang))
        self.query_one("#start-id", BidiInput).placeholder = t("intake.id_placeholder", lang)
        self.query_one("#start-identity-label", Label).update(
            rtext(t("intake.identity_label", lang), lang)
        )
        identity = self.query_one("#start-identity", ChoiceField)
        identity.set_options([(c.value, enum_label(c, lang)) for c in IdentityCheck])
        self._arrange()
