"""A household's payments: who reads them, the hold a suspension puts on them and lifts,
and a supervisor's moves of one payment."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from daman_tui.db.models import (
    Application,
    AuditEntry,
    FinancialComplaint,
    Household,
    Payment,
    Person,
)
from daman_tui.domain.enums import ApplicationStatus as S
from daman_tui.domain.enums import ComplaintStatus, Role
from daman_tui.domain.enums import PaymentStatus as P
from daman_tui.domain.errors import IllegalTransition, PermissionDenied, ValidationError
from daman_tui.domain.payments import SUSPENSION_HOLD
from daman_tui.services.case_actions import resume, schedule_visit, suspend
from daman_tui.services.case_file import case_file
from daman_tui.services.cycle import run_cycle
from daman_tui.services.payments import payment_history, set_payment_status
from daman_tui.services.seed.run import seed_cases
from daman_tui.services.store import Store
from tests.conftest import Staff
from tests.services.test_case_actions import _app, _refused, _submitted, _user

# Seeded data depends on the day it is made for: a fixed day keeps every run's data alike.
AS_OF = date(2026, 2, 10)
NEXT = "2026-03"  # the first cycle after the seed's: it makes due payments
INVESTIGATION = "دفعة مرتجعة قيد التحقق"


@pytest.fixture
def seeded(store: Store, staff: Staff) -> Store:
    seed_cases(store, cases=100, seed=21, as_of=AS_OF)
    run_cycle(store, staff.supervisor, NEXT)
    return store


def _approved(store: Store) -> Application:
    """An approved case whose household the cycle paid (its payment of NEXT is due)."""
    with store.read() as session:
        found = session.exec(
            select(Application)
            .join(Payment, Payment.household_id == Application.household_id)  # type: ignore[arg-type]
            .where(Application.status == S.APPROVED)
            .where(Payment.status == P.DUE)
            .order_by(col(Application.id))
        ).first()
    assert found is not None, "the cycle paid no approved case"
    return found


def _payments(store: Store, household_id: str) -> dict[str, Payment]:
    with store.read() as session:
        rows = session.exec(select(Payment).where(Payment.household_id == household_id)).all()
    return {p.id: p for p in rows}


def _head_id(store: Store, household_id: str) -> str:
    with store.read() as session:
        household = session.get(Household, household_id)
        assert household is not None
        head = session.get(Person, household.head_person_id)
        assert head is not None
        return head.national_id


def _audited(store: Store, action: str) -> list[str]:
    with store.read() as session:
        return list(
            session.exec(select(AuditEntry.entity_id).where(AuditEntry.action == action)).all()
        )


def _complaint(store: Store, payment: Payment, status: ComplaintStatus, filed_by: str) -> None:
    with store.write(None) as uow:
        uow.add(
            FinancialComplaint(
                branch_id=payment.branch_id,
                household_id=payment.household_id,
                payment_id=payment.id,
                reason_category="not_received",
                reason_text="لم تصل الدفعة إلى الحساب البنكي.",
                status=status,
                filed_by=filed_by,
            )
        )


# ---- the history --------------------------------------------------------------------------
def test_history_is_the_households_payments_newest_cycle_first(seeded, staff):
    app = _approved(seeded)
    rows = _payments(seeded, app.household_id)
    national_id = _head_id(seeded, app.household_id)
    by_request = payment_history(seeded, staff.clerk, request_number=app.request_number)

    assert len(by_request) == len(rows) >= 2
    assert [p.cycle_month for p in by_request] == sorted(
        (p.cycle_month for p in by_request), reverse=True
    )
    newest = by_request[0]
    assert (newest.cycle_month, newest.pay_date, newest.status) == (NEXT, date(2026, 3, 1), P.DUE)
    for view in by_request:
        row = rows[view.id]
        assert view.pay_date.day == 1  # payments go out on day 1 of the month
        assert (view.amount_halalas, view.status, view.paid_at, view.held_reason) == (
            row.amount_halalas,
            row.status,
            row.paid_at,
            row.held_reason,
        )
        assert not view.open_complaint
    # The same household however it is named: the head's ID as typed (Arabic-Indic digits).
    typed = national_id.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert payment_history(seeded, staff.clerk, national_id=typed) == by_request
    assert payment_history(seeded, staff.clerk, household_id=app.household_id) == by_request
    assert payment_history(seeded, staff.clerk, request_number=app.request_number.lower()) == (
        by_request
    )
    # ... and what the case file lists.
    assert list(case_file(seeded, staff.clerk, app.id, with_form=False).payments) == by_request


def test_history_says_which_payments_have_an_open_financial_complaint(seeded, staff):
    app = _approved(seeded)
    first, second, *_ = payment_history(seeded, staff.clerk, household_id=app.household_id)
    rows = _payments(seeded, app.household_id)
    _complaint(seeded, rows[first.id], ComplaintStatus.UNDER_REVIEW, staff.clerk.id)
    _complaint(seeded, rows[second.id], ComplaintStatus.RESOLVED, staff.clerk.id)
    flags = {
        p.id: p.open_complaint
        for p in payment_history(seeded, staff.clerk, household_id=app.household_id)
    }
    assert flags[first.id] and not flags[second.id]
    assert sum(flags.values()) == 1


def test_history_refuses_another_branch_and_a_field_officer_without_the_visit(seeded, staff):
    app = _approved(seeded)
    _refused(
        lambda: payment_history(seeded, staff.other_clerk, request_number=app.request_number),
        PermissionDenied,
        "permission.branch",
    )
    _refused(
        lambda: payment_history(seeded, staff.field_officer, household_id=app.household_id),
        PermissionDenied,
        "permission.visit",
    )
    # The administrator sees every branch.
    assert payment_history(seeded, staff.admin, household_id=app.household_id)


def test_a_field_officer_reads_the_payments_of_a_case_they_visit(store, staff):
    app_id = _submitted(store, staff)
    household_id = _app(store, app_id).household_id
    _refused(
        lambda: payment_history(store, staff.field_officer, household_id=household_id),
        PermissionDenied,
        "permission.visit",
    )
    schedule_visit(store, staff.supervisor, app_id, staff.field_officer.id, date.today())
    assert payment_history(store, staff.field_officer, household_id=household_id) == []


def test_history_needs_exactly_one_name_that_exists(seeded, staff):
    app = _approved(seeded)
    _refused(lambda: payment_history(seeded, staff.clerk), ValidationError, "payments.which")
    _refused(
        lambda: payment_history(
            seeded,
            staff.clerk,
            request_number=app.request_number,
            household_id=app.household_id,
        ),
        ValidationError,
        "payments.which",
    )
    _refused(
        lambda: payment_history(seeded, staff.clerk, request_number="RYD01-000000-XXX-00000"),
        ValidationError,
        "case.unknown",
    )
    _refused(
        lambda: payment_history(seeded, staff.clerk, national_id="12345"),
        ValidationError,
        "national_id.length",
    )


# ---- suspension ---------------------------------------------------------------------------
def test_suspending_holds_the_due_payments_and_resuming_releases_only_those(seeded, staff):
    app = _approved(seeded)
    history = payment_history(seeded, staff.supervisor, household_id=app.household_id)
    due = history[0]
    paid = [p for p in history if p.status is P.PAID]
    assert due.status is P.DUE and paid
    # An older payment, returned by the bank, paid again and held for an investigation.
    investigated = paid[0].id
    set_payment_status(seeded, staff.supervisor, investigated, P.RETURNED)
    set_payment_status(seeded, staff.supervisor, investigated, P.DUE)
    set_payment_status(seeded, staff.supervisor, investigated, P.HELD, reason=INVESTIGATION)

    suspend(seeded, staff.supervisor, app.id, "تحديث الحساب البنكي")
    after = _payments(seeded, app.household_id)
    assert after[due.id].status == P.HELD
    assert after[due.id].held_reason == f"{SUSPENSION_HOLD}: تحديث الحساب البنكي"
    assert after[investigated].held_reason == INVESTIGATION
    assert all(after[p.id].status == P.PAID for p in paid[1:])
    assert due.id in _audited(seeded, "payment.hold")
    assert investigated not in _audited(seeded, "payment.hold")
    # While suspended, the next cycle holds the household's payment too.
    run_cycle(seeded, staff.supervisor, "2026-04")
    april = payment_history(seeded, staff.supervisor, household_id=app.household_id)[0]
    assert (april.cycle_month, april.status, april.held_reason) == (
        "2026-04",
        P.HELD,
        SUSPENSION_HOLD,
    )

    resume(seeded, staff.supervisor, app.id, "حدّث الحساب")
    released = _payments(seeded, app.household_id)
    assert (released[due.id].status, released[due.id].held_reason) == (P.DUE, "")
    assert (released[april.id].status, released[april.id].held_reason) == (P.DUE, "")
    assert (released[investigated].status, released[investigated].held_reason) == (
        P.HELD,
        INVESTIGATION,
    )
    assert {due.id, april.id} <= set(_audited(seeded, "payment.release"))
    assert investigated not in _audited(seeded, "payment.release")


def test_a_refused_suspension_holds_nothing(seeded, staff):
    app = _approved(seeded)
    due = payment_history(seeded, staff.supervisor, household_id=app.household_id)[0]
    _refused(
        lambda: suspend(seeded, staff.clerk, app.id, "تحديث الحساب البنكي"),
        IllegalTransition,
        "status.role",
    )
    _refused(
        lambda: suspend(seeded, staff.supervisor, app.id, "سبب", expected_version=0),
        ValidationError,
        "application.stale",
    )
    assert _payments(seeded, app.household_id)[due.id].status == P.DUE
    assert _audited(seeded, "payment.hold") == []


# ---- a supervisor's moves -----------------------------------------------------------------
def test_a_supervisor_pays_returns_and_pays_again(seeded, staff):
    app = _approved(seeded)
    due = payment_history(seeded, staff.supervisor, household_id=app.household_id)[0]
    paid = set_payment_status(seeded, staff.supervisor, due.id, P.PAID)
    assert paid.status is P.PAID and paid.paid_at is not None
    returned = set_payment_status(seeded, staff.supervisor, due.id, P.RETURNED)
    assert returned.status is P.RETURNED and returned.paid_at == paid.paid_at
    again = set_payment_status(seeded, staff.supervisor, due.id, P.DUE)
    assert again.status is P.DUE and again.paid_at is None
    held = set_payment_status(seeded, staff.supervisor, due.id, P.HELD, reason=INVESTIGATION)
    assert (held.status, held.held_reason) == (P.HELD, INVESTIGATION)
    released = set_payment_status(seeded, staff.supervisor, due.id, P.DUE)
    assert (released.status, released.held_reason) == (P.DUE, "")
    assert _payments(seeded, app.household_id)[due.id].status == P.DUE
    for action in ("payment.mark_paid", "payment.mark_returned", "payment.mark_held"):
        assert _audited(seeded, action) == [due.id], action
    assert _audited(seeded, "payment.mark_due") == [due.id, due.id]


def test_refused_moves_change_nothing(seeded, staff):
    app = _approved(seeded)
    history = payment_history(seeded, staff.supervisor, household_id=app.household_id)
    due, paid = history[0], next(p for p in history if p.status is P.PAID)
    _refused(
        lambda: set_payment_status(seeded, staff.supervisor, paid.id, P.HELD, reason="x"),
        IllegalTransition,
        "payment.illegal",
    )
    _refused(
        lambda: set_payment_status(seeded, staff.supervisor, due.id, P.RETURNED),
        IllegalTransition,
        "payment.illegal",
    )
    _refused(
        lambda: set_payment_status(seeded, staff.supervisor, due.id, P.DUE),
        IllegalTransition,
        "payment.illegal",
    )
    _refused(
        lambda: set_payment_status(seeded, staff.clerk, due.id, P.PAID),
        PermissionDenied,
        "permission.denied",
    )
    _refused(
        lambda: set_payment_status(
            seeded, _user(seeded, "jed_supervisor", Role.SUPERVISOR, "JED01"), due.id, P.PAID
        ),
        PermissionDenied,
        "permission.branch",
    )
    _refused(
        lambda: set_payment_status(seeded, staff.supervisor, due.id, P.HELD),
        ValidationError,
        "payment.reason_required",
    )
    _refused(
        lambda: set_payment_status(
            seeded, staff.supervisor, due.id, P.HELD, reason=SUSPENSION_HOLD
        ),
        ValidationError,
        "payment.reason_reserved",
    )
    _refused(
        lambda: set_payment_status(seeded, staff.supervisor, due.id, P.PAID, reason="صرفت"),
        ValidationError,
        "payment.reason_unused",
    )
    _refused(
        lambda: set_payment_status(seeded, staff.supervisor, "no-such-payment", P.PAID),
        ValidationError,
        "payment.unknown",
    )
    assert _payments(seeded, app.household_id)[due.id].status == P.DUE
    assert _payments(seeded, app.household_id)[paid.id].status == P.PAID


def test_a_suspended_cases_payments_are_neither_released_nor_paid(seeded, staff):
    app = _approved(seeded)
    due = payment_history(seeded, staff.supervisor, household_id=app.household_id)[0]
    suspend(seeded, staff.supervisor, app.id, "تحديث الحساب البنكي")
    _refused(
        lambda: set_payment_status(seeded, staff.supervisor, due.id, P.DUE),
        IllegalTransition,
        "payment.case_suspended",
    )
    assert _payments(seeded, app.household_id)[due.id].status == P.HELD
