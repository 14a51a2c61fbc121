"""The dialogs of the review panel and the review screens.

- :class:`DisputeFilterDialog`: the panel's filters (kind, open/decided/all, mine,
  unassigned, overdue, priority);
- :class:`PickDialog`: one choice (a supervisor, a priority, the record the others
  duplicate), carried out at once;
- :class:`CorrectionDialog`: a what-if correction of one row of the file (an amount in
  riyals, Arabic-Indic digits accepted, or the row removed);
- :class:`DecideDialog`: a decision with its written justification (and, for a
  complaint, whether a held or returned payment is re-issued).

A dialog that carries its answer out calls the service in a worker; a refusal (a short
justification, a supervisor of another branch, a duplicate of another household) is
said in the dialog, with everything typed and picked still there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    SelectionList,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from daman_tui.domain.disputes import Correction
from daman_tui.domain.errors import DomainError
from daman_tui.domain.household import format_sar
from daman_tui.domain.money import format_money, parse_money
from daman_tui.screens.dialogs.filter_base import FilterDialog
from daman_tui.services.disputes import DISPUTE_KINDS, PRIORITIES, DisputeFilter
from daman_tui.services.review import CorrectableRow
from daman_tui.text.catalog import t
from daman_tui.text.display import localize_bindings, rtext, rtext_wrapped
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.review_text import priority_label

__all__ = [
    "CorrectionAnswer",
    "CorrectionDialog",
    "DecideDialog",
    "DisputeFilterDialog",
    "PickDialog",
]

WRAP = 74

_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > Vertical {{
    width: 80; height: auto; max-height: 36; background: $surface;
    border: tall $primary; padding: 0 1;
}}
{name} OptionList, {name} SelectionList, {name} RadioSet {{
    height: auto; max-height: 10;
}}
{name} .error {{ color: $error; height: auto; }}
{name} .dialog-buttons, {name} #filter-buttons {{ height: 3; align: center middle; }}
"""


def _button(key: str, lang: str, id: str, primary: bool = False) -> Button:
    return Button(rtext(t(key, lang), lang), id=id, variant="primary" if primary else "default")


