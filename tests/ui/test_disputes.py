"""The review panel and the review screens driven by keys: a supervisor upholds an
objection after a what-if, dismisses one, triages several at once and resolves a
complaint; a clerk never reaches the panel and the maker of a decision cannot decide it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest
import sqlalchemy as sa
from sqlmodel import col, select
from textual.widgets import Checkbox, Label, OptionList

from daman_tui.app import make_app
from daman_tui.db.models import (
    Application,
    EligibilityDecision,
    FinancialComplaint,
    IncomeLine,
    Objection,
    Payment,
)
from daman_tui.domain.disputes import Correction
from daman_tui.domain.enums import ApplicationStatus, PaymentStatus
from daman_tui.domain.money import format_money
from daman_tui.screens.case_file import CasePanel
from daman_tui.screens.dialogs.review_dialogs import (
    CorrectionDialog,
    DecideDialog,
    DisputeFilterDialog,
    PickDialog,
)
from daman_tui.screens.dispute_review import (
    WRAP,
    ComplaintReviewScreen,
    ObjectionReviewScreen,
)
from daman_tui.screens.disputes import DisputesScreen
from daman_tui.screens.home import HomeScreen
from daman_tui.services import review
from daman_tui.text.catalog import t
from daman_tui.text.display import visual, wrap
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.line_table import LineTable
from tests.services.test_disputes import PDF, _incomes
from tests.ui.dispute_data import (
    complain,
    income_objection,
    returned_payment,
    seed_branch,
    write_pdf,
)
from tests.ui.test_shell import SIZE, label_text, settle

JUSTIFICATION = "ثبت انخفاض الدخل بالمستند المرفق"

D = TypeVar("D")


@pytest.fixture
def seeded(store, staff):
    return seed_branch(store)


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path)


@pytest.fixture
def objection(seeded, staff, pdf) -> tuple[Application, EligibilityDecision, str]:
    return income_objection(seeded, staff, pdf, "انخفض الراتب بعد تغيير جهة العمل")


def _said(app) -> list[str]:
    return [n.message for n in app._notifications]


def _footer_keys(screen) -> set[str]:
    return {key for key, b in screen.active_bindings.items() if b.binding.show}


async def _panel_from_home(pilot) -> DisputesScreen:
    """The panel, chosen in the home menu with the arrows and Enter."""
    await settle(pilot)
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    menu = home.query_one("#home-menu", OptionList)
    ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
    while menu.highlighted != ids.index("open_disputes"):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    panel = pilot.app.screen
    assert isinstance(panel, DisputesScreen)
    return panel


async def _review(pilot, actor, objection_id: str) -> ObjectionReviewScreen:
    """The review of ``objection_id``, opened as ``actor`` (the panel's Enter, directly)."""
    await settle(pilot)
    await pilot.app.push_screen(ObjectionReviewScreen(pilot.app.store, actor, objection_id))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ObjectionReviewScreen) and screen.record is not None
    return screen


async def _dialog(pilot, key: str, kind: type[D]) -> D:
    """The dialog ``key`` opens."""
    await pilot.press(key)
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, kind)
    return dialog


async def _search(pilot, panel: DisputesScreen, text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await settle(pilot)
    assert panel.focused is panel.table


async def _only_kind(pilot, panel: DisputesScreen, kind: str) -> None:
    """Tick ``kind`` in the filters (Space on the list) and apply (Ctrl+S)."""
    await pilot.press("f")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, DisputeFilterDialog)
    kinds = dialog.query_one("#filter-kinds", OptionList)
    while kinds.highlighted != ("objection", "complaint").index(kind):
        await pilot.press("down")
    await pilot.press("space", "ctrl+s")
    await settle(pilot)
    assert panel.filter.kinds == {kind}


