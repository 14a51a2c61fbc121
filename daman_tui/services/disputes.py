"""Objections and financial complaints: filing them, the review panel's queue, triage.

A clerk files on the applicant's behalf (Permission.FILE_OBJECTION): an objection
against one eligibility decision of the household (its result or its amount), a
complaint against one payment; each with a reason category, the reason in words and at
least one PDF, checked and hashed like every document. A supervisor's queue lists the
open ones of the branch, oldest first within priority; triage assigns, re-prioritises
or closes as duplicates of another, many at once, each change audited. Deciding is in
``services/review.py``.

Objections and complaints are few beside cases (a branch has hundreds open, not a
million), so the queue is one indexed query with a limit, not the case queue's planner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from daman_tui.db.models import (
    Application,
    AppUser,
    Branch,
    Document,
    EligibilityDecision,
    FinancialComplaint,
    Objection,
    Payment,
    PaymentCycle,
    QueueRow,
)
from daman_tui.db.types import utcnow
from daman_tui.domain.arabic import normalize_for_search, validate_free_text
from daman_tui.domain.digits import to_ascii_digits
from daman_tui.domain.disputes import (
    COMPLAINT_CATEGORIES,
    OBJECTION_CATEGORIES,
    OPEN_COMPLAINT,
    OPEN_OBJECTION,
    check_category,
    check_complaint_move,
    check_objection_move,
    check_objection_window,
    days_left,
    objection_window,
)
from daman_tui.domain.enums import (
    ComplaintStatus,
    DocumentType,
    ObjectionKind,
    ObjectionStatus,
    Role,
)
from daman_tui.domain.errors import PermissionDenied, ValidationError
from daman_tui.domain.permissions import Actor, Permission, can, require
from daman_tui.domain.rules import rule_set_for
from daman_tui.services.case_file import (
    DecisionDetail,
    check_case_access,
    decision_detail,
    load_application,
)
from daman_tui.services.documents import MIB, check_file, store_file
from daman_tui.services.store import Store
from daman_tui.services.uow import UnitOfWork

__all__ = [
    "DISPUTE_KINDS",
    "DecisionChoice",
    "DisputeFilter",
    "DisputeRef",
    "DisputeRow",
    "assign_disputes",
    "branch_day",
    "close_as_duplicates",
    "dispute_queue",
    "file_complaint",
    "file_objection",
    "household_application",
    "load_dispute",
    "objection_choices",
    "prioritise_disputes",
    "reference",
    "take_for_review",
]

DisputeKind = Literal["objection", "complaint"]
DISPUTE_KINDS: tuple[DisputeKind, ...] = ("objection", "complaint")
PRIORITIES = (0, 1, 2)
"""Normal, high, urgent."""
QUEUE_LIMIT = 500
_REFERENCE_TAIL = re.compile(r"-[OC][0-9A-F]{0,6}$")
PDF = "application/pdf"


def reference(kind: DisputeKind, request_number: str, dispute_id: str) -> str:
    """What the applicant quotes (to 19911, at the counter): the case's request number and
    the random tail of the record's id."""
    letter = "O" if kind == "objection" else "C"
    return f"{request_number}-{letter}{dispute_id.replace('-', '')[-6:].upper()}"


@dataclass(frozen=True)
class DisputeRef:
    kind: DisputeKind
    id: str


# ---- filing --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionChoice:
    """A decision of the household a clerk may pick to object to."""

    decision: DecisionDetail
    kind: ObjectionKind
    window_first: date
    window_last: date
    window_open: bool
    open_objection: str | None
    """The reference of an objection to this decision still under review, if any."""


def _kind_for(decision: EligibilityDecision | DecisionDetail) -> ObjectionKind:
    # Not eligible: the result is what is objected to; eligible: the amount.
    return ObjectionKind.AMOUNT if decision.eligible else ObjectionKind.ELIGIBILITY


