"""What staff do to a case from its file: assign it, schedule the home visit, ask for
documents, approve (preliminary, then final by another supervisor), reject, reopen.

Each action is one unit of work (audit and outbox come with it) and every status move
goes through the state machine. :func:`available_actions` tells a screen what to offer;
the actions check everything again on their own, because a screen is not a check.

A screen passes the ``row_version`` it showed as ``expected_version``: when the case
changed in between (another terminal, a sync), the action is refused rather than applied
to a case the person has not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from daman_tui.db.models import Application, AppUser, HomeVisit
from daman_tui.db.types import utcnow
from daman_tui.domain.arabic import validate_free_text
from daman_tui.domain.case_clock import application_clock, closed_pause_days
from daman_tui.domain.enums import ApplicationStatus, Role
from daman_tui.domain.errors import IllegalTransition, ValidationError
from daman_tui.domain.permissions import Actor, Permission, can, require
from daman_tui.domain.status import allowed_targets, check_transition
from daman_tui.services.case_file import (
    CaseFileView,
    CaseSummary,
    DecisionDetail,
    check_case_access,
    latest_decision,
    load_application,
)
from daman_tui.services.cases import application_view, transition
from daman_tui.services.payments import hold_payments_in, release_payments_in
from daman_tui.services.store import Store
from daman_tui.services.uow import UnitOfWork
from daman_tui.services.views import ApplicationView

__all__ = [
    "ACTIONS",
    "ActionRequest",
    "RejectionChoice",
    "assign_case",
    "available_actions",
    "documents_received",
    "final_approve",
    "preliminary_approve",
    "reject",
    "rejection_reasons",
    "reopen",
    "request_documents",
    "resume",
    "schedule_visit",
    "suspend",
    "take_action",
]

ACTIONS: tuple[str, ...] = (
    "assign",
    "schedule_visit",
    "request_documents",
    "documents_received",
    "preliminary_approve",
    "final_approve",
    "reject",
    "reopen",
    "suspend",
    "resume",
)
"""Every action of this module, in the order a screen lists them. The state machine's
"submit" (the wizard's) and "complete_visit" (the visit record's) belong elsewhere."""

# Who may hold a case: the desk roles, the ones who move it on.
_ASSIGNEE_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR})


@dataclass(frozen=True)
class RejectionChoice:
    """A failed rule of the latest decision, offered as a reason for rejection."""

    rule_code: str
    message_ar: str
    message_en: str


def available_actions(actor: Actor, case: CaseFileView | CaseSummary) -> tuple[str, ...]:
    """The actions ``actor`` may take on ``case`` as it was read (names of :data:`ACTIONS`)."""
    summary = case.summary if isinstance(case, CaseFileView) else case
    names: set[str] = set()
    if summary.status is not ApplicationStatus.DRAFT and can(
        actor, Permission.ASSIGN_CASES, summary.branch_id
    ):
        names.add("assign")
    if can(actor, Permission.CHANGE_STATUS, summary.branch_id):
        for move in allowed_targets(summary.status, actor.role):
            if move.action == "final_approve" and summary.preliminary_approved_by == actor.id:
                continue  # four eyes: not the supervisor of the preliminary approval
            if move.action == "schedule_visit" and not can(
                actor, Permission.SCHEDULE_VISIT, summary.branch_id
            ):
                continue
            names.add(move.action)
    return tuple(a for a in ACTIONS if a in names)


# ---- the common frame ---------------------------------------------------------------------
def _check_version(app: Application, expected_version: int | None) -> None:
    if expected_version is not None and app.row_version != expected_version:
        raise ValidationError(
            "application.stale",
            f"غيّر مستخدم آخر الطلب {app.request_number} منذ أن فتحته؛ "
            "أعد فتحه لترى التغيير ثم أعد المحاولة.",
            f"Application {app.request_number} was changed by someone else since you opened "
            "it; open it again to see the change, then retry.",
            expected_version=expected_version,
            row_version=app.row_version,
        )


@contextmanager
def _on_case(
    store: Store,
    actor: Actor,
    application_id: str,
    permission: Permission,
    expected_version: int | None,
) -> Iterator[tuple[UnitOfWork, Application]]:
    """One unit of work on a case ``actor`` may touch with ``permission``, as last seen."""
    with store.write(actor) as uow:
        app = load_application(uow.session, application_id)
        require(actor, permission, app.branch_id)
        _check_version(app, expected_version)
        yield uow, app


def _precheck(actor: Actor, app: Application, target: ApplicationStatus, action: str) -> None:
    """The state machine's refusal of a move, before the move's own inputs are checked:
    a wrong role or status is what the person must hear first.

    ``action`` pins the move: "reopen" and "documents_received" both lead back to
    submitted, and neither may pass for the other.
    """
    source = ApplicationStatus(app.status)
    move = next((t for t in allowed_targets(source, actor.role) if t.target == target), None)
    if move is None:
        check_transition(source, target, actor.role, actor_id=actor.id)  # raises
    elif move.action != action:
        raise IllegalTransition(
            "status.illegal",
            "لا يسمح بهذا الانتقال من الحالة الحالية للطلب.",
            f"'{action}' cannot be done on an application in '{source.value}'.",
            source=source.value,
            target=target.value,
        )


def _move(
    store: Store,
    actor: Actor,
    application_id: str,
    target: ApplicationStatus,
    action: str,
    *,
    reason: str,
    expected_version: int | None,
    today: date | None = None,
    then: Callable[[UnitOfWork, Application], object] | None = None,
) -> ApplicationView:
    """One status move; ``then`` does what must come with it, in the same transaction."""
    with _on_case(store, actor, application_id, Permission.CHANGE_STATUS, expected_version) as (
        uow,
        app,
    ):
        _precheck(actor, app, target, action)
        extra = _clock_changes(app, target, today or date.today())
        transition(uow, actor, app, target, reason=reason, extra=extra)
        if then is not None:
            then(uow, app)
        return application_view(app)


def _clock_changes(app: Application, target: ApplicationStatus, today: date) -> dict[str, object]:
    """What a move does to the decision clock.

    Waiting on the applicant for documents pauses it; the documents' arrival closes the
    pause into ``clock_paused_days``. A reopened case's clock resumes where the decision
    stopped it: the time it spent decided counts as a pause.
    """
    source = ApplicationStatus(app.status)
    if target is ApplicationStatus.DOCS_REQUESTED:
        return {"clock_paused_since": utcnow()}
    if app.submitted_at is None:
        return {}
    if source is ApplicationStatus.DOCS_REQUESTED and app.clock_paused_since is not None:
        days = closed_pause_days(app.submitted_at, app.clock_paused_since, today)
        return {"clock_paused_days": app.clock_paused_days + days, "clock_paused_since": None}
    if source is ApplicationStatus.REJECTED and app.decided_at is not None:
        days = closed_pause_days(app.submitted_at, app.decided_at, today)
        return {"clock_paused_days": app.clock_paused_days + days, "decided_at": None}
    return {}


# ---- assigning ----------------------------------------------------------------------------
def _active_user(session: Session, user_id: str) -> AppUser:
    user = session.get(AppUser, user_id)
    if user is None or user.deleted_at is not None:
        raise ValidationError(
            "user.unknown", "المستخدم غير موجود.", "Unknown user.", user_id=user_id
        )
    if user.disabled_at is not None:
        raise ValidationError(
            "user.disabled",
            f"حساب {user.full_name} معطّل؛ اختر موظفًا آخر.",
            f"{user.full_name}'s account is disabled; choose someone else.",
            user_id=user_id,
        )
    return user


def _same_branch(user: AppUser, app: Application, code: str) -> None:
    if user.branch_id != app.branch_id:
        raise ValidationError(
            code,
            f"{user.full_name} من فرع آخر؛ اختر موظفًا من فرع الطلب.",
            f"{user.full_name} works in another branch; choose someone of the case's branch.",
            user_id=user.id,
        )


def _not_draft(app: Application) -> None:
    if app.status == ApplicationStatus.DRAFT:
        raise ValidationError(
            "application.not_submitted",
            "الطلب ما زال مسودة؛ قدّمه أولًا.",
            "The application is still a draft; submit it first.",
        )


def assign_case(
    store: Store,
    actor: Actor,
    application_id: str,
    user_id: str,
    *,
    expected_version: int | None = None,
) -> ApplicationView:
    """Give the case to ``user_id`` (a clerk or supervisor of its branch); also reassigns."""
    with _on_case(store, actor, application_id, Permission.ASSIGN_CASES, expected_version) as (
        uow,
        app,
    ):
        _not_draft(app)
        user = _active_user(uow.session, user_id)
        _same_branch(user, app, "assign.branch")
        if user.role not in _ASSIGNEE_ROLES:
            raise ValidationError(
                "assign.role",
                f"لا يسند الطلب إلى {user.full_name}؛ يسند إلى موظف فرع أو مشرف.",
                f"A case is not assigned to {user.full_name}; assign it to a clerk or "
                "a supervisor.",
                user_id=user.id,
                role=user.role.value,
            )
        changes = {"assigned_to": user.id, "last_change_at": utcnow()}
        if app.assigned_to != user.id:
            uow.update(app, changes, action="application.assign")
        return application_view(app)


# ---- the home visit -----------------------------------------------------------------------
def _visit_officer(session: Session, app: Application, officer_id: str) -> AppUser:
    officer = _active_user(session, officer_id)
    if officer.role is not Role.FIELD_OFFICER:
        raise ValidationError(
            "visit.not_field_officer",
            f"{officer.full_name} ليس باحثًا ميدانيًا؛ تسند الزيارة إلى باحث ميداني.",
            f"{officer.full_name} is not a field officer; a visit goes to a field officer.",
            user_id=officer.id,
            role=officer.role.value,
        )
    _same_branch(officer, app, "visit.officer_branch")
    return officer


def _visit_day(app: Application, day: date, today: date) -> None:
    if day < today:
        raise ValidationError(
            "visit.day_past",
            f"يوم الزيارة {day.isoformat()} مضى؛ اختر اليوم أو يومًا بعده.",
            f"The visit day {day.isoformat()} has passed; choose today or a later day.",
            day=day.isoformat(),
        )
    clock = application_clock(
        app.submitted_at, app.decided_at, app.clock_paused_days, app.clock_paused_since, today
    )
    if clock is not None and day > clock.due:
        due = clock.due.isoformat()
        raise ValidationError(
            "visit.after_due",
            f"يوم الزيارة {day.isoformat()} بعد موعد البت في الطلب {due}؛ "
            f"الزيارة جزء من مهلة القرار، فاختر يومًا حتى {due}.",
            f"The visit day {day.isoformat()} is after the case's decision due day {due}; "
            f"the visit is part of the decision's time, choose a day up to {due}.",
            day=day.isoformat(),
            due=due,
        )


def schedule_visit(
    store: Store,
    actor: Actor,
    application_id: str,
    officer_id: str,
    day: date,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> ApplicationView:
    """Schedule the home visit (زيارة المسكن) of a submitted case with a field officer of
    its branch, on a day from today to the case's due day."""
    today = today or date.today()
    with _on_case(store, actor, application_id, Permission.SCHEDULE_VISIT, expected_version) as (
        uow,
        app,
    ):
        _precheck(actor, app, ApplicationStatus.VISIT_SCHEDULED, "schedule_visit")
        officer = _visit_officer(uow.session, app, officer_id)
        _visit_day(app, day, today)
        uow.add(
            HomeVisit(
                branch_id=app.branch_id,
                application_id=app.id,
                household_id=app.household_id,
                assigned_to=officer.id,
                scheduled_for=day,
            ),
            action="home_visit.schedule",
        )
        transition(uow, actor, app, ApplicationStatus.VISIT_SCHEDULED, reason="")
        return application_view(app)


