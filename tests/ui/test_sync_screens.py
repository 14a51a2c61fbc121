"""The sync indicator, the sync screen, the sign-in to sync and the conflicts screen, driven
by keys against the real sync service on a real PostgreSQL (tests/sync/fixtures.py), and
pictured (the sync and conflicts screens) on a store whose server is out of reach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import ProgressBar

from daman_tui.app import DamanApp, make_app
from daman_tui.db.models import Application, OutboxEntry, Person, SyncConflict
from daman_tui.domain.enums import OutboxState
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.permissions import Actor
from daman_tui.screens.conflicts import ConflictsScreen
from daman_tui.screens.dialogs.sync_sign_in import SyncSignInDialog
from daman_tui.screens.sync import SyncScreen
from daman_tui.services.auth import authenticate
from daman_tui.services.case_actions import assign_case
from daman_tui.services.cases import (
    PersonInput,
    create_household,
    save_draft,
    submit_application,
)
from daman_tui.services.store import Store
from daman_tui.settings import Settings
from daman_tui.sync.client import SyncClient
from daman_tui.text.catalog import t
from daman_tui.text.display import visual
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.sync_indicator import SyncIndicator
from tests.conftest import PASSWORD
from tests.sync.fixtures import Central, Served
from tests.ui.snapshot_apps import BASE_TIME, seed_cases
from tests.ui.test_shell import SIZE, label_text, settle

CLOSED = "http://127.0.0.1:9"
"""A sync server address nothing listens on."""


# ---- nodes: stores of the RYD01 branch that synced once with the service --------------------
NodeMaker = Callable[..., Store]


@pytest.fixture
def node(tmp_path: Path, server: Served, seeded_central: Central) -> Iterator[NodeMaker]:
    """``node(name, puller)``: a new store that signed in to sync as ``puller`` and synced
    once (the branch's staff and cases are there); its settings name the service."""
    made: list[Store] = []

    def make(name: str, puller: str = "clerk") -> Store:
        store = Store.open(
            Settings(db=tmp_path / name / "daman.db", bidi="app", central_url=server.url)
        )
        made.append(store)
        client = SyncClient(store, server.url)
        try:
            client.sign_in(puller, PASSWORD)
            client.sync()
        finally:
            client.close()
        return store

    yield make
    for store in made:
        store.close()


def _case(store: Store, clerk: Actor, n: int) -> str:
    """A household's application, submitted by ``clerk`` on ``store``."""
    head = PersonInput(
        national_id=make_national_id("citizen", f"4{n:07d}"),
        first_name="سارة",
        father_name="خالد",
        grandfather_name="فهد",
        family_name="العتيبي",
    )
    household = create_household(store, clerk, head)
    draft = save_draft(store, clerk, household.id)
    submit_application(store, clerk, draft.id, declaration_accepted=True)
    return draft.id


def _pending(store: Store) -> int:
    with Session(store.engine) as s:
        rows = s.exec(select(OutboxEntry).where(OutboxEntry.state == OutboxState.PENDING))
        return len(rows.all())


def _indicator(app: DamanApp) -> str:
    return app.screen.query_one(SyncIndicator).plain


def _footer_keys(app: DamanApp) -> set[str]:
    return {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}


async def _sync_screen(pilot: Pilot[None]) -> SyncScreen:
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SyncScreen)
    return screen


async def _sync_now(pilot: Pilot[None]) -> None:
    await pilot.press("f5")
    await settle(pilot)
    await settle(pilot)


