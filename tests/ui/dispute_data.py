"""Objections and complaints for the review panel's tests and pictures, filed through
the services on the seeded demo branch (the cases, decisions and payments the seed made)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import col, select

from daman_tui.db.models import Application, EligibilityDecision, Payment
from daman_tui.domain.enums import ApplicationStatus, PaymentStatus
from daman_tui.services import disputes
from daman_tui.services.case_actions import reject
from daman_tui.services.seed.run import seed_cases
from daman_tui.services.store import Store
from tests.conftest import Staff
from tests.services.test_disputes import PDF, _not_eligible_case

SEED_DAY = date(2026, 11, 1)


def seed_branch(store: Store) -> Store:
    """The demo branch RYD01 with 120 seeded cases as of ``SEED_DAY``."""
    seed_cases(store, cases=120, seed=5, branch_code="RYD01", as_of=SEED_DAY)
    return store


def write_pdf(folder: Path) -> Path:
    """A tiny valid PDF, as the applicant's evidence."""
    path = folder / "salary-certificate.pdf"
    path.write_bytes(PDF)
    return path


def income_objection(
    store: Store, staff: Staff, pdf: Path, reason: str, *, days_after: int = 5
) -> tuple[Application, EligibilityDecision, str]:
    """A case failing only the income rule, rejected by ``staff.supervisor``, and the
    objection the clerk filed ``days_after`` the decision."""
    app, decision = _not_eligible_case(store, ApplicationStatus.VISIT_DONE)
    reject(store, staff.supervisor, app.id, ["income.threshold"], "الدخل أعلى من الحد")
    objection_id = disputes.file_objection(
        store,
        staff.clerk,
        app.id,
        decision.id,
        category="income_changed",
        reason_text=reason,
        attachments=[pdf],
        today=decision.as_of + timedelta(days=days_after),
    )
    return app, decision, objection_id


def complain(
    store: Store, staff: Staff, payment_id: str, pdf: Path, category: str, reason: str
) -> str:
    """A financial complaint the clerk filed about ``payment_id``."""
    return disputes.file_complaint(
        store, staff.clerk, payment_id, category=category, reason_text=reason, attachments=[pdf]
    )


def returned_payment(store: Store, staff: Staff) -> Payment:
    """A payment of an approved case that the bank returned (marked so by a supervisor)."""
    with store.read() as session:
        paid = session.exec(
            select(Payment)
            .join(Application, Application.household_id == Payment.household_id)  # type: ignore[arg-type]
            .where(Application.status == ApplicationStatus.APPROVED)
            .where(Payment.status == PaymentStatus.PAID)
            .order_by(col(Payment.household_id))
        ).first()
    assert paid is not None
    with store.write(staff.supervisor) as uow:
        row = uow.session.get(Payment, paid.id)
        uow.update(row, {"status": PaymentStatus.RETURNED}, action="payment.returned")
    with store.read() as session:
        returned = session.get(Payment, paid.id)
    assert returned is not None
    return returned
