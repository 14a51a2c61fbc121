"""The review of one objection or financial complaint, and its decision.

An objection: the decision objected to (every reason ✓/✗, the figures, the rule-set
version, the facts it used) beside the claim (category, the applicant's words, who filed
it and when) and its evidence (Enter opens the PDF). Under the claim, the rows of the
file a what-if may correct (Enter: a new amount, or the row removed); under the decision,
what the household would be with the corrections, evaluated in a worker as each one is
made, and the arrears it would bring. ``u`` upholds with the corrections, ``x``
dismisses, each with a written justification; the outcome and the applicant's
notification are shown after. Only a supervisor who did not make the decision objected
to decides: the others read why.

A complaint: the payment (month, pay day, amount, status, why it was held) beside the
claim and its evidence; ``r`` resolves (a held or returned payment may be re-issued),
``x`` dismisses.

Opening a filed record takes it for review (under review, the reader's if no one's).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label
from textual.worker import Worker, WorkerState

from daman_tui.domain.disputes import Correction, days_left
from daman_tui.domain.enums import ComplaintStatus, ObjectionStatus, PaymentStatus
from daman_tui.domain.errors import DomainError
from daman_tui.domain.money import format_money
from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.domain.rules import rule_set_for
from daman_tui.screens.dialogs.review_dialogs import (
    CorrectionAnswer,
    CorrectionDialog,
    DecideDialog,
)
from daman_tui.screens.viewer import open_document
from daman_tui.services import disputes, review
from daman_tui.services.disputes import DisputeRef
from daman_tui.services.review import ComplaintReview, ObjectionReview, WhatIf
from daman_tui.services.store import Store
from daman_tui.text.catalog import enum_label, error_text, t
from daman_tui.text.display import localize_bindings, rtext, rtext_wrapped, visual
from daman_tui.widgets.case_table import format_local_time
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.review_text import (
    category_label,
    correctable_cells,
    days_left_cell,
    decision_lines,
    facts_lines,
    outcome_lines,
    priority_label,
    what_if_lines,
)
from daman_tui.widgets.sync_indicator import DamanHeader
from daman_tui.widgets.text_table import fill_table

__all__ = ["ComplaintReviewScreen", "ObjectionReviewScreen", "review_screen"]

WRAP = 56
"""Cells a line of a pane takes: half the width of a 120-column terminal, less padding."""

LINE = 116
"""Cells a line of the summary takes."""

ROW_CELLS = 14
"""Most cells a value takes in the what-if's rows: the four columns fit half the width."""


def review_screen(
    store: Store, actor: Actor, ref: DisputeRef, *, today: date | None = None
) -> ReviewScreen:
    """The review of ``ref``: an objection's or a complaint's."""
    if ref.kind == "objection":
        return ObjectionReviewScreen(store, actor, ref.id, today=today)
    return ComplaintReviewScreen(store, actor, ref.id, today=today)