def objection_choices(
    store: Store, actor: Actor, application_id: str, today: date | None = None
) -> list[DecisionChoice]:
    """The household's decisions, newest first, each with its objection window."""
    today = today or date.today()
    with store.read() as session:
        app = load_application(session, application_id)
        check_case_access(session, actor, app)
        require(actor, Permission.FILE_OBJECTION, app.branch_id)
        ids = session.exec(
            select(EligibilityDecision.id)
            .where(EligibilityDecision.household_id == app.household_id)
            .where(col(EligibilityDecision.deleted_at).is_(None))
            .order_by(col(EligibilityDecision.decided_at).desc())
            .limit(12)
        ).all()
        out = []
        for decision_id in ids:
            detail = decision_detail(session, decision_id)
            issued = _issued(detail, _earlier_outcome(session, decision_id))
            first, last = objection_window(issued, rule_set_for(issued))
            pending = _open_objection(session, decision_id)
            out.append(
                DecisionChoice(
                    decision=detail,
                    kind=_kind_for(detail),
                    window_first=first,
                    window_last=last,
                    window_open=today <= last,
                    open_objection=(
                        reference("objection", app.request_number, pending.id) if pending else None
                    ),
                )
            )
        return out


def _open_objection(session: Session, decision_id: str) -> Objection | None:
    return session.exec(
        select(Objection)
        .where(Objection.decision_id == decision_id)
        .where(col(Objection.status).in_([s.value for s in OPEN_OBJECTION]))
        .where(col(Objection.deleted_at).is_(None))
    ).first()


def _pdfs(store: Store, paths: Sequence[Path]) -> list[Any]:
    """Check and copy the evidence before any transaction opens (a refused file leaves
    nothing behind, and no write lock waits on a large copy)."""
    if not paths:
        raise ValidationError(
            "dispute.evidence_missing",
            "أرفق ملف PDF واحدًا على الأقل يثبت ما يذكره المستفيد.",
            "Attach at least one PDF supporting what the applicant says.",
        )
    max_bytes = store.settings.max_document_mb * MIB
    for path in paths:
        if check_file(path, max_bytes).mime_type != PDF:
            raise ValidationError(
                "dispute.evidence_not_pdf",
                f"المرفق {path.name} ليس ملف PDF؛ تقبل مرفقات الاعتراض والشكوى بصيغة PDF فقط.",
                f"{path.name} is not a PDF; objections and complaints take PDF attachments only.",
                file=path.name,
            )
    return [store_file(store.settings.documents_path, p, max_bytes=max_bytes) for p in paths]


def _evidence(
    uow: UnitOfWork,
    actor: Actor,
    stored: Iterable[Any],
    *,
    branch_id: str,
    household_id: str,
    application_id: str | None,
    objection_id: str | None = None,
    complaint_id: str | None = None,
) -> None:
    for file in stored:
        uow.add(
            Document(
                branch_id=branch_id,
                household_id=household_id,
                application_id=application_id,
                objection_id=objection_id,
                complaint_id=complaint_id,
                doc_type=DocumentType.OBJECTION_EVIDENCE,
                file_name=file.file_name,
                mime_type=file.mime_type,
                size_bytes=file.size_bytes,
                sha256=file.sha256,
                stored_path=file.stored_path,
                received_by=actor.id,
            ),
            action="document.attach",
        )


def _reason_text(text: str) -> str:
    return validate_free_text(text, max_len=4000, required=True)