# ---- against the service -------------------------------------------------------------------
async def test_the_indicator_counts_what_waits_and_sync_now_sends_it(node, central: Central):
    store = node("a")
    clerk = authenticate(store, "clerk", PASSWORD)
    app_id = _case(store, clerk, 1)
    waiting = _pending(store)
    assert waiting > 0
    app = make_app(store, lang="en", actor=clerk, sync_every=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Synced once before (the node's first pull), not yet by this program.
        assert _indicator(app).startswith(f"Ready to sync · {waiting} pending · last sync 20")
        screen = await _sync_screen(pilot)
        assert label_text(app, "#sync-pending") == f"Changes waiting to be sent: {waiting}"
        assert label_text(app, "#sync-user") == visual(f"Signed in to sync as {clerk.full_name}")
        await _sync_now(pilot)
        assert _indicator(app).startswith("Online · 0 pending · last sync ")
        assert label_text(app, "#sync-pending") == "Changes waiting to be sent: 0"
        report = label_text(app, "#sync-report")
        assert f"Sent: {waiting} applied" in report
        assert "Received:" in report
        assert label_text(app, "#sync-error") == ""
        bar = screen.query_one("#sync-progress", ProgressBar)
        assert bar.display and bar.percentage == 1
    assert _pending(store) == 0
    with central.admin.connect() as conn:
        found = conn.execute(
            sa.text("SELECT count(*) FROM application WHERE id = :i"), {"i": app_id}
        ).scalar()
    assert found == 1


async def test_offline_says_so_in_arabic_and_keeps_every_change(node, server: Served):
    store = node("a")
    clerk = authenticate(store, "clerk", PASSWORD)
    _case(store, clerk, 2)
    waiting = _pending(store)
    server.stop()  # the address now answers nothing
    app = make_app(store, actor=clerk, sync_every=None)
    async with app.run_test(size=SIZE) as pilot:
        await _sync_screen(pilot)
        await _sync_now(pilot)
        said = _indicator(app)
        assert said.startswith(f"{t('sync.state.offline', 'ar')} · ")
        assert t("sync.indicator.pending", "ar", count=waiting) in said
        assert label_text(app, "#sync-state") == visual(
            t("sync.screen.state", "ar", state=t("sync.state.offline", "ar"))
        )
        assert label_text(app, "#sync-error") == visual(
            "تعذر الوصول إلى خادم المزامنة. ستبقى التغييرات محفوظة هنا حتى تنجح المزامنة."
        )
        assert not app.screen.query_one("#sync-progress").display
        await pilot.press("f2")  # the same failure, in English
        await pilot.pause()
        assert label_text(app, "#sync-error").startswith("The sync server cannot be reached")
        assert _indicator(app).startswith(f"Offline · {waiting} pending")
    assert _pending(store) == waiting


async def test_sign_in_to_sync_says_a_wrong_password_and_keeps_it(node):
    store = node("a", puller="clerk")  # the supervisor has never signed in to sync here
    supervisor = authenticate(store, "supervisor", PASSWORD)
    app = make_app(store, actor=supervisor, sync_every=None)
    async with app.run_test(size=SIZE) as pilot:
        await _sync_screen(pilot)
        assert _indicator(app).startswith(t("sync.state.signed_out", "ar"))
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SyncSignInDialog)
        await pilot.press(*"wrong-pass", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert label_text(app, "#dialog-error") == visual("اسم المستخدم أو كلمة المرور غير صحيحة.")
        field = dialog.query_one("#sync-password", BidiInput)
        assert field.value == "wrong-pass"
        for _ in "wrong-pass":
            await pilot.press("backspace")
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        await settle(pilot)
        assert label_text(app, "#sync-user") == visual(
            t("sync.screen.user_signed_in", "ar", name=supervisor.full_name)
        )
        await _sync_now(pilot)
        assert _indicator(app).startswith(t("sync.state.online", "ar"))


async def test_a_conflict_between_two_nodes_is_resolved_mine_and_syncs(node, central: Central):
    # One case, on two terminals of the branch: each assigns it to someone else.
    a = node("a", puller="clerk")
    b = node("b", puller="supervisor")
    clerk_a = authenticate(a, "clerk", PASSWORD)
    app_id = _case(a, clerk_a, 3)
    client_a = SyncClient(a, central_url(a))
    client_a.sign_in("clerk", PASSWORD)
    client_a.sync()
    client_b = SyncClient(b, central_url(b))
    client_b.sign_in("supervisor", PASSWORD)
    client_b.sync()
    supervisor2_a = authenticate(a, "supervisor2", PASSWORD)
    supervisor_b = authenticate(b, "supervisor", PASSWORD)
    assign_case(a, supervisor2_a, app_id, clerk_a.id)
    assign_case(b, supervisor_b, app_id, supervisor_b.id)
    client_a.sync()  # first: the central store takes a's assignment
    client_a.close()
    client_b.close()

    app = make_app(b, lang="en", actor=supervisor_b, sync_every=None)
    async with app.run_test(size=SIZE) as pilot:
        await _sync_screen(pilot)
        await _sync_now(pilot)  # b's assignment meets a's
        assert "1 in conflict" in label_text(app, "#sync-report")
        assert _indicator(app).endswith(" · 1 conflicts")
        assert label_text(app, "#sync-conflicts") == "Open conflicts: 1"
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        table = screen.query_one("#conflicts", LineTable)
        assert table.row_count == 1
        [conflict] = screen.rows
        assert conflict.entity == "application" and conflict.kind == "field"
        cells = [c.plain for c in table.get_row_at(0)]
        request_number = _request_number(b, app_id)
        assert cells[:3] == ["same field", request_number, "application"]
        assert cells[4] == visual(supervisor_b.full_name)
        # Base, mine and theirs side by side (wrapped to a third of the screen).
        # Only the field both changed: when the case last changed is never a conflict.
        assert label_text(app, "#side-text-0") == "assigned_to: —"
        assert supervisor_b.id in label_text(app, "#side-text-1")
        assert clerk_a.id in label_text(app, "#side-text-2")
        await pilot.press("m")
        await settle(pilot)
        assert label_text(app, "#conflicts-said") == t("sync.conflicts.resolved_mine", "en")
        assert screen.rows == [] and table.row_count == 0
        assert label_text(app, "#conflicts-count") == "No open conflicts."
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        await _sync_now(pilot)
        assert _indicator(app).startswith("Online · 0 pending")
        assert "conflicts" not in _indicator(app)
    with central.admin.connect() as conn:
        assigned = conn.execute(
            sa.text("SELECT assigned_to FROM application WHERE id = :i"), {"i": app_id}
        ).scalar()
        resolution = conn.execute(
            sa.text("SELECT resolution FROM sync_conflict WHERE id = :i"), {"i": conflict.id}
        ).scalar()
    assert assigned == supervisor_b.id
    assert resolution == "mine"


async def test_the_timer_sends_a_change_without_a_key(node):
    store = node("a")
    clerk = authenticate(store, "clerk", PASSWORD)
    _case(store, clerk, 4)
    app = make_app(store, lang="en", actor=clerk, sync_every=0.1)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await pilot.pause(0.1)
            if _indicator(app).startswith("Online · 0 pending"):
                break
        assert _indicator(app).startswith("Online · 0 pending")
    assert _pending(store) == 0


def central_url(store: Store) -> str:
    url = store.settings.central_url
    assert url is not None
    return url


def _request_number(store: Store, application_id: str) -> str:
    with Session(store.engine) as s:
        app = s.get(Application, application_id)
        assert app is not None
        return app.request_number


# ---- without a service: who sees what, a refusal -------------------------------------------
def _add_conflict(store: Store, author: Actor, minutes: int, **values: Any) -> str:
    """A conflict as a sync would have brought it, detected ``minutes`` after BASE_TIME."""
    row = SyncConflict(
        branch_id=author.branch_id,
        node_id="node-a",
        outbox_seq=minutes + 1,
        actor_id=author.id,
        detected_at=BASE_TIME + timedelta(minutes=minutes),
        **values,
    )
    with Session(store.engine) as s:
        s.add(row)
        s.commit()
        return row.id


def _conflicts(store: Store, staff: Any) -> None:
    """Three open conflicts on the first seeded cases: a status, a field, a duplicate."""
    ids = seed_cases(store, staff.clerk, 3)
    with Session(store.engine) as s:
        person = s.exec(select(Person).order_by(Person.national_id)).first()
        assert person is not None
        person_id, national_id = person.id, person.national_id
    _add_conflict(
        store,
        staff.supervisor2,
        60,
        kind="transition",
        entity="application",
        entity_id=ids[1],
        field="status",
        base={"status": "submitted"},
        mine={"status": "docs_requested"},
        theirs={"status": "rejected"},
    )
    _add_conflict(
        store,
        staff.supervisor2,
        75,
        kind="field",
        entity="application",
        entity_id=ids[0],
        field="current_step",
        base={"current_step": 2},
        mine={"current_step": 4},
        theirs={"current_step": 3},
    )
    _add_conflict(
        store,
        staff.clerk,
        90,
        kind="duplicate",
        entity="person",
        entity_id=person_id,
        field=None,
        base=None,
        mine={"national_id": national_id, "first_name": "محمد"},
        theirs=None,
    )


@pytest.fixture
def offline_settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "store" / "daman.db", bidi="app", central_url=CLOSED)


class TestWhoSeesTheConflicts:
    @pytest.fixture
    def settings(self, offline_settings: Settings) -> Settings:
        return offline_settings

    async def test_a_clerk_has_no_conflicts_key_and_the_palette_does_not_offer_them(
        self, store, staff
    ):
        app = make_app(store, lang="en", actor=staff.clerk, sync_every=None)
        async with app.run_test(size=SIZE) as pilot:
            keys = [c.key for c in app.palette_commands()]
            assert "sync.command" in keys
            assert "sync.conflicts.command" not in keys
            await _sync_screen(pilot)
            assert "sync_now" in _footer_keys(app)
            assert "conflicts" not in _footer_keys(app)
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, SyncScreen)
            await app.run_action("open_conflicts")  # the palette's way in refuses too
            await settle(pilot)
            assert isinstance(app.screen, SyncScreen)
            assert app._notifications and "supervisors only" in list(app._notifications)[-1].message
            # Pushed anyway, the screen hears the service refuse and leaves.
            await app.push_screen(ConflictsScreen(store, staff.clerk))
            for _ in range(50):
                await pilot.pause(0.05)
                if not isinstance(app.screen, ConflictsScreen):
                    break
            assert isinstance(app.screen, SyncScreen)
            assert "may not resolve conflicts" in list(app._notifications)[-1].message

    async def test_a_supervisor_is_offered_them(self, store, staff):
        app = make_app(store, lang="en", actor=staff.supervisor, sync_every=None)
        async with app.run_test(size=SIZE) as pilot:
            assert "sync.conflicts.command" in [c.key for c in app.palette_commands()]
            await _sync_screen(pilot)
            assert "conflicts" in _footer_keys(app)

    async def test_mine_is_refused_for_a_duplicate_in_the_services_words(self, store, staff):
        _conflicts(store, staff)
        app = make_app(store, lang="en", actor=staff.supervisor, sync_every=None)
        async with app.run_test(size=SIZE) as pilot:
            await _sync_screen(pilot)
            assert _indicator(app).endswith("· 3 conflicts")
            await pilot.press("c")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ConflictsScreen)
            assert [c.kind for c in screen.rows] == ["transition", "field", "duplicate"]
            await pilot.press("end", "m")
            await settle(pilot)
            assert label_text(app, "#conflicts-said") == (
                "A duplicate cannot be taken; the existing record stands."
            )
            assert len(screen.rows) == 3
            await pilot.press("t")
            await settle(pilot)
            assert label_text(app, "#conflicts-said") == "Theirs kept."
            assert [c.kind for c in screen.rows] == ["transition", "field"]