async def test_a_supervisor_upholds_the_oldest_objection_after_a_what_if(
    seeded, staff, objection, monkeypatch
):
    case, _decision, objection_id = objection
    incomes = _incomes(seeded, case.household_id)
    corrections = [Correction("income_line", row_id, 0) for row_id in incomes]
    expected = review.what_if(seeded, staff.supervisor2, objection_id, corrections)
    assert expected.decision.eligible
    app = make_app(seeded, actor=staff.supervisor2)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _panel_from_home(pilot)
        assert panel.sub_title == t("review.panel.title", "ar")
        await _only_kind(pilot, panel, "objection")
        rows = panel.table.rows
        assert rows and all(r.ref.kind == "objection" for r in rows)
        # Urgent first, then the oldest.
        assert [(-r.priority, r.filed_on) for r in rows] == sorted(
            (-r.priority, r.filed_on) for r in rows
        )
        await _search(pilot, panel, case.request_number)
        assert [r.ref.id for r in panel.table.rows] == [objection_id]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ObjectionReviewScreen) and screen.record is not None

        # Opening it took it for review, as the reader's.
        with seeded.read() as session:
            stored = session.get(Objection, objection_id)
        assert stored is not None and stored.status == "under_review"
        assert stored.assigned_to == staff.supervisor2.id

        # The reasons beside the claim and its evidence.
        reasons = label_text(app, "#decision-text")
        failed = [r for r in screen.record.decision.reasons if not r.passed]
        assert reasons.count("✗") == len(failed) == 1
        assert reasons.count("✓") == len(screen.record.decision.reasons) - 1
        assert visual(t("case.not_eligible", "ar")) in reasons
        evidence = screen.query_one("#review-evidence", LineTable)
        assert evidence.row_count == 1
        assert "salary-certificate.pdf" in [c.plain for c in evidence.get_row_at(0)]
        assert visual("انخفض الراتب بعد تغيير جهة العمل") in label_text(app, "#claim-text")
        # Enter on the evidence opens the stored PDF with the system's viewer.
        opened: list[str] = []
        monkeypatch.setattr(app, "open_url", lambda url, **_kw: opened.append(url))
        evidence.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert len(opened) == 1 and opened[0].startswith("file://")
        assert Path(opened[0].removeprefix("file://")).read_bytes() == PDF
        screen.query_one("#review-rows").focus()
        await pilot.pause()

        # The what-if: each income line typed down to nothing, in Arabic-Indic digits.
        rows_table = screen.query_one("#review-rows", LineTable)
        assert screen.focused is rows_table
        for row_id in incomes:
            rows_table.move_cursor(rows_table.row_keys.index(row_id))
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, CorrectionDialog)
            await pilot.press("٠", "enter")
            await settle(pilot)
        assert app.screen is screen
        assert set(screen.corrections) == {("income_line", i) for i in incomes}
        assert screen.outcome is not None and screen.outcome.decision.eligible
        result = label_text(app, "#result-text")
        amount = format_money(expected.decision.entitlement_halalas, "ar")
        assert visual(f"{t('case.eligible', 'ar')} — {amount}") in result
        arrears = format_money(expected.arrears.total_halalas, "ar")
        assert arrears.split()[0] in result
        # Nothing is stored by a what-if.
        assert _incomes(seeded, case.household_id) == incomes

        # Uphold, with the justification.
        assert {"u", "x"} <= _footer_keys(screen)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, DecideDialog)
        await pilot.press(*JUSTIFICATION, "enter")
        await settle(pilot)
        assert app.screen is screen
        assert visual(t("review.decide.uphold_done", "ar")) in _said(app)
        assert not {"u", "x"} & _footer_keys(screen)
        result = label_text(app, "#result-text")
        assert visual(t("review.outcome.notification", "ar")) in result
        with seeded.read() as session:
            stored = session.get(Objection, objection_id)
        assert stored is not None and stored.notification_text
        # The applicant's notification, as they read it, under the outcome.
        first = wrap(stored.notification_text, WRAP)[0]
        assert visual(first) in result

    with seeded.read() as session:
        stored = session.get(Objection, objection_id)
        assert stored is not None
        assert stored.status == "upheld" and stored.outcome == "upheld"
        assert stored.decided_by == staff.supervisor2.id
        assert stored.justification == JUSTIFICATION
        assert stored.arrears_halalas == expected.arrears.total_halalas
        assert JUSTIFICATION in stored.notification_text
        assert case.request_number in stored.notification_text
        new = session.get(EligibilityDecision, stored.new_decision_id)
        assert new is not None and new.eligible
        assert new.entitlement_halalas == expected.decision.entitlement_halalas
        assert all(session.get(IncomeLine, i).monthly_halalas == 0 for i in incomes)  # type: ignore[union-attr]
        after = session.get(Application, case.id)
        assert after is not None and after.status == ApplicationStatus.APPROVED


