"""The case file driven by keys: open from the queue or the palette, read every section,
and take each action as the roles that may — while the others never see it."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from daman_tui.app import make_app
from daman_tui.db.models import Application, StatusChange
from daman_tui.domain.enums import ApplicationStatus as S
from daman_tui.domain.errors import PermissionDenied
from daman_tui.screens.case_file import SECTIONS, CaseFileScreen, CasePanel
from daman_tui.screens.dialogs.case_action import CaseActionDialog
from daman_tui.screens.queue import QueueScreen
from daman_tui.services.case_actions import preliminary_approve, request_documents
from daman_tui.services.case_file import case_file
from daman_tui.services.queue import QueueFilter, QueueQuery, queue_page
from daman_tui.services.seed.run import seed_cases
from daman_tui.text.catalog import t
from daman_tui.text.display import visual
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.line_table import LineTable
from tests.intake_family import HEAD_ID, IBAN, submitted_family
from tests.ui.test_shell import SIZE, settle


@pytest.fixture
def seeded(store, staff):
    seed_cases(store, cases=80, seed=5, branch_code="RYD01", as_of=date.today())
    return store


def _case(store, status: S) -> Application:
    with store.read() as session:
        app = session.exec(
            select(Application)
            .where(Application.status == status)
            .order_by(col(Application.request_number))
        ).first()
    assert app is not None, status
    return app


def _status(store, app_id: str) -> S:
    with store.read() as session:
        row = session.get(Application, app_id)
        assert row is not None
        return S(row.status)


async def _open(pilot, app_id: str) -> CasePanel:
    """The case opened from the home screen (the palette's way): its own screen."""
    await settle(pilot)
    await pilot.app.run_action(f"open_case({app_id!r})")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseFileScreen)
    panel = screen.panel
    assert panel.loaded and panel.view is not None
    return panel


async def _queue_showing(pilot, case: Application) -> QueueScreen:
    """The queue, searched for ``case``'s request number (its only row)."""
    await settle(pilot)
    await pilot.app.run_action("open_cases")
    await settle(pilot)
    queue = pilot.app.screen
    assert isinstance(queue, QueueScreen)
    queue.apply(QueueQuery(search=case.request_number))
    await settle(pilot)
    return queue


def _footer_keys(panel: CasePanel) -> set[str]:
    return {key for key, b in panel.screen.active_bindings.items() if b.binding.show}


async def test_enter_in_the_queue_opens_the_case_and_every_section_shows(seeded, staff):
    case = _case(seeded, S.VISIT_DONE)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action("open_cases")
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        queue.apply(QueueQuery(search=case.request_number))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is queue, "the file opens over the queue, not as a new screen"
        screen = queue.query_one(CasePanel)
        assert queue.case_open and screen.application_id == case.id
        assert not queue.query_one("#queue-view").display
        summary = screen.view.summary
        title = str(screen.query_one("#case-title").visual)
        assert summary.request_number in title and summary.national_id in title
        file_text = str(screen.query_one("#file-text").visual)
        assert file_text.strip()
        for index, section in enumerate(SECTIONS):
            await pilot.press(str(index + 1))
            assert screen.query_one("#case-pages").current == f"page-{section}"
        decision = screen.view.decision
        assert decision is not None and decision.reasons
        shown = str(screen.query_one("#decision-text").visual)
        assert shown.count("✓") + shown.count("✗") == len(decision.reasons)
        timeline = screen.query_one("#page-timeline", LineTable)
        assert timeline.row_count >= 3  # opened, submitted, visit scheduled, visit done…
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is queue and not queue.case_open
        assert queue.focused is queue.table


async def test_a_slow_read_shows_the_panel_loading_then_the_case(seeded, staff, monkeypatch):
    """The panel waits for the case's first read, but not longer than REVEAL_AFTER."""
    import threading

    import daman_tui.screens.case_file as screen_module
    from daman_tui.screens.queue import REVEAL_AFTER

    case = _case(seeded, S.VISIT_DONE)
    gate = threading.Event()

    def slow_case_file(*args, **kwargs):
        gate.wait(10)
        return case_file(*args, **kwargs)

    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        queue = await _queue_showing(pilot, case)
        monkeypatch.setattr(screen_module, "case_file", slow_case_file)
        await pilot.press("enter")
        await pilot.pause()
        assert not queue.case_open, "the queue stays while the first read is quick enough"
        await pilot.pause(REVEAL_AFTER + 0.1)
        panel = queue.query_one(CasePanel)
        assert queue.case_open and not panel.loaded
        assert visual(t("case.loading", "ar")) in str(panel.query_one("#case-title").visual)
        gate.set()
        await settle(pilot)
        assert panel.loaded and case.request_number in str(panel.query_one("#case-title").visual)