# ---- documents ----------------------------------------------------------------------------
def request_documents(
    store: Store,
    actor: Actor,
    application_id: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> ApplicationView:
    """Ask the applicant for more documents (``reason`` says which); the clock pauses."""
    return _move(
        store,
        actor,
        application_id,
        ApplicationStatus.DOCS_REQUESTED,
        "request_documents",
        reason=reason,
        expected_version=expected_version,
    )


def documents_received(
    store: Store,
    actor: Actor,
    application_id: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> ApplicationView:
    """The requested documents came in: back to review, the clock runs again."""
    return _move(
        store,
        actor,
        application_id,
        ApplicationStatus.SUBMITTED,
        "documents_received",
        reason="",
        expected_version=expected_version,
        today=today,
    )


# ---- decisions ----------------------------------------------------------------------------
def preliminary_approve(
    store: Store,
    actor: Actor,
    application_id: str,
    *,
    reason: str = "",
    expected_version: int | None = None,
) -> ApplicationView:
    """موافقة مبدئية, after the home visit."""
    return _move(
        store,
        actor,
        application_id,
        ApplicationStatus.PRELIMINARY_APPROVED,
        "preliminary_approve",
        reason=reason,
        expected_version=expected_version,
    )


def final_approve(
    store: Store,
    actor: Actor,
    application_id: str,
    *,
    reason: str = "",
    expected_version: int | None = None,
) -> ApplicationView:
    """موافقة نهائية, by another supervisor than the preliminary approval's."""
    return _move(
        store,
        actor,
        application_id,
        ApplicationStatus.APPROVED,
        "final_approve",
        reason=reason,
        expected_version=expected_version,
    )


def _choices(decision: DecisionDetail | None) -> tuple[RejectionChoice, ...]:
    if decision is None:
        return ()
    return tuple(RejectionChoice(r.rule_code, r.message_ar, r.message_en) for r in decision.failed)


def rejection_reasons(
    store: Store, actor: Actor, application_id: str
) -> tuple[RejectionChoice, ...]:
    """The reasons a rejection may cite: the failed rules of the household's latest
    decision, in rule order (none when there is no decision or it failed nothing)."""
    with store.read() as session:
        app = load_application(session, application_id)
        check_case_access(session, actor, app)
        return _choices(latest_decision(session, app.household_id))


def _chosen(
    choices: Sequence[RejectionChoice], rule_codes: Sequence[str], passed: set[str]
) -> list[RejectionChoice]:
    """The chosen reasons in rule order; a code that is not a failed rule is refused."""
    failed = {c.rule_code for c in choices}
    for code in rule_codes:
        if code in failed:
            continue
        if code in passed:
            raise ValidationError(
                "reject.rule_passed",
                f"القاعدة {code} استوفتها الأسرة في آخر قرار، فلا تكون سببًا للرفض.",
                f"The household met rule {code} in the latest decision; it cannot be a "
                "reason for rejection.",
                rule_code=code,
            )
        raise ValidationError(
            "reject.rule_unknown",
            f"لا توجد القاعدة {code} بين أسباب عدم الاستحقاق في آخر قرار.",
            f"Rule {code} is not among the failed rules of the latest decision.",
            rule_code=code,
        )
    wanted = set(rule_codes)
    return [c for c in choices if c.rule_code in wanted]


def _rejection_text(chosen: Sequence[RejectionChoice], note: str) -> str:
    """The reason as the applicant and the history read it: the chosen rules' messages,
    then the supervisor's own words."""
    lines = ["أسباب الرفض:", *(f"- {c.message_ar}" for c in chosen)] if chosen else []
    if note:
        lines.append(note)
    return "\n".join(lines)


def reject(
    store: Store,
    actor: Actor,
    application_id: str,
    rule_codes: Sequence[str],
    text: str,
    *,
    expected_version: int | None = None,
) -> ApplicationView:
    """رفض: cite failed rules of the latest decision (``rejection_reasons``), write a
    reason, or both; at least one of them."""
    note = validate_free_text(text, max_len=1000)
    with _on_case(store, actor, application_id, Permission.CHANGE_STATUS, expected_version) as (
        uow,
        app,
    ):
        _precheck(actor, app, ApplicationStatus.REJECTED, "reject")
        decision = latest_decision(uow.session, app.household_id)
        passed = {r.rule_code for r in decision.reasons if r.passed} if decision else set()
        chosen = _chosen(_choices(decision), rule_codes, passed)
        if not chosen and not note:
            raise ValidationError(
                "reject.reason_required",
                "اختر سببًا واحدًا على الأقل من أسباب عدم الاستحقاق أو اكتب سبب الرفض.",
                "Choose at least one failed rule or write the reason for the rejection.",
            )
        reason = _rejection_text(chosen, note)
        transition(uow, actor, app, ApplicationStatus.REJECTED, reason=reason)
        return application_view(app)


def reopen(
    store: Store,
    actor: Actor,
    application_id: str,
    reason: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> ApplicationView:
    """Take a rejected case back into review (an upheld objection, a mistake found)."""
    return _move(
        store,
        actor,
        application_id,
        ApplicationStatus.SUBMITTED,
        "reopen",
        reason=reason,
        expected_version=expected_version,
        today=today,
    )


def suspend(
    store: Store,
    actor: Actor,
    application_id: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> ApplicationView:
    """Hold an approved case's payments (موقوف), with the reason: its due payments are
    held with it, and the monthly cycle holds the next ones until it is resumed."""
    return _move(
        store,
        actor,
        application_id,
        ApplicationStatus.SUSPENDED,
        "suspend",
        reason=reason,
        expected_version=expected_version,
        then=lambda uow, app: hold_payments_in(uow, app.household_id, reason),
    )


def resume(
    store: Store,
    actor: Actor,
    application_id: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> ApplicationView:
    """Lift a suspension: the case is approved and paid again (the payments the
    suspension held are due again; one held for another reason stays held)."""
    return _move(
        store,
        actor,
        application_id,
        ApplicationStatus.APPROVED,
        "resume",
        reason=reason,
        expected_version=expected_version,
        then=lambda uow, app: release_payments_in(uow, app.household_id),
    )


@dataclass(frozen=True)
class ActionRequest:
    """What a person gave for an action: whom (assign: the new holder; a visit: the
    field officer), which day, which failed rules, and the written reason."""

    person_id: str = ""
    day: date | None = None
    rule_codes: tuple[str, ...] = ()
    reason: str = ""


def take_action(
    store: Store,
    actor: Actor,
    application_id: str,
    action: str,
    request: ActionRequest,
    *,
    expected_version: int | None = None,
) -> ApplicationView:
    """Carry out ``action`` (one of :data:`ACTIONS`) with what ``request`` gives: the one
    entry point of the screen's dialog and of ``daman cases act``."""
    version = expected_version
    if action == "assign":
        return assign_case(
            store, actor, application_id, request.person_id, expected_version=version
        )
    if action == "schedule_visit":
        day = request.day or date.today()
        return schedule_visit(
            store, actor, application_id, request.person_id, day, expected_version=version
        )
    if action == "reject":
        return reject(
            store,
            actor,
            application_id,
            request.rule_codes,
            request.reason,
            expected_version=version,
        )
    if action == "documents_received":
        return documents_received(store, actor, application_id, expected_version=version)
    moves: dict[str, Callable[..., ApplicationView]] = {
        "request_documents": request_documents,
        "preliminary_approve": preliminary_approve,
        "final_approve": final_approve,
        "reopen": reopen,
        "suspend": suspend,
        "resume": resume,
    }
    if action not in moves:
        raise ValidationError(
            "action.unknown",
            "إجراء غير معروف.",
            f"Unknown action '{action}'; one of: {', '.join(ACTIONS)}.",
            action=action,
        )
    return moves[action](
        store, actor, application_id, reason=request.reason, expected_version=version
    )
