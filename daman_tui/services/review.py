"""The supervisor's review of an objection or a financial complaint, and the decision.

The review shows the decision objected to (every reason, the facts it used, its rule-set
version) beside the applicant's claim and evidence. A what-if applies corrections to the
file's rows (an income line, a member, an asset) in a transaction that is always rolled
back, and evaluates the household as the engine would: the same code as upholding, so
what the supervisor saw is what an uphold records. Upholding applies the corrections
for good (each row change audited), records the new decision and its reasons, computes
the arrears for the months since the first decision, moves a rejected case to approved
when the household is now eligible, and writes the applicant's notification. Dismissing
records the justification and the notification. Only a supervisor of the branch
decides, and never on an objection to a decision they made themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from daman_tui.db.models import (
    Application,
    AppUser,
    Document,
    EligibilityDecision,
    FinancialComplaint,
    Household,
    HouseholdMember,
    IncomeLine,
    Objection,
    Payment,
    PaymentCycle,
    Person,
    RealEstate,
    StatusChange,
    SupportLine,
    TitleDeed,
    Vehicle,
)
from daman_tui.db.models import DecisionReason as DecisionReasonRow
from daman_tui.db.types import utcnow
from daman_tui.domain.disputes import (
    CORRECTABLE,
    Arrears,
    Correction,
    arrears,
    check_complaint_move,
    check_justification,
    check_objection_move,
    complaint_notification,
    objection_notification,
    pay_months,
)
from daman_tui.domain.eligibility import Decision, evaluate
from daman_tui.domain.enums import (
    ApplicationStatus,
    ComplaintStatus,
    IncomeType,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionStatus,
    PaymentStatus,
)
from daman_tui.domain.errors import PermissionDenied, ValidationError
from daman_tui.domain.ids import new_id
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.domain.rules import rule_set_for
from daman_tui.services.case_file import DecisionDetail, check_case_access, decision_detail
from daman_tui.services.cases import full_name, transition
from daman_tui.services.decision_rows import decision_rows
from daman_tui.services.disputes import (
    DisputeKind,
    DisputeRef,
    branch_day,
    household_application,
    load_dispute,
    reference,
)
from daman_tui.services.documents import document_view
from daman_tui.services.facts import load_facts
from daman_tui.services.payments import move_payment_in
from daman_tui.services.store import Store
from daman_tui.services.uow import UnitOfWork
from daman_tui.services.views import DocumentView

__all__ = [
    "ComplaintReview",
    "CorrectableRow",
    "ObjectionReview",
    "WhatIf",
    "complaint_review",
    "decide_complaint",
    "decide_objection",
    "objection_review",
    "what_if",
]

# Each correctable table: its model and the amount column a correction sets.
_CORRECT: dict[str, tuple[Any, str | None]] = {
    "income_line": (IncomeLine, "monthly_halalas"),
    "support_line": (SupportLine, "monthly_halalas"),
    "real_estate": (RealEstate, "value_halalas"),
    "title_deed": (TitleDeed, "value_halalas"),
    "vehicle": (Vehicle, "value_halalas"),
    "household_member": (HouseholdMember, None),
}


@dataclass(frozen=True)
class CorrectableRow:
    """A row of the file the what-if may change: whose, what, and its amount now."""

    table: str
    row_id: str
    person_name: str
    national_id: str
    kind: str
    """The row's own kind where it has one (an income type, a property kind), else ""."""
    detail: str
    """What tells it apart: a source, a programme, a deed or a serial number."""
    value_halalas: int | None
    """None for a member (removed or kept, no amount)."""


@dataclass(frozen=True)
class ObjectionReview:
    ref: DisputeRef
    reference: str
    status: ObjectionStatus
    kind: ObjectionKind
    category: str
    reason_text: str
    filed_on: date
    filed_by_name: str
    assignee_name: str
    priority: int
    application_id: str | None
    request_number: str
    head_name: str
    national_id: str
    decision: DecisionDetail
    facts: dict[str, Any]
    evidence: tuple[DocumentView, ...]
    correctable: tuple[CorrectableRow, ...]
    outcome: ObjectionOutcome | None
    justification: str
    new_decision: DecisionDetail | None
    arrears_halalas: int
    notification_text: str
    linked_reference: str | None
    decision_makers: frozenset[str]
    """Who made the decision objected to: none of them may decide the objection."""

    @property
    def is_open(self) -> bool:
        return self.status in (ObjectionStatus.FILED, ObjectionStatus.UNDER_REVIEW)