# ---- pictures -------------------------------------------------------------------------------
class TestSyncSnapshots:
    @pytest.fixture
    def settings(self, offline_settings: Settings) -> Settings:
        return offline_settings

    def test_sync_screen_arabic_after_sync_now_signed_out(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 3)

        async def synced(pilot: Pilot[None]) -> None:
            await _sync_screen(pilot)
            await _sync_now(pilot)

        app = make_app(store, actor=staff.supervisor, sync_every=None)
        assert snap_compare(app, terminal_size=SIZE, run_before=synced)

    def test_sync_screen_english(self, snap_compare, store, staff):
        seed_cases(store, staff.clerk, 3)
        app = make_app(store, lang="en", actor=staff.clerk, sync_every=None)
        assert snap_compare(app, terminal_size=SIZE, run_before=_sync_screen)

    def test_conflicts_arabic(self, snap_compare, store, staff):
        _conflicts(store, staff)

        async def opened(pilot: Pilot[None]) -> None:
            await _sync_screen(pilot)
            await pilot.press("c")
            await settle(pilot)

        app = make_app(store, actor=staff.supervisor, sync_every=None)
        assert snap_compare(app, terminal_size=SIZE, run_before=opened)

    def test_conflicts_english_a_refusal(self, snap_compare, store, staff):
        _conflicts(store, staff)

        async def refused(pilot: Pilot[None]) -> None:
            await _sync_screen(pilot)
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("end", "m")
            await settle(pilot)

        app = make_app(store, lang="en", actor=staff.supervisor, sync_every=None)
        assert snap_compare(app, terminal_size=SIZE, run_before=refused)