async def test_a_case_closed_before_the_reveal_timer_stays_closed(seeded, staff):
    case = _case(seeded, S.VISIT_DONE)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        queue = await _queue_showing(pilot, case)
        await pilot.press("enter")
        await settle(pilot)
        assert queue.case_open
        await pilot.press("escape")
        await pilot.pause(0.3)  # past the reveal timer of the case just closed
        assert not queue.case_open and queue.focused is queue.table


async def test_each_role_sees_only_the_actions_it_may_take(seeded, staff):
    case = _case(seeded, S.SUBMITTED)
    expected = {
        "supervisor": {"a", "v", "r", "x"},
        "clerk": {"r"},
        "admin": set(),
    }
    for who, keys in expected.items():
        app = make_app(seeded, actor=getattr(staff, who))
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open(pilot, case.id)
            actions = set("avrepyxosu")
            assert _footer_keys(screen) & actions == keys, who
            for key in actions - keys:  # a key not offered does nothing
                await pilot.press(key)
                assert app.screen is screen.screen
        assert _status(seeded, case.id) is S.SUBMITTED


async def test_a_field_officer_cannot_open_a_case_without_their_visit(seeded, staff):
    case = _case(seeded, S.SUBMITTED)
    app = make_app(seeded, actor=staff.field_officer)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen
        await app.run_action(f"open_case({case.id!r})")
        await settle(pilot)
        assert app.screen is before
        with pytest.raises(PermissionDenied) as refused:
            case_file(seeded, staff.field_officer, case.id)
        said = [n.message for n in app._notifications if n.severity == "error"]
        assert said == [visual(refused.value.message("ar"))]


async def test_a_supervisor_schedules_the_visit_and_the_queue_shows_it(seeded, staff):
    case = _case(seeded, S.SUBMITTED)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, case.id)
        await pilot.press("v")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CaseActionDialog)
        # A day in the past is refused in the dialog; nothing picked is lost.
        day = dialog.query_one("#action-day", BidiInput)
        day.value = (date.today() - timedelta(days=2)).isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert str(dialog.query_one("#action-error").visual)
        assert _status(seeded, case.id) is S.SUBMITTED
        day.value = (date.today() + timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen.screen
        assert _status(seeded, case.id) is S.VISIT_SCHEDULED
        assert screen.view.summary.status is S.VISIT_SCHEDULED
        assert "v" not in _footer_keys(screen)


async def test_four_eyes_preliminary_then_final_approval(seeded, staff):
    case = _case(seeded, S.VISIT_DONE)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, case.id)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _status(seeded, case.id) is S.PRELIMINARY_APPROVED
        assert "y" not in _footer_keys(screen), "not the same supervisor"
        await pilot.press("y")
        assert _status(seeded, case.id) is S.PRELIMINARY_APPROVED
    app = make_app(seeded, actor=staff.supervisor2)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, case.id)
        assert "y" in _footer_keys(screen)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _status(seeded, case.id) is S.APPROVED


async def test_reject_with_a_failed_rule_and_text_and_a_reason_is_required(seeded, staff):
    rejected = _case(seeded, S.REJECTED)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, rejected.id)
        # Reopen first (a reason is required: an empty one stays in the dialog).
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and str(dialog.query_one("#action-error").visual)
        dialog.query_one("#action-text").focus()
        await pilot.press(*"مراجعة جديدة", "enter")
        await settle(pilot)
        assert _status(seeded, rejected.id) is S.SUBMITTED
        failed = screen.view.decision.failed if screen.view.decision else ()
        assert failed
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CaseActionDialog)
        rules = dialog.query_one("#action-rules")
        rules.focus()
        await pilot.press("space")
        dialog.query_one("#action-text").focus()
        await pilot.press(*"والدخل أعلى من الحد")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _status(seeded, rejected.id) is S.REJECTED
    with seeded.read() as session:
        last = session.exec(
            select(StatusChange)
            .where(StatusChange.application_id == rejected.id)
            .order_by(col(StatusChange.at).desc())
        ).first()
    assert last is not None and last.to_status == S.REJECTED
    assert failed[0].message_ar in last.reason and "والدخل أعلى من الحد" in last.reason