def file_objection(
    store: Store,
    actor: Actor,
    application_id: str,
    decision_id: str,
    *,
    category: str,
    reason_text: str,
    attachments: Sequence[Path],
    parent_id: str | None = None,
    today: date | None = None,
) -> str:
    """File (and confirm) an objection to ``decision_id`` of the case's household.

    Refused outside the decision's objection window (the dates in the message), against
    a decision of another household, while another objection to it is under review,
    without a reason, and without a PDF. ``parent_id``: an objection to the outcome of
    an earlier one (its window runs from that outcome).
    """
    today = today or date.today()
    category = check_category(category, OBJECTION_CATEGORIES)
    text = _reason_text(reason_text)
    with store.read() as session:
        _check_objection(session, actor, application_id, decision_id, parent_id, today)
    stored = _pdfs(store, attachments)
    with store.write(actor) as uow:
        app, decision, parent = _check_objection(
            uow.session, actor, application_id, decision_id, parent_id, today
        )
        now = utcnow()
        objection = uow.add(
            Objection(
                branch_id=app.branch_id,
                household_id=app.household_id,
                application_id=app.id,
                decision_id=decision.id,
                kind=_kind_for(decision),
                reason_category=category,
                reason_text=text,
                status=ObjectionStatus.FILED,
                filed_by=actor.id,
                filed_at=now,
                confirmed_at=now,
                parent_id=parent.id if parent else None,
            ),
            action="objection.file",
        )
        _evidence(
            uow,
            actor,
            stored,
            branch_id=app.branch_id,
            household_id=app.household_id,
            application_id=app.id,
            objection_id=objection.id,
        )
        return objection.id


def _check_objection(
    session: Session,
    actor: Actor,
    application_id: str,
    decision_id: str,
    parent_id: str | None,
    today: date,
) -> tuple[Application, EligibilityDecision, Objection | None]:
    app = load_application(session, application_id)
    check_case_access(session, actor, app)
    require(actor, Permission.FILE_OBJECTION, app.branch_id)
    decision = session.get(EligibilityDecision, decision_id)
    if (
        decision is None
        or decision.deleted_at is not None
        or decision.household_id != app.household_id
    ):
        raise ValidationError(
            "objection.decision_unknown",
            "القرار المعترض عليه ليس من قرارات هذه الأسرة.",
            "The decision objected to is not one of this household's decisions.",
            decision_id=decision_id,
        )
    parent = _earlier_outcome(session, decision_id) if parent_id is None else None
    if parent_id is not None:
        parent = session.get(Objection, parent_id)
        if parent is None or parent.household_id != app.household_id or parent.decided_at is None:
            raise ValidationError(
                "objection.parent",
                "الاعتراض الأول غير موجود لهذه الأسرة أو لم يُبتّ فيه بعد.",
                "The first objection is not this household's, or it is not decided yet.",
                parent_id=parent_id,
            )
        if decision_id not in (parent.decision_id, parent.new_decision_id):
            raise ValidationError(
                "objection.parent_decision",
                "الاعتراض على نتيجة اعتراض سابق يكون على قراره نفسه.",
                "An objection to an earlier objection's outcome is about that decision.",
            )
    issued = _issued(decision, parent)
    check_objection_window(issued, today, rule_set_for(issued))
    pending = _open_objection(session, decision_id)
    if pending is not None:
        ref = reference("objection", app.request_number, pending.id)
        raise ValidationError(
            "objection.open_exists",
            f"يوجد اعتراض على هذا القرار قيد المراجعة ({ref}).",
            f"An objection to this decision is under review ({ref}).",
            objection_id=pending.id,
        )
    return app, decision, parent


def _earlier_outcome(session: Session, decision_id: str) -> Objection | None:
    """The decided objection whose outcome ``decision_id`` is (the decision it recorded,
    or the one it left standing by a dismissal): a new objection to it is an objection
    to that outcome, linked to it, and its window runs from that outcome."""
    return session.exec(
        select(Objection)
        .where(
            sa.or_(
                col(Objection.new_decision_id) == decision_id,
                sa.and_(
                    col(Objection.decision_id) == decision_id,
                    col(Objection.status) == ObjectionStatus.DISMISSED.value,
                ),
            )
        )
        .where(col(Objection.decided_at).is_not(None))
        .where(col(Objection.deleted_at).is_(None))
        .order_by(col(Objection.decided_at).desc())
    ).first()


