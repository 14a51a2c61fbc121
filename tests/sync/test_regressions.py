"""The regression cases of SYNC.md, against a real PostgreSQL and the real service."""

from __future__ import annotations

import shutil
import threading
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from daman_tui.db.models import Application, Contact, StatusChange, SyncConflict
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import ApplicationStatus as S
from daman_tui.domain.enums import OutboxState
from daman_tui.services.auth import authenticate
from daman_tui.services.cases import transition
from daman_tui.services.store import Store
from daman_tui.settings import Settings
from daman_tui.sync import local
from daman_tui.sync.client import SyncClient, SyncError, SyncReport
from daman_tui.sync.protocol import OutcomeKind
from daman_tui.sync.service import Session, SyncService
from tests.conftest import PASSWORD
from tests.sync.helpers import central_row, delete, edit, first_id, local_row, outbox, pending


def _contact(node: Store) -> str:
    return first_id(node, Contact)


# ---- the cursor ------------------------------------------------------------------------------
def test_a_transaction_that_commits_late_is_not_skipped_by_the_cursor(node_factory, central):
    node, client = node_factory("clerk")
    client.sync()
    contact_id = _contact(node)
    # Two central writers: the first to start commits last. A sequence-id cursor read
    # between the commits would pass the first one's row by for good.
    early = central.admin.connect()
    late = central.admin.connect()
    tx_early = early.begin()
    early.execute(
        sa.text(
            "UPDATE contact SET email = 'early@x.sa', row_version = row_version + 1 WHERE id = :i"
        ),
        {"i": contact_id},
    )
    with late.begin():
        late.execute(
            sa.text("UPDATE branch SET name_en = name_en || ' (late)' WHERE code = 'RYD01'")
        )
    client.sync()  # sees the later commit only
    tx_early.commit()
    early.close()
    late.close()
    client.sync()
    assert local_row(node, Contact, contact_id).email == "early@x.sa"


def test_concurrent_writers_with_rollbacks_lose_no_row(node_factory, central):
    node, client = node_factory("clerk")
    client.sync()
    contact_id = _contact(node)
    committed: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        with central.admin.connect() as conn:
            for i in range(15):
                tx = conn.begin()
                value = f"w{n}-{i}@x.sa"
                conn.execute(
                    sa.text(
                        "INSERT INTO contact (id, row_version, created_at, updated_at, "
                        "origin_node, branch_id, person_id, email) SELECT gen_random_uuid()::text, "
                        "1, now(), now(), 'central', branch_id, person_id, :e FROM contact "
                        "WHERE id = :i"
                    ),
                    {"e": value, "i": contact_id},
                )
                if i % 5 == 4:
                    tx.rollback()
                else:
                    tx.commit()
                    with lock:
                        committed.append(value)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for _ in range(4):
        client.sync()  # pulls while the writers commit out of order
    for t in threads:
        t.join()
    client.sync()
    with node.read() as s:
        emails = {c.email for c in s.exec(select(Contact)).all()}
    assert set(committed) <= emails
    assert len(committed) == 6 * 12


# ---- idempotency -----------------------------------------------------------------------------
class _LoseReplies(httpx.BaseTransport):
    """Delivers each push to the real service, then loses its reply."""

    def __init__(self, inner: httpx.BaseTransport, lose: int) -> None:
        self.inner = inner
        self.lose = lose

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path == "/v1/push" and self.lose > 0:
            response.read()
            self.lose -= 1
            raise httpx.ReadError("connection reset", request=request)
        return response


def test_a_lost_reply_is_retried_and_applied_once(node_factory, server, central):
    node, client = node_factory("clerk")
    client.sync()
    contact_id = _contact(node)
    edit(node, "clerk", Contact, contact_id, email="first@x.sa")
    before = central_row(central.admin, "contact", contact_id)["row_version"]
    lossy = SyncClient(
        node,
        server.url,
        token=client.token,
        streams=client.streams,
        http=httpx.Client(base_url=server.url, transport=_LoseReplies(httpx.HTTPTransport(), 1)),
    )
    with pytest.raises(SyncError) as failed:
        lossy.sync()
    assert failed.value.code == "sync.offline"
    assert pending(node) == 2  # the change and the sign-in bookkeeping: still pending here
    assert central_row(central.admin, "contact", contact_id)["email"] == "first@x.sa"
    report = lossy.sync()  # the retry gets the stored outcomes
    assert report.count(OutcomeKind.APPLIED) == 2
    assert pending(node) == 0
    assert central_row(central.admin, "contact", contact_id)["row_version"] == before + 1
    with central.admin.connect() as conn:
        logged = conn.execute(
            sa.text("SELECT count(*) FROM change_log WHERE entity_id = :i AND row_version = :v"),
            {"i": contact_id, "v": before + 1},
        ).scalar()
    assert logged == 1
    lossy.close()


