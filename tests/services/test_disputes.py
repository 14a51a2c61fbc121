"""Objections and financial complaints through the services: filing, triage, the what-if,
the decisions, and every refusal the issue names."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from daman_tui.db.models import (
    Application,
    AuditEntry,
    Document,
    EligibilityDecision,
    FinancialComplaint,
    IncomeLine,
    Objection,
    Payment,
    PaymentCycle,
)
from daman_tui.domain.disputes import Correction, pay_months
from daman_tui.domain.enums import ApplicationStatus, ObjectionKind, PaymentStatus
from daman_tui.domain.errors import DomainError, IllegalTransition, PermissionDenied
from daman_tui.domain.errors import ValidationError as Refused
from daman_tui.services import disputes, review
from daman_tui.services.case_actions import reject
from daman_tui.services.case_file import decision_detail
from daman_tui.services.cycle import run_cycle
from daman_tui.services.disputes import DisputeFilter, DisputeRef
from daman_tui.services.seed.run import seed_cases

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def seeded(store, staff):
    seed_cases(store, cases=120, seed=5, branch_code="RYD01", as_of=date(2026, 11, 1))
    return store


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "salary-certificate.pdf"
    path.write_bytes(PDF)
    return path


def _not_eligible_case(store, status: ApplicationStatus) -> tuple[Application, EligibilityDecision]:
    """A case whose latest decision failed the income rule only."""
    with store.read() as session:
        rows = session.exec(
            select(Application, EligibilityDecision)
            .join(
                EligibilityDecision,
                EligibilityDecision.household_id == Application.household_id,  # type: ignore[arg-type]
            )
            .where(Application.status == status)
            .where(EligibilityDecision.eligible == False)  # noqa: E712
            .order_by(col(Application.request_number))
        ).all()
        details = {d.id: decision_detail(session, d.id) for _a, d in rows}
    for app, decision in rows:
        detail = details[decision.id]
        if [r.rule_code for r in detail.reasons if not r.passed] == ["income.threshold"]:
            return app, decision
    raise AssertionError(f"no {status} case failing only the income rule")


def _incomes(store, household_id: str) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT i.id, i.monthly_halalas FROM income_line i JOIN household_member m"
                " ON m.person_id = i.person_id WHERE m.household_id = :h"
                " AND i.deleted_at IS NULL AND m.deleted_at IS NULL"
            ),
            {"h": household_id},
        ).all()
    return dict(rows)


def _objection_by_clerk(
    store, staff, app, decision, pdf: Path, today: date, category: str, reason: str
) -> str:
    return disputes.file_objection(
        store,
        staff.clerk,
        app.id,
        decision.id,
        category=category,
        reason_text=reason,
        attachments=[pdf],
        today=today,
    )


def _audit_count(store) -> int:
    with store.read() as session:
        return len(session.exec(select(AuditEntry.id)).all())


@pytest.fixture
def rejected(seeded, staff):
    """A visit-done case failing the income rule, rejected by ``staff.supervisor``."""
    app, decision = _not_eligible_case(seeded, ApplicationStatus.VISIT_DONE)
    reject(seeded, staff.supervisor, app.id, ["income.threshold"], "الدخل أعلى من الحد")
    return app, decision


def test_an_eligibility_objection_upheld_makes_the_household_eligible(seeded, staff, rejected, pdf):
    app, decision = rejected
    today = decision.as_of + timedelta(days=5)
    choices = disputes.objection_choices(seeded, staff.clerk, app.id, today=today)
    chosen = next(c for c in choices if c.decision.id == decision.id)
    assert chosen.kind is ObjectionKind.ELIGIBILITY and chosen.window_open
    objection_id = _objection_by_clerk(
        seeded,
        staff,
        app,
        decision,
        pdf,
        today,
        "income_changed",
        "انخفض الراتب بعد تغيير جهة العمل",
    )
    with seeded.read() as session:
        stored = session.get(Objection, objection_id)
        docs = session.exec(select(Document).where(Document.objection_id == objection_id)).all()
    assert stored is not None and stored.status == "filed" and stored.confirmed_at is not None
    assert len(docs) == 1 and docs[0].mime_type == "application/pdf" and len(docs[0].sha256) == 64

    # The panel lists it, oldest first, and triage takes it for review.
    queue = disputes.dispute_queue(seeded, staff.supervisor2, today=today)
    row = next(r for r in queue if r.ref.id == objection_id)
    assert row.request_number == app.request_number and row.days_left > 0
    disputes.take_for_review(seeded, staff.supervisor2, row.ref)

    # The what-if: the salary line corrected; nothing stored changes.
    seen = review.objection_review(seeded, staff.supervisor2, objection_id)
    assert staff.supervisor.id in seen.decision_makers
    assert [r.rule_code for r in seen.decision.reasons if not r.passed] == ["income.threshold"]
    incomes = _incomes(seeded, app.household_id)
    corrections = [Correction("income_line", row_id, 0) for row_id in incomes]
    audits = _audit_count(seeded)
    outcome = review.what_if(seeded, staff.supervisor2, objection_id, corrections, today=today)
    assert outcome.decision.eligible and outcome.decision.entitlement_halalas > 0
    assert _incomes(seeded, app.household_id) == incomes
    assert _audit_count(seeded) == audits

    # The supervisor who rejected it may not decide; the other one upholds.
    with pytest.raises(PermissionDenied) as own:
        review.decide_objection(
            seeded,
            staff.supervisor,
            objection_id,
            uphold=True,
            justification="ثبت انخفاض الراتب بالمستند",
            corrections=corrections,
            today=today,
        )
    assert own.value.code == "objection.own_decision"
    decided_on = today + timedelta(days=40)  # two pay days later
    done = review.decide_objection(
        seeded,
        staff.supervisor2,
        objection_id,
        uphold=True,
        justification="ثبت انخفاض الراتب بالمستند المرفق",
        corrections=corrections,
        today=decided_on,
    )
    assert done.new_decision is not None and done.new_decision.eligible
    assert done.new_decision.entitlement_halalas == outcome.decision.entitlement_halalas
    months = len(pay_months(decision.as_of, decided_on))
    assert months >= 1
    assert done.arrears_halalas == months * done.new_decision.entitlement_halalas
    assert "قبول الاعتراض" in done.notification_text and app.request_number in done.reference
    with seeded.read() as session:
        case = session.get(Application, app.id)
        assert case is not None and case.status == ApplicationStatus.APPROVED
        latest = session.exec(
            select(EligibilityDecision)
            .where(EligibilityDecision.household_id == app.household_id)
            .order_by(col(EligibilityDecision.decided_at).desc())
        ).first()
        assert latest is not None and latest.id == done.new_decision.id
        assert latest.decided_by == staff.supervisor2.id
        assert all(
            session.get(IncomeLine, row_id).monthly_halalas == 0  # type: ignore[union-attr]
            for row_id in incomes
        )
        actions = set(session.exec(select(AuditEntry.action)).all())
    assert {"objection.upheld", "objection.corrections", "income_line.correct"} <= actions
    assert "application.objection_upheld" in actions

    # Decided once: a second decision is refused.
    with pytest.raises(IllegalTransition):
        review.decide_objection(
            seeded,
            staff.supervisor2,
            objection_id,
            uphold=False,
            justification="محاولة ثانية للبت",
            today=decided_on,
        )


def test_an_amount_objection_against_paid_months_owes_the_difference(seeded, staff, pdf):
    run_cycle(seeded, staff.supervisor, "2026-12")
    with seeded.read() as session:
        payment, decision = session.exec(
            select(Payment, EligibilityDecision)
            .join(EligibilityDecision, EligibilityDecision.id == Payment.decision_id)  # type: ignore[arg-type]
            .where(Payment.status == PaymentStatus.DUE)
            .order_by(col(Payment.amount_halalas))
        ).first()
        app = session.exec(
            select(Application).where(Application.household_id == payment.household_id)
        ).first()
    assert app is not None and decision.eligible
    objection_id = _objection_by_clerk(
        seeded,
        staff,
        app,
        decision,
        pdf,
        date(2026, 12, 5),
        "amount_wrong",
        "المبلغ أقل من المستحق",
    )
    run_cycle(seeded, staff.supervisor, "2027-01")  # paid at the old amount meanwhile
    incomes = _incomes(seeded, app.household_id)
    corrections = [Correction("income_line", row_id, 0) for row_id in incomes]
    seen = review.what_if(
        seeded, staff.supervisor2, objection_id, corrections, today=date(2027, 1, 10)
    )
    new_amount = seen.decision.entitlement_halalas
    old_amount = payment.amount_halalas
    assert new_amount >= old_amount
    assert seen.arrears.total_halalas == new_amount - old_amount  # January, at the old amount
    # Dismissed instead: nothing in the file changes, the notification says so.
    with pytest.raises(Refused):
        review.decide_objection(
            seeded, staff.supervisor2, objection_id, uphold=False, justification="قصير"
        )
    with pytest.raises(Refused):
        review.decide_objection(
            seeded,
            staff.supervisor2,
            objection_id,
            uphold=False,
            justification="لا يثبت المستند تغير الدخل",
            corrections=corrections,
        )
    done = review.decide_objection(
        seeded,
        staff.supervisor2,
        objection_id,
        uphold=False,
        justification="لا يثبت المستند تغير الدخل",
    )
    assert done.status.value == "dismissed" and done.new_decision is None
    assert "رفض الاعتراض" in done.notification_text
    assert _incomes(seeded, app.household_id) == incomes


def test_filing_refusals(seeded, staff, rejected, pdf, tmp_path):
    app, decision = rejected
    today = decision.as_of + timedelta(days=5)

    def file(**overrides):
        args = {
            "category": "income_changed",
            "reason_text": "انخفض الدخل",
            "attachments": [pdf],
            "today": today,
        } | overrides
        actor = args.pop("actor", staff.clerk)
        return disputes.file_objection(seeded, actor, app.id, decision.id, **args)

    late = decision.as_of + timedelta(days=400)
    with pytest.raises(Refused) as window:
        file(today=late)
    assert window.value.code == "objection.window_closed"
    assert decision.as_of.isoformat() in window.value.message_ar
    renamed = tmp_path / "photo.pdf"
    renamed.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    with pytest.raises(Refused) as not_pdf:
        file(attachments=[renamed])
    assert not_pdf.value.code == "document.type"  # the content is not what the name says
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    with pytest.raises(Refused) as png:
        file(attachments=[pdf, photo])
    assert png.value.code == "dispute.evidence_not_pdf" and "PDF" in png.value.message_ar
    with pytest.raises(Refused):
        file(attachments=[])
    with pytest.raises(Refused):
        file(reason_text="   ")
    with pytest.raises(Refused):
        file(category="made_up")
    with pytest.raises(PermissionDenied):
        file(actor=staff.field_officer)
    with pytest.raises(PermissionDenied):
        file(actor=staff.other_clerk)
    with seeded.read() as session:
        assert (
            session.exec(select(Objection).where(Objection.decision_id == decision.id)).all() == []
        )
    file()
    with pytest.raises(Refused) as twice:
        file()
    assert twice.value.code == "objection.open_exists"


def test_a_clerk_reads_but_cannot_decide_or_triage(seeded, staff, rejected, pdf):
    app, decision = rejected
    today = decision.as_of + timedelta(days=5)
    objection_id = _objection_by_clerk(seeded, staff, app, decision, pdf, today, "other", "سبب آخر")
    # The clerk who filed it reads it (as the case file shows it); deciding is not theirs.
    assert review.objection_review(seeded, staff.clerk, objection_id).reason_text == "سبب آخر"
    with pytest.raises(PermissionDenied):
        review.objection_review(seeded, staff.other_clerk, objection_id)
    for call in (
        lambda: review.what_if(seeded, staff.clerk, objection_id, [], today=today),
        lambda: review.decide_objection(
            seeded, staff.clerk, objection_id, uphold=False, justification="لا أرى سببا كافيا"
        ),
        lambda: disputes.prioritise_disputes(
            seeded, staff.clerk, [DisputeRef("objection", objection_id)], 2
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(PermissionDenied):
        disputes.dispute_queue(seeded, staff.field_officer)


def test_a_what_if_on_rows_of_another_household_is_refused(seeded, staff, rejected, pdf):
    app, decision = rejected
    today = decision.as_of + timedelta(days=5)
    objection_id = _objection_by_clerk(
        seeded, staff, app, decision, pdf, today, "income_changed", "انخفض الدخل"
    )
    with seeded.read() as session:
        foreign = session.exec(select(IncomeLine.id)).all()
    mine = set(_incomes(seeded, app.household_id))
    other = next(i for i in foreign if i not in mine)
    with pytest.raises(Refused) as refused:
        review.what_if(
            seeded, staff.supervisor2, objection_id, [Correction("income_line", other, 0)]
        )
    assert refused.value.code == "correction.row"


def test_complaints_triage_and_resolve_with_a_reissue(seeded, staff, pdf):
    run_cycle(seeded, staff.supervisor, "2026-12")
    run_cycle(seeded, staff.supervisor, "2027-01")
    with seeded.read() as session:
        household = session.exec(
            select(Payment.household_id)
            .join(PaymentCycle, PaymentCycle.id == Payment.cycle_id)  # type: ignore[arg-type]
            .where(Payment.status == PaymentStatus.DUE)
            .where(col(PaymentCycle.month).in_(["2026-12", "2027-01"]))
            .group_by(col(Payment.household_id))
            .having(sa.func.count() == 2)
        ).first()
        payments = session.exec(
            select(Payment)
            .join(PaymentCycle, PaymentCycle.id == Payment.cycle_id)  # type: ignore[arg-type]
            .where(Payment.household_id == household)
            .where(col(PaymentCycle.month).in_(["2026-12", "2027-01"]))
            .order_by(col(PaymentCycle.month))
        ).all()
    first, second = payments
    with seeded.write(staff.supervisor) as uow:
        row = uow.session.get(Payment, first.id)
        uow.update(row, {"status": PaymentStatus.RETURNED}, action="payment.returned")
    ids = [
        disputes.file_complaint(
            seeded,
            staff.clerk,
            p.id,
            category="not_received",
            reason_text="لم تصل الدفعة إلى الحساب",
            attachments=[pdf],
        )
        for p in (first, second)
    ]
    with pytest.raises(Refused) as twice:
        disputes.file_complaint(
            seeded,
            staff.clerk,
            first.id,
            category="held",
            reason_text="مرة ثانية",
            attachments=[pdf],
        )
    assert twice.value.code == "complaint.open_exists"
    refs = [DisputeRef("complaint", i) for i in ids]
    assert disputes.prioritise_disputes(seeded, staff.supervisor, refs, 2) == 2
    assert disputes.assign_disputes(seeded, staff.supervisor, refs, staff.supervisor2.id) == 2
    queue = disputes.dispute_queue(
        seeded, staff.supervisor2, DisputeFilter(kinds=frozenset({"complaint"}), mine=True)
    )
    assert [r.ref.id for r in queue][:2] == ids  # urgent first, then the older
    assert all(r.priority == 2 and r.assignee_name for r in queue[:2])
    with pytest.raises(Refused):
        disputes.assign_disputes(seeded, staff.supervisor, refs, staff.clerk.id)
    disputes.close_as_duplicates(seeded, staff.supervisor, [refs[1]], of=refs[0])
    with seeded.read() as session:
        closed = session.get(FinancialComplaint, ids[1])
    assert closed is not None and closed.status == "duplicate" and closed.duplicate_of_id == ids[0]
    with pytest.raises(Refused):
        disputes.prioritise_disputes(seeded, staff.supervisor, [refs[1]], 1)  # closed already

    with pytest.raises(Refused):
        review.decide_complaint(
            seeded,
            staff.supervisor2,
            ids[0],
            resolve=False,
            justification="لا يوجد خطأ في الصرف",
            reissue=True,
        )
    done = review.decide_complaint(
        seeded,
        staff.supervisor2,
        ids[0],
        resolve=True,
        justification="أعيدت الدفعة لتصحيح رقم الحساب",
        reissue=True,
    )
    assert done.status.value == "resolved" and done.payment_status is PaymentStatus.DUE
    assert "تمت معالجة الشكوى" in done.resolution_text


def test_errors_read_in_both_languages(seeded, staff, rejected, pdf):
    app, decision = rejected
    with pytest.raises(DomainError) as refused:
        disputes.file_objection(
            seeded,
            staff.clerk,
            app.id,
            decision.id,
            category="income_changed",
            reason_text="انخفض الدخل",
            attachments=[pdf],
            today=decision.as_of + timedelta(days=365),
        )
    assert refused.value.message("ar") != refused.value.message("en")
    assert "objection period" in refused.value.message("en")


def test_a_reissue_never_pays_a_suspended_case(seeded, staff, pdf):
    run_cycle(seeded, staff.supervisor, "2026-12")
    with seeded.read() as session:
        held = session.exec(
            select(Payment)
            .join(Application, Application.household_id == Payment.household_id)  # type: ignore[arg-type]
            .where(Application.status == ApplicationStatus.SUSPENDED)
            .where(Payment.status == PaymentStatus.HELD)
        ).first()
    assert held is not None
    complaint = disputes.file_complaint(
        seeded,
        staff.clerk,
        held.id,
        category="held",
        reason_text="الدفعة موقوفة منذ شهرين",
        attachments=[pdf],
    )
    with pytest.raises(IllegalTransition) as refused:
        review.decide_complaint(
            seeded,
            staff.supervisor2,
            complaint,
            resolve=True,
            justification="تعاد الدفعة بعد المراجعة",
            reissue=True,
        )
    assert refused.value.code == "payment.case_suspended"
    with seeded.read() as session:
        assert session.get(Payment, held.id).status == PaymentStatus.HELD  # type: ignore[union-attr]
        assert session.get(FinancialComplaint, complaint).status == "filed"  # type: ignore[union-attr]


def test_an_objection_to_an_outcome_is_linked_and_has_its_own_window(seeded, staff, rejected, pdf):
    app, decision = rejected
    first = _objection_by_clerk(
        seeded,
        staff,
        app,
        decision,
        pdf,
        decision.as_of + timedelta(days=5),
        "income_changed",
        "انخفض الدخل",
    )
    review.decide_objection(
        seeded, staff.supervisor2, first, uphold=False, justification="لا يثبت المستند تغير الدخل"
    )
    # Long after the decision's own window, within the dismissal's: the applicant
    # objects to the outcome; the new record is linked to the first.
    later = date.today() + timedelta(days=20)
    choice = next(
        c
        for c in disputes.objection_choices(seeded, staff.clerk, app.id, today=later)
        if c.decision.id == decision.id
    )
    assert choice.window_open and choice.window_first >= date.today() - timedelta(days=1)
    second = _objection_by_clerk(
        seeded, staff, app, decision, pdf, later, "other", "أعترض على رفض الاعتراض الأول"
    )
    with seeded.read() as session:
        stored = session.get(Objection, second)
    assert stored is not None and stored.parent_id == first
    row = next(r for r in disputes.dispute_queue(seeded, staff.supervisor) if r.ref.id == second)
    assert row.linked_to == first
    with pytest.raises(Refused) as closed:
        disputes.file_objection(
            seeded,
            staff.clerk,
            app.id,
            decision.id,
            category="other",
            reason_text="مرة ثالثة",
            attachments=[pdf],
            today=date.today() + timedelta(days=400),
        )
    assert closed.value.code in ("objection.window_closed", "objection.open_exists")


def test_the_overdue_filter_is_not_cut_short_by_the_limit(store, staff):
    """Overdue is decided per row after the read: the limit must apply after it."""
    seed_cases(store, cases=600, seed=7, branch_code="RYD01", as_of=date(2026, 11, 1))
    mine = DisputeFilter(kinds=frozenset({"objection"}))
    filed = sorted(r.filed_on for r in disputes.dispute_queue(store, staff.supervisor, mine))
    today = filed[len(filed) // 2] + timedelta(days=3)  # the older half overdue, not all
    everything = disputes.dispute_queue(store, staff.supervisor, mine, today=today)
    overdue = [r.ref for r in everything if r.days_left < 0]
    on_time = [r.ref for r in everything if r.days_left >= 0]
    assert overdue and on_time, "the seed has both"
    # The records still on time come first in the order (urgent), the overdue ones last.
    disputes.prioritise_disputes(store, staff.supervisor, on_time, 2)
    disputes.prioritise_disputes(store, staff.supervisor, overdue, 0)
    shown = disputes.dispute_queue(
        store,
        staff.supervisor,
        replace(mine, overdue=True),
        today=today,
        limit=len(overdue),
    )
    assert sorted(r.ref.id for r in shown) == sorted(ref.id for ref in overdue)