def _issued(decision: EligibilityDecision | DecisionDetail, parent: Objection | None) -> date:
    """The day the window runs from: the decision's, or the outcome's it stands for."""
    if parent is not None and parent.decided_at is not None:
        return branch_day(parent.decided_at)
    return decision.as_of


def file_complaint(
    store: Store,
    actor: Actor,
    payment_id: str,
    *,
    category: str,
    reason_text: str,
    attachments: Sequence[Path],
) -> str:
    """File (and confirm) a financial complaint about one payment of a household."""
    category = check_category(category, COMPLAINT_CATEGORIES)
    text = _reason_text(reason_text)
    with store.read() as session:
        _check_complaint(session, actor, payment_id)
    stored = _pdfs(store, attachments)
    with store.write(actor) as uow:
        payment, app = _check_complaint(uow.session, actor, payment_id)
        now = utcnow()
        complaint = uow.add(
            FinancialComplaint(
                branch_id=payment.branch_id,
                household_id=payment.household_id,
                payment_id=payment.id,
                reason_category=category,
                reason_text=text,
                status=ComplaintStatus.FILED,
                filed_by=actor.id,
                filed_at=now,
                confirmed_at=now,
            ),
            action="complaint.file",
        )
        _evidence(
            uow,
            actor,
            stored,
            branch_id=payment.branch_id,
            household_id=payment.household_id,
            application_id=app.id if app else None,
            complaint_id=complaint.id,
        )
        return complaint.id


def household_application(session: Session, household_id: str) -> Application | None:
    return session.exec(
        select(Application)
        .where(Application.household_id == household_id)
        .where(col(Application.deleted_at).is_(None))
        .order_by(col(Application.created_at).desc())
    ).first()


def _check_complaint(
    session: Session, actor: Actor, payment_id: str
) -> tuple[Payment, Application | None]:
    payment = session.get(Payment, payment_id)
    if payment is None or payment.deleted_at is not None:
        raise ValidationError(
            "payment.unknown", "الدفعة غير موجودة.", "Unknown payment.", payment_id=payment_id
        )
    require(actor, Permission.FILE_OBJECTION, payment.branch_id)
    app = household_application(session, payment.household_id)
    if app is not None:
        check_case_access(session, actor, app)
    pending = session.exec(
        select(FinancialComplaint.id)
        .where(FinancialComplaint.payment_id == payment_id)
        .where(col(FinancialComplaint.status).in_([s.value for s in OPEN_COMPLAINT]))
        .where(col(FinancialComplaint.deleted_at).is_(None))
    ).first()
    if pending is not None:
        number = app.request_number if app else "-"
        raise ValidationError(
            "complaint.open_exists",
            f"توجد شكوى على هذه الدفعة قيد المراجعة ({reference('complaint', number, pending)}).",
            f"A complaint about this payment is under review "
            f"({reference('complaint', number, pending)}).",
            complaint_id=pending,
        )
    return payment, app


# ---- the review panel's queue ----------------------------------------------------------------
@dataclass(frozen=True)
class DisputeRow:
    """One objection or complaint in the review panel's list."""

    ref: DisputeRef
    reference: str
    status: str
    subject: str
    """An objection's kind (eligibility / amount); "payment" for a complaint."""
    category: str
    priority: int
    branch_code: str
    application_id: str | None
    request_number: str
    head_name: str
    national_id: str
    filed_on: date
    filed_at: datetime
    age_days: int
    days_left: int
    assigned_to: str | None
    assignee_name: str
    linked_to: str | None
    """The record this one duplicates, or the objection it objects to the outcome of."""
    cycle_month: str | None = None


@dataclass(frozen=True)
class DisputeFilter:
    kinds: frozenset[str] = frozenset()
    state: Literal["open", "decided", "all"] = "open"
    mine: bool = False
    unassigned: bool = False
    overdue: bool = False
    branches: frozenset[str] = frozenset()
    search: str = ""
    priorities: frozenset[int] = field(default_factory=frozenset)


