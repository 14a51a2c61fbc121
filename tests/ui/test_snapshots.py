"""Snapshots of the login, home and case-list screens at 120x40, in Arabic and English.

Deterministic: the data comes from ``snapshot_apps`` with pinned times and request numbers,
the header shows no clock, and every screen waits for its workers before the picture.
Regenerate after a deliberate change with ``pytest tests/ui/test_snapshots.py
--snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

from textual.pilot import Pilot

from daman_tui.app import make_app
from tests.ui.snapshot_apps import rename_head, seed_cases, signed_in_app

SIZE = (120, 40)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_cases(pilot: Pilot[None]) -> None:
    await _settle(pilot)
    await pilot.app.run_action("open_cases")
    await _settle(pilot)


class TestLogin:
    def test_login_arabic(self, snap_compare, store, staff):
        assert snap_compare(make_app(store), terminal_size=SIZE)

    def test_login_refused_keeps_the_user_name(self, snap_compare, store, staff):
        async def wrong_password(pilot: Pilot[None]) -> None:
            await pilot.press(*"clerk", "enter", *"wrong-pass", "enter")
            await _settle(pilot)

        assert snap_compare(make_app(store), terminal_size=SIZE, run_before=wrong_password)

    def test_login_english(self, snap_compare, store, staff):
        assert snap_compare(make_app(store, lang="en"), terminal_size=SIZE)


class TestHome:
    def test_home_arabic(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 7)
        app = signed_in_app(store, staff.clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=_settle)

    def test_home_english(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 7)
        app = signed_in_app(store, staff.clerk, lang="en")
        assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


class TestCaseList:
    def test_case_list_arabic(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 12)
        rename_head(store, 3, "[bold]")
        app = signed_in_app(store, staff.clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=_open_cases)

    def test_case_list_filtered_english(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 12)

        async def filtered(pilot: Pilot[None]) -> None:
            await _open_cases(pilot)
            await pilot.press("s")
            await _settle(pilot)

        app = signed_in_app(store, staff.clerk, lang="en")
        assert snap_compare(app, terminal_size=SIZE, run_before=filtered)