# ---- carrying an answer out --------------------------------------------------------------
class _Carried(Message):
    """The service took the answer: the dialog closes with ``result``."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class _Refused(Message):
    """The service refused: ``text`` is said in the dialog."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class _CarryingDialog(ModalScreen[Any]):
    """A dialog that hands its answer to a service in a worker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", "confirm", id="daman.confirm", priority=True),
        Binding("escape", "cancel", "cancel", id="daman.cancel"),
    ]

    def __init__(self, title: str, help_text: str, lang: str) -> None:
        super().__init__()
        self._title = title
        self._help = help_text
        self._lang = lang
        self.busy = False
        """A service call is under way (a second confirm waits for it)."""

    def compose(self) -> ComposeResult:
        lang = self._lang
        with Vertical():
            yield Label(rtext(self._title, lang, "bold"))
            yield Label(rtext_wrapped(self._help, lang, WRAP))
            yield from self.fields()
            yield Label(id="dialog-error", classes="error")
            with Horizontal(classes="dialog-buttons"):
                yield _button("key.confirm", lang, "dialog-confirm", primary=True)
                yield _button("key.cancel", lang, "dialog-cancel")

    def fields(self) -> ComposeResult:
        """What the dialog asks for, between its help and its buttons."""
        yield from ()

    def on_mount(self) -> None:
        localize_bindings(self, self._lang)

    def carry(self, run: Callable[[], object]) -> None:
        """Call ``run`` (a service) in a worker: closed with its result, or the refusal said."""
        if self.busy:
            return
        self.busy = True
        self.error("")
        self._carry(run)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _carry(self, run: Callable[[], object]) -> None:
        try:
            result = run()
        except DomainError as exc:
            self.post_message(_Refused(exc.message(self._lang)))
            return
        self.post_message(_Carried(result))

    @on(_Carried)
    def _carried(self, message: _Carried) -> None:
        self.busy = False
        self.dismiss(message.result)

    @on(_Refused)
    def _refused(self, message: _Refused) -> None:
        self.busy = False
        self.error(message.text)

    @on(Worker.StateChanged)
    def _failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.busy = False
            self.error(t("error.unexpected", self._lang))

    def error(self, text: str) -> None:
        """Say ``text`` under the dialog's fields."""
        self.query_one("#dialog-error", Label).update(rtext_wrapped(text, self._lang, WRAP))

    def action_confirm(self) -> None:
        """Carry out what the dialog holds (each dialog knows how)."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#dialog-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Button.Pressed, "#dialog-confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm()


class PickDialog(_CarryingDialog):
    """One choice from ``options`` ((id, label) pairs); ``carry_out(id)`` runs on Enter
    and the dialog closes with its result."""

    DEFAULT_CSS = _CSS.format(name="PickDialog")

    def __init__(
        self,
        title: str,
        help_text: str,
        options: Sequence[tuple[str, str]],
        lang: str,
        carry_out: Callable[[str], object],
        *,
        current: str | None = None,
    ) -> None:
        super().__init__(title, help_text, lang)
        self.options = list(options)
        self._current = current
        self._carry_out = carry_out

    def fields(self) -> ComposeResult:
        yield OptionList(
            *(Option(rtext(label, self._lang), id=key) for key, label in self.options),
            id="pick-options",
        )

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one("#pick-options", OptionList)
        keys = [key for key, _label in self.options]
        options.highlighted = keys.index(self._current) if self._current in keys else 0
        options.focus()

    def action_confirm(self) -> None:
        index = self.query_one("#pick-options", OptionList).highlighted
        if index is not None and self.options:
            key = self.options[index][0]
            self.carry(lambda: self._carry_out(key))

    @on(OptionList.OptionSelected, "#pick-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_confirm()


class DecideDialog(_CarryingDialog):
    """A decision: ``carry_out(justification, reissue)`` runs on Ctrl+S or Enter in the
    justification; ``reissue`` is None when the decision has no such option."""

    DEFAULT_CSS = _CSS.format(name="DecideDialog")

    def __init__(
        self,
        title: str,
        help_text: str,
        lang: str,
        carry_out: Callable[[str, bool], object],
        *,
        reissue: bool | None = None,
    ) -> None:
        super().__init__(title, help_text, lang)
        self._reissue = reissue
        self._carry_out = carry_out

    def fields(self) -> ComposeResult:
        lang = self._lang
        if self._reissue is not None:
            yield Checkbox(
                rtext(t("review.decide.reissue", lang), lang), self._reissue, id="decide-reissue"
            )
        yield Label(rtext(t("review.decide.justification", lang), lang, "bold"))
        yield BidiInput(id="decide-text", max_length=2000)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#decide-text").focus()

    def action_confirm(self) -> None:
        text = self.query_one("#decide-text", BidiInput).value
        found = self.query("#decide-reissue")
        reissue = bool(found) and found.first(Checkbox).value
        self.carry(lambda: self._carry_out(text, reissue))

    @on(BidiInput.Submitted, "#decide-text")
    def _entered(self, event: BidiInput.Submitted) -> None:
        event.stop()
        self.action_confirm()


# ---- the what-if's corrections -------------------------------------------------------------
@dataclass(frozen=True)
class CorrectionAnswer:
    """The row's new correction, or None: back to the file as it is."""

    correction: Correction | None