_o = Objection.__table__  # type: ignore[attr-defined]
_c = FinancialComplaint.__table__  # type: ignore[attr-defined]
_q = QueueRow.__table__  # type: ignore[attr-defined]
_a = Application.__table__  # type: ignore[attr-defined]
_u = AppUser.__table__  # type: ignore[attr-defined]
_p = Payment.__table__  # type: ignore[attr-defined]
_pc = PaymentCycle.__table__  # type: ignore[attr-defined]
_b = Branch.__table__  # type: ignore[attr-defined]

_OPEN = {
    "objection": [s.value for s in OPEN_OBJECTION],
    "complaint": [s.value for s in OPEN_COMPLAINT],
}


def _latest_application(household: Any) -> Any:
    return (
        sa.select(_a.c.id)
        .where(_a.c.household_id == household, _a.c.deleted_at.is_(None))
        .order_by(_a.c.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _select(kind: DisputeKind) -> Any:
    t = _o if kind == "objection" else _c
    app_id = t.c.application_id if kind == "objection" else _latest_application(t.c.household_id)
    subject = t.c.kind if kind == "objection" else sa.literal("payment")
    linked = t.c.duplicate_of_id
    if kind == "objection":
        linked = sa.func.coalesce(t.c.duplicate_of_id, t.c.parent_id)
    month = _pc.c.month if kind == "complaint" else sa.literal(None)
    statement = (
        sa.select(
            sa.literal(kind).label("kind"),
            t.c.id,
            t.c.status,
            subject.label("subject"),
            t.c.reason_category,
            t.c.priority,
            t.c.branch_id,
            t.c.filed_at,
            t.c.confirmed_at,
            t.c.assigned_to,
            linked.label("linked"),
            _q.c.application_id,
            _q.c.request_number,
            _q.c.name,
            _q.c.name_key,
            _q.c.national_id,
            _u.c.full_name.label("assignee_name"),
            month.label("cycle_month"),
            _b.c.code.label("branch_code"),
        )
        .select_from(t)
        .outerjoin(_q, _q.c.application_id == app_id)
        .outerjoin(_u, _u.c.id == t.c.assigned_to)
        .join(_b, _b.c.id == t.c.branch_id)
        .where(t.c.deleted_at.is_(None), t.c.status != "draft")
    )
    if kind == "complaint":
        statement = statement.outerjoin(_p, _p.c.id == t.c.payment_id).outerjoin(
            _pc, _pc.c.id == _p.c.cycle_id
        )
    return statement, t


def _filtered(statement: Any, t: Any, kind: DisputeKind, actor: Actor, f: DisputeFilter) -> Any:
    if not can(actor, Permission.ALL_BRANCHES):
        statement = statement.where(t.c.branch_id == actor.branch_id)
    if f.branches:
        statement = statement.where(_b.c.code.in_(sorted(f.branches)))
    if f.state == "open":
        statement = statement.where(t.c.status.in_(_OPEN[kind]))
    elif f.state == "decided":
        statement = statement.where(t.c.status.not_in(_OPEN[kind]))
    if f.mine:
        statement = statement.where(t.c.assigned_to == actor.id)
    if f.unassigned:
        statement = statement.where(t.c.assigned_to.is_(None))
    if f.priorities:
        statement = statement.where(t.c.priority.in_(sorted(f.priorities)))
    text = to_ascii_digits(f.search.strip())
    if text:
        if text.isdigit():
            statement = statement.where(_q.c.national_id.startswith(text, autoescape=True))
        elif text[:1].isascii() and text[:1].isalpha():
            # A request number, or a reference (the request number and a tail).
            number = _REFERENCE_TAIL.sub("", text.upper())
            statement = statement.where(_q.c.request_number.startswith(number, autoescape=True))
        else:
            for word in normalize_for_search(text).split():
                statement = statement.where(_q.c.name_key.contains(word, autoescape=True))
    return statement


def dispute_queue(
    store: Store,
    actor: Actor,
    flt: DisputeFilter | None = None,
    *,
    today: date | None = None,
    limit: int = QUEUE_LIMIT,
) -> list[DisputeRow]:
    """Open objections and complaints of the actor's branch: urgent first, then oldest.

    A supervisor (or an administrator) reads the panel; a clerk may list the ones of
    the branch to answer an applicant at the counter; a field officer may not.
    """
    require(actor, Permission.VIEW_CASES)
    if actor.role is Role.FIELD_OFFICER:
        raise PermissionDenied(
            "permission.disputes",
            "لوحة الاعتراضات والشكاوى للمشرفين وموظفي الفرع.",
            "The objections and complaints panel is for supervisors and branch staff.",
        )
    flt = flt or DisputeFilter()
    today = today or date.today()
    kinds = [k for k in DISPUTE_KINDS if not flt.kinds or k in flt.kinds]
    rows: list[DisputeRow] = []
    with store.engine.connect() as conn:
        for kind in kinds:
            statement, t = _select(kind)
            statement = _filtered(statement, t, kind, actor, flt)
            statement = statement.order_by(t.c.priority.desc(), t.c.filed_at.asc())
            if not flt.overdue:
                # Overdue is decided per row (each filing day's rule set and calendar):
                # filtered after the read, so the limit must not cut the read short.
                statement = statement.limit(limit)
            found = (_row(r, today) for r in conn.execute(statement))
            rows.extend(r for r in found if not flt.overdue or r.days_left < 0)
    rows.sort(key=lambda r: (-r.priority, r.filed_at, r.ref.id))
    return rows[:limit]


_KSA = timezone(timedelta(hours=3), "AST")
"""Every branch's clock: the Kingdom has one time zone and no daylight saving."""


def branch_day(moment: datetime) -> date:
    """The branch's calendar day of a stored (UTC) moment."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(_KSA).date()


def _row(r: Any, today: date) -> DisputeRow:
    filed = branch_day(r.confirmed_at or r.filed_at)
    rules = rule_set_for(filed)
    kind: DisputeKind = r.kind
    number = r.request_number or "-"
    return DisputeRow(
        ref=DisputeRef(kind, r.id),
        reference=reference(kind, number, r.id),
        status=str(r.status),
        subject=str(r.subject),
        category=r.reason_category,
        priority=int(r.priority or 0),
        branch_code=r.branch_code,
        application_id=r.application_id,
        request_number=number,
        head_name=r.name or "",
        national_id=r.national_id or "",
        filed_on=filed,
        filed_at=r.confirmed_at or r.filed_at,
        age_days=(today - filed).days,
        days_left=days_left(filed, today, rules),
        assigned_to=r.assigned_to,
        assignee_name=r.assignee_name or "",
        linked_to=r.linked,
        cycle_month=r.cycle_month,
    )


# ---- triage ----------------------------------------------------------------------------------
_MODELS: dict[str, Any] = {"objection": Objection, "complaint": FinancialComplaint}
_STATUS: dict[str, Any] = {"objection": ObjectionStatus, "complaint": ComplaintStatus}


def load_dispute(session: Session, ref: DisputeRef) -> Objection | FinancialComplaint:
    row: Objection | FinancialComplaint | None = session.get(_MODELS[ref.kind], ref.id)
    if row is None or row.deleted_at is not None:
        raise ValidationError(
            f"{ref.kind}.unknown",
            "الاعتراض غير موجود." if ref.kind == "objection" else "الشكوى غير موجودة.",
            f"Unknown {ref.kind}.",
            id=ref.id,
        )
    return row


def _triaged(store: Store, actor: Actor, refs: Sequence[DisputeRef], change: Any) -> int:
    """Apply ``change(uow, row)`` to every open record of ``refs`` in one transaction."""
    if not refs:
        raise ValidationError("dispute.none_selected", "لم تحدد أي سجل.", "Nothing is selected.")
    with store.write(actor) as uow:
        for ref in refs:
            row = load_dispute(uow.session, ref)
            require(actor, Permission.DECIDE_OBJECTION, row.branch_id)
            if row.status not in _OPEN[ref.kind]:
                raise ValidationError(
                    "dispute.closed",
                    "لا يفرز إلا ما زال مفتوحًا؛ أحد المحدد بُتّ فيه.",
                    "Only open records can be triaged; one of those selected is decided.",
                    id=ref.id,
                )
            change(uow, ref, row)
    return len(refs)


def assign_disputes(store: Store, actor: Actor, refs: Sequence[DisputeRef], user_id: str) -> int:
    """Give every record of ``refs`` to ``user_id`` (a supervisor of its branch)."""
    with store.read() as session:
        user = session.get(AppUser, user_id)
    if user is None or user.disabled_at is not None or user.role != Role.SUPERVISOR:
        raise ValidationError(
            "dispute.assignee",
            "تسند الاعتراضات والشكاوى إلى مشرف فعّال.",
            "Objections and complaints are assigned to an active supervisor.",
        )

    def change(uow: UnitOfWork, ref: DisputeRef, row: Any) -> None:
        if row.branch_id != user.branch_id:
            raise ValidationError(
                "dispute.assignee_branch",
                "المشرف من فرع آخر.",
                "The supervisor works at another branch.",
            )
        uow.update(row, {"assigned_to": user_id}, action=f"{ref.kind}.assign")

    return _triaged(store, actor, refs, change)


def prioritise_disputes(
    store: Store, actor: Actor, refs: Sequence[DisputeRef], priority: int
) -> int:
    if priority not in PRIORITIES:
        raise ValidationError(
            "dispute.priority",
            "الأولوية 0 (عادية) أو 1 (عالية) أو 2 (عاجلة).",
            "Priority is 0 (normal), 1 (high) or 2 (urgent).",
        )

    def change(uow: UnitOfWork, ref: DisputeRef, row: Any) -> None:
        uow.update(row, {"priority": priority}, action=f"{ref.kind}.priority")

    return _triaged(store, actor, refs, change)


def close_as_duplicates(
    store: Store, actor: Actor, refs: Sequence[DisputeRef], of: DisputeRef
) -> int:
    """Close ``refs`` as duplicates of ``of`` (same kind, same household), linked to it."""
    with store.read() as session:
        original = load_dispute(session, of)
    if of in refs:
        raise ValidationError(
            "dispute.duplicate_self",
            "لا يكون السجل مكررًا لنفسه.",
            "A record cannot duplicate itself.",
        )

    def change(uow: UnitOfWork, ref: DisputeRef, row: Any) -> None:
        if ref.kind != of.kind or row.household_id != original.household_id:
            raise ValidationError(
                "dispute.duplicate_other",
                "المكرر يكون من النوع نفسه ولنفس الأسرة.",
                "A duplicate is of the same kind and for the same household.",
                id=ref.id,
            )
        if ref.kind == "objection":
            check_objection_move(ObjectionStatus(row.status), ObjectionStatus.DUPLICATE)
        else:
            check_complaint_move(ComplaintStatus(row.status), ComplaintStatus.DUPLICATE)
        uow.update(
            row,
            {
                "status": _STATUS[ref.kind]("duplicate"),
                "duplicate_of_id": of.id,
                "decided_by": actor.id,
                "decided_at": utcnow(),
            },
            action=f"{ref.kind}.duplicate",
        )

    return _triaged(store, actor, refs, change)


def take_for_review(store: Store, actor: Actor, ref: DisputeRef) -> None:
    """The supervisor opens a filed record for review: under review, theirs if no one's."""

    def change(uow: UnitOfWork, ref: DisputeRef, row: Any) -> None:
        if row.status != "filed":
            return
        changes: dict[str, Any] = {"status": _STATUS[ref.kind]("under_review")}
        if row.assigned_to is None:
            changes["assigned_to"] = actor.id
        uow.update(row, changes, action=f"{ref.kind}.review")

    _triaged(store, actor, [ref], change)
