"""Filing an objection or a financial complaint on the applicant's behalf, in steps.

An objection: (1) the decision objected to — each of the household's decisions with its
day, result and amount and whether it may still be objected to (until when; a closed
one shows its window and cannot be taken), its reasons shown as it is highlighted;
(2) the reason's category, the reason in words over several lines, and one or more PDFs
picked with the file picker (listed, any one removed); (3) a summary to confirm, as
the portal's confirm button does, then filed. A financial complaint is about one
payment: no decision step, the payment's month, amount and status stand over the reason.

The services decide: a refusal (the window closed meanwhile, a file that is not a PDF,
no reason, no attachment) is shown in the dialog, on the step it is about, with
everything typed and attached still there. Reading and filing run in thread workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, ContentSwitcher, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from daman_tui.domain.dates import format_hijri
from daman_tui.domain.disputes import COMPLAINT_CATEGORIES, OBJECTION_CATEGORIES
from daman_tui.domain.errors import DomainError
from daman_tui.domain.money import format_money
from daman_tui.domain.permissions import Actor
from daman_tui.screens.dialogs.file_picker import FilePickerScreen
from daman_tui.services import disputes
from daman_tui.services.case_file import PaymentView
from daman_tui.services.disputes import PDF, DecisionChoice
from daman_tui.services.documents import MIB, FileCheck, check_file
from daman_tui.services.store import Store
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import clip, localize_bindings, rtext, rtext_wrapped, styled
from daman_tui.widgets.lines_input import LinesInput

__all__ = ["FilingCase", "FilingDialog"]

WRAP = 88
"""Cells of a line of text in the dialog: wrapped on the logical text, never by Rich
(which would cut the drawn line and put its logical end first)."""
OPTION = 84
"""Cells of an entry in the dialog's lists, clipped at its logical end."""
REASON_MAX = 4000
"""Characters of one line of the reason (the service measures the whole)."""

_ATTACH = "attach"
"""The attachment list's last entry: pick another file."""

# Where a refusal sends the clerk back to, by the start of its code.
_STEP_OF_REFUSAL = (
    ("objection.", "decision"),
    ("dispute.category", "reason"),
    ("text.", "reason"),
    ("dispute.evidence", "reason"),
    ("document.", "reason"),
)


@dataclass(frozen=True)
class FilingCase:
    """The case a filing is made from (its title, and the objection's reference)."""

    application_id: str
    request_number: str
    head_name: str


@dataclass(frozen=True)
class _Attachment:
    path: Path
    check: FileCheck