class CorrectionDialog(ModalScreen[CorrectionAnswer | None]):
    """Correct one row: a new amount (Enter), the row removed, or the correction undone."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "apply", id="daman.review.key.apply", priority=True),
        Binding("ctrl+d", "remove", "remove", id="daman.review.key.remove", priority=True),
        Binding("escape", "cancel", "cancel", id="daman.cancel"),
    ]

    DEFAULT_CSS = _CSS.format(name="CorrectionDialog")

    def __init__(
        self, row: CorrectableRow, what: str, current: Correction | None, lang: str
    ) -> None:
        super().__init__()
        self.row = row
        self._what = what
        self._current = current
        self._lang = lang

    @property
    def amounts(self) -> bool:
        """Whether the row has an amount (a member can only be removed)."""
        return self.row.value_halalas is not None

    def compose(self) -> ComposeResult:
        lang, row = self._lang, self.row
        title = t("review.correction.title", lang, what=self._what, whose=row.person_name)
        with Vertical():
            yield Label(rtext_wrapped(title, lang, WRAP, "bold"))
            if self.amounts:
                assert row.value_halalas is not None
                now = format_money(row.value_halalas, lang)
                yield Label(rtext(t("review.correction.now", lang, amount=now), lang))
                yield Label(rtext(t("review.correction.amount", lang), lang, "bold"))
                value = row.value_halalas
                if self._current is not None and self._current.value_halalas is not None:
                    value = self._current.value_halalas
                yield BidiInput(format_sar(value), id="correction-amount", direction="ltr")
            else:
                yield Label(rtext_wrapped(t("review.correction.member", lang), lang, WRAP))
            yield Label(id="dialog-error", classes="error")
            with Horizontal(classes="dialog-buttons"):
                if self.amounts:
                    yield _button("review.correction.apply", lang, "correction-apply", True)
                yield _button("review.correction.remove", lang, "correction-remove", True)
                if self._current is not None:
                    yield _button("review.correction.restore", lang, "correction-restore")
                yield _button("key.cancel", lang, "correction-cancel")

    def on_mount(self) -> None:
        localize_bindings(self, self._lang)
        first = self.query("BidiInput, Button").first()
        first.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.amounts if action == "apply" else True

    def action_apply(self) -> None:
        """The amount typed, in riyals (either digit family)."""
        if not self.amounts:
            return
        typed = self.query_one("#correction-amount", BidiInput).value
        try:
            halalas = parse_money(typed)
        except DomainError as exc:
            error = rtext_wrapped(exc.message(self._lang), self._lang, WRAP)
            self.query_one("#dialog-error", Label).update(error)
            return
        self.dismiss(CorrectionAnswer(Correction(self.row.table, self.row.row_id, halalas)))

    def action_remove(self) -> None:
        """The row removed (an income that stopped, an asset sold, a member who left)."""
        self.dismiss(CorrectionAnswer(Correction(self.row.table, self.row.row_id, None)))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(BidiInput.Submitted, "#correction-amount")
    def _entered(self, event: BidiInput.Submitted) -> None:
        event.stop()
        self.action_apply()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "correction-apply":
            self.action_apply()
        elif event.button.id == "correction-remove":
            self.action_remove()
        elif event.button.id == "correction-restore":
            self.dismiss(CorrectionAnswer(None))
        else:
            self.action_cancel()


# ---- the panel's filters -------------------------------------------------------------------
_STATES = ("open", "decided", "all")
_CHECKS = ("mine", "unassigned", "overdue")


class DisputeFilterDialog(FilterDialog[DisputeFilter]):
    """Returns the new filter (the search kept), or None when cancelled."""

    DEFAULT_CSS = _CSS.format(name="DisputeFilterDialog")

    def __init__(self, current: DisputeFilter, lang: str) -> None:
        super().__init__()
        self._current = current
        self._lang = lang

    def compose(self) -> ComposeResult:
        lang, f = self._lang, self._current
        with Vertical():
            yield Label(rtext(t("review.filter.title", lang), lang, "bold"))
            yield Label(rtext(t("review.filter.kinds", lang), lang, "bold"))
            yield SelectionList[str](
                *(
                    (rtext(t(f"review.kind.{k}", lang), lang), k, k in f.kinds)
                    for k in DISPUTE_KINDS
                ),
                id="filter-kinds",
            )
            yield Label(rtext(t("review.filter.state", lang), lang, "bold"))
            with RadioSet(id="filter-state"):
                for state in _STATES:
                    yield RadioButton(
                        rtext(t(f"review.state.{state}", lang), lang),
                        f.state == state,
                        id=f"state-{state}",
                    )
            for check in _CHECKS:
                yield Checkbox(
                    rtext(t(f"review.filter.{check}", lang), lang),
                    bool(getattr(f, check)),
                    id=f"filter-{check}",
                )
            yield Label(rtext(t("review.filter.priority", lang), lang, "bold"))
            yield SelectionList[int](
                *(
                    (rtext(priority_label(p, lang), lang), p, p in f.priorities)
                    for p in reversed(PRIORITIES)
                ),
                id="filter-priority",
            )
            yield from self.buttons(lang)

    def on_mount(self) -> None:
        localize_bindings(self, self._lang)
        self.query_one("#filter-kinds").focus()

    def build(self) -> DisputeFilter:
        """The filter as ticked (the search box's text kept)."""
        pressed = self.query_one("#filter-state", RadioSet).pressed_button
        state = (pressed.id or "state-open").removeprefix("state-") if pressed else "open"
        checks = {c: self.query_one(f"#filter-{c}", Checkbox).value for c in _CHECKS}
        return DisputeFilter(
            kinds=frozenset(self.query_one("#filter-kinds", SelectionList).selected),
            state=state,  # type: ignore[arg-type]
            mine=checks["mine"],
            unassigned=checks["unassigned"],
            overdue=checks["overdue"],
            search=self._current.search,
            priorities=frozenset(self.query_one("#filter-priority", SelectionList).selected),
        )

    def cleared(self) -> DisputeFilter:
        return DisputeFilter(search=self._current.search)
