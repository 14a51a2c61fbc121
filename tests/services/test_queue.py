"""The queue's windows and counts equal a plain Python filter and sort of every row,
whichever plan the query takes, paged forwards or backwards at any page size."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from daman_tui.db.models import (
    Application,
    AppUser,
    FinancialComplaint,
    HomeVisit,
    Objection,
    QueueRow,
)
from daman_tui.domain.arabic import normalize_for_search
from daman_tui.domain.enums import ApplicationKind, ApplicationStatus, Role
from daman_tui.domain.permissions import Actor
from daman_tui.domain.queue_search import parse_search
from daman_tui.domain.rules import rule_set_for
from daman_tui.domain.sla import DUE_SOON_DAYS, add_days
from daman_tui.services import queue as queue_service
from daman_tui.services.queue import (
    QueueFilter,
    QueueItem,
    QueueQuery,
    QueueSort,
    queue_count,
    queue_page,
)
from daman_tui.services.seed.run import seed_cases
from daman_tui.services.store import Store
from daman_tui.settings import Settings

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder: Path = tmp_path_factory.mktemp("queue")
    store = Store.open(Settings(db=folder / "daman.db", bidi="app"))
    seed_cases(store, cases=260, seed=11, branch_code="RYD01", as_of=TODAY)
    seed_cases(store, cases=40, seed=12, branch_code="JED01", as_of=TODAY)
    yield store
    store.close()


def _actor(store: Store, role: Role, branch_code: str = "RYD01") -> Actor:
    with store.read() as session:
        users = session.exec(select(AppUser).where(AppUser.role == role)).all()
        from daman_tui.db.models import Branch

        branch = session.exec(select(Branch).where(Branch.code == branch_code)).one()
    user = next(u for u in users if u.branch_id == branch.id)
    return Actor(user.id, user.username, user.full_name, role, user.branch_id)


def _all_items(store: Store) -> list[QueueItem]:
    with store.read() as session:
        rows = session.exec(select(QueueRow)).all()
    out = []
    for r in rows:
        values = {k: getattr(r, k) for k in QueueItem.__slots__}  # type: ignore[attr-defined]
        values |= {"status": ApplicationStatus(r.status), "kind": ApplicationKind(r.kind)}
        out.append(QueueItem(**values))
    return out


def _reference(items: list[QueueItem], actor: Actor, query: QueueQuery) -> list[QueueItem]:
    """The naive answer: filter every row in Python, then sort."""
    f = query.filter
    calendar = rule_set_for(TODAY).calendar
    soon = add_days(TODAY, DUE_SOON_DAYS, calendar)
    terms = parse_search(query.search)

    def sla(i: QueueItem) -> str:
        if i.clock == "paused":
            return "paused"
        if i.due_on is None:
            return "stopped"
        return "overdue" if i.due_on < TODAY else "due_soon" if i.due_on <= soon else "on_time"

    def in_scope(i: QueueItem) -> bool:
        if actor.role is not Role.ADMIN and i.branch_code != _code(actor):
            return False
        if actor.role is Role.FIELD_OFFICER:
            return i.application_id in _VISITS.get(actor.id, set())
        return not f.mine or i.assigned_to == actor.id

    def kind_ok(i: QueueItem) -> bool:
        return (
            i.kind.value in f.kinds
            or ("objection" in f.kinds and i.application_id in _DISPUTES["objection"])
            or ("complaint" in f.kinds and i.application_id in _DISPUTES["complaint"])
        )

    def filtered(i: QueueItem) -> bool:
        return (
            (not f.statuses or i.status.value in f.statuses)
            and (not f.kinds or kind_ok(i))
            and (not f.branches or i.branch_code in f.branches)
            and (not f.sla or sla(i) in f.sla)
        )

    def searched(i: QueueItem) -> bool:
        if terms.kind == "national_id":
            return i.national_id.startswith(terms.prefix)
        if terms.kind == "request_number":
            return i.request_number.startswith(terms.prefix)
        parts = i.name_key.split()
        return all(w in i.name_key for w in terms.long_words) and all(
            any(p.startswith(w) for p in parts) for w in terms.short_words
        )

    def keep(i: QueueItem) -> bool:
        return in_scope(i) and filtered(i) and searched(i)

    kept = [i for i in items if keep(i)]
    column = query.sort.column
    present = sorted(
        (i for i in kept if getattr(i, column) is not None),
        key=lambda i: (getattr(i, column), i.seq),
        reverse=query.sort.descending,
    )
    missing = sorted(
        (i for i in kept if getattr(i, column) is None),
        key=lambda i: i.seq,
        reverse=query.sort.descending,
    )
    return present + missing if query.sort.descending else missing + present


_CODES: dict[str, str] = {}
_VISITS: dict[str, set[str]] = {}
_DISPUTES: dict[str, set[str]] = {"objection": set(), "complaint": set()}


def _code(actor: Actor) -> str:
    return _CODES[actor.branch_id]


def _walk(store: Store, actor: Actor, query: QueueQuery, size: int) -> list[QueueItem]:
    out: list[QueueItem] = []
    page = queue_page(store, actor, query, limit=size, today=TODAY)
    while page:
        out.extend(page)
        page = queue_page(store, actor, query, after=page[-1], limit=size, today=TODAY)
    return out


def _walk_back(store: Store, actor: Actor, query: QueueQuery, size: int) -> list[QueueItem]:
    out: list[QueueItem] = []
    page = queue_page(store, actor, query, backward=True, limit=size, today=TODAY)
    while page:
        out[:0] = page
        page = queue_page(
            store, actor, query, after=page[0], backward=True, limit=size, today=TODAY
        )
    return out


def _some_name_parts(items: list[QueueItem]) -> tuple[str, str]:
    family = items[0].name.split()[-1]
    first = items[1].name.split()[0]
    return family, first


QUERIES: list[tuple[str, QueueQuery]] = [
    ("everything", QueueQuery()),
    ("two statuses", QueueQuery(QueueFilter(statuses=frozenset({"submitted", "visit_done"})))),
    ("overdue or due soon", QueueQuery(QueueFilter(sla=frozenset({"overdue", "due_soon"})))),
    ("paused or stopped", QueueQuery(QueueFilter(sla=frozenset({"paused", "stopped"})))),
    ("updates", QueueQuery(QueueFilter(kinds=frozenset({"update"})))),
    ("open objections", QueueQuery(QueueFilter(kinds=frozenset({"objection"})))),
    ("complaints or updates", QueueQuery(QueueFilter(kinds=frozenset({"complaint", "update"})))),
    ("mine", QueueQuery(QueueFilter(mine=True))),
    ("id prefix", QueueQuery(search="1")),
    ("id prefix in Arabic-Indic digits", QueueQuery(search="١٠")),
    ("request prefix", QueueQuery(search="ryd01-2")),
    ("two-letter name start", QueueQuery(search="عب")),
    ("name with harakat and another alef", QueueQuery(search="أَحْمد")),
    ("two fragments", QueueQuery(search="محم ال")),
]
SORTS = [QueueSort(), QueueSort("due_on", False), QueueSort("name_key", True)]


@pytest.fixture(scope="module")
def world(seeded: Store) -> tuple[Store, list[QueueItem], Actor, Actor]:
    supervisor = _actor(seeded, Role.SUPERVISOR)
    admin = _actor(seeded, Role.ADMIN)
    with seeded.read() as session:
        from daman_tui.db.models import Branch

        for b in session.exec(select(Branch)).all():
            _CODES[b.id] = b.code
        open_ = {"filed", "under_review"}
        apps_of: dict[str, set[str]] = {}
        for a in session.exec(select(Application)).all():
            apps_of.setdefault(a.household_id, set()).add(a.id)
        for o in session.exec(select(Objection)).all():
            if o.status in open_:
                _DISPUTES["objection"] |= apps_of.get(o.household_id, set())
        for fc in session.exec(select(FinancialComplaint)).all():
            if fc.status in open_:
                _DISPUTES["complaint"] |= apps_of.get(fc.household_id, set())
        for v in session.exec(select(HomeVisit)).all():
            if v.assigned_to:
                _VISITS.setdefault(v.assigned_to, set()).add(v.application_id)
    return seeded, _all_items(seeded), supervisor, admin


# Every way a window can be read: a short walk before the name index is counted; an
# index narrow enough; a walk along the sort order; a walk cut short, then the narrowest
# index; then the sort order walked to the end.
PLANS = {
    "as-tuned": {},
    "index": {"FIRST_WALK": 0},
    "first-walk-cut-short": {"FIRST_WALK": 2},
    "walk": {"FIRST_WALK": 0, "FTS_NARROW": 3},
    "walk-cut-short": {"FIRST_WALK": 2, "FTS_NARROW": 3, "WALK_BUDGET": 4},
    "walk-cut-short-none-narrow": {"FIRST_WALK": 2, "FTS_NARROW": 3, "WALK_BUDGET": 4, "WIDE": 5},
}


@pytest.mark.parametrize("plan", list(PLANS))
@pytest.mark.parametrize("sort", SORTS, ids=lambda s: f"{s.column}-{s.descending}")
@pytest.mark.parametrize("label,query", QUERIES, ids=[q[0] for q in QUERIES])
def test_windows_walk_the_same_rows_as_a_plain_filter(
    world, monkeypatch: pytest.MonkeyPatch, plan: str, sort: QueueSort, label: str, query
) -> None:
    store, items, supervisor, _admin = world
    for knob, value in PLANS[plan].items():
        monkeypatch.setattr(queue_service, knob, value)
    query = QueueQuery(query.filter, query.search, sort)
    expected = [i.application_id for i in _reference(items, supervisor, query)]
    assert [i.application_id for i in _walk(store, supervisor, query, 17)] == expected, label
    assert [i.application_id for i in _walk_back(store, supervisor, query, 23)] == expected
    assert queue_count(store, supervisor, query, today=TODAY) == len(expected)


def test_the_queries_are_not_vacuous(world) -> None:
    _store, items, supervisor, _admin = world
    for label, query in QUERIES:
        if label != "mine":  # the seed assigns few cases to one supervisor
            assert _reference(items, supervisor, query), label


def test_a_branch_sees_only_its_rows_and_an_admin_sees_all(world) -> None:
    store, items, supervisor, admin = world
    mine = _walk(store, supervisor, QueueQuery(), 50)
    everything = _walk(store, admin, QueueQuery(), 50)
    assert {i.branch_code for i in mine} == {"RYD01"}
    assert {i.branch_code for i in everything} == {"RYD01", "JED01"}
    assert len(everything) == len(items)
    jeddah = QueueQuery(QueueFilter(branches=frozenset({"JED01"})))
    assert queue_page(store, supervisor, jeddah, today=TODAY) == []
    assert queue_count(store, admin, jeddah, today=TODAY) == 40


def test_a_name_is_found_by_any_part_in_any_spelling(world) -> None:
    store, items, supervisor, _admin = world
    target = next(i for i in items if i.branch_code == "RYD01" and "ة" in i.name)
    part = next(p for p in target.name.split() if "ة" in p)
    variants = {part, part.replace("ة", "ه"), part[:-1] + "ـ" + part[-1]}
    for variant in variants:
        found = _walk(store, supervisor, QueueQuery(search=variant), 50)
        assert target.application_id in {i.application_id for i in found}, variant
        assert all(normalize_for_search(part) in i.name_key for i in found)


@pytest.mark.parametrize("text", ['"', 'محمد" OR "', "NEAR(", "%", "_", "\\", "ab*", "[bold]"])
def test_search_text_is_data_never_syntax(world, text: str) -> None:
    store, items, supervisor, _admin = world
    query = QueueQuery(search=text)
    expected = [i.application_id for i in _reference(items, supervisor, query)]
    assert [i.application_id for i in _walk(store, supervisor, query, 50)] == expected
    assert queue_count(store, supervisor, query, today=TODAY) == len(expected)


def test_a_field_officer_sees_only_the_cases_assigned_to_them(world) -> None:
    store, items, _supervisor, _admin = world
    officer = _actor(store, Role.FIELD_OFFICER)
    rows = _walk(store, officer, QueueQuery(), 50)
    assert rows and all(i.application_id in _VISITS[officer.id] for i in rows)
    assert rows == _reference(items, officer, QueueQuery())


def test_the_date_range_counts_riyadh_days(world) -> None:
    store, items, supervisor, _admin = world
    day = next(i.submitted_at for i in items if i.submitted_at and i.branch_code == "RYD01")
    assert day is not None
    local = (day + timedelta(hours=3)).date()
    query = QueueQuery(QueueFilter(submitted_from=local, submitted_to=local))
    rows = _walk(store, supervisor, query, 50)
    assert rows and all(
        i.submitted_at is not None and (i.submitted_at + timedelta(hours=3)).date() == local
        for i in rows
    )


def test_saved_filters_round_trip_and_drop_unknown_values() -> None:
    f = QueueFilter(
        statuses=frozenset({"submitted"}),
        sla=frozenset({"overdue"}),
        mine=True,
        kinds=frozenset({"new"}),
        submitted_from=date(2026, 11, 1),
    )
    assert QueueFilter.from_json(f.to_json()) == f
    data = f.to_json() | {"statuses": ["submitted", "no-such"], "submitted_to": "junk"}
    assert QueueFilter.from_json(data) == f
    assert f.active == 5


def test_a_read_its_caller_gave_up_stops(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen's worker passes its cancel flag: a superseded search stops in SQLite."""
    from daman_tui.db import cancel

    store, _items, supervisor, _admin = world
    monkeypatch.setattr(cancel, "PROGRESS_STEPS", 1)
    query = QueueQuery(search="محمد")
    with pytest.raises(queue_service.Cancelled):
        queue_page(store, supervisor, query, today=TODAY, cancelled=lambda: True)
    with pytest.raises(queue_service.Cancelled):
        queue_count(store, supervisor, query, today=TODAY, cancelled=lambda: True)
    assert queue_page(store, supervisor, query, today=TODAY, cancelled=lambda: False)