def test_two_concurrent_pushes_of_the_same_batch_apply_it_once(node_factory, central):
    node, client = node_factory("clerk")
    client.sync()
    contact_id = _contact(node)
    edit(node, "clerk", Contact, contact_id, mobile="0551234567")
    service = SyncService(central.service)
    session = service.session(client.token or "")
    node_id, batch = local.pending_batch(node, 100)
    results: list[list] = []
    barrier = threading.Barrier(2)

    def push() -> None:
        barrier.wait()
        results.append(service.push(session, node_id, batch))

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    late = service.push(session, node_id, batch)  # and a late retry
    outcomes = [o for r in [*results, late] for o in r]
    assert {o.outcome for o in outcomes} == {OutcomeKind.APPLIED}
    assert sum(not o.repeated for o in outcomes) == len(batch)
    row = central_row(central.admin, "contact", contact_id)
    assert row["mobile"] == "0551234567"
    assert row["row_version"] == 2


def test_a_restored_store_takes_a_new_node_id_and_loses_nothing(node_factory, central, tmp_path):
    node, client = node_factory("clerk", name="laptop")
    client.sync()
    contact_id = _contact(node)
    path = Path(node.settings.db)
    backup = tmp_path / "backup.db"
    client.close()
    node.close()
    shutil.copy(path, backup)
    node = Store.open(Settings(db=path, bidi="app"))
    client = SyncClient(node, client.server, token=client.token, streams=client.streams)
    edit(node, "clerk", Contact, contact_id, email="before-restore@x.sa")
    client.sync()
    old_node = node.node().node_id
    client.close()
    node.close()
    shutil.copy(backup, path)  # the disk is restored from last night's copy
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    node = Store.open(Settings(db=path, bidi="app"))
    client = SyncClient(node, client.server, token=client.token, streams=client.streams)
    edit(node, "clerk", Contact, contact_id, mobile="0559999999")
    report = client.sync()
    assert report.renewed_node
    assert node.node().node_id != old_node
    assert pending(node) == 0
    row = central_row(central.admin, "contact", contact_id)
    assert row["mobile"] == "0559999999"
    assert row["email"] == "before-restore@x.sa"  # the first history's change stands
    assert local_row(node, Contact, contact_id).email == "before-restore@x.sa"
    client.close()
    node.close()


# ---- conflicts -------------------------------------------------------------------------------
def test_the_same_field_changed_on_two_nodes_is_a_conflict_and_other_fields_merge(
    node_factory, central
):
    a, client_a = node_factory("clerk")
    b, client_b = node_factory("supervisor")
    client_a.sync()
    client_b.sync()
    contact_id = _contact(a)
    seeded = local_row(a, Contact, contact_id).email
    edit(a, "clerk", Contact, contact_id, email="a@x.sa", mobile="0550000001")
    edit(b, "supervisor", Contact, contact_id, email="b@x.sa", home_phone="0112345678")
    client_a.sync()
    report = client_b.sync()
    assert report.count(OutcomeKind.CONFLICT) == 1
    row = central_row(central.admin, "contact", contact_id)
    assert (row["email"], row["mobile"], row["home_phone"]) == (
        "a@x.sa",
        "0550000001",
        "0112345678",
    )
    with b.read() as s:
        conflict = s.exec(select(SyncConflict)).one()
    assert conflict.kind == "field"
    assert (conflict.base, conflict.mine, conflict.theirs) == (
        {"email": seeded},
        {"email": "b@x.sa"},
        {"email": "a@x.sa"},
    )
    assert local_row(b, Contact, contact_id).email == "a@x.sa"  # central's value shows at once
    client_a.sync()
    assert local_row(a, Contact, contact_id).home_phone == "0112345678"


def move(store: Store, username: str, app_id: str, target: S) -> None:
    """A status move as the services make it: the case and its timeline row."""
    actor = authenticate(store, username, PASSWORD)
    with store.write(actor) as uow:
        app = uow.session.get(Application, app_id)
        assert app is not None
        transition(uow, actor, app, target, reason="سبب الاختبار")


