"""Snapshots of the review panel and the review screens at 120x40.

Deterministic: the cases are the seed's (a fixed seed, day and node tag); the objection
filed for the pictures has its filing time, the random tail of its id (the reference the
applicant quotes) and its evidence's arrival pinned; the screens are given their day.
Regenerate after a deliberate change with ``pytest tests/ui/test_review_snapshots.py
--snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from textual.pilot import Pilot

from daman_tui.db.models import Document
from daman_tui.domain import ids
from daman_tui.screens.dispute_review import ComplaintReviewScreen, ObjectionReviewScreen
from daman_tui.screens.disputes import DisputesScreen
from daman_tui.services import disputes
from tests.services.test_disputes import _incomes
from tests.ui.dispute_data import (
    complain,
    income_objection,
    returned_payment,
    seed_branch,
    write_pdf,
)
from tests.ui.snapshot_apps import pin_node_tag, signed_in_app
from tests.ui.test_shell import settle

SIZE = (120, 40)
TODAY = date(2026, 11, 5)
"""The day of every picture."""
FILED_AT = datetime(2026, 11, 3, 7, 0, tzinfo=UTC)


def _pinned_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids whose random part counts up: the references they end in are fixed."""
    counter = itertools.count(1)

    class _Os:
        @staticmethod
        def urandom(n: int) -> bytes:
            return next(counter).to_bytes(n, "big")

    monkeypatch.setattr(ids, "os", _Os)


@pytest.fixture
def review_store(store, staff, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The seeded branch with an objection and a complaint filed for the pictures.

    Returns the store and the ids of the objection and the complaint."""
    pin_node_tag(store)
    seed_branch(store)
    _pinned_ids(monkeypatch)
    monkeypatch.setattr(disputes, "utcnow", lambda: FILED_AT)
    pdf = write_pdf(tmp_path)
    reason = "انخفض الراتب بعد انتقاله إلى جهة عمل جديدة، ومرفق تعريف بالراتب الحالي."
    case, _decision, objection_id = income_objection(store, staff, pdf, reason, days_after=0)
    returned = returned_payment(store, staff)
    reason = "أعاد البنك دفعة الشهر بعد إغلاق الحساب القديم، والحساب الجديد مرفق."
    complaint_id = complain(store, staff, returned.id, pdf, "returned", reason)
    table = Document.__table__  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        conn.execute(sa.update(table).values(received_at=FILED_AT))
    return store, objection_id, complaint_id, case.household_id


class TestReviewPanel:
    def test_panel_arabic(self, snap_compare, review_store, staff):
        store = review_store[0]

        async def opened(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.app.push_screen(DisputesScreen(store, staff.supervisor2, today=TODAY))
            await settle(pilot)
            await pilot.press("space", "down", "space", "down")
            await settle(pilot)

        app = signed_in_app(store, staff.supervisor2)
        assert snap_compare(app, terminal_size=SIZE, run_before=opened)

    def test_panel_english(self, snap_compare, review_store, staff):
        store = review_store[0]

        async def opened(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.app.push_screen(DisputesScreen(store, staff.supervisor2, today=TODAY))
            await settle(pilot)

        app = signed_in_app(store, staff.supervisor2, lang="en")
        assert snap_compare(app, terminal_size=SIZE, run_before=opened)


class TestObjectionReview:
    def test_review_arabic(self, snap_compare, review_store, staff):
        store, objection_id = review_store[:2]

        async def opened(pilot: Pilot[None]) -> None:
            await settle(pilot)
            screen = ObjectionReviewScreen(store, staff.supervisor2, objection_id, today=TODAY)
            await pilot.app.push_screen(screen)
            await settle(pilot)

        app = signed_in_app(store, staff.supervisor2)
        assert snap_compare(app, terminal_size=SIZE, run_before=opened)

    def test_what_if_arabic(self, snap_compare, review_store, staff):
        store, objection_id, _complaint, household_id = review_store
        incomes = list(_incomes(store, household_id))

        async def corrected(pilot: Pilot[None]) -> None:
            await settle(pilot)
            screen = ObjectionReviewScreen(store, staff.supervisor2, objection_id, today=TODAY)
            await pilot.app.push_screen(screen)
            await settle(pilot)
            rows = screen.query_one("#review-rows")
            for row_id in incomes:
                rows.move_cursor(rows.row_keys.index(row_id))  # type: ignore[attr-defined]
                await pilot.press("enter")
                await settle(pilot)
                await pilot.press("٠", "enter")
                await settle(pilot)

        app = signed_in_app(store, staff.supervisor2)
        assert snap_compare(app, terminal_size=SIZE, run_before=corrected)

    def test_own_decision_english(self, snap_compare, review_store, staff):
        store, objection_id = review_store[:2]

        async def opened(pilot: Pilot[None]) -> None:
            await settle(pilot)
            screen = ObjectionReviewScreen(store, staff.supervisor, objection_id, today=TODAY)
            await pilot.app.push_screen(screen)
            await settle(pilot)

        app = signed_in_app(store, staff.supervisor, lang="en")
        assert snap_compare(app, terminal_size=SIZE, run_before=opened)


class TestComplaintReview:
    def test_complaint_resolve_dialog_arabic(self, snap_compare, review_store, staff):
        store, _objection, complaint_id = review_store[:3]

        async def asked(pilot: Pilot[None]) -> None:
            await settle(pilot)
            screen = ComplaintReviewScreen(store, staff.supervisor2, complaint_id, today=TODAY)
            await pilot.app.push_screen(screen)
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            await pilot.press(*"قصير", "enter")
            await settle(pilot)

        app = signed_in_app(store, staff.supervisor2)
        assert snap_compare(app, terminal_size=SIZE, run_before=asked)