@dataclass(frozen=True)
class WhatIf:
    """The household evaluated with the corrections, nothing stored."""

    decision: Decision
    arrears: Arrears
    corrections: tuple[Correction, ...]


# ---- reading ---------------------------------------------------------------------------------
def _name(session: Session, user_id: str | None) -> str:
    if user_id is None:
        return ""
    user = session.get(AppUser, user_id)
    return user.full_name if user else ""


def _objection(
    session: Session, actor: Actor, objection_id: str, *, deciding: bool = True
) -> Objection:
    """The objection, for a supervisor who may decide it or (``deciding`` False) for
    anyone who may open the household's case: the clerk who filed it reads it too."""
    row = load_dispute(session, DisputeRef("objection", objection_id))
    assert isinstance(row, Objection)
    _check_reader(session, actor, row, deciding)
    return row


def _check_reader(
    session: Session, actor: Actor, row: Objection | FinancialComplaint, deciding: bool
) -> None:
    if deciding:
        require(actor, Permission.DECIDE_OBJECTION, row.branch_id)
        return
    app = (
        session.get(Application, row.application_id)
        if isinstance(row, Objection) and row.application_id
        else household_application(session, row.household_id)
    )
    if app is None:
        require(actor, Permission.VIEW_CASES, row.branch_id)
    else:
        check_case_access(session, actor, app)


def _decision_makers(session: Session, objection: Objection) -> frozenset[str]:
    """Who made the decision objected to: the person who recorded it, and whoever moved
    the case to the status it was decided in. A monthly cycle's decision is the engine's
    own (its runner decided nothing about this household): it excludes nobody."""
    decision = session.get(EligibilityDecision, objection.decision_id)
    if decision is None or decision.cycle_id is not None:
        return frozenset()
    makers: set[str] = {decision.decided_by} if decision.decided_by else set()
    if objection.application_id is not None:
        decided = (
            ApplicationStatus.REJECTED,
            ApplicationStatus.APPROVED,
            ApplicationStatus.PRELIMINARY_APPROVED,
        )
        change = session.exec(
            select(StatusChange.actor_id)
            .where(StatusChange.application_id == objection.application_id)
            .where(col(StatusChange.to_status).in_([s.value for s in decided]))
            .where(col(StatusChange.deleted_at).is_(None))
            .order_by(col(StatusChange.at).desc())
        ).first()
        if change is not None:
            makers.add(change)
    return frozenset(makers)


def _evidence(session: Session, **link: str) -> tuple[DocumentView, ...]:
    ((column, value),) = link.items()
    docs = session.exec(
        select(Document)
        .where(getattr(Document, column) == value)
        .where(col(Document.deleted_at).is_(None))
        .order_by(col(Document.received_at))
    ).all()
    return tuple(document_view(d) for d in docs)


def _correctable(session: Session, household_id: str) -> tuple[CorrectableRow, ...]:
    members = session.exec(
        select(HouseholdMember, Person)
        .join(Person, Person.id == HouseholdMember.person_id)  # type: ignore[arg-type]
        .where(HouseholdMember.household_id == household_id)
        .where(col(HouseholdMember.deleted_at).is_(None))
        .order_by(col(HouseholdMember.created_at))
    ).all()
    out: list[CorrectableRow] = []
    for member, person in members:
        name, nid = full_name(person), person.national_id

        if member.kind != "head":
            out.append(CorrectableRow("household_member", member.id, name, nid, "", "", None))
        for model in (IncomeLine, SupportLine, RealEstate, TitleDeed, Vehicle):
            table = str(model.__tablename__)
            amount = str(_CORRECT[table][1])
            for item in session.exec(
                select(model)
                .where(model.person_id == person.id)
                .where(col(model.deleted_at).is_(None))
                .order_by(col(model.created_at))
            ).all():
                kind, detail = _detail(item)
                out.append(
                    CorrectableRow(table, item.id, name, nid, kind, detail, getattr(item, amount))
                )
    return tuple(out)


def _detail(item: Any) -> tuple[str, str]:
    if isinstance(item, IncomeLine):
        return IncomeType(item.income_type).value, item.source
    if isinstance(item, SupportLine):
        return "", f"{item.program} {item.source}".strip()
    if isinstance(item, RealEstate):
        return str(item.kind), item.description
    if isinstance(item, TitleDeed):
        return "", item.deed_number
    if isinstance(item, Vehicle):
        return "", f"{item.serial_number} ({item.manufacture_year})"
    return "", ""