async def test_a_case_changed_by_someone_else_is_not_overwritten(seeded, staff):
    case = _case(seeded, S.VISIT_DONE)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, case.id)
        # Meanwhile another supervisor asks for documents.
        request_documents(seeded, staff.supervisor2, case.id, "صك الإعالة")
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert str(dialog.query_one("#action-error").visual)
        assert _status(seeded, case.id) is S.DOCS_REQUESTED
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen.screen


async def test_the_palette_opens_a_case_by_request_number_or_id(seeded, staff):
    case = _case(seeded, S.VISIT_DONE)
    preliminary_approve(seeded, staff.supervisor2, case.id)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*case.request_number.lower())
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseFileScreen) and screen.panel.application_id == case.id
        assert "y" in _footer_keys(screen.panel)


async def test_the_queue_shows_the_case_moved_when_the_file_closes(seeded, staff):
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action("open_cases")
        await settle(pilot)
        queue = app.screen
        both = frozenset({S.VISIT_DONE.value, S.PRELIMINARY_APPROVED.value})
        queue.apply(QueueQuery(QueueFilter(statuses=both)))
        await settle(pilot)
        # A visit-done case below the first row: approved, it becomes the newest change.
        row = next(
            i for i, item in enumerate(queue.table.items) if i > 0 and item.status is S.VISIT_DONE
        )
        case_id = queue.table.items[row].application_id
        queue.table.move_cursor(row)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause(1.5)  # the queue's look for changes elsewhere
        await pilot.press("escape")
        await settle(pilot)
        assert not queue.case_open
        top = queue.table.items[0]
        assert top.application_id == case_id and top.status is S.PRELIMINARY_APPROVED
        # The window read again is a whole screenful, in columns as wide as before.
        matching = queue_page(seeded, staff.supervisor, queue.query_state, limit=100)
        assert queue.table.row_count == min(len(matching), queue.table.capacity) > 1
        assert queue.table.capacity > 20
        assert queue.table.get_row_at(0)[-2].cell_len > 14


async def test_assign_then_request_and_receive_documents(seeded, staff):
    case = _case(seeded, S.SUBMITTED)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CaseActionDialog)
        people = dict(dialog.form.people)
        assert staff.clerk.id in people and staff.field_officer.id not in people
        target = list(people).index(staff.clerk.id)
        dialog.query_one("#action-person").highlighted = target
        await pilot.press("enter")  # picking the person carries the assignment out
        await settle(pilot)
        assert panel.view.summary.assignee_id == staff.clerk.id
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"صورة صك الإعالة", "enter")
        await settle(pilot)
        assert _status(seeded, case.id) is S.DOCS_REQUESTED
        assert panel.view.summary.clock == "paused"
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        assert _footer_keys(panel) & set("avrepyxosu") == {"e"}
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _status(seeded, case.id) is S.SUBMITTED


async def test_suspend_and_resume_an_approved_case(seeded, staff):
    case = _case(seeded, S.APPROVED)
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        assert _footer_keys(panel) & set("avrepyxosu") == {"a", "s"}
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"انتقال الأسرة خارج المملكة", "enter")
        await settle(pilot)
        assert _status(seeded, case.id) is S.SUSPENDED
        assert _footer_keys(panel) & set("avrepyxosu") == {"a", "u"}
        await pilot.press("u")
        await pilot.pause()
        await pilot.press(*"عادت الأسرة", "enter")
        await settle(pilot)
        assert _status(seeded, case.id) is S.APPROVED
    app = make_app(seeded, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        panel = await _open(pilot, case.id)
        assert _footer_keys(panel) & set("avrepyxosu") == set()


async def test_a_walk_in_family_reads_back_whole_and_its_document_opens(
    store, staff, tmp_path, monkeypatch
):
    ref = submitted_family(store, staff.clerk, tmp_path)
    app = make_app(store, actor=staff.supervisor)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_kw: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The palette finds the case by the head's national ID too.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*HEAD_ID, "enter")
        await settle(pilot)
        panel = app.screen.panel
        assert panel.application_id == ref.application.id
        file_text = str(panel.query_one("#file-text").visual)
        assert visual("القحطاني") in file_text and IBAN in file_text
        await pilot.press("4")
        table = panel.query_one("#page-documents", LineTable)
        assert table.row_count == len(panel.view.documents) > 0
        table.focus()
        await pilot.press("enter")
        assert len(opened) == 1 and opened[0].startswith("file://")
        stored = Path(opened[0].removeprefix("file://"))
        assert stored.is_file()
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == panel.view.documents[0].sha256
