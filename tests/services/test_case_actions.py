"""The case actions: who may take each one, what each refuses, and what each writes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from daman_tui.db.models import (
    Application,
    AppUser,
    AuditEntry,
    DecisionReason,
    EligibilityDecision,
    HomeVisit,
    StatusChange,
)
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import ApplicationStatus as S
from daman_tui.domain.enums import Role, VisitStatus
from daman_tui.domain.errors import (
    DomainError,
    IllegalTransition,
    PermissionDenied,
    ValidationError,
)
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.permissions import Actor
from daman_tui.domain.rules import rule_set_for
from daman_tui.domain.sla import days_between
from daman_tui.services.auth import authenticate, create_user
from daman_tui.services.case_actions import (
    ActionRequest,
    assign_case,
    available_actions,
    documents_received,
    final_approve,
    preliminary_approve,
    reject,
    rejection_reasons,
    reopen,
    request_documents,
    resume,
    schedule_visit,
    suspend,
    take_action,
)
from daman_tui.services.case_file import case_file
from daman_tui.services.cases import (
    PersonInput,
    change_status,
    create_household,
    save_draft,
    submit_application,
)
from daman_tui.services.seed.run import seed_cases
from daman_tui.services.store import Store
from tests.conftest import PASSWORD, Staff

# Seeded data depends on the day it is made for: a fixed day keeps every run's data alike.
AS_OF = date(2026, 2, 10)


def _submitted(store: Store, staff: Staff, n: int = 1) -> str:
    """A household's application, submitted today by the clerk (the clock starts now)."""
    head = PersonInput(
        national_id=make_national_id("citizen", f"3{n:07d}"),
        first_name="أحمد",
        father_name="محمد",
        grandfather_name="عبدالله",
        family_name="القحطاني",
    )
    household = create_household(store, staff.clerk, head)
    draft = save_draft(store, staff.clerk, household.id)
    submit_application(store, staff.clerk, draft.id, declaration_accepted=True)
    return draft.id


def _user(store: Store, username: str, role: Role, branch: str) -> Actor:
    create_user(
        store,
        None,
        username=username,
        full_name=f"موظف {username}",
        role=role,
        branch_code=branch,
        password=PASSWORD,
        must_change_password=False,
    )
    return authenticate(store, username, PASSWORD)


def _app(store: Store, app_id: str) -> Application:
    with store.read() as session:
        app = session.get(Application, app_id)
        assert app is not None
        return app


def _history(store: Store, app_id: str) -> list[StatusChange]:
    with store.read() as session:
        return list(
            session.exec(
                select(StatusChange)
                .where(StatusChange.application_id == app_id)
                .order_by(col(StatusChange.at))
            ).all()
        )


def _seeded(store: Store, status: S) -> list[Application]:
    with store.read() as session:
        apps = session.exec(
            select(Application).where(Application.status == status).order_by(col(Application.id))
        ).all()
    assert apps, f"the seed made no {status} case"
    return list(apps)


@pytest.fixture
def seeded(store: Store, staff: Staff) -> Store:
    seed_cases(store, cases=100, seed=21, as_of=AS_OF)
    return store


def _refused(call, error: type[DomainError], code: str) -> DomainError:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.code == code
    assert caught.value.message_ar and caught.value.message_en
    return caught.value


# ---- what the screen offers ---------------------------------------------------------------
def test_available_actions_follow_role_branch_and_status(store, staff):
    app_id = _submitted(store, staff)

    def actions(actor: Actor) -> tuple[str, ...]:
        return available_actions(actor, case_file(store, staff.supervisor, app_id))

    assert actions(staff.supervisor) == ("assign", "schedule_visit", "request_documents", "reject")
    assert actions(staff.clerk) == ("request_documents",)
    assert actions(staff.field_officer) == ()
    assert actions(staff.admin) == ()
    assert actions(staff.other_clerk) == ()

    schedule_visit(store, staff.supervisor, app_id, staff.field_officer.id, date.today())
    assert actions(staff.supervisor) == ("assign", "request_documents")
    assert actions(staff.clerk) == ()
    # Completing a visit is the visit record's business, not an action of the case file.
    assert actions(staff.field_officer) == ()


