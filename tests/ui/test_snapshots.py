"""Snapshots of the login, home, queue and case-file screens at 120x40, in Arabic and English.

Deterministic: the data comes from ``snapshot_apps`` with pinned times and request numbers,
the header shows no clock, and every screen waits for its workers before the picture.
Regenerate after a deliberate change with ``pytest tests/ui/test_snapshots.py
--snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen

from daman_tui.app import make_app
from daman_tui.domain.intake.form import HEAD
from daman_tui.domain.permissions import Actor
from daman_tui.screens.intake import ReceiptScreen, ResumeScreen, StartScreen
from daman_tui.screens.intake.dependents import DependentScreen
from daman_tui.screens.intake.entry import EntryScreen
from daman_tui.screens.queue import COUNT_AFTER, QueueScreen
from daman_tui.services import intake
from daman_tui.services.queue import QueueFilter, QueueQuery
from daman_tui.services.store import Store
from tests.intake_family import HEAD_ID, IBAN, attach_scans
from tests.ui.snapshot_apps import (
    clerk_store,
    copy_store,
    family_with_a_file,
    fix_submission_clock,
    intake_draft,
    pin_node_tag,
    rename_head,
    seed_cases,
    signed_in_app,
    wizard_screen,
)

SIZE = (120, 40)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _counted(pilot: Pilot[None]) -> None:
    """Settled, and past the queue's pause before it counts (the count on the picture)."""
    await _settle(pilot)
    await pilot.pause(COUNT_AFTER + 0.1)
    await _settle(pilot)


async def _open_cases(pilot: Pilot[None]) -> None:
    await _settle(pilot)
    await pilot.app.run_action("open_cases")
    await _counted(pilot)


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


class TestQueue:
    def test_queue_arabic(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 12)
        rename_head(store, 3, "[bold]")
        app = signed_in_app(store, staff.clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=_open_cases)

    def test_queue_searched_arabic(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 12)

        async def searched(pilot: Pilot[None]) -> None:
            await _open_cases(pilot)
            await pilot.press("slash", *"عبد")
            await _counted(pilot)

        app = signed_in_app(store, staff.supervisor)
        assert snap_compare(app, terminal_size=SIZE, run_before=searched)

    def test_queue_filtered_english(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 12)

        async def filtered(pilot: Pilot[None]) -> None:
            await _open_cases(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, QueueScreen)
            screen.apply(QueueQuery(QueueFilter(statuses=frozenset({"submitted"}))))
            await _counted(pilot)

        app = signed_in_app(store, staff.clerk, lang="en")
        assert snap_compare(app, terminal_size=SIZE, run_before=filtered)


class TestCaseFile:
    def test_case_file_arabic(self, snap_compare, store, staff):
        pin_node_tag(store)  # the file number holds it
        ids = seed_cases(store, staff.clerk, 4)

        async def opened(pilot: Pilot[None]) -> None:
            await _settle(pilot)
            await pilot.app.run_action(f"open_case({ids[1]!r})")
            await _settle(pilot)

        app = signed_in_app(store, staff.supervisor)
        assert snap_compare(app, terminal_size=SIZE, run_before=opened)


# ---- the intake wizard -------------------------------------------------------------------
# One family (tests/intake_family.py), on a pinned day, node tag and submission time, with
# fixed ids and scan names (snapshot_apps): the start, every step, the dialogs, the receipt.
# Two stores are built once for the module (a clerk alone; the clerk with the family's
# draft and its scans) and each test works on its own copy.

WRONG_IBAN = IBAN[:-1] + str((int(IBAN[-1]) + 1) % 10)


@dataclass(frozen=True)
class IntakeStores:
    clean: Path  # the RYD01 branch and its clerk
    family: Path  # and the family's draft, every document received
    clerk: Actor
    application_id: str  # the family's draft


@pytest.fixture(scope="module")
def intake_stores(tmp_path_factory: pytest.TempPathFactory) -> IntakeStores:
    root = tmp_path_factory.mktemp("intake-stores")
    store, clerk = clerk_store(root / "clean")
    store.close()
    store = copy_store(root / "clean", root / "family")
    ref = intake_draft(store, clerk)
    attach_scans(store, clerk, ref, root / "scans")
    store.close()
    return IntakeStores(root / "clean", root / "family", clerk, ref.application.id)


@pytest.fixture
def family_store(intake_stores, tmp_path) -> Iterator[Store]:
    """This test's copy of the store with the family's draft."""
    store = copy_store(intake_stores.family, tmp_path / "store")
    yield store
    store.close()


@pytest.fixture
def clean_store(intake_stores, tmp_path) -> Iterator[Store]:
    """This test's copy of the store with only the clerk."""
    store = copy_store(intake_stores.clean, tmp_path / "store")
    yield store
    store.close()