def test_status_moves_follow_the_state_machine(node_factory, central):
    a, client_a = node_factory("supervisor")
    b, client_b = node_factory("supervisor2")
    client_a.sync()
    client_b.sync()
    with a.read() as s:
        app = s.exec(select(Application).where(Application.status == S.VISIT_DONE)).first()
    assert app is not None
    move(a, "supervisor", app.id, S.PRELIMINARY_APPROVED)
    move(b, "supervisor2", app.id, S.REJECTED)
    client_a.sync()
    client_b.sync()
    assert central_row(central.admin, "application", app.id)["status"] == "preliminary_approved"
    with b.read() as s:
        conflict = s.exec(select(SyncConflict)).one()
        timeline = s.exec(select(StatusChange).where(StatusChange.application_id == app.id)).all()
    assert conflict.kind == "transition"
    assert set(conflict.mine) == {"status"}  # when it last changed is no conflict
    # The move that did not happen leaves no row in the timeline, here or centrally.
    assert S.REJECTED not in {c.to_status for c in timeline}
    assert [e.result["code"] for e in outbox(b, "status_change")] == ["status.not_taken"]
    # The same move made twice is no conflict; an illegal move is refused.
    c, client_c = node_factory("clerk")
    client_c.sync()
    edit(c, "clerk", Application, app.id, status=S.APPROVED)
    report = client_c.sync()
    assert report.count(OutcomeKind.REJECTED) == 1
    assert [e.result["code"] for e in outbox(c, "application")] == ["status.illegal"]
    assert local_row(c, Application, app.id).status == S.PRELIMINARY_APPROVED


def test_delete_against_a_concurrent_edit_is_a_conflict_never_a_silent_loss(node_factory, central):
    a, client_a = node_factory("clerk")
    b, client_b = node_factory("supervisor")
    client_a.sync()
    client_b.sync()
    contact_id = _contact(a)
    delete(a, "clerk", Contact, contact_id)
    edit(b, "supervisor", Contact, contact_id, email="kept@x.sa")
    client_b.sync()
    report = client_a.sync()
    assert report.count(OutcomeKind.CONFLICT) == 1
    row = central_row(central.admin, "contact", contact_id)
    assert row["deleted_at"] is None and row["email"] == "kept@x.sa"
    # And the other way round: an edit of a row deleted elsewhere.
    other = first_id(b, Contact) if first_id(b, Contact) != contact_id else None
    with b.read() as s:
        ids = [c.id for c in s.exec(select(Contact)).all() if c.id != contact_id]
    other = ids[0]
    client_a.sync()
    delete(b, "supervisor", Contact, other)
    edit(a, "clerk", Contact, other, email="late@x.sa")
    client_b.sync()
    report = client_a.sync()
    assert report.count(OutcomeKind.CONFLICT) == 1
    assert central_row(central.admin, "contact", other)["deleted_at"] is not None
    with a.read() as s:
        kinds = sorted(c.kind for c in s.exec(select(SyncConflict)).all())
    assert kinds == ["delete", "edit_deleted"]


def test_device_clocks_decide_nothing(node_factory, central, monkeypatch):
    a, client_a = node_factory("clerk")
    b, client_b = node_factory("supervisor")
    client_a.sync()
    client_b.sync()
    contact_id = _contact(a)
    import daman_tui.services.uow as uow_module

    # Laptop A's clock runs five hours ahead: its change looks newest by any clock.
    monkeypatch.setattr(uow_module, "utcnow", lambda: utcnow() + timedelta(hours=5))
    edit(a, "clerk", Contact, contact_id, email="ahead@x.sa")
    monkeypatch.undo()
    edit(b, "supervisor", Contact, contact_id, email="on-time@x.sa")
    client_b.sync()
    report = client_a.sync()
    # The change that reached the service first stands; the other is a conflict.
    assert report.count(OutcomeKind.CONFLICT) == 1
    assert central_row(central.admin, "contact", contact_id)["email"] == "on-time@x.sa"


# ---- failures and pending work ---------------------------------------------------------------
def test_a_sync_that_fails_keeps_everything_and_a_later_one_finishes(node_factory, server):
    node, client = node_factory("clerk")
    client.sync()
    contact_id = _contact(node)
    edit(node, "clerk", Contact, contact_id, email="offline@x.sa")
    server.stop()
    with pytest.raises(SyncError) as failed:
        client.sync()
    assert failed.value.code == "sync.offline"
    assert failed.value.message("ar").startswith("تعذر الوصول")
    assert pending(node) == 2
    assert all(e.attempts == 1 for e in outbox(node) if e.state == OutboxState.PENDING)
    assert local_row(node, Contact, contact_id).email == "offline@x.sa"


def test_a_later_sync_after_a_failure_applies_the_work(node_factory, server, central):
    node, client = node_factory("clerk")
    client.sync()
    contact_id = _contact(node)
    edit(node, "clerk", Contact, contact_id, email="retry@x.sa")
    dead = SyncClient(node, "http://127.0.0.1:9", token=client.token, streams=client.streams)
    with pytest.raises(SyncError):
        dead.sync()
    dead.close()
    client.sync()
    assert pending(node) == 0
    assert central_row(central.admin, "contact", contact_id)["email"] == "retry@x.sa"