class ReviewScreen(Screen[None]):
    """What both reviews share: the summary, the claim and its evidence, the reading
    (taking a filed record for review), the decision dialog, the outcome."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "back", id="daman.back"),
    ]

    title_key = "review.objection.title"
    """The catalogue key of the screen's subtitle."""
    DECISIONS: ClassVar[frozenset[str]] = frozenset()
    """The actions that decide the record."""

    class Loaded(Message):
        """The record as read (and taken for review) by a worker."""

        def __init__(self, record: Any) -> None:
            super().__init__()
            self.record = record

    def __init__(
        self, store: Store, actor: Actor, record_id: str, *, today: date | None = None
    ) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self.record_id = record_id
        self._today = today
        self._lang = "ar"
        self.record: Any = None
        """The review read model (``ObjectionReview`` or ``ComplaintReview``)."""

    @property
    def today(self) -> date:
        return self._today or date.today()

    @property
    def decider(self) -> bool:
        """Whether this reader decides objections at all: a clerk opening the record from
        the case file reads it, and neither takes it for review nor sees the keys."""
        return can(self._actor, Permission.DECIDE_OBJECTION)

    # ---- layout --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with Vertical(id="review-summary"):
            yield Label(id="review-title")
            yield Label(id="review-state")
            yield Label(id="review-note", classes="warning")
        with Horizontal(id="review-body"):
            with Vertical(id="review-first", classes="review-column"):
                yield from self.first_column()
                # Under it: the what-if, or the outcome once decided.
                with VerticalScroll(id="review-result"):
                    yield Label(id="result-title", classes="review-pane-title")
                    yield Label(id="result-text")
            with Vertical(id="review-second", classes="review-column"):
                with VerticalScroll(id="review-claim"):
                    yield Label(id="claim-title", classes="review-pane-title")
                    yield Label(id="claim-text")
                yield Label(id="evidence-title", classes="review-pane-title")
                yield LineTable(id="review-evidence")
                yield from self.second_column()
        yield DamanFooter()

    def first_column(self) -> ComposeResult:
        """What the reader reads first (on the right in Arabic), above the result."""
        yield from ()

    def second_column(self) -> ComposeResult:
        """What follows the claim and the evidence."""
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)
        self._load()

    # ---- reading -------------------------------------------------------------------
    def fetch(self) -> Any:
        """The record, taken for review first when it is filed (in a worker)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="review-read", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(self.Loaded(self.fetch()))

    def on_review_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        self.shown(message.record)

    def shown(self, record: Any) -> None:
        """Show ``record`` (as read, or as a decision left it)."""
        self.record = record
        self.render_all()
        self.refresh_bindings()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        self.failed(event.worker, error_text(event.worker.error, self._lang))

    def failed(self, worker: Worker[Any], text: str) -> None:
        """A worker failed: say it (and leave when the record itself cannot be read)."""
        self.notify(visual(text), severity="error", markup=False)
        if worker.group == "review-read" and self.record is None:
            self.app.pop_screen()

    # ---- the evidence ----------------------------------------------------------------
    @on(LineTable.RowSelected, "#review-evidence")
    def _open_document(self, event: LineTable.RowSelected) -> None:
        """Enter on a document: open its stored copy with the system's viewer."""
        event.stop()
        if self.record is not None:
            doc = next(d for d in self.record.evidence if d.id == event.row_key)
            open_document(self, self._store, doc, self._lang)

    # ---- deciding ------------------------------------------------------------------
    def may_decide(self) -> bool:
        return self.decider and self.record is not None and self.record.is_open

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The decisions are in the footer only for a reader who may take them now."""
        if action in self.DECISIONS:
            return self.is_mounted and self.may_decide()
        return True

    def decide(
        self,
        key: str,
        help_text: str,
        carry: Callable[[str, bool], object],
        *,
        reissue: bool | None = None,
    ) -> None:
        """Ask for the justification of decision ``key``, then show what it left."""
        if not self.may_decide():
            return
        lang = self._lang
        dialog = DecideDialog(
            t(f"review.decide.{key}_title", lang), help_text, lang, carry, reissue=reissue
        )

        def done(record: object) -> None:
            if record is not None:
                self.decided(record)
                self.notify(visual(t(f"review.decide.{key}_done", lang)), markup=False)

        self.app.push_screen(dialog, done)

    def decided(self, record: Any) -> None:
        self.shown(record)

    def action_back(self) -> None:
        self.app.pop_screen()

    # ---- words ---------------------------------------------------------------------
    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        self.sub_title = t(self.title_key, lang)
        localize_bindings(self, lang)
        self.render_all()

    def render_all(self) -> None:
        lang = self._lang
        for pane, key in self.pane_titles().items():
            self.query_one(f"#{pane}", Label).update(rtext(t(key, lang), lang, "bold"))
        if self.record is None:
            self.query_one("#review-title", Label).update(rtext(t("case.loading", lang), lang))
            return
        r = self.record
        title = " · ".join((r.head_name or "—", r.national_id or "—", r.reference))
        self.query_one("#review-title", Label).update(rtext(title, lang, "bold"))
        self._render_state()
        self.query_one("#review-note", Label).update(rtext_wrapped(self.note(), lang, LINE))
        self.query_one("#claim-text", Label).update(
            rtext_wrapped("\n".join(self._claim_lines()), lang, WRAP)
        )
        fill_table(
            self.query_one("#review-evidence", LineTable),
            [(k, t(f"case.column.{k}", lang)) for k in ("file_name", "size", "received")],
            [
                (d.id, [d.file_name, f"{d.size_bytes:,}", format_local_time(d.received_at)])
                for d in r.evidence
            ],
            lang,
        )
        self.render_panes()

    def pane_titles(self) -> dict[str, str]:
        return {"claim-title": "review.claim.title", "evidence-title": "review.claim.evidence"}

    def render_panes(self) -> None:
        """Draw the panes a subclass adds."""

    def note(self) -> str:
        """A line under the summary: why this reader cannot decide, if they cannot."""
        return ""

    def subject(self) -> str:
        raise NotImplementedError

    def status_label(self) -> str:
        return enum_label(self.record.status, self._lang)

    def _render_state(self) -> None:
        r, lang = self.record, self._lang
        left = days_left(r.filed_on, self.today, rule_set_for(r.filed_on))
        clock, style = days_left_cell(left, r.is_open, self.status_label(), lang)
        parts = [
            self.subject(),
            self.status_label(),
            t("review.summary.priority", lang, priority=priority_label(r.priority, lang)),
            t("case.assignee", lang, name=r.assignee_name or "—"),
        ]
        if r.is_open:
            parts.append(t("review.summary.days_left", lang, days=clock))
        self.query_one("#review-state", Label).update(
            rtext_wrapped(" · ".join(parts), lang, LINE, style)
        )

    def _claim_lines(self) -> list[str]:
        r, lang = self.record, self._lang
        kind = "objection" if isinstance(r, ObjectionReview) else "complaint"
        return [
            t("review.claim.category", lang, category=category_label(kind, r.category, lang)),
            t(
                "review.claim.filed",
                lang,
                name=r.filed_by_name or "—",
                on=r.filed_on.isoformat(),
            ),
            "",
            r.reason_text,
        ]


class ObjectionReviewScreen(ReviewScreen):
    """An objection: the decision beside the claim, the what-if, uphold or dismiss."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "uphold", "uphold", id="daman.review.key.uphold"),
        Binding("x", "dismiss_objection", "dismiss", id="daman.review.key.dismiss"),
        Binding("c", "clear", "clear", id="daman.review.key.clear"),
    ]

    AUTO_FOCUS = "#review-rows"
    DECISIONS = frozenset({"uphold", "dismiss_objection"})

    class WhatIfDone(Message):
        """A what-if for request ``generation``: its outcome, or why there is none."""

        def __init__(self, generation: int, outcome: WhatIf | None, error: str) -> None:
            super().__init__()
            self.generation = generation
            self.outcome = outcome
            self.error = error

    def __init__(
        self, store: Store, actor: Actor, objection_id: str, *, today: date | None = None
    ) -> None:
        super().__init__(store, actor, objection_id, today=today)
        self.corrections: dict[tuple[str, str], Correction] = {}
        self.outcome: WhatIf | None = None
        self._what_if_error = ""
        self._generation = 0
        self._pending = False

    def first_column(self) -> ComposeResult:
        with VerticalScroll(id="review-decision"):
            yield Label(id="decision-title", classes="review-pane-title")
            yield Label(id="decision-text")

    def second_column(self) -> ComposeResult:
        yield Label(id="rows-title", classes="review-pane-title")
        yield LineTable(id="review-rows")

    def pane_titles(self) -> dict[str, str]:
        decided = self.record is not None and not self.record.is_open
        return super().pane_titles() | {
            "decision-title": "review.objection.original",
            "result-title": "review.outcome.title" if decided else "review.what_if.title",
            "rows-title": "review.what_if.rows",
        }

    def fetch(self) -> ObjectionReview:
        store, actor, oid = self._store, self._actor, self.record_id
        seen = review.objection_review(store, actor, oid)
        if (
            self.decider
            and seen.status is ObjectionStatus.FILED
            and actor.id not in seen.decision_makers
        ):
            disputes.take_for_review(store, actor, seen.ref)
            seen = review.objection_review(store, actor, oid)
        return seen

    # ---- the what-if ---------------------------------------------------------------
    @on(LineTable.RowSelected, "#review-rows")
    def _correct(self, event: LineTable.RowSelected) -> None:
        """Enter on a row of the file: ask for its corrected amount, or its removal."""
        event.stop()
        if self.record is None or not self.record.is_open or not self.decider:
            return
        row = next(c for c in self.record.correctable if c.row_id == event.row_key)
        what = correctable_cells(row, None, self._lang)[1]
        current = self.corrections.get((row.table, row.row_id))

        def answered(answer: CorrectionAnswer | None) -> None:
            if answer is None:
                return
            if answer.correction is None:
                self.corrections.pop((row.table, row.row_id), None)
            else:
                self.corrections[(row.table, row.row_id)] = answer.correction
            self.run_what_if()

        self.app.push_screen(CorrectionDialog(row, what, current, self._lang), answered)

    def action_clear(self) -> None:
        """Drop every correction: the file as it is."""
        self.corrections.clear()
        self.run_what_if()

    def run_what_if(self) -> None:
        """Evaluate the household with the corrections, in a worker."""
        self._generation += 1
        self.outcome, self._what_if_error = None, ""
        self._pending = bool(self.corrections)
        self.render_panes()
        self.refresh_bindings()
        if self.corrections:
            self._what_if(self._generation, list(self.corrections.values()))

    @work(thread=True, exclusive=True, group="what-if", exit_on_error=False)
    def _what_if(self, generation: int, corrections: list[Correction]) -> None:
        try:
            outcome = review.what_if(
                self._store, self._actor, self.record_id, corrections, today=self.today
            )
        except DomainError as exc:
            self.post_message(self.WhatIfDone(generation, None, exc.message(self._lang)))
            return
        self.post_message(self.WhatIfDone(generation, outcome, ""))

    def on_objection_review_screen_what_if_done(self, message: WhatIfDone) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pending = False
        self.outcome, self._what_if_error = message.outcome, message.error
        self.render_panes()

    # ---- deciding ------------------------------------------------------------------
    def may_decide(self) -> bool:
        return super().may_decide() and self._actor.id not in self.record.decision_makers

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear":
            return bool(self.corrections)
        return super().check_action(action, parameters)

    def action_uphold(self) -> None:
        """Uphold, with the what-if's corrections."""
        store, actor, oid, lang = self._store, self._actor, self.record_id, self._lang
        corrections = list(self.corrections.values())
        today = self.today

        def uphold(text: str, _reissue: bool) -> ObjectionReview:
            return review.decide_objection(
                store,
                actor,
                oid,
                uphold=True,
                justification=text,
                corrections=corrections,
                today=today,
                lang=lang,
            )

        help_text = t("review.decide.uphold_help", lang, count=len(corrections))
        if self.outcome is not None:
            d = self.outcome.decision
            help_text += "\n" + t(
                "review.decide.uphold_result",
                lang,
                verdict=t("case.eligible" if d.eligible else "case.not_eligible", lang),
                amount=format_money(d.entitlement_halalas, lang),
            )
        self.decide("uphold", help_text, uphold)

    def action_dismiss_objection(self) -> None:
        """Dismiss: the decision stands."""
        store, actor, oid, lang = self._store, self._actor, self.record_id, self._lang

        def dismiss(text: str, _reissue: bool) -> ObjectionReview:
            return review.decide_objection(
                store, actor, oid, uphold=False, justification=text, lang=lang
            )

        help_key = "review.decide.dismiss_help_corrected" if self.corrections else None
        help_text = t(help_key or "review.decide.dismiss_help", lang)
        self.decide("dismiss", help_text, dismiss)

    def decided(self, record: Any) -> None:
        self.corrections.clear()
        self.outcome = None
        super().decided(record)

    # ---- drawing -------------------------------------------------------------------
    def subject(self) -> str:
        return t(f"review.subject.{self.record.kind.value}", self._lang)

    def note(self) -> str:
        r = self.record
        if r.is_open and self._actor.id in r.decision_makers:
            return t("review.objection.own_decision", self._lang)
        return ""

    def render_panes(self) -> None:
        lang, r = self._lang, self.record
        if r is None:
            return
        original = [*decision_lines(r.decision, lang), "", *facts_lines(r.facts, lang)]
        self.query_one("#decision-text", Label).update(
            rtext_wrapped("\n".join(original), lang, WRAP)
        )
        if r.is_open:
            lines = what_if_lines(
                r.decision, self.outcome, self._what_if_error, self._pending, lang
            )
        else:
            lines = outcome_lines(r, lang)
        self.query_one("#result-text", Label).update(rtext_wrapped("\n".join(lines), lang, WRAP))
        fill_table(
            self.query_one("#review-rows", LineTable),
            [(k, t(f"review.column.{k}", lang)) for k in ("whose", "what", "now", "corrected")],
            [
                (c.row_id, correctable_cells(c, self.corrections.get((c.table, c.row_id)), lang))
                for c in r.correctable
            ],
            lang,
            keep_cursor=True,
            most=ROW_CELLS,
        )


