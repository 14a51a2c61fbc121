"""The case file (ملف الحالة): everything one application's screen shows, read at once.

One read session, and every query goes by an indexed column (the application's id, its
household's, the people's): opening a case costs the same in a store of a thousand cases
as in one of a million. The screen gets frozen read models, never live rows.

Who may open a case: anyone with ``VIEW_CASES`` in its branch, except that a field officer
opens only the cases they hold a home visit for (their laptop carries just those).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from daman_tui.db.models import (
    Application,
    AppUser,
    AuditEntry,
    Branch,
    DecisionReason,
    Document,
    EligibilityDecision,
    FinancialComplaint,
    HomeVisit,
    Household,
    HouseholdMember,
    NationalAddress,
    Objection,
    Payment,
    PaymentCycle,
    Person,
    StatusChange,
)
from daman_tui.domain.case_clock import application_clock
from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.disputes import OPEN_COMPLAINT
from daman_tui.domain.enums import (
    ApplicationKind,
    ApplicationStatus,
    ComplaintStatus,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionStatus,
    PaymentStatus,
    Role,
    VisitStatus,
)
from daman_tui.domain.errors import PermissionDenied, ValidationError
from daman_tui.domain.intake.form import DraftForm
from daman_tui.domain.national_id import validate_national_id
from daman_tui.domain.permissions import Actor, Permission, can, require
from daman_tui.domain.sla import ClockState
from daman_tui.domain.status import TRANSITIONS
from daman_tui.services.cases import full_name, household_view
from daman_tui.services.documents import document_view
from daman_tui.services.file_rows import GROUP_TABLES, PERSON_TABLES, form_from_rows
from daman_tui.services.store import Store
from daman_tui.services.views import DocumentView, HouseholdView

__all__ = [
    "TIMELINE_LIMIT",
    "CaseFileView",
    "CaseRef",
    "CaseSummary",
    "ComplaintView",
    "DecisionDetail",
    "EntitlementView",
    "ObjectionView",
    "PaymentView",
    "ReasonView",
    "TimelineEntry",
    "VisitView",
    "applications_of_head",
    "case_file",
    "check_case_access",
    "decision_detail",
    "find_case",
    "household_applications",
    "household_payments",
    "latest_decision",
    "load_application",
]

TIMELINE_LIMIT = 200
"""Entries of the timeline a case file shows, newest first (older ones stay in the audit)."""


@dataclass(frozen=True)
class EntitlementView:
    """What the latest eligibility decision gave the household."""

    eligible: bool
    entitlement_halalas: int
    rule_set_version: str
    decided_at: datetime


@dataclass(frozen=True)
class CaseSummary:
    """The case file's header: who, where it stands, and how long is left."""

    application_id: str
    request_number: str
    household_id: str
    file_number: str
    head_name: str
    national_id: str
    status: ApplicationStatus
    kind: ApplicationKind
    branch_id: str
    branch_code: str
    assignee_id: str | None
    assignee_name: str | None
    submitted_at: datetime | None
    decided_at: datetime | None
    last_change_at: datetime
    row_version: int
    clock: ClockState | None  # None: never submitted, no clock
    due_on: date | None
    days_left: int | None
    entitlement: EntitlementView | None
    preliminary_approved_by: str | None  # who may not give the final approval


@dataclass(frozen=True)
class ReasonView:
    """One rule's outcome in a decision, passed or failed."""

    position: int
    rule_code: str
    passed: bool
    message_ar: str
    message_en: str