def test_available_actions_leave_final_approval_to_the_other_supervisor(store, staff):
    app_id = _submitted(store, staff)
    schedule_visit(store, staff.supervisor, app_id, staff.field_officer.id, date.today())
    change_status(store, staff.field_officer, app_id, S.VISIT_DONE)
    assert "preliminary_approve" in available_actions(
        staff.supervisor, case_file(store, staff.supervisor, app_id)
    )
    preliminary_approve(store, staff.supervisor, app_id)
    view = case_file(store, staff.supervisor, app_id)
    assert view.summary.preliminary_approved_by == staff.supervisor.id
    assert available_actions(staff.supervisor, view) == ("assign", "reject")
    assert available_actions(staff.supervisor2, view.summary) == (
        "assign",
        "final_approve",
        "reject",
    )


# ---- assigning ----------------------------------------------------------------------------
def test_a_supervisor_assigns_and_reassigns_within_the_branch(store, staff):
    app_id = _submitted(store, staff)
    view = assign_case(store, staff.supervisor, app_id, staff.clerk.id)
    assert _app(store, app_id).assigned_to == staff.clerk.id
    assign_case(
        store, staff.supervisor, app_id, staff.supervisor2.id, expected_version=view.row_version
    )
    assert _app(store, app_id).assigned_to == staff.supervisor2.id
    with store.read() as session:
        audits = session.exec(
            select(AuditEntry)
            .where(AuditEntry.entity_id == app_id)
            .where(AuditEntry.action == "application.assign")
            .order_by(col(AuditEntry.seq))
        ).all()
    assert [(a.actor_id, a.after and a.after["assigned_to"]) for a in audits] == [
        (staff.supervisor.id, staff.clerk.id),
        (staff.supervisor.id, staff.supervisor2.id),
    ]
    summary = case_file(store, staff.clerk, app_id).summary
    assert (summary.assignee_id, summary.assignee_name) == (
        staff.supervisor2.id,
        "موظف supervisor2",
    )


def test_assigning_is_refused_to_other_roles_and_branches(store, staff):
    app_id = _submitted(store, staff)
    jeddah_supervisor = _user(store, "sup.jed", Role.SUPERVISOR, "JED01")
    for actor in (staff.clerk, staff.field_officer, staff.admin, staff.other_clerk):
        _refused(
            lambda a=actor: assign_case(store, a, app_id, staff.clerk.id),
            PermissionDenied,
            "permission.denied",
        )
    _refused(
        lambda: assign_case(store, jeddah_supervisor, app_id, staff.clerk.id),
        PermissionDenied,
        "permission.branch",
    )
    assert _app(store, app_id).assigned_to is None


def test_assigning_checks_the_assignee(store, staff):
    app_id = _submitted(store, staff)
    sup = staff.supervisor
    _refused(
        lambda: assign_case(store, sup, app_id, staff.other_clerk.id),
        ValidationError,
        "assign.branch",
    )
    _refused(
        lambda: assign_case(store, sup, app_id, staff.field_officer.id),
        ValidationError,
        "assign.role",
    )
    _refused(
        lambda: assign_case(store, sup, app_id, "no-such-user"), ValidationError, "user.unknown"
    )
    with store.write(None) as uow:
        clerk = uow.session.get(AppUser, staff.clerk.id)
        assert clerk is not None
        uow.update(clerk, {"disabled_at": utcnow()})
    _refused(
        lambda: assign_case(store, sup, app_id, staff.clerk.id), ValidationError, "user.disabled"
    )
    assert _app(store, app_id).assigned_to is None


def test_a_draft_is_not_assigned(store, staff):
    household = create_household(
        store,
        staff.clerk,
        PersonInput(national_id=make_national_id("citizen", "30000099"), first_name="سعد"),
    )
    draft = save_draft(store, staff.clerk, household.id)
    _refused(
        lambda: assign_case(store, staff.supervisor, draft.id, staff.clerk.id),
        ValidationError,
        "application.not_submitted",
    )