class AttachmentList(OptionList):
    """The PDFs attached, then an entry to attach another; Delete removes the highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace", "screen.remove_attachment", "remove", show=False),
    ]


class FilingDialog(ModalScreen[str | None]):
    """Dismissed with the filed record's reference, or None when closed without filing.

    ``payment`` given: a financial complaint about it; otherwise an objection to one of
    the case's household's decisions. ``today`` is the day the objection window is
    judged on (the real day unless a test pins it).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "next", "next", id="daman.filing.key_next", priority=True),
        Binding("ctrl+o", "attach", "attach", id="daman.filing.key_attach"),
        Binding("escape", "back", "back", id="daman.back"),
    ]

    DEFAULT_CSS = """
    FilingDialog { align: center middle; background: $background 60%; }
    FilingDialog > #filing-box {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        background: $surface; border: tall $primary; padding: 0 1;
    }
    FilingDialog Label { width: 100%; }
    FilingDialog.rtl Label { text-align: right; }
    FilingDialog #filing-pages { height: auto; }
    FilingDialog #filing-pages > * { height: auto; }
    FilingDialog #filing-decisions { height: auto; max-height: 8; }
    FilingDialog #filing-reasons-box { height: auto; max-height: 12; }
    FilingDialog #filing-category { height: auto; max-height: 8; }
    FilingDialog #filing-text { height: 6; }
    FilingDialog #filing-files { height: auto; max-height: 5; }
    FilingDialog #filing-page-confirm { max-height: 24; }
    FilingDialog .field-label { text-style: bold; margin-top: 1; }
    FilingDialog #filing-error { color: $error; height: auto; }
    FilingDialog #filing-hint { color: $text-muted; }
    FilingDialog #filing-buttons { height: 3; align: center middle; }
    """

    class Loaded(Message):
        """The household's decisions were read."""

        def __init__(self, choices: list[DecisionChoice]) -> None:
            super().__init__()
            self.choices = choices

    class Attached(Message):
        """A picked file passed the checks."""

        def __init__(self, attachment: _Attachment) -> None:
            super().__init__()
            self.attachment = attachment

    class Refused(Message):
        """A service (or the PDF-only rule) said no: ``code`` and ``text`` say why."""

        def __init__(self, code: str, text: str) -> None:
            super().__init__()
            self.code = code
            self.text = text

    class Filed(Message):
        """The objection or complaint was filed as ``record_id``."""

        def __init__(self, record_id: str) -> None:
            super().__init__()
            self.record_id = record_id

    def __init__(
        self,
        store: Store,
        actor: Actor,
        case: FilingCase,
        lang: str,
        *,
        payment: PaymentView | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self.case = case
        self.payment = payment
        self.today = today or date.today()
        """The day the objection window is judged on."""
        self._lang = lang
        self.steps: tuple[str, ...] = (
            ("reason", "confirm") if payment is not None else ("decision", "reason", "confirm")
        )
        self.step = self.steps[0]
        self.choices: list[DecisionChoice] = []
        self.chosen: DecisionChoice | None = None
        self.attachments: list[_Attachment] = []
        self.busy = False
        """A file is being checked or the filing is under way: keys wait."""

    @property
    def kind(self) -> disputes.DisputeKind:
        return "complaint" if self.payment is not None else "objection"

    @property
    def categories(self) -> dict[str, tuple[str, str]]:
        return dict(COMPLAINT_CATEGORIES if self.payment is not None else OBJECTION_CATEGORIES)

    def compose(self) -> ComposeResult:
        lang = self._lang
        with Vertical(id="filing-box"):
            yield Label(id="filing-title")
            yield Label(id="filing-steps")
            with ContentSwitcher(id="filing-pages", initial=f"filing-page-{self.step}"):
                if self.payment is None:
                    with Vertical(id="filing-page-decision"):
                        yield Label(rtext(t("filing.loading", lang), lang), id="filing-loading")
                        yield OptionList(id="filing-decisions")
                        with VerticalScroll(id="filing-reasons-box"):
                            yield Label(id="filing-reasons")
                with Vertical(id="filing-page-reason"):
                    yield Label(id="filing-subject")
                    yield Label(self._label(f"category_{self.kind}"), classes="field-label")
                    yield OptionList(
                        *(
                            Option(rtext(ar if lang == "ar" else en, lang), id=code)
                            for code, (ar, en) in self.categories.items()
                        ),
                        id="filing-category",
                    )
                    yield Label(self._label("reason"), classes="field-label")
                    yield LinesInput(
                        id="filing-text",
                        max_length=REASON_MAX,
                        placeholder=t("filing.reason_placeholder", lang),
                    )
                    yield Label(self._label("attachments"), classes="field-label")
                    yield AttachmentList(id="filing-files")
                with VerticalScroll(id="filing-page-confirm"):
                    yield Label(id="filing-summary")
            yield Label(id="filing-error")
            yield Label(id="filing-hint")
            with Horizontal(id="filing-buttons"):
                yield Button(id="filing-next", variant="primary")
                yield Button(rtext(t("key.back", lang), lang), id="filing-back")
                yield Button(rtext(t("key.cancel", lang), lang), id="filing-cancel")

    def on_mount(self) -> None:
        lang = self._lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        localize_bindings(self, lang)
        title = t(
            f"filing.title_{self.kind}",
            lang,
            number=self.case.request_number,
            name=self.case.head_name,
        )
        self.query_one("#filing-title", Label).update(rtext_wrapped(title, lang, WRAP, "bold"))
        self.query_one("#filing-category", OptionList).highlighted = None
        self._fill_attachments()
        if self.payment is None:
            self.query_one("#filing-decisions").display = False
            self._load()
        self._show(self.step)

    # ---- workers -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="filing-read", exit_on_error=False)
    def _load(self) -> None:
        choices = disputes.objection_choices(
            self._store, self._actor, self.case.application_id, today=self.today
        )
        self.post_message(self.Loaded(choices))

    @work(thread=True, group="filing-check", exit_on_error=False)
    def _check(self, path: Path) -> None:
        """Whether ``path`` may be attached: the documents service's checks, then PDF only."""
        try:
            checked = check_file(path, self._store.settings.max_document_mb * MIB)
        except DomainError as error:
            self._refused(error)
            return
        if checked.mime_type != PDF:
            text = t("filing.not_pdf", self._lang, file=path.name)
            self.post_message(self.Refused("dispute.evidence_not_pdf", text))
            return
        self.post_message(self.Attached(_Attachment(path, checked)))

    @work(thread=True, exclusive=True, group="filing-write", exit_on_error=False)
    def _file(
        self, category: str, text: str, paths: list[Path], decision_id: str | None, today: date
    ) -> None:
        try:
            if self.payment is not None:
                record_id = disputes.file_complaint(
                    self._store,
                    self._actor,
                    self.payment.id,
                    category=category,
                    reason_text=text,
                    attachments=paths,
                )
            else:
                assert decision_id is not None
                record_id = disputes.file_objection(
                    self._store,
                    self._actor,
                    self.case.application_id,
                    decision_id,
                    category=category,
                    reason_text=text,
                    attachments=paths,
                    today=today,
                )
        except DomainError as error:
            self._refused(error)
            return
        self.post_message(self.Filed(record_id))

    def _refused(self, error: DomainError) -> None:
        self.post_message(self.Refused(error.code, error.message(self._lang)))

    @on(Worker.StateChanged)
    def _failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.busy = False
        self._error(
            error.message(self._lang)
            if isinstance(error, DomainError)
            else t("error.unexpected", self._lang)
        )

    # ---- what the workers bring ------------------------------------------------------
    def on_filing_dialog_loaded(self, message: Loaded) -> None:
        self.choices = message.choices
        lang = self._lang
        options = self.query_one("#filing-decisions", OptionList)
        options.clear_options()
        options.add_options(
            Option(
                rtext(clip(self._choice_line(c), OPTION), lang, None if c.window_open else "dim"),
                id=c.decision.id,
            )
            for c in self.choices
        )
        self.query_one("#filing-loading").display = not self.choices
        options.display = bool(self.choices)
        if not self.choices:
            self.query_one("#filing-loading", Label).update(
                rtext(t("filing.no_decisions", lang), lang)
            )
            return
        first_open = next(
            (i for i, c in enumerate(self.choices) if c.window_open and not c.open_objection), 0
        )
        options.highlighted = first_open
        self._show_reasons(self.choices[first_open])
        if self.step == "decision":
            options.focus()

    def on_filing_dialog_attached(self, message: Attached) -> None:
        self.busy = False
        self.attachments.append(message.attachment)
        self._fill_attachments()
        self._error("")

    def on_filing_dialog_refused(self, message: Refused) -> None:
        self.busy = False
        code = message.code
        step = next((s for prefix, s in _STEP_OF_REFUSAL if code.startswith(prefix)), self.step)
        if step not in self.steps:
            step = self.step
        self._show(step)
        self._focus_for(code)
        self._error(message.text)

    def on_filing_dialog_filed(self, message: Filed) -> None:
        self.busy = False
        self.dismiss(disputes.reference(self.kind, self.case.request_number, message.record_id))

    # ---- the steps -----------------------------------------------------------------
    def action_next(self) -> None:
        """Ctrl+S: take the decision highlighted, go on to the summary, or file."""
        if self.busy:
            return
        if self.step == "decision":
            options = self.query_one("#filing-decisions", OptionList)
            if options.highlighted is not None and self.choices:
                self._choose(self.choices[options.highlighted])
        elif self.step == "reason":
            self._error("")
            self._show("confirm")
        else:
            self._submit()

    def action_back(self) -> None:
        """Escape: the step before, or close from the first."""
        if self.busy:
            return
        index = self.steps.index(self.step)
        if index == 0:
            self.dismiss(None)
            return
        self._error("")
        self._show(self.steps[index - 1])

    def action_attach(self) -> None:
        """Pick a PDF with the file picker; it is checked before it is listed."""
        if self.busy or self.step != "reason":
            return
        start = self.attachments[-1].path.parent if self.attachments else Path.home()

        def picked(path: Path | None) -> None:
            if path is None:
                return
            if any(a.path == path for a in self.attachments):
                self._error(t("filing.already_attached", self._lang, file=path.name))
                return
            self.busy = True
            self._check(path)

        self.app.push_screen(FilePickerScreen(start), picked)

    def action_remove_attachment(self) -> None:
        """Delete on an attached file: take it off the list."""
        files = self.query_one("#filing-files", AttachmentList)
        index = files.highlighted
        if self.busy or index is None or index >= len(self.attachments):
            self.app.bell()
            return
        removed = self.attachments.pop(index)
        self._fill_attachments()
        files.highlighted = min(index, files.option_count - 1)
        self._error(t("filing.removed", self._lang, file=removed.path.name))

    def _choose(self, choice: DecisionChoice) -> None:
        lang = self._lang
        if not choice.window_open:
            self._error(
                t(
                    "filing.window_closed_refused",
                    lang,
                    first=_day(choice.window_first, lang),
                    last=_day(choice.window_last, lang),
                )
            )
            return
        if choice.open_objection is not None:
            self._error(t("filing.pending_refused", lang, reference=choice.open_objection))
            return
        self.chosen = choice
        self._error("")
        self._show("reason")

    def _submit(self) -> None:
        category = self.query_one("#filing-category", OptionList)
        code = "" if category.highlighted is None else list(self.categories)[category.highlighted]
        text = self.query_one("#filing-text", LinesInput).value
        paths = [a.path for a in self.attachments]
        decision_id = self.chosen.decision.id if self.chosen else None
        self.busy = True
        self._error("")
        self.query_one("#filing-hint", Label).update(
            rtext(t("filing.filing", self._lang), self._lang)
        )
        self._file(code, text, paths, decision_id, self.today)

    def _show(self, step: str) -> None:
        self.step = step
        self.query_one("#filing-pages", ContentSwitcher).current = f"filing-page-{step}"
        lang = self._lang
        names = [t(f"filing.step_{s}", lang) for s in self.steps]
        parts = [f"{n}. {name}" for n, name in enumerate(names, 1)]
        line = "   ".join(parts)
        current = self.steps.index(step)
        start = sum(len(p) + 3 for p in parts[:current])
        self.query_one("#filing-steps", Label).update(
            styled(line, lang, [(start, start + len(parts[current]), "bold reverse")])
        )
        hint = t(f"filing.hint_{step}", lang)
        self.query_one("#filing-hint", Label).update(rtext_wrapped(hint, lang, WRAP))
        last = step == "confirm"
        self.query_one("#filing-next", Button).label = rtext(
            t("key.confirm" if last else "filing.key_next", lang), lang
        )
        self.query_one("#filing-back", Button).display = self.steps.index(step) > 0
        if step == "decision":
            self.query_one("#filing-decisions").focus()
        elif step == "reason":
            self.query_one("#filing-subject", Label).update(
                rtext_wrapped(self._subject(), lang, WRAP, "bold")
            )
            self.query_one("#filing-category").focus()
        else:
            self.query_one("#filing-summary", Label).update(
                rtext_wrapped("\n".join(self._summary()), lang, WRAP)
            )
            self.query_one("#filing-next").focus()

    def _focus_for(self, code: str) -> None:
        if code == "dispute.category":
            self.query_one("#filing-category").focus()
        elif code.startswith("text."):
            self.query_one("#filing-text", LinesInput).focus()
        elif code.startswith(("dispute.evidence", "document.")):
            self.query_one("#filing-files").focus()

    # ---- events --------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#filing-decisions")
    def _decision_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.choices:
            self._show_reasons(self.choices[event.option_index])

    @on(OptionList.OptionSelected, "#filing-decisions")
    def _decision_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(self.choices[event.option_index])

    @on(OptionList.OptionSelected, "#filing-category")
    def _category_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#filing-text", LinesInput).focus()

    @on(OptionList.OptionSelected, "#filing-files")
    def _file_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id == _ATTACH:
            self.action_attach()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "filing-next":
            self.action_next()
        elif event.button.id == "filing-back":
            self.action_back()
        elif not self.busy:
            self.dismiss(None)

    # ---- drawing -------------------------------------------------------------------
    def _label(self, name: str) -> Text:
        return rtext(t(f"filing.{name}", self._lang), self._lang)

    def _error(self, message: str) -> None:
        self.query_one("#filing-error", Label).update(rtext_wrapped(message, self._lang, WRAP))

    def _fill_attachments(self) -> None:
        lang = self._lang
        files = self.query_one("#filing-files", AttachmentList)
        files.clear_options()
        files.add_options(
            [
                *(
                    Option(rtext(clip(_file_line(a, lang), OPTION), lang), id=f"file-{n}")
                    for n, a in enumerate(self.attachments)
                ),
                Option(rtext(t("filing.attach_entry", lang), lang, "italic"), id=_ATTACH),
            ]
        )

    def _result(self, choice: DecisionChoice) -> str:
        d, lang = choice.decision, self._lang
        if not d.eligible:
            return t("case.not_eligible", lang)
        return f"{t('case.eligible', lang)} {format_money(d.entitlement_halalas, lang)}"

    def _choice_line(self, choice: DecisionChoice) -> str:
        lang = self._lang
        if choice.open_objection is not None:
            window = t("filing.window_pending", lang, reference=choice.open_objection)
        elif choice.window_open:
            window = t("filing.window_open", lang, last=choice.window_last.isoformat())
        else:
            window = t(
                "filing.window_closed",
                lang,
                first=choice.window_first.isoformat(),
                last=choice.window_last.isoformat(),
            )
        return t(
            "filing.decision_line",
            lang,
            on=choice.decision.as_of.isoformat(),
            result=self._result(choice),
            window=window,
        )

    def _show_reasons(self, choice: DecisionChoice) -> None:
        d, lang = choice.decision, self._lang
        lines = [
            t("filing.reasons_title", lang, on=d.as_of.isoformat()),
            t(
                "case.decision_facts",
                lang,
                members=d.member_count,
                income=format_money(d.counted_income_halalas, lang),
                threshold=format_money(d.threshold_halalas, lang),
            ),
            *(
                f"{'✓' if r.passed else '✗'} {r.message_ar if lang == 'ar' else r.message_en}"
                for r in d.reasons
            ),
        ]
        self.query_one("#filing-reasons", Label).update(rtext_wrapped("\n".join(lines), lang, WRAP))

    def _subject(self) -> str:
        lang = self._lang
        if self.payment is not None:
            p = self.payment
            return t(
                "filing.subject_payment",
                lang,
                month=p.cycle_month,
                amount=format_money(p.amount_halalas, lang),
                status=enum_label(p.status, lang),
            )
        if self.chosen is None:
            return ""
        return t(
            "filing.subject_decision",
            lang,
            on=self.chosen.decision.as_of.isoformat(),
            result=self._result(self.chosen),
            kind=enum_label(self.chosen.kind, lang),
        )

    def _summary(self) -> list[str]:
        lang = self._lang
        category = self.query_one("#filing-category", OptionList).highlighted
        labels = list(self.categories.values())
        text = self.query_one("#filing-text", LinesInput).value.strip()
        return [
            t(f"filing.summary_{self.kind}", lang),
            self._subject(),
            t(
                "filing.summary_category",
                lang,
                category=("—" if category is None else labels[category][0 if lang == "ar" else 1]),
            ),
            t("filing.summary_reason", lang),
            text or "—",
            t("filing.summary_files", lang, count=len(self.attachments)),
            *(f"• {_file_line(a, lang)}" for a in self.attachments),
        ]


def _day(day: date, lang: str) -> str:
    """A day in both calendars, as the service's own refusals give it."""
    return f"{day.isoformat()} ({format_hijri(day, lang)})"


def _file_line(attachment: _Attachment, lang: str) -> str:
    size = f"{attachment.check.size_bytes:,}"
    return t("filing.file_line", lang, file=attachment.path.name, size=size)