@dataclass(frozen=True)
class DecisionDetail:
    """The latest eligibility decision with every rule's reason, in rule order."""

    id: str
    decided_at: datetime
    as_of: date
    cycle_month: str | None
    rule_set_version: str
    eligible: bool
    member_count: int
    threshold_halalas: int
    counted_income_halalas: int
    entitlement_halalas: int
    reasons: tuple[ReasonView, ...]

    @property
    def failed(self) -> tuple[ReasonView, ...]:
        """The reasons for rejection (أسباب الرفض)."""
        return tuple(r for r in self.reasons if not r.passed)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the case's history: a status change or an audited change.

    ``kind`` is "status" (``from_status``/``to_status``/``reason`` set) or "audit"
    (``action`` like "document.attach", on ``entity``/``entity_id``). A status change's
    ``action`` is the state machine's name for it ("reject", "final_approve").
    """

    at: datetime
    kind: Literal["status", "audit"]
    action: str
    actor_id: str | None
    actor_name: str | None
    from_status: ApplicationStatus | None = None
    to_status: ApplicationStatus | None = None
    reason: str = ""
    entity: str = "application"
    entity_id: str = ""


@dataclass(frozen=True)
class VisitView:
    id: str
    scheduled_for: date
    status: VisitStatus
    assigned_to: str | None
    officer_name: str | None
    arrived_at: datetime | None
    completed_at: datetime | None
    present: str
    notes: str
    recommendation: str
    declared: dict[str, Any]
    observed: dict[str, Any]


@dataclass(frozen=True)
class ObjectionView:
    id: str
    application_id: str | None
    decision_id: str
    kind: ObjectionKind
    status: ObjectionStatus
    reason_category: str
    reason_text: str
    filed_at: datetime
    confirmed_at: datetime | None
    decided_at: datetime | None
    outcome: ObjectionOutcome | None
    justification: str
    arrears_halalas: int
    notification_text: str = ""
    """What the applicant was told of the outcome (services/review.py)."""
    new_decision_id: str | None = None


@dataclass(frozen=True)
class PaymentView:
    """One payment of a household, with its cycle's month and pay day (day 1)."""

    id: str
    cycle_month: str
    pay_date: date
    amount_halalas: int
    status: PaymentStatus
    paid_at: datetime | None
    held_reason: str
    open_complaint: bool = False  # a financial complaint about it awaits a decision


@dataclass(frozen=True)
class ComplaintView:
    id: str
    payment_id: str
    cycle_month: str | None
    reason_category: str
    reason_text: str
    status: ComplaintStatus
    filed_at: datetime
    decided_at: datetime | None
    resolution_text: str


@dataclass(frozen=True)
class CaseFileView:
    """Everything the case-file screen shows. ``form`` is for reading only; None when
    it was not asked for."""

    summary: CaseSummary
    household: HouseholdView
    form: DraftForm | None
    decision: DecisionDetail | None
    timeline: tuple[TimelineEntry, ...]
    documents: tuple[DocumentView, ...]
    visits: tuple[VisitView, ...]
    objections: tuple[ObjectionView, ...]
    payments: tuple[PaymentView, ...]
    complaints: tuple[ComplaintView, ...]


@dataclass(frozen=True)
class CaseRef:
    """A case found by the command palette."""

    application_id: str
    request_number: str
    head_name: str
    national_id: str
    status: ApplicationStatus
    kind: ApplicationKind
    branch_code: str
    created_at: datetime


# ---- access -------------------------------------------------------------------------------
def load_application(session: Session, application_id: str) -> Application:
    """The live application ``application_id``, or a refusal."""
    app = session.get(Application, application_id)
    if app is None or app.deleted_at is not None:
        raise ValidationError(
            "application.unknown",
            "الطلب غير موجود.",
            "Unknown application.",
            application_id=application_id,
        )
    return app


def _holds_visit(session: Session, application_id: str, user_id: str) -> bool:
    # Filtered here, not in SQL: given both columns SQLite picks the officer's index and
    # walks every visit they ever held; a case has one or two visits.
    officers = session.exec(
        select(HomeVisit.assigned_to)
        .where(HomeVisit.application_id == application_id)
        .where(col(HomeVisit.deleted_at).is_(None))
    ).all()
    return user_id in officers


def check_case_access(session: Session, actor: Actor, app: Application) -> None:
    """Refuse unless ``actor`` may open ``app``'s case file."""
    require(actor, Permission.VIEW_CASES, app.branch_id)
    if actor.role is Role.FIELD_OFFICER and not _holds_visit(session, app.id, actor.id):
        raise PermissionDenied(
            "permission.visit",
            "لا يمكنك فتح هذا الطلب؛ يفتح الباحث الميداني الطلبات المسندة إليه زيارتها فقط.",
            "A field officer opens only the cases with a home visit assigned to them.",
            application_id=app.id,
        )


def _may_see(session: Session, actor: Actor, app: Application) -> bool:
    if not can(actor, Permission.VIEW_CASES, app.branch_id):
        return False
    return actor.role is not Role.FIELD_OFFICER or _holds_visit(session, app.id, actor.id)


