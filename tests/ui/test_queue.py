"""The case queue driven by keys: windows, search in Arabic spellings, filters, sort,
mine, saved views, and refreshing itself when the store changes underneath it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from daman_tui.app import make_app
from daman_tui.db.models import Application
from daman_tui.domain.arabic import normalize_for_search
from daman_tui.domain.enums import ApplicationStatus
from daman_tui.screens.dialogs.queue_filter import QueueFilterDialog
from daman_tui.screens.dialogs.saved_views import SavedViewsDialog
from daman_tui.screens.queue import COUNT_AFTER, QueueScreen
from daman_tui.services.cases import change_status
from daman_tui.services.queue import QueueQuery, QueueSort, queue_count, queue_page
from daman_tui.services.saved_filters import list_saved
from daman_tui.services.seed.run import seed_cases
from daman_tui.text.display import visual
from tests.ui.test_shell import SIZE, label_text, settle

CASES = 150


@pytest.fixture
def seeded(store, staff):
    seed_cases(store, cases=CASES, seed=21, branch_code="RYD01", as_of=date.today())
    return store


async def _queue(pilot) -> QueueScreen:
    await settle(pilot)
    await pilot.app.run_action("open_cases")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, QueueScreen)
    return screen


async def counted(pilot, screen: QueueScreen) -> int:
    """The count, once the pause before counting is over and the count is in."""
    for _ in range(100):
        await pilot.pause(COUNT_AFTER / 3)
        await settle(pilot)
        if screen._count is not None:
            return screen._count
    raise AssertionError("the queue never counted")


def _ids(screen: QueueScreen) -> list[str]:
    return [i.application_id for i in screen.table.items]


async def test_the_table_holds_only_the_rows_it_shows_while_walking_the_queue(seeded, staff):
    expected = [
        i.application_id
        for i in queue_page(seeded, staff.supervisor, QueueQuery(), limit=CASES + 100)
    ]
    assert len(expected) > 100
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot)
        table = screen.table
        capacity = table.capacity
        assert table.row_count == capacity < len(expected)
        visited = [table.current.application_id]
        for _ in range(capacity + 20):
            await pilot.press("down")
            visited.append(table.current.application_id)
            assert table.row_count <= capacity
        assert visited == expected[: capacity + 21], "down walks the queue's own order"
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.press("end")
        assert _ids(screen) == expected[-capacity:]
        assert table.current.application_id == expected[-1]
        await pilot.press("down")  # nothing after the last row
        assert table.current.application_id == expected[-1]
        await pilot.press("pageup")
        assert _ids(screen) == expected[-2 * capacity : -capacity]
        await pilot.press("home")
        assert _ids(screen) == expected[:capacity]
        await pilot.press("up")
        assert table.current.application_id == expected[0]
        # Every read asked for at most one screenful.
        assert screen.windows_read and max(screen.windows_read) <= capacity
        assert await counted(pilot, screen) == len(expected)
        assert label_text(app, "#queue-count") == visual(f"{len(expected):,} حالة")


async def test_search_finds_a_name_in_any_alef_spelling_as_you_type(seeded, staff):
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot)
        await pilot.press("slash")
        assert screen.focused is screen.query_one("#queue-search")
        await pilot.press(*"أحمد")
        await settle(pilot)
        with_hamza = _ids(screen)
        assert with_hamza
        assert all("احمد" in i.name_key for i in screen.table.items)
        count = await counted(pilot, screen)
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press(*"احمد")
        await settle(pilot)
        assert _ids(screen) == with_hamza and await counted(pilot, screen) == count
        # Typed with a haraka and a tatweel, the same families.
        screen.apply(QueueQuery(search="أَحـمد"))
        await settle(pilot)
        assert _ids(screen) == with_hamza
        assert count == queue_count(seeded, staff.supervisor, QueueQuery(search="احمد"))
        assert all(normalize_for_search("أحمد") in i.name_key for i in screen.table.items)


async def test_an_id_prefix_and_a_request_number_narrow_the_queue(seeded, staff):
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot)
        target = screen.table.items[3]
        await pilot.press("slash", *target.national_id[:7])
        await settle(pilot)
        assert target.application_id in _ids(screen)
        assert all(i.national_id.startswith(target.national_id[:7]) for i in screen.table.items)
        screen.apply(QueueQuery(search=target.request_number.lower()))
        await settle(pilot)
        assert _ids(screen) == [target.application_id]
        assert await counted(pilot, screen) == 1
        assert label_text(app, "#queue-count") == visual("1 حالة")


async def test_filters_are_chosen_in_the_dialog_and_escape_keeps_them(seeded, staff):
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, QueueFilterDialog)
        # The status list has focus: the second status (submitted) ticked with Space.
        await pilot.press("down", "space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_state.filter.statuses == {ApplicationStatus.SUBMITTED.value}
        assert screen.table.items
        assert {i.status for i in screen.table.items} == {ApplicationStatus.SUBMITTED}
        submitted = await counted(pilot, screen)

        await pilot.press("f")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_state.filter.statuses == {"submitted"}
        assert await counted(pilot, screen) == submitted

        # A date the dialog cannot read is said, and nothing is applied or lost.
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#filter-from").focus()
        await pilot.press(*"2026-13-45", "enter")
        await pilot.pause()
        assert app.screen is dialog
        assert str(dialog.query_one("#filter-from-error").visual)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_state.filter.statuses == {"submitted"}


async def test_sort_direction_and_mine(seeded, staff):
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot)
        await pilot.press("s")  # from "last change" (the default) to the request number
        await settle(pilot)
        assert screen.query_state.sort == QueueSort("request_number", False)
        numbers = [i.request_number for i in screen.table.items]
        assert numbers == sorted(numbers)
        await pilot.press("s")
        await settle(pilot)
        keys = [i.name_key for i in screen.table.items]
        assert screen.query_state.sort.column == "name_key" and keys == sorted(keys)
        await pilot.press("d")
        await settle(pilot)
        keys = [i.name_key for i in screen.table.items]
        assert keys == sorted(keys, reverse=True)

        await pilot.press("m")
        await settle(pilot)
        mine = queue_page(seeded, staff.supervisor, screen.query_state, limit=1000)
        assert all(i.assigned_to == staff.supervisor.id for i in mine)
        assert _ids(screen) == [i.application_id for i in mine][: screen.table.capacity]


async def test_a_view_is_saved_per_user_and_opened_again(seeded, staff):
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot)
        screen.apply(QueueQuery(search="عبد", sort=QueueSort("due_on", False)))
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, SavedViewsDialog)
        await pilot.press(*"عبد حسب المهلة", "enter")
        await settle(pilot)
        assert [v.name for v in list_saved(seeded, staff.supervisor)] == ["عبد حسب المهلة"]
        assert list_saved(seeded, staff.supervisor2) == []

        screen.apply(QueueQuery())
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_state.search == "عبد"
        assert screen.query_state.sort == QueueSort("due_on", False)
        assert screen.query_one("#queue-search").value == "عبد"


async def test_the_queue_follows_changes_made_elsewhere(seeded, staff):
    app = make_app(seeded, actor=staff.supervisor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _queue(pilot)
        with seeded.read() as session:
            app_row = session.exec(
                select(Application).where(Application.status == ApplicationStatus.SUBMITTED)
            ).first()
        assert app_row is not None
        screen.apply(QueueQuery(search=app_row.request_number))
        await settle(pilot)
        assert screen.table.items[0].status is ApplicationStatus.SUBMITTED
        # Another terminal (or a sync) moves the case on.
        change_status(seeded, staff.supervisor2, app_row.id, ApplicationStatus.VISIT_SCHEDULED)
        await pilot.pause(1.5)
        await settle(pilot)
        assert screen.table.items[0].status is ApplicationStatus.VISIT_SCHEDULED
