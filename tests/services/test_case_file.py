"""The case file: what it shows, in what order, and to whom; finding a case by number."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from daman_tui.db.models import (
    Application,
    DecisionReason,
    EligibilityDecision,
    Objection,
    Payment,
    PaymentCycle,
)
from daman_tui.domain.enums import ApplicationKind, ObjectionKind
from daman_tui.domain.enums import ApplicationStatus as S
from daman_tui.domain.errors import PermissionDenied, ValidationError
from daman_tui.domain.intake.form import HEAD
from daman_tui.domain.rules import rule_set_for
from daman_tui.domain.sla import add_days
from daman_tui.services.case_actions import assign_case, schedule_visit
from daman_tui.services.case_file import TIMELINE_LIMIT, case_file, find_case
from daman_tui.services.cases import (
    PersonInput,
    create_household,
    save_draft,
    submit_application,
)
from daman_tui.services.cycle import run_cycle
from daman_tui.services.seed.run import seed_cases
from daman_tui.services.store import Store
from tests.conftest import Staff
from tests.intake_family import HEAD_ID, submitted_family

AS_OF = date(2026, 2, 10)
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def family(store: Store, staff: Staff, tmp_path) -> str:
    """The family of five, submitted today: its application's id."""
    return submitted_family(store, staff.clerk, tmp_path).application.id


@pytest.fixture
def seeded(store: Store, staff: Staff) -> Store:
    seed_cases(store, cases=100, seed=21, as_of=AS_OF)
    return store


def test_the_case_file_of_a_submitted_family(store, staff, family):
    view = case_file(store, staff.clerk, family)
    s = view.summary
    assert (s.head_name, s.national_id) == ("محمد عبدالله سعد القحطاني", HEAD_ID)
    assert (s.status, s.kind, s.branch_code) == (S.SUBMITTED, ApplicationKind.NEW, "RYD01")
    assert s.request_number.startswith("RYD01-") and s.file_number.startswith("RYD01-F-")
    assert s.assignee_id is None and s.assignee_name is None
    assert s.submitted_at is not None and s.entitlement is None and view.decision is None
    rules = rule_set_for(s.submitted_at.date())
    assert s.due_on == add_days(s.submitted_at.date(), rules.decision_limit_days, rules.calendar)
    assert s.clock == "ok" and s.days_left == rules.decision_limit_days

    assert view.household.head.national_id == HEAD_ID
    kinds = sorted(m.kind.value for m in view.household.members)
    assert kinds == ["head", "housing_partner", "relative", "relative", "ward"]
    assert view.form.get(HEAD, "personal", "first_name") == "محمد"
    assert len(view.form.dependents) == 4
    assert view.documents and all(d.household_id == s.household_id for d in view.documents)
    assert (view.visits, view.objections, view.payments, view.complaints) == ((), (), (), ())

    statuses = [e for e in view.timeline if e.kind == "status"]
    assert [(e.action, e.from_status, e.to_status) for e in statuses] == [
        ("submit", S.DRAFT, S.SUBMITTED),
        ("open", None, S.DRAFT),
    ]
    assert {e.actor_name for e in statuses} == {"موظف clerk"}
    actions = {e.action for e in view.timeline if e.kind == "audit"}
    assert "document.attach" in actions and "income_line.create" in actions
    # The audit copy of a status change is not shown twice.
    assert "application.submit" not in actions


def test_the_timeline_follows_the_actions_newest_first(store, staff, family):
    assign_case(store, staff.supervisor, family, staff.clerk.id)
    schedule_visit(store, staff.supervisor, family, staff.field_officer.id, date.today())
    view = case_file(store, staff.supervisor, family)
    times = [e.at for e in view.timeline]
    assert times == sorted(times, reverse=True)
    newest = next(e for e in view.timeline if e.kind == "status")
    assert (newest.action, newest.to_status, newest.actor_name) == (
        "schedule_visit",
        S.VISIT_SCHEDULED,
        "موظف supervisor",
    )
    audits = [(e.action, e.actor_name) for e in view.timeline if e.kind == "audit"]
    assert ("application.assign", "موظف supervisor") in audits
    assert ("home_visit.schedule", "موظف supervisor") in audits
    assert view.summary.assignee_name == "موظف clerk"
    assert [(v.officer_name, v.scheduled_for) for v in view.visits] == [
        ("موظف field_officer", date.today())
    ]


def test_the_timeline_is_capped(store, staff, family):
    with store.write(None) as uow:
        for n in range(TIMELINE_LIMIT + 30):
            uow.audit(f"note.{n}", "application", family, None, None)
    timeline = case_file(store, staff.clerk, family).timeline
    assert len(timeline) == TIMELINE_LIMIT
    assert timeline[0].action == f"note.{TIMELINE_LIMIT + 29}"
    assert timeline[0].actor_name is None  # the system wrote it


def _apps(store: Store, status: S) -> list[Application]:
    with store.read() as session:
        apps = session.exec(
            select(Application).where(Application.status == status).order_by(col(Application.id))
        ).all()
    assert apps, f"the seed made no {status} case"
    return list(apps)