# ---- the decision -------------------------------------------------------------------------
def latest_decision(session: Session, household_id: str) -> DecisionDetail | None:
    """The household's most recent eligibility decision with all its reasons."""
    decision_id = session.exec(
        select(EligibilityDecision.id)
        .where(EligibilityDecision.household_id == household_id)
        .where(col(EligibilityDecision.deleted_at).is_(None))
        .order_by(col(EligibilityDecision.decided_at).desc(), col(EligibilityDecision.id).desc())
        .limit(1)
    ).first()
    return None if decision_id is None else decision_detail(session, decision_id)


def decision_detail(session: Session, decision_id: str) -> DecisionDetail:
    """One eligibility decision with all its reasons (and the cycle that made it)."""
    row = session.exec(
        select(EligibilityDecision, PaymentCycle.month)
        .outerjoin(PaymentCycle, PaymentCycle.id == EligibilityDecision.cycle_id)  # type: ignore[arg-type]
        .where(EligibilityDecision.id == decision_id)
    ).first()
    if row is None:
        raise ValidationError(
            "decision.unknown", "القرار غير موجود.", "Unknown decision.", decision_id=decision_id
        )
    decision, month = row
    reasons = session.exec(
        select(DecisionReason)
        .where(DecisionReason.decision_id == decision.id)
        .where(col(DecisionReason.deleted_at).is_(None))
        .order_by(col(DecisionReason.position))
    ).all()
    return DecisionDetail(
        id=decision.id,
        decided_at=decision.decided_at,
        as_of=decision.as_of,
        cycle_month=month,
        rule_set_version=decision.rule_set_version,
        eligible=decision.eligible,
        member_count=decision.member_count,
        threshold_halalas=decision.threshold_halalas,
        counted_income_halalas=decision.counted_income_halalas,
        entitlement_halalas=decision.entitlement_halalas,
        reasons=tuple(
            ReasonView(r.position, r.rule_code, r.passed, r.message_ar, r.message_en)
            for r in reasons
        ),
    )


# ---- the parts of the file ----------------------------------------------------------------
def _names(session: Session, user_ids: Iterable[str | None]) -> dict[str, str]:
    ids = {u for u in user_ids if u}
    if not ids:
        return {}
    rows = session.exec(select(AppUser.id, AppUser.full_name).where(col(AppUser.id).in_(ids)))
    return dict(rows.all())


def _visits(session: Session, app_id: str) -> list[HomeVisit]:
    return list(
        session.exec(
            select(HomeVisit)
            .where(HomeVisit.application_id == app_id)
            .where(col(HomeVisit.deleted_at).is_(None))
            .order_by(col(HomeVisit.scheduled_for).desc(), col(HomeVisit.id).desc())
        ).all()
    )


def _visit_view(v: HomeVisit, names: dict[str, str]) -> VisitView:
    return VisitView(
        id=v.id,
        scheduled_for=v.scheduled_for,
        status=VisitStatus(v.status),
        assigned_to=v.assigned_to,
        officer_name=names.get(v.assigned_to or ""),
        arrived_at=v.arrived_at,
        completed_at=v.completed_at,
        present=v.present,
        notes=v.notes,
        recommendation=v.recommendation,
        declared=dict(v.declared),
        observed=dict(v.observed),
    )


def _objections(session: Session, household_id: str) -> list[ObjectionView]:
    rows = session.exec(
        select(Objection)
        .where(Objection.household_id == household_id)
        .where(col(Objection.deleted_at).is_(None))
        .order_by(col(Objection.filed_at).desc(), col(Objection.id).desc())
    ).all()
    return [
        ObjectionView(
            id=o.id,
            application_id=o.application_id,
            decision_id=o.decision_id,
            kind=ObjectionKind(o.kind),
            status=ObjectionStatus(o.status),
            reason_category=o.reason_category,
            reason_text=o.reason_text,
            filed_at=o.filed_at,
            confirmed_at=o.confirmed_at,
            decided_at=o.decided_at,
            outcome=ObjectionOutcome(o.outcome) if o.outcome else None,
            justification=o.justification,
            arrears_halalas=o.arrears_halalas,
            notification_text=o.notification_text,
            new_decision_id=o.new_decision_id,
        )
        for o in rows
    ]