def _claim(
    session: Session,
    kind: DisputeKind,
    row: Objection | FinancialComplaint,
    app: Application | None,
) -> dict[str, Any]:
    """What both reviews say of the record itself: whose, why, filed when and by whom."""
    household = session.get(Household, row.household_id)
    head = session.get(Person, household.head_person_id) if household else None
    number = app.request_number if app else "-"
    return {
        "ref": DisputeRef(kind, row.id),
        "reference": reference(kind, number, row.id),
        "category": row.reason_category,
        "reason_text": row.reason_text,
        "filed_on": branch_day(row.confirmed_at or row.filed_at),
        "filed_by_name": _name(session, row.filed_by),
        "assignee_name": _name(session, row.assigned_to),
        "priority": row.priority,
        "request_number": number,
        "head_name": full_name(head) if head else "",
        "national_id": head.national_id if head else "",
    }


def objection_review(store: Store, actor: Actor, objection_id: str) -> ObjectionReview:
    """Everything the review screen shows about one objection."""
    with store.read() as session:
        o = _objection(session, actor, objection_id, deciding=False)
        app = session.get(Application, o.application_id) if o.application_id else None
        number = app.request_number if app else "-"
        decision_row = session.get(EligibilityDecision, o.decision_id)
        linked = o.duplicate_of_id or o.parent_id
        return ObjectionReview(
            **_claim(session, "objection", o, app),
            status=ObjectionStatus(o.status),
            kind=ObjectionKind(o.kind),
            application_id=o.application_id,
            decision=decision_detail(session, o.decision_id),
            facts=dict(decision_row.facts) if decision_row else {},
            evidence=_evidence(session, objection_id=o.id),
            correctable=_correctable(session, o.household_id),
            outcome=ObjectionOutcome(o.outcome) if o.outcome else None,
            justification=o.justification,
            new_decision=decision_detail(session, o.new_decision_id) if o.new_decision_id else None,
            arrears_halalas=o.arrears_halalas,
            notification_text=o.notification_text,
            linked_reference=reference("objection", number, linked) if linked else None,
            decision_makers=_decision_makers(session, o),
        )


# ---- corrections and the what-if ---------------------------------------------------------------
def _apply(uow: UnitOfWork, household_id: str, corrections: Sequence[Correction]) -> None:
    """Write ``corrections`` to the file's rows inside ``uow`` (each audited)."""
    session = uow.session
    members = {
        m.person_id: m
        for m in session.exec(
            select(HouseholdMember)
            .where(HouseholdMember.household_id == household_id)
            .where(col(HouseholdMember.deleted_at).is_(None))
        ).all()
    }
    for c in corrections:
        if c.table not in CORRECTABLE:
            raise ValidationError(
                "correction.table", "جدول لا يصحح.", "Not a correctable table.", table=c.table
            )
        model, amount = _CORRECT[c.table]
        row = session.get(model, c.row_id)
        ours = (
            row is not None
            and row.deleted_at is None
            and (
                row.household_id == household_id
                if isinstance(row, HouseholdMember)
                else row.person_id in members
            )
        )
        if row is None or not ours:
            raise ValidationError(
                "correction.row",
                "الصف المصحح ليس من ملف هذه الأسرة.",
                "The corrected row is not on this household's file.",
                table=c.table,
                row_id=c.row_id,
            )
        if isinstance(row, HouseholdMember) and row.kind == "head":
            raise ValidationError(
                "correction.head",
                "لا يحذف رب الأسرة من أسرته.",
                "The head cannot be removed from the household.",
            )
        if c.value_halalas is None:
            uow.tombstone(row, action=f"{c.table}.correct_remove")
        else:
            uow.update(row, {str(amount): c.value_halalas}, action=f"{c.table}.correct")


def _evaluate(uow: UnitOfWork, household_id: str, today: date) -> Decision:
    session = uow.session
    session.flush()
    batch = load_facts(session.connection(), [household_id])
    facts = batch.households.get(household_id)
    if facts is None:
        problem = batch.incomplete.get(household_id, "")
        raise ValidationError(
            "correction.incomplete",
            f"لا يمكن تقييم الأسرة بعد التصحيح: {problem}",
            f"The household cannot be evaluated after the corrections: {problem}",
        )
    return evaluate(facts, rule_set_for(today), today)