async def _show(pilot: Pilot[None], screen: Screen[None]) -> None:
    """Put ``screen`` on top of the signed-in app (declining the offer to resume a draft)."""
    await _settle(pilot)
    if isinstance(pilot.app.screen, ResumeScreen):
        pilot.app.screen.dismiss(None)
        await _settle(pilot)
    await pilot.app.push_screen(screen)
    await _settle(pilot)


async def _paste(pilot: Pilot[None], text: str) -> None:
    """Paste ``text`` into the focused field (one event, not a key per character), leave it."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.press("tab")


class TestIntakeWizard:
    def test_start_finds_an_existing_file(self, snap_compare, intake_stores, clean_store):
        clerk = intake_stores.clerk
        assert family_with_a_file(clean_store, clerk) == "RYD01-F-TST-00001"

        async def typed_id(pilot: Pilot[None]) -> None:
            await _settle(pilot)
            await pilot.press("enter")  # the home menu's first entry: a new application
            await _settle(pilot)
            assert isinstance(pilot.app.screen, StartScreen)
            await pilot.press(*HEAD_ID, "enter")
            await _settle(pilot)

        app = signed_in_app(clean_store, clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=typed_id)

    @pytest.mark.parametrize("step", range(1, 11))
    def test_family_step_arabic(self, snap_compare, intake_stores, family_store, step):
        clerk = intake_stores.clerk
        ref = intake.open_draft(family_store, clerk, intake_stores.application_id)
        screen = wizard_screen(family_store, clerk, ref, step=step)

        async def shown(pilot: Pilot[None]) -> None:
            await _show(pilot, screen)

        app = signed_in_app(family_store, clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=shown)

    def test_empty_draft_step_1_english(self, snap_compare, intake_stores, clean_store):
        clerk = intake_stores.clerk
        ref = intake_draft(clean_store, clerk, family=False)
        screen = wizard_screen(clean_store, clerk, ref)

        async def shown(pilot: Pilot[None]) -> None:
            await _show(pilot, screen)

        app = signed_in_app(clean_store, clerk, lang="en")
        assert snap_compare(app, terminal_size=SIZE, run_before=shown)

    def test_step_1_shows_errors_once_fields_are_left(
        self, snap_compare, intake_stores, family_store
    ):
        clerk = intake_stores.clerk
        ref = intake.open_draft(family_store, clerk, intake_stores.application_id)
        ref.form.set(HEAD, "bank", "iban", "")
        ref.form.set(HEAD, "bank", "iban_confirm", "")
        screen = wizard_screen(family_store, clerk, ref, focus="bank.iban")

        async def wrong_iban(pilot: Pilot[None]) -> None:
            await _show(pilot, screen)
            assert pilot.app.focused is not None
            assert pilot.app.focused.id == "bank--iban"
            await _paste(pilot, WRONG_IBAN)  # one digit off: the check digits fail
            await _paste(pilot, IBAN)  # the right one: not the same as the first
            # The rail and the title catch up once typing pauses (a timer).
            while screen._states_timer is not None:
                await pilot.pause(0.05)
            await _settle(pilot)

        app = signed_in_app(family_store, clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=wrong_iban)

    def test_dependent_first_page(self, snap_compare, intake_stores, family_store):
        clerk = intake_stores.clerk
        ref = intake.open_draft(family_store, clerk, intake_stores.application_id)
        screen = wizard_screen(family_store, clerk, ref, step=8)

        async def opened(pilot: Pilot[None]) -> None:
            await _show(pilot, screen)
            await pilot.press("enter")  # the first dependent: the wife
            await _settle(pilot)
            assert isinstance(pilot.app.screen, DependentScreen)

        app = signed_in_app(family_store, clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=opened)

    def test_income_line_entry(self, snap_compare, intake_stores, family_store):
        clerk = intake_stores.clerk
        ref = intake.open_draft(family_store, clerk, intake_stores.application_id)
        screen = wizard_screen(family_store, clerk, ref, step=3)

        async def opened(pilot: Pilot[None]) -> None:
            await _show(pilot, screen)
            await pilot.press("enter")  # the first income line: the salary
            await _settle(pilot)
            assert isinstance(pilot.app.screen, EntryScreen)

        app = signed_in_app(family_store, clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=opened)

    def test_receipt_after_submission(self, snap_compare, intake_stores, family_store, monkeypatch):
        fix_submission_clock(monkeypatch)
        clerk = intake_stores.clerk
        ref = intake.open_draft(family_store, clerk, intake_stores.application_id)
        screen = wizard_screen(family_store, clerk, ref, step=10)

        async def submitted(pilot: Pilot[None]) -> None:
            await _show(pilot, screen)
            await pilot.press("left")  # the declaration: yes (left is next in Arabic)
            await pilot.press("f10")
            await _settle(pilot)
            assert isinstance(pilot.app.screen, ReceiptScreen)

        app = signed_in_app(family_store, clerk)
        assert snap_compare(app, terminal_size=SIZE, run_before=submitted)