def household_payments(session: Session, household_id: str) -> list[PaymentView]:
    """The household's payments, newest cycle first, each saying whether a financial
    complaint about it is still open: the case file's list and ``payments`` alike."""
    disputed = set(
        session.exec(
            select(FinancialComplaint.payment_id)
            .where(FinancialComplaint.household_id == household_id)
            .where(col(FinancialComplaint.status).in_([s.value for s in OPEN_COMPLAINT]))
            .where(col(FinancialComplaint.deleted_at).is_(None))
        ).all()
    )
    rows = session.exec(
        select(Payment, PaymentCycle)
        .join(PaymentCycle, PaymentCycle.id == Payment.cycle_id)  # type: ignore[arg-type]
        .where(Payment.household_id == household_id)
        .where(col(Payment.deleted_at).is_(None))
        .order_by(col(PaymentCycle.pay_date).desc())
    ).all()
    return [
        PaymentView(
            id=p.id,
            cycle_month=c.month,
            pay_date=c.pay_date,
            amount_halalas=p.amount_halalas,
            status=PaymentStatus(p.status),
            paid_at=p.paid_at,
            held_reason=p.held_reason,
            open_complaint=p.id in disputed,
        )
        for p, c in rows
    ]


def _complaints(
    session: Session, household_id: str, payments: Sequence[PaymentView]
) -> list[ComplaintView]:
    months = {p.id: p.cycle_month for p in payments}
    rows = session.exec(
        select(FinancialComplaint)
        .where(FinancialComplaint.household_id == household_id)
        .where(col(FinancialComplaint.deleted_at).is_(None))
        .order_by(col(FinancialComplaint.filed_at).desc(), col(FinancialComplaint.id).desc())
    ).all()
    return [
        ComplaintView(
            id=c.id,
            payment_id=c.payment_id,
            cycle_month=months.get(c.payment_id),
            reason_category=c.reason_category,
            reason_text=c.reason_text,
            status=ComplaintStatus(c.status),
            filed_at=c.filed_at,
            decided_at=c.decided_at,
            resolution_text=c.resolution_text,
        )
        for c in rows
    ]


def _documents(session: Session, household_id: str) -> list[DocumentView]:
    rows = session.exec(
        select(Document)
        .where(Document.household_id == household_id)
        .where(col(Document.deleted_at).is_(None))
        .order_by(col(Document.received_at), col(Document.id))
    ).all()
    return [document_view(d) for d in rows]


# ---- the timeline -------------------------------------------------------------------------
# A status change is audited twice: as the change of the application row and as the
# history entry. The history entry carries the reason, so the audit copy is left out.
_TRANSITION_ACTIONS = frozenset(f"application.{t.action}" for t in TRANSITIONS)
_ACTION_BY_PAIR = {(t.source, t.target): t.action for t in TRANSITIONS}


def _section_row_ids(session: Session, person_ids: Sequence[str]) -> list[str]:
    """The ids of the people's section rows (income lines, bank, …), deleted ones too:
    one query of index look-ups on ``person_id``."""
    if not person_ids:
        return []
    selects = [
        sa.select(model.__table__.c.id).where(  # type: ignore[attr-defined]
            model.__table__.c.person_id.in_(person_ids)  # type: ignore[attr-defined]
        )
        for model in (*PERSON_TABLES.values(), *GROUP_TABLES.values())
    ]
    return list(session.connection().execute(sa.union_all(*selects)).scalars())


def _household_row_ids(session: Session, household_id: str) -> tuple[list[str], list[str]]:
    """(the ids of the household's member rows and address rows, its people's ids)."""
    members = session.exec(
        select(HouseholdMember.id, HouseholdMember.person_id).where(
            HouseholdMember.household_id == household_id
        )
    ).all()
    addresses = session.exec(
        select(NationalAddress.id).where(NationalAddress.household_id == household_id)
    ).all()
    return [m for m, _ in members] + list(addresses), [p for _, p in members]


def _audit_entries(session: Session, entity_ids: Sequence[str]) -> list[Any]:
    a = AuditEntry.__table__  # type: ignore[attr-defined]
    # Ordered by ``at`` (not indexed), not by ``seq``: ordering by the primary key would
    # tempt SQLite to walk the whole audit chain backwards instead of the entity index.
    query = (
        sa.select(a.c.at, a.c.actor_id, a.c.action, a.c.entity, a.c.entity_id)
        .where(a.c.entity_id.in_(list(dict.fromkeys(entity_ids))))
        .where(sa.not_(sa.and_(a.c.entity == "application", a.c.action.in_(_TRANSITION_ACTIONS))))
        .order_by(a.c.at.desc())
        .limit(TIMELINE_LIMIT)
    )
    return list(session.connection().execute(query).all())


