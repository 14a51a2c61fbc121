"""Filing an objection or a financial complaint from the case file, by keys: the clerk
picks the decision (its window judged on a pinned day), writes the reason in Arabic over
several lines, attaches PDFs with the file picker and confirms; every refusal stays in the
dialog with nothing lost; those who may not file never see the keys."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Label, OptionList

from daman_tui.app import make_app
from daman_tui.db.models import (
    Application,
    AppUser,
    Document,
    FinancialComplaint,
    HomeVisit,
    Objection,
)
from daman_tui.domain.dates import format_hijri
from daman_tui.domain.enums import ApplicationStatus as S
from daman_tui.domain.enums import DocumentType
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.money import format_money
from daman_tui.domain.permissions import Actor
from daman_tui.screens.case_file import CaseFileScreen, CasePanel
from daman_tui.screens.dialogs.file_picker import FilePickerScreen
from daman_tui.screens.dialogs.filing import WRAP, FilingCase, FilingDialog
from daman_tui.services.case_file import case_file, household_payments
from daman_tui.services.disputes import DecisionChoice, file_objection, objection_choices, reference
from daman_tui.services.documents import MIB, check_file
from daman_tui.services.seed.run import seed_cases
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import rtext_wrapped, visual
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.lines_input import LinesInput
from tests.ui.snapshot_apps import pin_node_tag, signed_in_app
from tests.ui.test_shell import SIZE, settle
from tests.ui.test_snapshots import _show

AS_OF = date(2025, 9, 1)
"""The day the demo data is drawn on (its decisions are months or years older)."""

REASON = ("انتهى عقد العمل", "ولا راتب الآن (مرفق الخطاب)")
"""Typed key by key over two lines (the pilot types no Arabic comma nor harakat: those
are pasted in the line-editing test)."""


@pytest.fixture
def seeded(store, staff):
    pin_node_tag(store)
    seed_cases(store, cases=40, seed=5, branch_code="RYD01", as_of=AS_OF)
    return store


def _pdf(folder: Path, name: str = "إنهاء-الخدمة.pdf", body: bytes = b"letter") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"%PDF-1.4\n% " + body + b"\n%%EOF\n")
    return path


def _objectable(store, clerk: Actor, status: S = S.REJECTED) -> Application:
    """The first case in ``status`` whose latest decision has no objection under review."""
    with store.read() as session:
        apps = session.exec(
            select(Application)
            .where(Application.status == status)
            .order_by(col(Application.request_number))
        ).all()
    for app in apps:
        choices = objection_choices(store, clerk, app.id, today=AS_OF)
        if choices and choices[0].open_objection is None:
            return app
    raise AssertionError(f"no {status} case to object to")


def _paid(store) -> Application:
    """The first approved case with a payment and no complaint about any."""
    with store.read() as session:
        apps = session.exec(
            select(Application)
            .where(Application.status == S.APPROVED)
            .order_by(col(Application.request_number))
        ).all()
        for app in apps:
            payments = household_payments(session, app.household_id)
            if payments and not any(p.open_complaint for p in payments):
                return app
    raise AssertionError("no paid case")


async def _open(pilot: Pilot[None], app_id: str) -> CasePanel:
    await settle(pilot)
    await pilot.app.run_action(f"open_case({app_id!r})")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseFileScreen)
    assert screen.panel.loaded and screen.panel.view is not None
    return screen.panel


def _footer_keys(panel: CasePanel) -> set[str]:
    return {key for key, b in panel.screen.active_bindings.items() if b.binding.show}


def _shown(dialog: FilingDialog, selector: str) -> str:
    return str(dialog.query_one(selector, Label).visual)


def _option(dialog: FilingDialog, index: int) -> str:
    options = dialog.query_one("#filing-decisions", OptionList)
    return str(options.get_option_at_index(index).prompt)


def _decision_line(choice: DecisionChoice, window: str) -> str:
    """A decision as step 1 lists it (logical): its day, result and window."""
    return t(
        "filing.decision_line",
        "ar",
        on=choice.decision.as_of.isoformat(),
        result=t("case.not_eligible", "ar"),
        window=window,
    )


def _said(message: str) -> str:
    """What the dialog shows for ``message`` (wrapped, drawn)."""
    return rtext_wrapped(message, "ar", WRAP).plain


async def _paste(pilot: Pilot[None], text: str) -> None:
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def _attach(pilot: Pilot[None], path: Path) -> None:
    """Ctrl+O, the path pasted into the picker, Enter; the check waited for."""
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FilePickerScreen)
    await _paste(pilot, str(path))
    await pilot.press("enter")
    await settle(pilot)


async def _reason_step(pilot: Pilot[None], panel: CasePanel, today: date) -> FilingDialog:
    """J, then the newest decision taken (its window open on ``today``)."""
    panel.today = today
    await pilot.press("j")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, FilingDialog) and dialog.today == today
    assert dialog.step == "decision"
    await pilot.press("enter")
    await pilot.pause()
    assert dialog.step == "reason", _shown(dialog, "#filing-error")
    return dialog


async def _write_reason(pilot: Pilot[None]) -> None:
    """The first category, then the reason typed over two lines."""
    await pilot.press("down", "enter")
    await pilot.press(*REASON[0], "enter", *REASON[1])


def _objections(store, household_id: str) -> list[Objection]:
    with store.read() as session:
        return list(
            session.exec(
                select(Objection)
                .where(Objection.household_id == household_id)
                .order_by(col(Objection.filed_at))
            ).all()
        )


async def test_a_clerk_files_an_objection_with_arabic_text_and_a_pdf(seeded, staff, tmp_path):
    case = _objectable(seeded, staff.clerk)
    pdf = _pdf(tmp_path / "scans")
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        decision = panel.view.decision
        assert decision is not None
        assert "j" in _footer_keys(panel)
        panel.today = decision.as_of + timedelta(days=5)
        await pilot.press("j")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilingDialog)
        # Step 1: the newest decision highlighted, open until its last day, its reasons shown.
        choice = dialog.choices[0]
        assert choice.decision.id == decision.id and choice.window_open
        options = dialog.query_one("#filing-decisions", OptionList)
        assert options.highlighted == 0
        open_until = t("filing.window_open", "ar", last=choice.window_last.isoformat())
        assert _option(dialog, 0) == visual(_decision_line(choice, open_until))
        reasons = _shown(dialog, "#filing-reasons")
        assert reasons.count("✓") + reasons.count("✗") == len(decision.reasons)
        assert visual(decision.reasons[0].message_ar) in reasons
        await pilot.press("enter")
        assert dialog.step == "reason"
        await _write_reason(pilot)
        text = dialog.query_one("#filing-text", LinesInput)
        assert len(text.lines) == 2 and text.value == "\n".join(REASON)
        await _attach(pilot, pdf)
        assert app.screen is dialog
        assert [a.path for a in dialog.attachments] == [pdf]
        await pilot.press("ctrl+s")
        assert dialog.step == "confirm"
        summary = _shown(dialog, "#filing-summary")
        assert visual(REASON[0]) in summary and visual(pdf.name) in summary
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is panel.screen
        filed = _objections(seeded, case.household_id)[-1]
        assert filed.decision_id == decision.id and filed.status == "filed"
        assert filed.reason_text == "\n".join(REASON)
        assert filed.reason_category == "income_changed" and filed.confirmed_at is not None
        ref = reference("objection", case.request_number, filed.id)
        said = [n.message for n in app._notifications]
        assert visual(t("filing.filed_objection", "ar", reference=ref)) in said
        # The panel read the case again, on its objections.
        assert panel.query_one("#case-pages").current == "page-objections"
        assert filed.id in [o.id for o in panel.view.objections]
        assert panel.query_one("#page-objections", LineTable).row_count == len(
            panel.view.objections
        )
    with seeded.read() as session:
        docs = session.exec(select(Document).where(Document.objection_id == filed.id)).all()
    assert [d.file_name for d in docs] == [pdf.name]
    assert docs[0].doc_type == DocumentType.OBJECTION_EVIDENCE
    assert docs[0].mime_type == "application/pdf"
    assert docs[0].sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()


async def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_lost(seeded, staff, tmp_path):
    case = _objectable(seeded, staff.clerk)
    first = _pdf(tmp_path, "one.pdf", b"one")
    second = _pdf(tmp_path, "two.pdf", b"two")
    fake = tmp_path / "photo.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n not a pdf at all")
    with pytest.raises(ValidationError) as refused:
        check_file(fake, 10 * MIB)
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        assert panel.view.decision is not None
        dialog = await _reason_step(pilot, panel, panel.view.decision.as_of + timedelta(days=5))
        await _write_reason(pilot)
        await _attach(pilot, first)
        await _attach(pilot, fake)
        assert app.screen is dialog
        assert _shown(dialog, "#filing-error") == _said(refused.value.message("ar"))
        assert [a.path for a in dialog.attachments] == [first]
        assert dialog.query_one("#filing-text", LinesInput).value == "\n".join(REASON)
        assert dialog.query_one("#filing-category", OptionList).highlighted == 0
        # Two attached, the first removed with Delete on it.
        await _attach(pilot, second)
        files = dialog.query_one("#filing-files", OptionList)
        files.focus()
        files.highlighted = 0
        await pilot.press("delete")
        assert [a.path for a in dialog.attachments] == [second]
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert app.screen is panel.screen
    filed = _objections(seeded, case.household_id)[-1]
    with seeded.read() as session:
        docs = session.exec(select(Document).where(Document.objection_id == filed.id)).all()
    assert [d.file_name for d in docs] == ["two.pdf"]


async def test_outside_the_window_the_dates_are_shown_and_nothing_is_filed(seeded, staff, tmp_path):
    case = _objectable(seeded, staff.clerk)
    choice = objection_choices(seeded, staff.clerk, case.id, today=AS_OF)[0]
    late = choice.window_last + timedelta(days=1)
    before = len(_objections(seeded, case.household_id))
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        panel.today = late
        await pilot.press("j")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilingDialog)
        assert not dialog.choices[0].window_open
        first, last = choice.window_first, choice.window_last
        closed = t("filing.window_closed", "ar", first=first.isoformat(), last=last.isoformat())
        assert _option(dialog, 0) == visual(_decision_line(choice, closed))
        await pilot.press("enter")
        assert dialog.step == "decision", "a closed decision cannot be taken"
        both = {
            name: f"{day.isoformat()} ({format_hijri(day, 'ar')})"
            for name, day in (("first", first), ("last", last))
        }
        refusal = t("filing.window_closed_refused", "ar", **both)
        assert _shown(dialog, "#filing-error") == _said(refusal)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is panel.screen
        # Open when the clerk starts; closed by the time they confirm: the service says so.
        dialog = await _reason_step(pilot, panel, choice.window_last)
        await _write_reason(pilot)
        await _attach(pilot, _pdf(tmp_path))
        await pilot.press("ctrl+s")
        dialog.today = late
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and dialog.step == "decision"
        with pytest.raises(ValidationError) as refused:
            file_objection(
                seeded,
                staff.clerk,
                case.id,
                choice.decision.id,
                category="income_changed",
                reason_text="x",
                attachments=[_pdf(tmp_path)],
                today=late,
            )
        assert refused.value.code == "objection.window_closed"
        assert _shown(dialog, "#filing-error") == _said(refused.value.message("ar"))
        assert dialog.query_one("#filing-text", LinesInput).value == "\n".join(REASON)
        assert len(dialog.attachments) == 1
    assert len(_objections(seeded, case.household_id)) == before


async def test_a_missing_reason_or_attachment_is_refused_in_the_dialog(seeded, staff, tmp_path):
    case = _objectable(seeded, staff.clerk)
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        assert panel.view.decision is not None
        dialog = await _reason_step(pilot, panel, panel.view.decision.as_of + timedelta(days=5))
        await pilot.press("down", "enter")
        await _attach(pilot, _pdf(tmp_path))
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        # No reason: back on the reason step, the service's words, the caret in the text.
        assert app.screen is dialog and dialog.step == "reason"
        assert _shown(dialog, "#filing-error") == _said("هذا الحقل مطلوب.")
        assert app.focused in dialog.query_one("#filing-text", LinesInput).lines
        await pilot.press(*"تغير دخل الأسرة")
        files = dialog.query_one("#filing-files", OptionList)
        files.focus()
        files.highlighted = 0
        await pilot.press("delete")
        assert dialog.attachments == []
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and dialog.step == "reason"
        error = _shown(dialog, "#filing-error")
        assert error == _said("أرفق ملف PDF واحدًا على الأقل يثبت ما يذكره المستفيد.")
        assert app.focused is files
        assert dialog.query_one("#filing-text", LinesInput).value == "تغير دخل الأسرة"
    assert all(o.reason_text != "تغير دخل الأسرة" for o in _objections(seeded, case.household_id))


def _officer_of(store, app_id: str) -> Actor:
    """The field officer who visited ``app_id`` (the only case files they may open)."""
    with store.read() as session:
        visit = session.exec(select(HomeVisit).where(HomeVisit.application_id == app_id)).first()
        assert visit is not None and visit.assigned_to is not None
        user = session.get(AppUser, visit.assigned_to)
        assert user is not None
        return Actor(user.id, user.username, user.full_name, user.role, user.branch_id)


async def test_only_those_who_may_file_see_the_keys(seeded, staff):
    case = _paid(seeded)
    for actor, offered in (
        (_officer_of(seeded, case.id), False),
        (staff.admin, False),
        (staff.supervisor, True),
    ):
        app = make_app(seeded, actor=actor)
        async with app.run_test(size=SIZE) as pilot:
            panel = await _open(pilot, case.id)
            assert ("j" in _footer_keys(panel)) is offered, actor.role
            await pilot.press("7")
            assert ("c" in _footer_keys(panel)) is offered, actor.role
            if not offered:
                for key in ("j", "c"):
                    await pilot.press(key)
                    await pilot.pause()
                    assert app.screen is panel.screen
                table = panel.query_one("#page-payments", LineTable)
                table.focus()
                await pilot.press("enter")
                await pilot.pause()
                assert app.screen is panel.screen


async def test_a_complaint_from_a_payment_row(seeded, staff, tmp_path):
    case = _paid(seeded)
    pdf = _pdf(tmp_path, "كشف-حساب.pdf")
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        assert "c" not in _footer_keys(panel), "only on the payments"
        await pilot.press("7")
        await settle(pilot)
        assert "c" in _footer_keys(panel)
        table = panel.query_one("#page-payments", LineTable)
        table.focus()
        await pilot.press("down")
        payment = panel.view.payments[table.cursor_row]
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilingDialog)
        assert dialog.payment == payment and dialog.steps == ("reason", "confirm")
        subject = t(
            "filing.subject_payment",
            "ar",
            month=payment.cycle_month,
            amount=format_money(payment.amount_halalas, "ar"),
            status=enum_label(payment.status, "ar"),
        )
        assert _shown(dialog, "#filing-subject") == _said(subject)
        await pilot.press("down", "enter")  # the first category: not received
        await pilot.press(*"لم تصل الدفعة إلى الحساب")
        await _attach(pilot, pdf)
        await pilot.press("ctrl+s")
        assert dialog.step == "confirm"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is panel.screen
        with seeded.read() as session:
            complaint = session.exec(
                select(FinancialComplaint).where(FinancialComplaint.payment_id == payment.id)
            ).one()
            docs = session.exec(select(Document).where(Document.complaint_id == complaint.id)).all()
        assert complaint.reason_category == "not_received"
        assert complaint.reason_text == "لم تصل الدفعة إلى الحساب"
        assert [d.sha256 for d in docs] == [hashlib.sha256(pdf.read_bytes()).hexdigest()]
        ref = reference("complaint", case.request_number, complaint.id)
        said = [n.message for n in app._notifications]
        assert visual(t("filing.filed_complaint", "ar", reference=ref)) in said
        assert panel.query_one("#case-pages").current == "page-complaints"
        assert complaint.id in [c.id for c in panel.view.complaints]
        # The payment now says so, and a second complaint about it is not started.
        await pilot.press("7")
        await settle(pilot)
        assert next(p for p in panel.view.payments if p.id == payment.id).open_complaint
        table.focus()
        table.move_cursor([p.id for p in panel.view.payments].index(payment.id))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is panel.screen


async def test_the_reason_keeps_its_lines_through_enter_backspace_and_paste(seeded, staff):
    case = _objectable(seeded, staff.clerk)
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        assert panel.view.decision is not None
        dialog = await _reason_step(pilot, panel, panel.view.decision.as_of)
        text = dialog.query_one("#filing-text", LinesInput)
        text.focus()
        await pilot.press(*"سطر أول", "enter", *"ثان")
        assert text.value == "سطر أول\nثان"
        await pilot.press("home", "backspace")  # joins the second line to the first
        await pilot.pause()
        assert text.value == "سطر أولثان" and len(text.lines) == 1
        await pilot.press("enter")
        await _paste(pilot, "أ\nبً،\nج")
        assert text.value == "سطر أول\nأ\nبً،\nجثان"
        assert len(text.lines) == 4
        await pilot.press("up", "up", "end", "delete")
        await pilot.pause()
        assert text.value == "سطر أول\nأبً،\nجثان"
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#filing-files")


# ---- snapshots ---------------------------------------------------------------------------
SNAP_TODAY = AS_OF


class TestFilingDialog:
    def _dialog(self, store, clerk: Actor, case: Application, today: date) -> FilingDialog:
        head = case_file(store, clerk, case.id, brief=True).summary.head_name
        return FilingDialog(
            store, clerk, FilingCase(case.id, case.request_number, head), "ar", today=today
        )

    def test_the_decision_step_arabic(self, snap_compare, seeded, staff):
        case = _objectable(seeded, staff.clerk)
        choice = objection_choices(seeded, staff.clerk, case.id, today=AS_OF)[0]
        dialog = self._dialog(seeded, staff.clerk, case, choice.decision.as_of + timedelta(5))

        async def shown(pilot: Pilot[None]) -> None:
            await _show(pilot, dialog)

        app = signed_in_app(seeded, staff.clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=shown)

    def test_the_reason_step_with_arabic_lines_and_a_pdf(
        self, snap_compare, seeded, staff, tmp_path
    ):
        case = _objectable(seeded, staff.clerk)
        choice = objection_choices(seeded, staff.clerk, case.id, today=AS_OF)[0]
        dialog = self._dialog(seeded, staff.clerk, case, choice.decision.as_of + timedelta(5))
        pdf = _pdf(tmp_path / "scans")

        async def written(pilot: Pilot[None]) -> None:
            await _show(pilot, dialog)
            await pilot.press("enter")
            await _write_reason(pilot)
            await _attach(pilot, pdf)
            dialog.query_one("#filing-text", LinesInput).focus()

        app = signed_in_app(seeded, staff.clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=written)