def test_a_pull_keeps_local_changes_that_are_not_pushed_yet(node_factory, central):
    node, client = node_factory("clerk")
    client.sync()
    contact_id = _contact(node)
    edit(node, "clerk", Contact, contact_id, email="mine@x.sa")
    with central.admin.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE contact SET mobile = '0501111111', row_version = row_version + 1 "
                "WHERE id = :i"
            ),
            {"i": contact_id},
        )
    client.pull(SyncReport())  # a pull alone, the change still pending
    row = local_row(node, Contact, contact_id)
    assert (row.email, row.mobile) == ("mine@x.sa", "0501111111")
    report = client.sync()
    assert report.count(OutcomeKind.MERGED) == 1
    row = central_row(central.admin, "contact", contact_id)
    assert (row["email"], row["mobile"]) == ("mine@x.sa", "0501111111")


def test_cursors_never_move_back(node_factory):
    node, client = node_factory("clerk")
    client.sync()
    positions = {s: local.cursor(node, s) for s in client.streams}
    assert all(p > 0 for p in positions.values())
    local.apply_changes(node, client.streams[1], [], 1)
    assert {s: local.cursor(node, s) for s in client.streams} == positions


# ---- isolation -------------------------------------------------------------------------------
def test_row_level_security_with_no_branch_set_shows_and_takes_nothing(
    seeded_central, central_staff
):
    with seeded_central.service.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM contact")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM application")).scalar() == 0
        conn.rollback()
        # After a transaction that set the branch, the setting reads '' — still nothing.
        with conn.begin():
            conn.execute(
                sa.text("SELECT set_config('app.branch', :b, true)"),
                {"b": central_staff.clerk.branch_id},
            )
            assert conn.execute(sa.text("SELECT count(*) FROM contact")).scalar() > 0
        assert conn.execute(sa.text("SELECT current_setting('app.branch', true)")).scalar() == ""
        assert conn.execute(sa.text("SELECT count(*) FROM contact")).scalar() == 0
        assert (
            conn.execute(sa.text("SELECT count(*) FROM change_log WHERE stream <> '*'")).scalar()
            == 0
        )
        conn.rollback()
        with pytest.raises(DBAPIError), conn.begin():
            conn.execute(sa.text("UPDATE branch SET name_en = 'x'"))
        with pytest.raises(DBAPIError), conn.begin():
            conn.execute(sa.text("DELETE FROM contact"))


def test_a_node_cannot_read_or_write_another_branch(node_factory, central, central_staff):
    node, client = node_factory("clerk")
    client.sync()
    service = SyncService(central.service)
    session = service.session(client.token or "")
    other = Session(session.user_id, session.branch_id, session.role, session.node_id)
    with pytest.raises(Exception) as refused:
        service.pull(other, central_staff.other_clerk.branch_id, 0, 10)
    assert getattr(refused.value, "code", "") == "stream.branch"
    # A row of this branch moved to the other one is refused by the service.
    contact_id = _contact(node)
    edit(node, "clerk", Contact, contact_id, branch_id=central_staff.other_clerk.branch_id)
    report = client.sync()
    assert report.count(OutcomeKind.REJECTED) == 1
    assert (
        central_row(central.admin, "contact", contact_id)["branch_id"]
        == central_staff.clerk.branch_id
    )


def test_a_wrong_password_and_a_bad_token_are_refused(server, seeded_central, tmp_path):
    node = Store.open(Settings(db=tmp_path / "n" / "daman.db", bidi="app"))
    client = SyncClient(node, server.url)
    with pytest.raises(SyncError) as failed:
        client.sign_in("clerk", PASSWORD + "x")
    assert failed.value.code == "sync.auth.failed"
    client.token, client.streams = "forged", ("*",)
    with pytest.raises(SyncError) as failed:
        client.sync()
    assert failed.value.code == "sync.auth.token"
    client.close()
    node.close()


def test_the_service_checks_who_may_write_what(node_factory, central):
    # A field officer's laptop may record visits, not change a family's file; the check
    # is the service's own, whatever a modified client sends.
    node, client = node_factory("field_officer")
    client.sync()
    contact_id = _contact(node)
    edit(node, "field_officer", Contact, contact_id, email="field@x.sa")
    report = client.sync()
    assert report.count(OutcomeKind.REJECTED) == 1
    assert [e.result["code"] for e in outbox(node, "contact")] == ["permission.denied"]
    assert central_row(central.admin, "contact", contact_id)["email"] != "field@x.sa"
    assert local_row(node, Contact, contact_id).email != "field@x.sa"  # central's shows