def _arrears(session: Session, o: Objection, decision: Decision, today: date) -> Arrears:
    original = session.get(EligibilityDecision, o.decision_id)
    since = original.as_of if original else today
    months = pay_months(since, today)
    paid = {
        month: amount
        for month, amount, status in session.exec(
            select(PaymentCycle.month, Payment.amount_halalas, Payment.status)
            .join(PaymentCycle, PaymentCycle.id == Payment.cycle_id)  # type: ignore[arg-type]
            .where(Payment.household_id == o.household_id)
            .where(col(PaymentCycle.month).in_(months))
            .where(col(Payment.deleted_at).is_(None))
        ).all()
        # Held or returned money did not reach the household.
        if PaymentStatus(status) in (PaymentStatus.PAID, PaymentStatus.DUE)
    }
    owed = decision.entitlement_halalas if decision.eligible else 0
    return arrears(owed, paid, months)


class _Rollback(Exception):
    def __init__(self, result: WhatIf) -> None:
        super().__init__("what-if")
        self.result = result


def _check_decider(session: Session, actor: Actor, o: Objection) -> None:
    if actor.id in _decision_makers(session, o):
        raise PermissionDenied(
            "objection.own_decision",
            "لا تبت في اعتراض على قرار اتخذته بنفسك؛ يبت فيه مشرف آخر.",
            "You cannot decide an objection to your own decision; another supervisor must.",
        )


def what_if(
    store: Store,
    actor: Actor,
    objection_id: str,
    corrections: Sequence[Correction],
    today: date | None = None,
) -> WhatIf:
    """The household's decision with ``corrections`` applied, and the arrears it would
    bring; nothing is stored (the transaction that applies them is rolled back)."""
    today = today or date.today()
    try:
        with store.write(actor) as uow:
            o = _objection(uow.session, actor, objection_id)
            _apply(uow, o.household_id, corrections)
            decision = _evaluate(uow, o.household_id, today)
            raise _Rollback(
                WhatIf(decision, _arrears(uow.session, o, decision, today), tuple(corrections))
            )
    except _Rollback as done:
        return done.result
    raise AssertionError("unreachable")  # pragma: no cover


# ---- deciding --------------------------------------------------------------------------------
def decide_objection(
    store: Store,
    actor: Actor,
    objection_id: str,
    *,
    uphold: bool,
    justification: str,
    corrections: Sequence[Correction] = (),
    today: date | None = None,
    lang: str = "ar",
) -> ObjectionReview:
    """Uphold (re-evaluate with ``corrections``, record the new decision and the arrears)
    or dismiss, with a written justification; the applicant's notification is written in
    ``lang`` (Arabic unless the desk works in English)."""
    today = today or date.today()
    text = check_justification(justification)
    if corrections and not uphold:
        raise ValidationError(
            "objection.dismiss_corrections",
            "الرفض لا يغير الملف؛ احذف التصحيحات أو اقبل الاعتراض.",
            "A dismissal changes nothing in the file; drop the corrections or uphold.",
        )
    with store.write(actor) as uow:
        session = uow.session
        o = _objection(session, actor, objection_id)
        target = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
        check_objection_move(ObjectionStatus(o.status), target)
        _check_decider(session, actor, o)
        app = session.get(Application, o.application_id) if o.application_id else None
        number = app.request_number if app else "-"
        filed_on = branch_day(o.confirmed_at or o.filed_at)
        now = utcnow()
        changes: dict[str, Any] = {
            "status": target,
            "outcome": ObjectionOutcome.UPHELD if uphold else ObjectionOutcome.DISMISSED,
            "decided_by": actor.id,
            "decided_at": now,
            "justification": text,
        }
        if uphold:
            _apply(uow, o.household_id, corrections)
            decision = _evaluate(uow, o.household_id, today)
            owed = _arrears(session, o, decision, today)
            new_decision = _record(uow, o, app, decision, actor, now)
            changes |= {
                "new_decision_id": new_decision,
                "arrears_halalas": owed.total_halalas,
                "notification_text": objection_notification(
                    upheld=True,
                    reference=reference("objection", number, o.id),
                    filed_on=filed_on,
                    eligible=decision.eligible,
                    monthly_halalas=decision.entitlement_halalas,
                    arrears_halalas=owed.total_halalas,
                    justification=text,
                    lang=lang,
                ),
            }
            if corrections:
                uow.audit(
                    "objection.corrections",
                    "objection",
                    o.id,
                    None,
                    {"corrections": [c.to_json() for c in corrections]},
                )
            if (
                app is not None
                and decision.eligible
                and ApplicationStatus(app.status) is ApplicationStatus.REJECTED
            ):
                transition(uow, actor, app, ApplicationStatus.APPROVED, reason=text)
        else:
            changes["notification_text"] = objection_notification(
                upheld=False,
                reference=reference("objection", number, o.id),
                filed_on=filed_on,
                eligible=False,
                monthly_halalas=0,
                arrears_halalas=0,
                justification=text,
                lang=lang,
            )
        uow.update(o, changes, action=f"objection.{target.value}")
    return objection_review(store, actor, objection_id)