class ComplaintReviewScreen(ReviewScreen):
    """A financial complaint: the payment beside the claim, resolve or dismiss."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "resolve", "resolve", id="daman.review.key.resolve"),
        Binding("x", "dismiss_complaint", "dismiss", id="daman.review.key.dismiss"),
    ]

    AUTO_FOCUS = "#review-evidence"
    DECISIONS = frozenset({"resolve", "dismiss_complaint"})
    title_key = "review.complaint.title"

    def first_column(self) -> ComposeResult:
        with VerticalScroll(id="review-payment"):
            yield Label(id="payment-title", classes="review-pane-title")
            yield Label(id="payment-text")

    def pane_titles(self) -> dict[str, str]:
        return super().pane_titles() | {
            "payment-title": "review.complaint.payment",
            "result-title": "review.outcome.title",
        }

    def fetch(self) -> ComplaintReview:
        store, actor, cid = self._store, self._actor, self.record_id
        seen = review.complaint_review(store, actor, cid)
        if self.decider and seen.status is ComplaintStatus.FILED:
            disputes.take_for_review(store, actor, seen.ref)
            seen = review.complaint_review(store, actor, cid)
        return seen

    @property
    def reissuable(self) -> bool:
        """Whether the payment was held or returned (it may be due again)."""
        status = self.record.payment_status if self.record is not None else None
        return status in (PaymentStatus.HELD, PaymentStatus.RETURNED)

    def action_resolve(self) -> None:
        """Resolve; a held or returned payment may be re-issued."""
        self._decide_complaint("resolve", resolve=True)

    def action_dismiss_complaint(self) -> None:
        """Dismiss: nothing changes."""
        self._decide_complaint("dismiss_complaint", resolve=False)

    def _decide_complaint(self, key: str, *, resolve: bool) -> None:
        store, actor, cid, lang = self._store, self._actor, self.record_id, self._lang

        def carry(text: str, reissue: bool) -> ComplaintReview:
            return review.decide_complaint(
                store, actor, cid, resolve=resolve, justification=text, reissue=reissue, lang=lang
            )

        offer = resolve and self.reissuable
        self.decide(
            key, t(f"review.decide.{key}_help", lang), carry, reissue=True if offer else None
        )

    def subject(self) -> str:
        return t("review.subject.payment", self._lang, month=self.record.cycle_month or "—")

    def render_panes(self) -> None:
        lang, r = self._lang, self.record
        if r is None:
            return
        payment = [
            t("review.complaint.month", lang, month=r.cycle_month or "—"),
            t("review.complaint.pay_date", lang, day=r.pay_date.isoformat()),
            t("review.complaint.amount", lang, amount=format_money(r.amount_halalas, lang)),
            t("review.complaint.status", lang, status=enum_label(r.payment_status, lang)),
        ]
        if r.held_reason:
            payment.append(t("review.complaint.held_reason", lang, reason=r.held_reason))
        self.query_one("#payment-text", Label).update(rtext_wrapped("\n".join(payment), lang, WRAP))
        if r.is_open:
            result = [t("review.complaint.open", lang)]
        else:
            result = [
                t("review.outcome.status", lang, status=self.status_label()),
                t("review.outcome.justification", lang, text=r.justification or "—"),
            ]
            if r.resolution_text:
                result += ["", t("review.outcome.notification", lang), r.resolution_text]
        self.query_one("#result-text", Label).update(rtext_wrapped("\n".join(result), lang, WRAP))