async def test_a_dismissal_needs_a_real_justification(seeded, staff, objection):
    _case, _decision, objection_id = objection
    app = make_app(seeded, actor=staff.supervisor2)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(pilot, staff.supervisor2, objection_id)
        dialog = await _dialog(pilot, "x", DecideDialog)
        await pilot.press(*"قصير", "enter")
        await settle(pilot)
        assert app.screen is dialog, "a refusal keeps the dialog open"
        error = label_text(app, "#dialog-error")
        assert "10" in error and error.strip()
        field = dialog.query_one("#decide-text", BidiInput)
        assert field.value == "قصير"
        await pilot.press(*" ولم يثبت تغير الدخل", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert visual(t("review.decide.dismiss_done", "ar")) in _said(app)
    with seeded.read() as session:
        stored = session.get(Objection, objection_id)
    assert stored is not None and stored.status == "dismissed"
    assert stored.justification == "قصير ولم يثبت تغير الدخل"
    assert stored.new_decision_id is None and "رفض الاعتراض" in stored.notification_text


def _household_with_two_payments(store) -> tuple[Application, list[Payment]]:
    with store.read() as session:
        household = session.exec(
            select(Payment.household_id)
            .group_by(col(Payment.household_id))
            .having(sa.func.count() >= 2)
            .order_by(col(Payment.household_id))
        ).first()
        payments = session.exec(
            select(Payment).where(Payment.household_id == household).limit(2)
        ).all()
        app = session.exec(select(Application).where(Application.household_id == household)).one()
    return app, list(payments)


async def test_bulk_assign_prioritise_and_close_as_duplicate(seeded, staff, pdf):
    case, payments = _household_with_two_payments(seeded)
    ids = [
        complain(seeded, staff, p.id, pdf, "not_received", "لم تصل الدفعة إلى الحساب")
        for p in payments
    ]
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _panel_from_home(pilot)
        await _only_kind(pilot, panel, "complaint")
        await _search(pilot, panel, case.request_number)
        assert sorted(r.ref.id for r in panel.table.rows) == sorted(ids)
        await pilot.press("space", "down", "space")
        assert len(panel.table.marked) == 2
        assert visual(t("review.panel.marked", "ar", count=2)) in label_text(app, "#disputes-state")

        # Assign both to the other supervisor.
        dialog = await _dialog(pilot, "a", PickDialog)
        names = [label for _key, label in dialog.options]
        options = dialog.query_one("#pick-options", OptionList)
        while options.highlighted != names.index(staff.supervisor2.full_name):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is panel
        said = t("review.triage.assigned", "ar", count=2, name=staff.supervisor2.full_name)
        assert visual(said) in _said(app)

        # Urgent, both (still marked).
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PickDialog) and dialog.options[0][0] == "2"
        await pilot.press("home", "enter")
        await settle(pilot)
        with seeded.read() as session:
            stored = [session.get(FinancialComplaint, i) for i in ids]
        assert all(c is not None and c.priority == 2 for c in stored)
        assert all(c is not None and c.assigned_to == staff.supervisor2.id for c in stored)
        assert all(r.assignee_name == staff.supervisor2.full_name for r in panel.table.rows)

        # The highlighted one is kept; the other closes as its duplicate.
        kept = panel.table.current
        assert kept is not None
        dialog = await _dialog(pilot, "d", PickDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is panel
        assert [r.ref for r in panel.table.rows] == [kept.ref]
        assert not panel.table.marked
    other = next(i for i in ids if i != kept.ref.id)
    with seeded.read() as session:
        closed = session.get(FinancialComplaint, other)
    assert closed is not None and closed.status == "duplicate"
    assert closed.duplicate_of_id == kept.ref.id


async def test_a_duplicate_of_another_household_is_refused_in_the_dialog(seeded, staff, pdf):
    with seeded.read() as session:
        households = session.exec(
            select(Payment.household_id).distinct().order_by(col(Payment.household_id)).limit(2)
        ).all()
        payments = [
            session.exec(select(Payment).where(Payment.household_id == h)).first()
            for h in households
        ]
    for p in payments:
        assert p is not None
        complain(seeded, staff, p.id, pdf, "held", "الدفعة موقوفة دون سبب")
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _panel_from_home(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert visual(t("review.triage.duplicate_needs_two", "ar")) in _said(app)
        filed = [r for r in panel.table.rows if r.category == "held"]
        assert len(filed) == 2
        panel.table.marked = {filed[1].ref}
        panel.table.move_cursor(panel.table.rows.index(filed[0]))
        dialog = await _dialog(pilot, "d", PickDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert label_text(app, "#dialog-error").strip()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is panel


async def test_a_clerk_has_no_panel(seeded, staff):
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#home-menu", OptionList)
        ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
        assert "open_disputes" not in ids
        assert "review.panel.command" not in [c.key for c in app.palette_commands()]
        await app.run_action("open_disputes")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert visual(t("review.panel.refused", "ar")) in _said(app)
    supervisor = make_app(seeded, actor=staff.supervisor)
    assert "review.panel.command" in [c.key for c in supervisor.palette_commands()]


async def test_the_maker_of_the_decision_reads_why_they_cannot_decide(seeded, staff, objection):
    _case, _decision, objection_id = objection
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review(pilot, staff.supervisor, objection_id)
        assert staff.supervisor.id in screen.record.decision_makers
        note = label_text(app, "#review-note")
        assert visual(t("review.objection.own_decision", "ar")) in note
        assert not {"u", "x"} & _footer_keys(screen)
        await pilot.press("u", "x")
        await settle(pilot)
        assert app.screen is screen
    with seeded.read() as session:
        stored = session.get(Objection, objection_id)
    # Not taken for review by someone who may not decide it.
    assert stored is not None and stored.status == "filed" and stored.assigned_to is None


async def test_a_complaint_about_a_returned_payment_is_resolved_with_a_reissue(seeded, staff, pdf):
    returned = returned_payment(seeded, staff)
    complaint_id = complain(
        seeded, staff, returned.id, pdf, "returned", "أعاد البنك الدفعة بعد تحديث الحساب"
    )
    app = make_app(seeded, actor=staff.supervisor2)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _panel_from_home(pilot)
        panel.table.move_cursor([r.ref.id for r in panel.table.rows].index(complaint_id))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComplaintReviewScreen) and screen.record is not None
        payment = label_text(app, "#payment-text")
        assert visual(format_money(returned.amount_halalas, "ar")) in payment
        assert visual(t("enum.PaymentStatus.returned", "ar")) in payment
        assert {"r", "x"} <= _footer_keys(screen)
        dialog = await _dialog(pilot, "r", DecideDialog)
        assert dialog.query_one("#decide-reissue", Checkbox).value
        await pilot.press(*"حُدّث الحساب فتعاد الدفعة المرتجعة", "enter")
        await settle(pilot)
        assert app.screen is screen, label_text(app, "#dialog-error")
        assert visual(t("review.decide.resolve_done", "ar")) in _said(app)
        result = label_text(app, "#result-text")
        assert visual(t("review.outcome.notification", "ar")) in result
    with seeded.read() as session:
        stored = session.get(FinancialComplaint, complaint_id)
        paid = session.get(Payment, returned.id)
    assert stored is not None and stored.status == "resolved"
    assert "تمت معالجة الشكوى" in stored.resolution_text
    assert paid is not None and paid.status == PaymentStatus.DUE and paid.held_reason == ""


async def test_the_case_file_opens_the_decided_objection_with_its_notification(
    seeded, staff, objection
):
    """After the uphold, the clerk at the counter reads the outcome from the case file:
    the new decision in section 2, and Enter on the objection shows the arrears and the
    applicant's notification, read only."""
    app_row, decision, objection_id = objection
    decided = review.decide_objection(
        seeded,
        staff.supervisor2,
        objection_id,
        uphold=True,
        justification=JUSTIFICATION,
        corrections=[
            Correction("income_line", c.row_id, 0)
            for c in review.objection_review(seeded, staff.supervisor2, objection_id).correctable
            if c.table == "income_line"
        ],
        today=decision.as_of + timedelta(days=40),
    )
    assert decided.new_decision is not None and decided.new_decision.eligible
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action(f"open_case({app_row.id!r})")
        await settle(pilot)
        panel = app.screen.query_one(CasePanel)
        assert panel.view is not None and panel.view.decision is not None
        assert panel.view.decision.id == decided.new_decision.id
        await pilot.press("6")
        await settle(pilot)
        page = panel.query_one("#page-objections", LineTable)
        page.focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ObjectionReviewScreen) and screen.record is not None
        shown = " ".join(str(label.visual) for label in screen.query(Label))
        assert visual(decided.notification_text.splitlines()[0][:30]) in shown or (
            decided.reference in shown
        )
        assert not {"u", "x"} & _footer_keys(screen), "a clerk reads, never decides"
        with seeded.read() as session:
            stored = session.get(Objection, objection_id)
        assert stored is not None and stored.status == "upheld"  # opening changed nothing
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(CasePanel).application_id == app_row.id