def test_a_decided_case_shows_every_reason_its_entitlement_and_payments(seeded, staff):
    app = _apps(seeded, S.APPROVED)[0]
    view = case_file(seeded, staff.supervisor, app.id)
    with seeded.read() as session:
        decision = session.exec(
            select(EligibilityDecision)
            .where(EligibilityDecision.household_id == app.household_id)
            .order_by(col(EligibilityDecision.decided_at).desc())
        ).first()
        assert decision is not None
        reasons = session.exec(
            select(DecisionReason)
            .where(DecisionReason.decision_id == decision.id)
            .order_by(col(DecisionReason.position))
        ).all()
        months = session.exec(
            select(PaymentCycle.month)
            .join(Payment, Payment.cycle_id == PaymentCycle.id)  # type: ignore[arg-type]
            .where(Payment.household_id == app.household_id)
            .order_by(col(PaymentCycle.pay_date).desc())
        ).all()
    assert view.decision is not None and view.decision.id == decision.id
    assert [(r.rule_code, r.passed, r.message_ar, r.message_en) for r in view.decision.reasons] == [
        (r.rule_code, r.passed, r.message_ar, r.message_en) for r in reasons
    ]
    assert len(view.decision.reasons) >= 8  # every rule, passed ones too
    entitlement = view.summary.entitlement
    assert entitlement is not None and entitlement.eligible
    assert entitlement.entitlement_halalas == decision.entitlement_halalas > 0
    assert entitlement.rule_set_version == decision.rule_set_version
    assert [p.cycle_month for p in view.payments] == list(months) and months
    assert view.summary.clock == "stopped"

    # A monthly cycle's decision is newer: it is the one the file shows.
    run_cycle(seeded, staff.supervisor, "2026-12")
    again = case_file(seeded, staff.supervisor, app.id)
    assert again.decision is not None and again.decision.cycle_month == "2026-12"
    assert again.payments[0].cycle_month == "2026-12"


def test_a_rejected_case_shows_its_failed_reasons_and_objections(seeded, staff):
    with seeded.read() as session:
        objection = session.exec(
            select(Objection)
            .where(Objection.kind == ObjectionKind.ELIGIBILITY)
            .order_by(col(Objection.id))
        ).first()
    assert objection is not None and objection.application_id is not None
    view = case_file(seeded, staff.clerk, objection.application_id)
    assert view.summary.status is S.REJECTED
    assert [(o.id, o.kind, o.decision_id) for o in view.objections] == [
        (objection.id, ObjectionKind.ELIGIBILITY, objection.decision_id)
    ]
    assert view.decision is not None and view.decision.failed
    assert view.summary.entitlement is not None and not view.summary.entitlement.eligible
    rejected = next(e for e in view.timeline if e.to_status is S.REJECTED)
    assert rejected.reason and rejected.actor_name


def test_who_may_open_a_case(store, staff, family):
    for actor, code in (
        (staff.field_officer, "permission.visit"),
        (staff.other_clerk, "permission.branch"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            case_file(store, actor, family)
        assert refused.value.code == code and refused.value.message_ar
    assert case_file(store, staff.admin, family).summary.application_id == family
    schedule_visit(store, staff.supervisor, family, staff.field_officer.id, date.today())
    assert case_file(store, staff.field_officer, family).visits
    with pytest.raises(ValidationError) as unknown:
        case_file(store, staff.clerk, "no-such-application")
    assert unknown.value.code == "application.unknown"


def test_find_case_by_request_number_or_national_id(store, staff, family):
    number = case_file(store, staff.clerk, family).summary.request_number
    typed = number.lower().translate(_ARABIC_DIGITS)
    assert [r.application_id for r in find_case(store, staff.clerk, f" {typed} ")] == [family]

    # The same head's second family: both cases, the newest first.
    second_household = create_household(store, staff.clerk, PersonInput(HEAD_ID, "محمد"))
    second = save_draft(store, staff.clerk, second_household.id)
    submit_application(store, staff.clerk, second.id, declaration_accepted=True)
    by_id = find_case(store, staff.clerk, HEAD_ID.translate(_ARABIC_DIGITS))
    assert [r.application_id for r in by_id] == [second.id, family]
    assert by_id[1].request_number == number and by_id[1].head_name == "محمد عبدالله سعد القحطاني"

    assert find_case(store, staff.other_clerk, number) == []
    assert find_case(store, staff.field_officer, HEAD_ID) == []
    schedule_visit(store, staff.supervisor, family, staff.field_officer.id, date.today())
    assert [r.application_id for r in find_case(store, staff.field_officer, HEAD_ID)] == [family]
    assert [r.application_id for r in find_case(store, staff.admin, number)] == [family]

    wrong_check_digit = HEAD_ID[:-1] + str((int(HEAD_ID[-1]) + 1) % 10)
    for partial in ("", "RYD01", number[:-1], HEAD_ID[:9], wrong_check_digit):
        assert find_case(store, staff.clerk, partial) == []


def test_case_file_reads_the_clock_as_of_the_day_given(store, staff, family):
    view = case_file(store, staff.clerk, family)
    assert view.summary.due_on is not None
    late = case_file(store, staff.clerk, family, today=view.summary.due_on + timedelta(days=2))
    assert late.summary.clock == "overdue" and late.summary.days_left == -2