def _status_action(change: StatusChange) -> str:
    """The state machine's name of a move; "open" for the draft's first entry."""
    if change.from_status is None:
        return "open"
    pair = (ApplicationStatus(change.from_status), ApplicationStatus(change.to_status))
    # A move the table no longer knows (an older version's, arrived by sync) is still shown.
    return _ACTION_BY_PAIR.get(pair, "status_change")


def _timeline(
    changes: Sequence[StatusChange], audits: Sequence[Any], names: dict[str, str]
) -> tuple[TimelineEntry, ...]:
    entries = [
        TimelineEntry(
            at=c.at,
            kind="status",
            action=_status_action(c),
            actor_id=c.actor_id,
            actor_name=names.get(c.actor_id),
            from_status=ApplicationStatus(c.from_status) if c.from_status else None,
            to_status=ApplicationStatus(c.to_status),
            reason=c.reason,
            entity_id=c.application_id,
        )
        for c in changes
    ]
    entries += [
        TimelineEntry(
            at=r.at,
            kind="audit",
            action=r.action,
            actor_id=r.actor_id,
            actor_name=names.get(r.actor_id or ""),
            entity=r.entity,
            entity_id=r.entity_id,
        )
        for r in audits
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return tuple(entries[:TIMELINE_LIMIT])


# ---- the summary --------------------------------------------------------------------------
def _summary(
    app: Application,
    household: Household,
    head: Person,
    branch_code: str,
    names: dict[str, str],
    decision: DecisionDetail | None,
    preliminary_by: str | None,
    today: date,
) -> CaseSummary:
    clock = application_clock(
        app.submitted_at, app.decided_at, app.clock_paused_days, app.clock_paused_since, today
    )
    entitlement = (
        EntitlementView(
            decision.eligible,
            decision.entitlement_halalas,
            decision.rule_set_version,
            decision.decided_at,
        )
        if decision
        else None
    )
    return CaseSummary(
        application_id=app.id,
        request_number=app.request_number,
        household_id=household.id,
        file_number=household.file_number,
        head_name=full_name(head),
        national_id=head.national_id,
        status=ApplicationStatus(app.status),
        kind=ApplicationKind(app.kind),
        branch_id=app.branch_id,
        branch_code=branch_code,
        assignee_id=app.assigned_to,
        assignee_name=names.get(app.assigned_to or ""),
        submitted_at=app.submitted_at,
        decided_at=app.decided_at,
        last_change_at=app.last_change_at,
        row_version=app.row_version,
        clock=clock.state if clock else None,
        due_on=clock.due if clock else None,
        days_left=clock.days_left if clock else None,
        entitlement=entitlement,
        preliminary_approved_by=preliminary_by,
    )


def _preliminary_approver(changes: Sequence[StatusChange]) -> str | None:
    """Who gave the latest preliminary approval (``changes`` newest first)."""
    return next(
        (c.actor_id for c in changes if c.to_status == ApplicationStatus.PRELIMINARY_APPROVED),
        None,
    )


def _status_changes(session: Session, app_id: str) -> list[StatusChange]:
    return list(
        session.exec(
            select(StatusChange)
            .where(StatusChange.application_id == app_id)
            .where(col(StatusChange.deleted_at).is_(None))
            .order_by(col(StatusChange.at).desc(), col(StatusChange.id).desc())
        ).all()
    )


def case_file(
    store: Store,
    actor: Actor,
    application_id: str,
    *,
    today: date | None = None,
    with_form: bool = True,
    brief: bool = False,
) -> CaseFileView:
    """The case file of ``application_id``, if ``actor`` may open it.

    ``with_form`` False leaves the unified file out (a query per section); ``brief``
    reads only what the header and the decision need — the status history stands for
    the timeline and the lists are empty — for a screen that shows those first and the
    rest a moment later.
    """
    today = today or date.today()
    with store.read() as session:
        app = load_application(session, application_id)
        check_case_access(session, actor, app)
        household = session.get(Household, app.household_id)
        head = session.get(Person, household.head_person_id) if household else None
        branch = session.get(Branch, app.branch_id)
        if household is None or head is None or branch is None:
            raise ValidationError("household.unknown", "الأسرة غير موجودة.", "Unknown household.")
        decision = latest_decision(session, household.id)
        changes = _status_changes(session, app.id)
        lists = _Lists() if brief else _lists(session, app.id, household.id)
        names = _names(
            session,
            [
                app.assigned_to,
                *(c.actor_id for c in changes),
                *(r.actor_id for r in lists.audits),
                *(v.assigned_to for v in lists.visits),
            ],
        )
        return CaseFileView(
            summary=_summary(
                app,
                household,
                head,
                branch.code,
                names,
                decision,
                _preliminary_approver(changes),
                today,
            ),
            household=household_view(session, household),
            form=(
                form_from_rows(session, household, app.identity_check)
                if with_form and not brief
                else None
            ),
            decision=decision,
            timeline=_timeline(changes, lists.audits, names),
            documents=tuple(lists.documents),
            visits=tuple(_visit_view(v, names) for v in lists.visits),
            objections=tuple(lists.objections),
            payments=tuple(lists.payments),
            complaints=tuple(lists.complaints),
        )


@dataclass
class _Lists:
    """A case's lists and the audit entries of everything in them."""

    visits: list[HomeVisit] = field(default_factory=list)
    documents: list[DocumentView] = field(default_factory=list)
    objections: list[ObjectionView] = field(default_factory=list)
    payments: list[PaymentView] = field(default_factory=list)
    complaints: list[ComplaintView] = field(default_factory=list)
    audits: list[Any] = field(default_factory=list)


def _lists(session: Session, app_id: str, household_id: str) -> _Lists:
    lists = _Lists(
        visits=_visits(session, app_id),
        documents=_documents(session, household_id),
        objections=_objections(session, household_id),
        payments=household_payments(session, household_id),
    )
    lists.complaints = _complaints(session, household_id, lists.payments)
    row_ids, person_ids = _household_row_ids(session, household_id)
    lists.audits = _audit_entries(
        session,
        [
            app_id,
            household_id,
            *row_ids,
            *person_ids,
            *_section_row_ids(session, person_ids),
            *(d.id for d in lists.documents),
            *(v.id for v in lists.visits),
            *(o.id for o in lists.objections),
            *(p.id for p in lists.payments),
            *(c.id for c in lists.complaints),
        ],
    )
    return lists


# ---- the command palette ------------------------------------------------------------------
def _typed(text: str) -> str:
    # Read out at the counter and retyped: Arabic-Indic digits, spaces and lower case must
    # still find the case.
    return strip_spaces(to_ascii_digits(text)).upper()


def applications_of_head(session: Session, national_id: str) -> list[Application]:
    """The applications of the households ``national_id`` (canonical) heads, newest first."""
    person_id = session.exec(select(Person.id).where(Person.national_id == national_id)).first()
    if person_id is None:
        return []
    households = session.exec(
        select(Household.id)
        .where(Household.head_person_id == person_id)
        .where(col(Household.deleted_at).is_(None))
    ).all()
    return household_applications(session, households)


def household_applications(session: Session, household_ids: Sequence[str]) -> list[Application]:
    """The live applications of these households, newest first."""
    if not household_ids:
        return []
    return list(
        session.exec(
            select(Application)
            .where(col(Application.household_id).in_(household_ids))
            .where(col(Application.deleted_at).is_(None))
            .order_by(col(Application.created_at).desc(), col(Application.id).desc())
        ).all()
    )


def _case_refs(session: Session, apps: Sequence[Application]) -> list[CaseRef]:
    refs = []
    for app in apps:
        household = session.get(Household, app.household_id)
        head = session.get(Person, household.head_person_id) if household else None
        branch = session.get(Branch, app.branch_id)
        refs.append(
            CaseRef(
                application_id=app.id,
                request_number=app.request_number,
                head_name=full_name(head) if head else "",
                national_id=head.national_id if head else "",
                status=ApplicationStatus(app.status),
                kind=ApplicationKind(app.kind),
                branch_code=branch.code if branch else "",
                created_at=app.created_at,
            )
        )
    return refs


def find_case(store: Store, actor: Actor, text: str) -> list[CaseRef]:
    """The cases ``text`` names, among those ``actor`` may open: an exact request number,
    or a full national ID (the applications of the households that person heads, newest
    first). Anything else finds nothing: the palette searches as the person types."""
    require(actor, Permission.VIEW_CASES)
    typed = _typed(text)
    if not typed:
        return []
    with store.read() as session:
        if typed.isdigit():
            try:
                apps = applications_of_head(session, validate_national_id(typed))
            except ValidationError:
                return []  # not (yet) a whole, valid ID
        else:
            app = session.exec(
                select(Application)
                .where(Application.request_number == typed)
                .where(col(Application.deleted_at).is_(None))
            ).first()
            apps = [app] if app else []
        return _case_refs(session, [a for a in apps if _may_see(session, actor, a)])
