"""One dialog for every case action: what the action needs, asked for, then carried out.

An action may need a person (assign: a clerk or supervisor; a visit: a field officer),
a day (the visit), reasons picked from the decision's failed rules (reject) and a written
reason (required or optional). The dialog calls the action itself, so a refusal — a past
day, a missing reason, a case changed by someone else — is shown in the dialog with
everything typed and picked still there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, SelectionList
from textual.widgets.option_list import Option

from daman_tui.domain.dates import parse_date
from daman_tui.domain.errors import DomainError
from daman_tui.text.catalog import t
from daman_tui.text.display import localize_bindings, rtext, rtext_wrapped
from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["ActionForm", "ActionInput", "CaseActionDialog"]


@dataclass(frozen=True)
class ActionInput:
    """What was given: the person picked, the day, the rules ticked, the text written."""

    person_id: str | None = None
    day: date | None = None
    rule_codes: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class ActionForm:
    """What an action asks for. ``people`` and ``rules`` are (id, label) pairs."""

    action: str
    people: Sequence[tuple[str, str]] = ()
    needs_day: bool = False
    rules: Sequence[tuple[str, str]] = ()
    text: str = "none"  # "none", "optional" or "required"
    default_day: date | None = None
    current_person: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


class CaseActionDialog(ModalScreen[bool]):
    """Dismissed with True once the action was carried out, False when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", "confirm", id="daman.confirm", priority=True),
        Binding("escape", "cancel", "cancel", id="daman.cancel"),
    ]

    DEFAULT_CSS = """
    CaseActionDialog { align: center middle; background: $background 60%; }
    CaseActionDialog > Vertical {
        width: 84; height: auto; max-height: 36; background: $surface;
        border: tall $primary; padding: 0 1;
    }
    CaseActionDialog OptionList, CaseActionDialog SelectionList {
        height: auto; max-height: 10;
    }
    CaseActionDialog .error { color: $error; height: auto; }
    CaseActionDialog #action-buttons { height: 3; align: center middle; }
    """

    def __init__(
        self,
        form: ActionForm,
        lang: str,
        carry_out: Callable[[ActionInput], object],
    ) -> None:
        super().__init__()
        self.form = form
        self._lang = lang
        self._carry_out = carry_out

    def compose(self) -> ComposeResult:
        lang = self._lang
        form = self.form
        with Vertical():
            yield Label(rtext(t(f"action.{form.action}", lang), lang, "bold"))
            yield Label(rtext_wrapped(t(f"action.help.{form.action}", lang), lang, 78))
            if form.people:
                yield Label(rtext(t(f"action.person.{form.action}", lang), lang, "bold"))
                yield OptionList(
                    *(Option(rtext(label, lang), id=pid) for pid, label in form.people),
                    id="action-person",
                )
            if form.needs_day:
                yield Label(rtext(t("action.day", lang), lang, "bold"))
                yield BidiInput(
                    form.default_day.isoformat() if form.default_day else "",
                    id="action-day",
                    direction="ltr",
                    placeholder=t("queue.filter.date_hint", lang),
                )
            if form.rules:
                yield Label(rtext(t("action.rules", lang), lang, "bold"))
                yield SelectionList[str](
                    *((rtext(label, lang), code, False) for code, label in form.rules),
                    id="action-rules",
                )
            if form.text != "none":
                key = "action.text_required" if form.text == "required" else "action.text"
                yield Label(rtext(t(key, lang), lang, "bold"))
                yield BidiInput(id="action-text", max_length=2000)
            yield Label(id="action-error", classes="error")
            with Horizontal(id="action-buttons"):
                yield Button(
                    rtext(t("key.confirm", lang), lang), id="action-confirm", variant="primary"
                )
                yield Button(rtext(t("key.cancel", lang), lang), id="action-cancel")

    def on_mount(self) -> None:
        localize_bindings(self, self._lang)
        people = self.query("#action-person")
        if people:
            options = people.first(OptionList)
            ids = [pid for pid, _label in self.form.people]
            current = self.form.current_person
            options.highlighted = ids.index(current) if current in ids else 0
        first = self.query("OptionList, SelectionList, BidiInput, Button").first()
        first.focus()

    def given(self) -> ActionInput | None:
        """What the dialog holds, or None (said under it) if the day cannot be read."""
        person = None
        found = self.query("#action-person")
        if found:
            options = found.first(OptionList)
            if options.highlighted is not None:
                person = self.form.people[options.highlighted][0]
        day = None
        if self.form.needs_day:
            try:
                day = parse_date(self.query_one("#action-day", BidiInput).value).gregorian
            except DomainError as exc:
                self._error(exc.message(self._lang))
                return None
        rules: tuple[str, ...] = ()
        found = self.query("#action-rules")
        if found:
            rules = tuple(str(code) for code in found.first(SelectionList).selected)
        text = ""
        found = self.query("#action-text")
        if found:
            text = found.first(BidiInput).value
        return ActionInput(person, day, rules, text)

    def _error(self, message: str) -> None:
        self.query_one("#action-error", Label).update(rtext_wrapped(message, self._lang, 78))

    def action_confirm(self) -> None:
        """Carry the action out; a refusal stays in the dialog."""
        given = self.given()
        if given is None:
            return
        try:
            self._carry_out(given)
        except DomainError as exc:
            self._error(exc.message(self._lang))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(OptionList.OptionSelected, "#action-person")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        # Enter on a person moves on: to the day if there is one, else confirm.
        event.stop()
        if self.form.needs_day:
            self.query_one("#action-day").focus()
        elif self.form.text != "none":
            self.query_one("#action-text").focus()
        else:
            self.action_confirm()

    @on(BidiInput.Submitted)
    def _entered(self, event: BidiInput.Submitted) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "action-confirm":
            self.action_confirm()
        else:
            self.action_cancel()