def _record(
    uow: UnitOfWork,
    o: Objection,
    app: Application | None,
    decision: Decision,
    actor: Actor,
    now: Any,
) -> str:
    row, reasons = decision_rows(
        decision,
        base={"branch_id": o.branch_id},
        new_id=new_id,
        application_id=app.id if app else o.application_id,
        cycle_id=None,
        decided_by=actor.id,
        decided_at=now,
    )
    uow.add(EligibilityDecision(**row), action="eligibility_decision.objection")
    for reason in reasons:
        uow.add(DecisionReasonRow(**reason), action="decision_reason.objection")
    return str(row["id"])


# ---- complaints ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComplaintReview:
    ref: DisputeRef
    reference: str
    status: ComplaintStatus
    category: str
    reason_text: str
    filed_on: date
    filed_by_name: str
    assignee_name: str
    priority: int
    request_number: str
    head_name: str
    national_id: str
    payment_id: str
    cycle_month: str
    pay_date: date
    amount_halalas: int
    payment_status: PaymentStatus
    held_reason: str
    evidence: tuple[DocumentView, ...]
    justification: str
    resolution_text: str
    """The notification sent to the household once decided."""

    @property
    def is_open(self) -> bool:
        return self.status in (ComplaintStatus.FILED, ComplaintStatus.UNDER_REVIEW)


def complaint_review(store: Store, actor: Actor, complaint_id: str) -> ComplaintReview:
    with store.read() as session:
        c = load_dispute(session, DisputeRef("complaint", complaint_id))
        assert isinstance(c, FinancialComplaint)
        _check_reader(session, actor, c, deciding=False)
        payment = session.get(Payment, c.payment_id)
        assert payment is not None
        cycle = session.get(PaymentCycle, payment.cycle_id)
        app = household_application(session, c.household_id)
        return ComplaintReview(
            **_claim(session, "complaint", c, app),
            status=ComplaintStatus(c.status),
            payment_id=payment.id,
            cycle_month=cycle.month if cycle else "",
            pay_date=cycle.pay_date if cycle else date.min,
            amount_halalas=payment.amount_halalas,
            payment_status=PaymentStatus(payment.status),
            held_reason=payment.held_reason,
            evidence=_evidence(session, complaint_id=c.id),
            justification=c.justification,
            resolution_text=c.resolution_text,
        )


def decide_complaint(
    store: Store,
    actor: Actor,
    complaint_id: str,
    *,
    resolve: bool,
    justification: str,
    reissue: bool = False,
    lang: str = "ar",
) -> ComplaintReview:
    """Resolve (``reissue``: a held or returned payment is due again) or dismiss a
    financial complaint, with a written justification and the household's notification."""
    text = check_justification(justification)
    with store.write(actor) as uow:
        session = uow.session
        c = load_dispute(session, DisputeRef("complaint", complaint_id))
        assert isinstance(c, FinancialComplaint)
        require(actor, Permission.DECIDE_OBJECTION, c.branch_id)
        target = ComplaintStatus.RESOLVED if resolve else ComplaintStatus.DISMISSED
        check_complaint_move(ComplaintStatus(c.status), target)
        if reissue:
            payment = session.get(Payment, c.payment_id)
            assert payment is not None
            if not resolve or PaymentStatus(payment.status) not in (
                PaymentStatus.HELD,
                PaymentStatus.RETURNED,
            ):
                raise ValidationError(
                    "complaint.reissue",
                    "تعاد الدفعة الموقوفة أو المرتجعة فقط، عند معالجة الشكوى.",
                    "Only a held or returned payment is re-issued, when the complaint is resolved.",
                )
            # The payments' own rules: never paid again while the case is suspended.
            move_payment_in(uow, actor, payment, PaymentStatus.DUE)
        app = household_application(session, c.household_id)
        uow.update(
            c,
            {
                "status": target,
                "decided_by": actor.id,
                "decided_at": utcnow(),
                "justification": text,
                "resolution_text": complaint_notification(
                    resolved=resolve,
                    reference=reference("complaint", app.request_number if app else "-", c.id),
                    filed_on=branch_day(c.confirmed_at or c.filed_at),
                    justification=text,
                    lang=lang,
                ),
            },
            action=f"complaint.{target.value}",
        )
    return complaint_review(store, actor, complaint_id)
