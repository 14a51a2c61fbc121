"""The queue's own table follows the file: every write, a bulk seed, a new version."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from daman_tui.db.models import Application, AppUser, DerivedState, Household, Person, QueueRow
from daman_tui.domain.enums import ApplicationStatus
from daman_tui.services import queue_index
from daman_tui.services.cases import change_status
from daman_tui.services.seed.run import seed_cases
from daman_tui.services.store import Store
from daman_tui.settings import Settings


def _fts(store: Store, query: str) -> set[str]:
    """Application ids whose head's normalised name matches ``query`` (trigram index)."""
    sql = sa.text(
        "SELECT q.application_id FROM queue_fts JOIN queue_row q ON q.seq = queue_fts.rowid"
        " WHERE queue_fts MATCH :q"
    )
    with store.read() as session:
        return set(session.connection().execute(sql, {"q": f'"{query}"'}).scalars())


def _queue(store: Store) -> dict[str, QueueRow]:
    with store.read() as session:
        return {row.application_id: row for row in session.exec(select(QueueRow)).all()}


def test_a_seeded_store_has_a_queue_row_per_application(store: Store) -> None:
    seed_cases(store, cases=40, seed=3)
    queue = _queue(store)
    with store.read() as session:
        apps = session.exec(select(Application)).all()
    assert {a.id for a in apps} == set(queue)
    sample = queue[apps[0].id]
    assert sample.request_number == apps[0].request_number
    assert sample.name and sample.name_key
    assert apps[0].id in _fts(store, sample.name_key.split()[0][:3])
    submitted = [a for a in apps if a.submitted_at is not None and a.decided_at is None]
    assert submitted and all(queue[a.id].clock != "none" for a in submitted)


def test_a_status_change_and_a_rename_reach_the_queue_in_the_same_transaction(
    store: Store, staff
) -> None:
    seed_cases(store, cases=30, seed=5, branch_code="RYD01")
    with store.read() as session:
        app = session.exec(
            select(Application).where(Application.status == ApplicationStatus.SUBMITTED)
        ).first()
    assert app is not None
    change_status(store, staff.supervisor, app.id, ApplicationStatus.VISIT_SCHEDULED)
    assert _queue(store)[app.id].status == ApplicationStatus.VISIT_SCHEDULED.value

    old_key = _queue(store)[app.id].name_key
    with store.write(None) as uow:
        household = uow.session.get(Household, app.household_id)
        assert household is not None
        head = uow.session.get(Person, household.head_person_id)
        assert head is not None
        uow.update(head, {"first_name": "إبراهيم"})
    row = _queue(store)[app.id]
    assert row.name.startswith("إبراهيم") and row.name_key.startswith("ابراهيم")
    assert app.id in _fts(store, "ابراهيم")
    assert row.name_key != old_key


def test_a_deleted_application_leaves_the_queue(store: Store) -> None:
    seed_cases(store, cases=10, seed=7)
    with store.write(None) as uow:
        app = uow.session.exec(select(Application)).first()
        assert app is not None
        uow.tombstone(app)
    assert app.id not in _queue(store)


def test_an_older_queue_is_rebuilt_when_the_store_opens(store: Store, settings) -> None:
    seed_cases(store, cases=12, seed=9)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(QueueRow))
        conn.execute(sa.update(DerivedState).values(version=queue_index.QUEUE_VERSION - 1))
    store.close()
    said: list[str] = []
    reopened = Store.open(settings, on_rebuild=lambda: said.append("rebuilding"))
    try:
        assert said == ["rebuilding"], "the caller is told before the wait"
        assert len(_queue(reopened)) == 12
        with reopened.read() as session:
            state = session.get(DerivedState, "queue")
            assert state is not None and state.version == queue_index.QUEUE_VERSION
    finally:
        reopened.close()


def test_a_current_queue_is_not_rebuilt(store: Store, settings) -> None:
    store.close()
    said: list[str] = []
    Store.open(settings, on_rebuild=lambda: said.append("rebuilding")).close()
    assert said == []


def test_a_user_touched_without_a_rename_rewrites_no_queue_row(store: Store, staff) -> None:
    seed_cases(store, cases=30, seed=5, branch_code="RYD01")
    with store.read() as session:
        assigned = session.exec(
            select(QueueRow.assigned_to).where(QueueRow.assigned_to.is_not(None))  # type: ignore[union-attr]
        ).first()
    assert assigned is not None
    touched = {("app_user", assigned)}
    with store.write(None) as uow:
        assert queue_index.affected_applications(uow.session, touched) == set()
        user = uow.session.get(AppUser, assigned)
        assert user is not None
        uow.update(user, {"full_name": "اسم جديد للموظف"})
        mine = queue_index.affected_applications(uow.session, touched)
    assert mine, "a renamed assignee's rows are rewritten"
    names = {r.assignee_name for r in _queue(store).values() if r.assigned_to == assigned}
    assert names == {"اسم جديد للموظف"}


def test_a_new_store_opens_without_a_rebuild_message(tmp_path) -> None:
    said: list[str] = []
    settings = Settings(db=tmp_path / "new.db")
    Store.open(settings, on_rebuild=lambda: said.append("rebuilding")).close()
    assert said == []