# ---- the home visit -----------------------------------------------------------------------
def test_scheduling_a_visit_creates_it_and_moves_the_case(store, staff):
    app_id = _submitted(store, staff)
    day = date.today() + timedelta(days=3)
    view = schedule_visit(store, staff.supervisor, app_id, staff.field_officer.id, day)
    assert view.status == S.VISIT_SCHEDULED
    with store.read() as session:
        visits = session.exec(select(HomeVisit).where(HomeVisit.application_id == app_id)).all()
    assert [(v.assigned_to, v.scheduled_for, v.status) for v in visits] == [
        (staff.field_officer.id, day, VisitStatus.SCHEDULED)
    ]
    assert visits[0].declared == {} and visits[0].household_id == _app(store, app_id).household_id
    last = _history(store, app_id)[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (
        S.SUBMITTED,
        S.VISIT_SCHEDULED,
        staff.supervisor.id,
    )


def test_scheduling_refuses_a_past_day_a_day_after_due_and_a_wrong_officer(store, staff):
    app_id = _submitted(store, staff)
    today = date.today()
    due = case_file(store, staff.supervisor, app_id).summary.due_on
    assert due is not None and due > today
    sup, officer = staff.supervisor, staff.field_officer.id
    _refused(
        lambda: schedule_visit(store, sup, app_id, officer, today - timedelta(days=1)),
        ValidationError,
        "visit.day_past",
    )
    late = _refused(
        lambda: schedule_visit(store, sup, app_id, officer, due + timedelta(days=1)),
        ValidationError,
        "visit.after_due",
    )
    assert due.isoformat() in late.message_ar and due.isoformat() in late.message_en
    _refused(
        lambda: schedule_visit(store, sup, app_id, staff.clerk.id, today),
        ValidationError,
        "visit.not_field_officer",
    )
    jeddah_officer = _user(store, "field.jed", Role.FIELD_OFFICER, "JED01")
    _refused(
        lambda: schedule_visit(store, sup, app_id, jeddah_officer.id, today),
        ValidationError,
        "visit.officer_branch",
    )
    # Nothing of the refused attempts was written; the due day itself is accepted.
    assert _app(store, app_id).status == S.SUBMITTED
    schedule_visit(store, sup, app_id, officer, due)
    assert _app(store, app_id).status == S.VISIT_SCHEDULED


def test_scheduling_is_refused_to_other_roles_and_other_statuses(store, staff):
    app_id = _submitted(store, staff)
    today = date.today()
    officer = staff.field_officer.id
    for actor in (staff.clerk, staff.field_officer, staff.admin, staff.other_clerk):
        _refused(
            lambda a=actor: schedule_visit(store, a, app_id, officer, today),
            PermissionDenied,
            "permission.denied",
        )
    schedule_visit(store, staff.supervisor, app_id, officer, today)
    _refused(
        lambda: schedule_visit(store, staff.supervisor, app_id, officer, today),
        IllegalTransition,
        "status.illegal",
    )
    with store.read() as session:
        assert len(session.exec(select(HomeVisit)).all()) == 1


# ---- documents ----------------------------------------------------------------------------
def test_requesting_documents_pauses_the_clock_and_their_arrival_resumes_it(store, staff):
    app_id = _submitted(store, staff)
    request_documents(store, staff.clerk, app_id, "صورة حديثة من تعريف الراتب.")
    paused = _app(store, app_id)
    assert paused.status == S.DOCS_REQUESTED and paused.clock_paused_since is not None
    assert _history(store, app_id)[-1].reason == "صورة حديثة من تعريف الراتب."
    assert case_file(store, staff.clerk, app_id).summary.clock == "paused"

    back = date.today() + timedelta(days=4)
    documents_received(store, staff.clerk, app_id, today=back)
    resumed = _app(store, app_id)
    assert resumed.status == S.SUBMITTED and resumed.clock_paused_since is None
    assert paused.submitted_at is not None
    calendar = rule_set_for(paused.submitted_at.date()).calendar
    assert resumed.clock_paused_days == days_between(
        paused.clock_paused_since.date(), back, calendar
    )
    assert resumed.clock_paused_days > 0


def test_requesting_documents_is_refused_to_other_roles_and_without_a_reason(store, staff):
    app_id = _submitted(store, staff)
    reason = "إرفاق صك الولاية."
    _refused(
        lambda: request_documents(store, staff.field_officer, app_id, reason),
        IllegalTransition,
        "status.role",
    )
    _refused(
        lambda: request_documents(store, staff.admin, app_id, reason),
        PermissionDenied,
        "permission.denied",
    )
    _refused(
        lambda: request_documents(store, staff.other_clerk, app_id, reason),
        PermissionDenied,
        "permission.branch",
    )
    _refused(
        lambda: request_documents(store, staff.clerk, app_id, "   "),
        IllegalTransition,
        "status.reason_required",
    )
    assert _app(store, app_id).status == S.SUBMITTED
    assert request_documents(store, staff.supervisor, app_id, reason).status == S.DOCS_REQUESTED
    # "Documents received" is not a way to reopen, nor reopening a way to receive them.
    _refused(
        lambda: reopen(store, staff.supervisor, app_id, "خطأ"),
        IllegalTransition,
        "status.illegal",
    )


# ---- approvals ----------------------------------------------------------------------------
def test_the_four_eyes_rule_and_the_roles_of_approval(store, staff, tmp_path):
    from tests.intake_family import submitted_family

    app_id = submitted_family(store, staff.clerk, tmp_path).application.id
    schedule_visit(store, staff.supervisor, app_id, staff.field_officer.id, date.today())
    change_status(store, staff.field_officer, app_id, S.VISIT_DONE)
    for actor, error, code in (
        (staff.clerk, IllegalTransition, "status.role"),
        (staff.field_officer, IllegalTransition, "status.role"),
        (staff.admin, PermissionDenied, "permission.denied"),
        (staff.other_clerk, PermissionDenied, "permission.branch"),
    ):
        _refused(lambda a=actor: preliminary_approve(store, a, app_id), error, code)
    preliminary_approve(store, staff.supervisor, app_id)
    for actor, error, code in (
        (staff.supervisor, IllegalTransition, "status.four_eyes"),
        (staff.clerk, IllegalTransition, "status.role"),
        (staff.field_officer, IllegalTransition, "status.role"),
        (staff.admin, PermissionDenied, "permission.denied"),
        (staff.other_clerk, PermissionDenied, "permission.branch"),
    ):
        _refused(lambda a=actor: final_approve(store, a, app_id), error, code)
    final = final_approve(store, staff.supervisor2, app_id)
    assert final.status == S.APPROVED
    app = _app(store, app_id)
    assert app.decided_at is not None
    assert [(h.to_status, h.actor_id) for h in _history(store, app_id)][-2:] == [
        (S.PRELIMINARY_APPROVED, staff.supervisor.id),
        (S.APPROVED, staff.supervisor2.id),
    ]


def test_suspending_and_resuming_an_approved_case(seeded, staff):
    app = _seeded(seeded, S.APPROVED)[0]
    # The seed's preliminary approvals are staff.supervisor's: resuming is no final
    # approval, and the four-eyes rule does not stand in its way.
    _refused(
        lambda: suspend(seeded, staff.clerk, app.id, "تحديث الحساب البنكي"),
        IllegalTransition,
        "status.role",
    )
    assert suspend(seeded, staff.supervisor, app.id, "تحديث الحساب البنكي").status == S.SUSPENDED
    _refused(
        lambda: resume(seeded, staff.supervisor, app.id, ""),
        IllegalTransition,
        "status.reason_required",
    )
    assert resume(seeded, staff.supervisor, app.id, "حدّث الحساب").status == S.APPROVED


# ---- rejection ----------------------------------------------------------------------------
def _decision_reasons(store: Store, household_id: str) -> list[DecisionReason]:
    with store.read() as session:
        decision = session.exec(
            select(EligibilityDecision)
            .where(EligibilityDecision.household_id == household_id)
            .order_by(col(EligibilityDecision.decided_at).desc())
        ).first()
        assert decision is not None
        return list(
            session.exec(
                select(DecisionReason)
                .where(DecisionReason.decision_id == decision.id)
                .order_by(col(DecisionReason.position))
            ).all()
        )


def test_rejection_cites_the_failed_rules_of_the_latest_decision(seeded, staff):
    # A rejected case, reopened: back in review with the decision that failed it.
    app = _seeded(seeded, S.REJECTED)[0]
    reopen(seeded, staff.supervisor, app.id, "قبول الاعتراض وإعادة الدراسة")
    reasons = _decision_reasons(seeded, app.household_id)
    failed = [r for r in reasons if not r.passed]
    passed = [r for r in reasons if r.passed]
    assert failed and passed

    choices = rejection_reasons(seeded, staff.supervisor, app.id)
    assert [(c.rule_code, c.message_ar, c.message_en) for c in choices] == [
        (r.rule_code, r.message_ar, r.message_en) for r in failed
    ]
    sup = staff.supervisor
    _refused(
        lambda: reject(seeded, sup, app.id, [passed[0].rule_code], ""),
        ValidationError,
        "reject.rule_passed",
    )
    _refused(
        lambda: reject(seeded, sup, app.id, ["no.such.rule"], "نص"),
        ValidationError,
        "reject.rule_unknown",
    )
    _refused(
        lambda: reject(seeded, sup, app.id, [], "  "), ValidationError, "reject.reason_required"
    )
    _refused(
        lambda: reject(seeded, sup, app.id, [], "نص\u202e مخفي"), ValidationError, "text.invisible"
    )
    assert _app(seeded, app.id).status == S.SUBMITTED

    note = "الدخل الفعلي أعلى مما صُرّح به في الملف."
    view = reject(seeded, sup, app.id, [failed[0].rule_code], note)
    assert view.status == S.REJECTED
    stored = _history(seeded, app.id)[-1]
    assert stored.to_status == S.REJECTED and stored.actor_id == sup.id
    assert failed[0].message_ar in stored.reason and note in stored.reason
    assert all(p.message_ar not in stored.reason for p in passed)
    assert _app(seeded, app.id).decided_at is not None


def test_rejection_is_refused_to_other_roles(seeded, staff):
    app = _seeded(seeded, S.VISIT_DONE)[0]
    for actor, error, code in (
        (staff.clerk, IllegalTransition, "status.role"),
        (staff.field_officer, IllegalTransition, "status.role"),
        (staff.admin, PermissionDenied, "permission.denied"),
        (staff.other_clerk, PermissionDenied, "permission.branch"),
    ):
        _refused(lambda a=actor: reject(seeded, a, app.id, [], "سبب"), error, code)
    assert _app(seeded, app.id).status == S.VISIT_DONE


def test_a_case_without_a_decision_is_rejected_with_written_words(store, staff):
    app_id = _submitted(store, staff)
    assert rejection_reasons(store, staff.supervisor, app_id) == ()
    _refused(
        lambda: reject(store, staff.supervisor, app_id, ["income.threshold"], ""),
        ValidationError,
        "reject.rule_unknown",
    )
    reject(store, staff.supervisor, app_id, [], "لم يحضر مقدم الطلب لاستكمال الملف.")
    assert _history(store, app_id)[-1].reason == "لم يحضر مقدم الطلب لاستكمال الملف."


def test_reopening_a_rejected_case(seeded, staff):
    app = _seeded(seeded, S.REJECTED)[0]
    for actor, error, code in (
        (staff.clerk, IllegalTransition, "status.role"),
        (staff.field_officer, IllegalTransition, "status.role"),
        (staff.admin, PermissionDenied, "permission.denied"),
        (staff.other_clerk, PermissionDenied, "permission.branch"),
        (staff.supervisor, IllegalTransition, "status.reason_required"),
    ):
        _refused(lambda a=actor: reopen(seeded, a, app.id, ""), error, code)
    _refused(
        lambda: documents_received(seeded, staff.supervisor, app.id),
        IllegalTransition,
        "status.illegal",
    )
    reopen(seeded, staff.supervisor, app.id, "قبول الاعتراض")
    again = _app(seeded, app.id)
    assert again.status == S.SUBMITTED and again.decided_at is None
    # The days the case stood decided do not count against its decision clock.
    assert app.decided_at is not None and app.submitted_at is not None
    calendar = rule_set_for(app.submitted_at.date()).calendar
    stood = days_between(app.decided_at.date(), date.today(), calendar)
    assert stood > 0 and again.clock_paused_days == app.clock_paused_days + stood


# ---- stale writes -------------------------------------------------------------------------
def test_an_action_on_a_case_changed_since_it_was_opened_is_refused(store, staff):
    app_id = _submitted(store, staff)
    opened = case_file(store, staff.supervisor, app_id).summary.row_version
    assign_case(store, staff.supervisor2, app_id, staff.clerk.id, expected_version=opened)
    stale = _refused(
        lambda: request_documents(store, staff.supervisor, app_id, "سبب", expected_version=opened),
        ValidationError,
        "application.stale",
    )
    assert "someone else" in stale.message_en
    _refused(
        lambda: schedule_visit(
            store,
            staff.supervisor,
            app_id,
            staff.field_officer.id,
            date.today(),
            expected_version=opened,
        ),
        ValidationError,
        "application.stale",
    )
    assert _app(store, app_id).status == S.SUBMITTED
    fresh = case_file(store, staff.supervisor, app_id).summary.row_version
    assert fresh == opened + 1
    request_documents(store, staff.supervisor, app_id, "سبب", expected_version=fresh)
    assert _app(store, app_id).status == S.DOCS_REQUESTED


def test_one_entry_point_carries_each_action_and_refuses_an_unknown_one(store, staff):
    app_id = _submitted(store, staff)
    version = _app(store, app_id).row_version
    request = ActionRequest(reason="صورة حديثة من تعريف الراتب.")
    moved = take_action(
        store, staff.clerk, app_id, "request_documents", request, expected_version=version
    )
    assert moved.status == S.DOCS_REQUESTED
    assert _history(store, app_id)[-1].reason == request.reason
    _refused(
        lambda: take_action(store, staff.supervisor, app_id, "approve_everything", request),
        ValidationError,
        "action.unknown",
    )
    # The stale version the request was read at is refused, not overwritten.
    _refused(
        lambda: take_action(
            store, staff.clerk, app_id, "documents_received", request, expected_version=version
        ),
        ValidationError,
        "application.stale",
    )
