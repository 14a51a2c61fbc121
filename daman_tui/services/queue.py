"""The case queue: one window of matching cases at a time, and how many match.

Every read is one indexed query on ``queue_row`` (services/queue_index.py keeps it in
step): a window is a keyset page in the chosen sort order — ``(value, seq)`` after or
before the row at the window's edge — so the 50 rows at any depth cost what the first
50 cost, and nothing ever reads the whole table. The count is a separate query, meant
for a worker: it is the only part whose cost grows with the matches.

Names are searched through the trigram index when it narrows the rows, and by a check
on each row in sort order when it does not (a common fragment such as "محمد" matches a
large part of the store: walking the sort index until the window is full is then the
cheaper plan).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from daman_tui.db.cancel import Cancelled, cancellable
from daman_tui.db.models import Application, FinancialComplaint, HomeVisit, Objection, QueueRow
from daman_tui.db.models.queue import QUEUE_FTS, QUEUE_SORTS
from daman_tui.domain.enums import (
    ApplicationKind,
    ApplicationStatus,
    ComplaintStatus,
    ObjectionStatus,
    Role,
)
from daman_tui.domain.permissions import Actor, Permission, can, require
from daman_tui.domain.queue_search import SearchTerms, parse_search
from daman_tui.domain.rules import rule_set_for
from daman_tui.domain.sla import DUE_SOON_DAYS, add_days, days_between
from daman_tui.services.store import Store

__all__ = [
    "DISPUTE_KINDS",
    "FIRST_WALK",
    "FTS_NARROW",
    "QUEUE_KINDS",
    "SLA_STATES",
    "WALK_BUDGET",
    "WIDE",
    "Cancelled",
    "QueueFilter",
    "QueueItem",
    "QueueQuery",
    "QueueSort",
    "queue_count",
    "queue_page",
]

_q = QueueRow.__table__  # type: ignore[attr-defined]
_v = HomeVisit.__table__  # type: ignore[attr-defined]
_a = Application.__table__  # type: ignore[attr-defined]
_o = Objection.__table__  # type: ignore[attr-defined]
_fc = FinancialComplaint.__table__  # type: ignore[attr-defined]

FTS_NARROW = 5_000
"""A name fragment matching fewer rows than this is looked up in the trigram index
first; one matching more is checked row by row along the sort order."""

DISPUTE_KINDS = ("objection", "complaint")
"""Kinds of work beside new applications and updates: a case whose household has an
open objection or financial complaint."""

QUEUE_KINDS = (*(k.value for k in ApplicationKind), *DISPUTE_KINDS)
"""Every kind the queue filters by."""

WALK_BUDGET = 10_000
"""Rows of the sort order a window may walk before a filter's index is used instead."""

WIDE = 500_000
"""How far the narrowest filter is counted when a walk was not enough."""

FIRST_WALK = 2_000
"""Rows walked before the trigram index is asked how many rows a name matches: a
common name (the dearest count) fills a window within a few hundred rows."""
"""How far the narrowest filter is counted when a walk was not enough."""

SLA_STATES = ("overdue", "due_soon", "on_time", "paused", "stopped")
"""Where a case stands against its 20-day clock, as the queue filters it."""

SlaState = Literal["overdue", "due_soon", "on_time", "paused", "stopped"]

_RIYADH = timedelta(hours=3)  # Riyadh keeps UTC+3 all year: a counter's day boundary


@dataclass(frozen=True)
class QueueFilter:
    """What the queue is narrowed to; an empty set means "any"."""

    statuses: frozenset[str] = frozenset()
    sla: frozenset[str] = frozenset()
    mine: bool = False
    branches: frozenset[str] = frozenset()  # branch codes
    kinds: frozenset[str] = frozenset()
    submitted_from: date | None = None
    submitted_to: date | None = None

    @property
    def active(self) -> int:
        """How many of the filters narrow the queue (the screen's "filters (3)")."""
        sets = (self.statuses, self.sla, self.branches, self.kinds)
        dates = self.submitted_from is not None or self.submitted_to is not None
        return sum(1 for s in sets if s) + int(self.mine) + int(dates)

    def to_json(self) -> dict[str, Any]:
        """A plain form for a saved filter."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, frozenset):
                data[key] = sorted(value)
            elif isinstance(value, date):
                data[key] = value.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueueFilter:
        """The filter :meth:`to_json` wrote; values this version does not know are dropped."""
        statuses = {s.value for s in ApplicationStatus}
        kinds = set(QUEUE_KINDS)

        def day(value: Any) -> date | None:
            try:
                return date.fromisoformat(value) if value else None
            except (TypeError, ValueError):
                return None

        return cls(
            statuses=frozenset(s for s in data.get("statuses", ()) if s in statuses),
            sla=frozenset(s for s in data.get("sla", ()) if s in SLA_STATES),
            mine=bool(data.get("mine", False)),
            branches=frozenset(str(b) for b in data.get("branches", ())),
            kinds=frozenset(k for k in data.get("kinds", ()) if k in kinds),
            submitted_from=day(data.get("submitted_from")),
            submitted_to=day(data.get("submitted_to")),
        )


@dataclass(frozen=True)
class QueueSort:
    """The column the queue is ordered by (one of ``QUEUE_SORTS``) and its direction."""

    column: str = "last_change_at"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in QUEUE_SORTS:
            raise ValueError(f"the queue does not sort by {self.column!r}")


@dataclass(frozen=True)
class QueueQuery:
    """Everything that decides which rows the queue shows, in which order."""

    filter: QueueFilter = field(default_factory=QueueFilter)
    search: str = ""
    sort: QueueSort = field(default_factory=QueueSort)

    def to_json(self) -> dict[str, Any]:
        """A plain form for a saved filter."""
        return {
            "filter": self.filter.to_json(),
            "search": self.search,
            "sort": {"column": self.sort.column, "descending": self.sort.descending},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueueQuery:
        """The query :meth:`to_json` wrote (an unknown sort falls back to the default)."""
        sort = data.get("sort") or {}
        column = sort.get("column")
        return cls(
            filter=QueueFilter.from_json(data.get("filter") or {}),
            search=str(data.get("search") or ""),
            sort=QueueSort(column, bool(sort.get("descending")))
            if column in QUEUE_SORTS
            else QueueSort(),
        )


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One row of the queue."""

    seq: int
    application_id: str
    request_number: str
    name: str
    name_key: str
    national_id: str
    status: ApplicationStatus
    kind: ApplicationKind
    branch_code: str
    assigned_to: str | None
    assignee_name: str
    submitted_at: datetime | None
    due_on: date | None
    clock: str
    last_change_at: datetime

    def days_left(self, today: date) -> int | None:
        """Counted days from ``today`` to the due day (negative when overdue), or None
        when the clock is not running."""
        if self.due_on is None or self.submitted_at is None:
            return None
        calendar = rule_set_for(self.submitted_at.date()).calendar
        return days_between(today, self.due_on, calendar)

    def sort_value(self, column: str) -> Any:
        return getattr(self, column)


_COLUMNS = [_q.c[name] for name in QueueItem.__slots__]


def _item(row: Any) -> QueueItem:
    values = dict(row._mapping)
    values["status"] = ApplicationStatus(values["status"])
    values["kind"] = ApplicationKind(values["kind"])
    return QueueItem(**values)


def _utc_start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC) - _RIYADH


Columns = Callable[[str], Any]
"""Gives a ``queue_row`` column by name: the column itself, or the column behind a
unary plus (same value, but SQLite will not pick an index for it)."""


def _real(name: str) -> Any:
    return _q.c[name]


def _plain(name: str) -> Any:
    return sa.literal_column(f"+{_q.name}.{name}", type_=_q.c[name].type)


@dataclass(frozen=True)
class _Filter:
    """One condition of a query. ``narrow`` names the index that can find its rows
    (None: checked row by row only); ``indexed`` is the form used when that index is
    the plan, ``checked`` the form used otherwise."""

    narrow: str | None
    checked: Callable[[Columns], ColumnElement[bool]]
    indexed: Callable[[Columns], ColumnElement[bool]] | None = None
    not_null: str | None = None  # a column this condition holds only where it is set


def _sla_clause(state: str, today: date, c: Columns) -> ColumnElement[bool]:
    # The stored clock state is a snapshot from the row's last change; due days do not
    # move, so "overdue" and "due soon" are decided against today here.
    calendar = rule_set_for(today).calendar
    soon = add_days(today, DUE_SOON_DAYS, calendar)
    due: ColumnElement[date] = c("due_on")
    clock: ColumnElement[str] = c("clock")
    if state == "overdue":
        return due < today
    if state == "due_soon":
        return sa.and_(due >= today, due <= soon)
    if state == "on_time":
        return due > soon
    if state == "paused":
        return clock == "paused"
    return sa.and_(due.is_(None), clock != "paused")


def _prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    # A range uses the column's index; LIKE 'p%' would not (it is case-insensitive).
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return sa.and_(column >= prefix, column < upper)


def _fts_match(words: Sequence[str]) -> str:
    # Each word quoted: a fragment is matched as typed, never read as FTS syntax.
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def _fts_rows(match: str) -> Any:
    fts = sa.table(QUEUE_FTS, sa.column("rowid"))
    return sa.select(fts.c.rowid).where(
        sa.text(f"{QUEUE_FTS} MATCH :match").bindparams(match=match)
    )


def _like(c: Columns, pattern: str) -> ColumnElement[bool]:
    column: ColumnElement[str] = c("name_key")
    return column.like(pattern, escape="\\")


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _word_start(word: str, c: Columns) -> ColumnElement[bool]:
    w = _escape(word)
    return sa.or_(_like(c, f"{w}%"), _like(c, f"% {w}%"))


def _filters(actor: Actor, query: QueueQuery, today: date) -> list[_Filter]:
    """Every condition of ``query`` for ``actor`` (branch and role scope included)."""
    f = query.filter
    out: list[_Filter] = []
    if not can(actor, Permission.ALL_BRANCHES):
        # Never an index: a branch's store holds little but its own branch.
        out.append(_Filter(None, lambda c: c("branch_id") == actor.branch_id))
    if actor.role is Role.FIELD_OFFICER:
        # A field officer works the visits given to them, never the branch's whole queue.
        visits = sa.select(_v.c.application_id).where(
            _v.c.assigned_to == actor.id, _v.c.deleted_at.is_(None)
        )
        out.append(_Filter("application_id", lambda c: c("application_id").in_(visits)))
    elif f.mine:
        out.append(_Filter("assigned_to", lambda c: c("assigned_to") == actor.id))
    if f.statuses:
        statuses = sorted(f.statuses)
        out.append(_Filter("status", lambda c: c("status").in_(statuses)))
    if f.kinds:
        out.append(_kinds_filter(f.kinds))
    if f.branches:
        codes = sorted(f.branches)
        out.append(_Filter(None, lambda c: c("branch_code").in_(codes)))
    if f.sla:
        states = sorted(f.sla)
        by_due = not {"paused", "stopped"} & f.sla
        out.append(
            _Filter(
                "due_on" if by_due else None,
                lambda c: sa.or_(*(_sla_clause(s, today, c) for s in states)),
                not_null="due_on" if by_due else None,
            )
        )
    if f.submitted_from is not None:
        start = _utc_start(f.submitted_from)
        out.append(_Filter(None, lambda c: c("submitted_at") >= start))
    if f.submitted_to is not None:
        end = _utc_start(f.submitted_to + timedelta(days=1))
        out.append(_Filter(None, lambda c: c("submitted_at") < end))
    out.extend(_search_filters(parse_search(query.search)))
    return out


def _open_disputes(kind: str) -> Any:
    """The applications whose household has an objection (or a financial complaint) the
    review panel has not closed: the queue's "objection" and "complaint" kinds."""
    if kind == "objection":
        rows, open_ = _o, [s.value for s in (ObjectionStatus.FILED, ObjectionStatus.UNDER_REVIEW)]
    else:
        rows, open_ = _fc, [s.value for s in (ComplaintStatus.FILED, ComplaintStatus.UNDER_REVIEW)]
    return (
        sa.select(_a.c.id)
        .select_from(_a.join(rows, rows.c.household_id == _a.c.household_id))
        .where(rows.c.status.in_(open_), rows.c.deleted_at.is_(None))
    )


def _kinds_filter(kinds: frozenset[str]) -> _Filter:
    """New applications and updates by their own kind; objections and complaints by the
    open disputes of the household (both look up few rows: an index when alone)."""
    plain = sorted(kinds & {k.value for k in ApplicationKind})
    disputes = sorted(kinds & set(DISPUTE_KINDS))

    def clause(c: Columns) -> ColumnElement[bool]:
        parts = [c("application_id").in_(_open_disputes(k)) for k in disputes]
        if plain:
            parts.append(c("kind").in_(plain))
        return sa.or_(*parts)

    return _Filter(None if plain else "application_id", clause)


def _search_filters(terms: SearchTerms) -> list[_Filter]:
    if terms.kind in ("national_id", "request_number"):
        column = terms.kind
        prefix = terms.prefix
        return [_Filter(column, lambda c: _prefix_range(c(column), prefix))]
    if terms.kind == "none":
        return []
    out = [_Filter(None, partial(_word_start, w)) for w in terms.short_words]
    if terms.long_words:
        match = _fts_match(terms.long_words)
        words = [_escape(w) for w in terms.long_words]
        out.append(
            _Filter(
                "fts",
                lambda c: sa.and_(*(_like(c, f"%{w}%") for w in words)),
                lambda c: c("seq").in_(_fts_rows(match)),
            )
        )
    return out


def _plan(conn: Connection, filters: list[_Filter], cap: int) -> str | None:
    """The filter whose index finds the fewest rows, if it finds fewer than ``cap``;
    None: walk the sort order and check each row."""
    best: tuple[int, str] | None = None
    for f in filters:
        if f.narrow is None:
            continue
        clause = (f.indexed or f.checked)(_real)
        probe = sa.select(sa.literal(1)).select_from(_q).where(clause).limit(cap)
        found = conn.execute(sa.select(sa.func.count()).select_from(probe.subquery())).scalar_one()
        if found < cap and (best is None or found < best[0]):
            best = (found, f.narrow)
    return best[1] if best else None


def _clauses(filters: list[_Filter], plan: str | None) -> list[ColumnElement[bool]]:
    # Only the planned filter may use an index; the rest are checked on the rows it finds.
    return [
        (f.indexed or f.checked)(_real) if f.narrow == plan and plan else f.checked(_plain)
        for f in filters
    ]


def _after(
    c: Columns, column: str, value: Any, seq: int, descending: bool, nulls: bool = True
) -> list[Any]:
    """Rows strictly after ``(value, seq)`` in the order, as alternative segments
    (NULLs, which come first ascending and last descending, make it two; ``nulls``
    False leaves them out)."""
    col, seq_col = c(column), c("seq")
    if value is None:
        same = sa.and_(col.is_(None), seq_col < seq if descending else seq_col > seq)
        rest = [col.is_not(None)]
        if not nulls:
            return rest
        return [same] if descending else [same, *rest]
    bound = sa.tuple_(sa.literal(value, _q.c[column].type), sa.literal(seq))
    pair = sa.tuple_(col, seq_col)
    step = pair < bound if descending else pair > bound
    return [step, col.is_(None)] if descending and nulls else [step]


def _segments(
    c: Columns, name: str, descending: bool, after: QueueItem | None, filters: list[_Filter]
) -> list[Any]:
    """The parts of the order after ``after`` (all of it without one), in order; without
    the rows where the sort column is unset when a filter holds only where it is set."""
    nulls = not any(f.not_null == name for f in filters)
    column = c(name)
    if after is not None:
        return _after(c, name, after.sort_value(name), after.seq, descending, nulls)
    if not nulls:
        return [column.is_not(None)]
    segments = [column.is_not(None), column.is_(None)]
    return segments if descending else segments[::-1]


def _order(c: Columns, name: str, descending: bool) -> list[Any]:
    column, seq = c(name), c("seq")
    return [column.desc(), seq.desc()] if descending else [column.asc(), seq.asc()]


def _read(
    conn: Connection,
    filters: list[_Filter],
    plan: str | None,
    name: str,
    descending: bool,
    after: QueueItem | None,
    limit: int,
) -> list[QueueItem]:
    """The window by ``plan``: the planned index finds the rows and they are sorted, or
    (no plan) the sort order's own index is walked, checking every row."""
    base = _clauses(filters, plan)
    c = _plain if plan else _real
    rows: list[QueueItem] = []
    for segment in _segments(c, name, descending, after, filters):
        if len(rows) >= limit:
            break
        statement = (
            sa.select(*_COLUMNS)
            .where(*base, segment)
            .order_by(*_order(c, name, descending))
            .limit(limit - len(rows))
        )
        rows.extend(_item(r) for r in conn.execute(statement))
    return rows


def _walk(
    conn: Connection,
    filters: list[_Filter],
    name: str,
    descending: bool,
    after: QueueItem | None,
    limit: int,
    budget: int,
) -> list[QueueItem] | None:
    """The window found by walking at most ``budget`` rows of the sort order, or
    None when that is not enough (the matches are rare along this order, e.g. overdue
    cases by last change: their changes are old)."""
    # A condition on the sort column itself narrows the walk to its range of the index;
    # the others are checked on each row walked.
    ranged = [f.checked(_real) for f in filters if f.narrow == name]
    others = [f.checked(_plain) for f in filters if f.narrow != name]
    checks = sa.and_(*others) if others else sa.true()
    found: list[int] = []
    walked = 0
    for segment in _segments(_real, name, descending, after, filters):
        left = budget - walked
        order = _order(_real, name, descending)
        # One statement walks and checks: SQLite runs the ordered walk as a co-routine
        # and stops once the outer LIMIT has its matches, handing Python only those (a
        # loop over every walked row in Python took the interpreter from the screen's
        # thread once per row). The co-routine yields rows in its own ORDER BY; the
        # queue's tests compare every plan with a plain sort of every row.
        walk = (
            sa.select(_q.c.seq.label("seq"), sa.case((checks, 1), else_=0).label("ok"))
            .where(segment, *ranged)
            .order_by(*order)
            .limit(left)
            .subquery()
        )
        wanted = limit - len(found)
        found.extend(
            conn.execute(sa.select(walk.c.seq).where(walk.c.ok == 1).limit(wanted)).scalars()
        )
        if len(found) >= limit:
            break
        # Fewer matches than wanted: the segment ended, or the budget did (an index-only
        # count of the rows the walk could see tells which).
        seen = (
            sa.select(sa.literal(1)).select_from(_q).where(segment, *ranged).order_by(*order)
        ).limit(left)
        walked += conn.execute(sa.select(sa.func.count()).select_from(seen.subquery())).scalar_one()
        if walked >= budget:
            return None
    if not found:
        return []
    by_seq = {
        r.seq: _item(r) for r in conn.execute(sa.select(*_COLUMNS).where(_q.c.seq.in_(found)))
    }
    return [by_seq[seq] for seq in found]


def queue_page(
    store: Store,
    actor: Actor,
    query: QueueQuery,
    *,
    after: QueueItem | None = None,
    backward: bool = False,
    limit: int = 50,
    today: date | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[QueueItem]:
    """Up to ``limit`` rows in the query's order: the first ones, the ones after
    ``after``, or (``backward``) the ones before it — before nothing means the last
    rows. Always returned top to bottom.

    The plan: a filter whose index finds fewer than ``FTS_NARROW`` rows finds them;
    otherwise the sort order is walked for at most ``WALK_BUDGET`` rows; when that
    does not fill the window, the narrowest filter's index finds the rows after all.
    The trigram index is asked last, after a short walk (``FIRST_WALK``): counting a
    common name's matches there costs more than finding its first screenful.
    ``cancelled`` turning true stops the read (:class:`Cancelled`).
    """
    require(actor, Permission.VIEW_CASES)
    today = today or date.today()
    name = query.sort.column
    # Backward is the forward walk of the reversed order.
    descending = query.sort.descending != backward
    filters = _filters(actor, query, today)
    walkable = any(f.narrow for f in filters)
    names = [f for f in filters if f.narrow == "fts"]
    with store.engine.connect() as conn, cancellable(conn, cancelled):
        plan = _plan(conn, [f for f in filters if f.narrow != "fts"], FTS_NARROW)
        rows: list[QueueItem] | None = None
        if plan is None and names and FIRST_WALK:
            rows = _walk(conn, filters, name, descending, after, limit, FIRST_WALK)
        if rows is None and plan is None:
            plan = _plan(conn, names, FTS_NARROW)
            if plan is None and walkable:
                rows = _walk(conn, filters, name, descending, after, limit, WALK_BUDGET)
                if rows is None:
                    plan = _plan(conn, filters, WIDE)
        if rows is None:
            rows = _read(conn, filters, plan, name, descending, after, limit)
    if backward:
        rows.reverse()
    return rows


def queue_count(
    store: Store,
    actor: Actor,
    query: QueueQuery,
    today: date | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """How many rows match ``query`` (meant for a worker: it reads every match; a
    ``cancelled`` turning true stops it with :class:`Cancelled`)."""
    require(actor, Permission.VIEW_CASES)
    today = today or date.today()
    with store.engine.connect() as conn, cancellable(conn, cancelled):
        filters = _filters(actor, query, today)
        clauses = _clauses(filters, _plan(conn, filters, FTS_NARROW))
        return conn.execute(sa.select(sa.func.count()).select_from(_q).where(*clauses)).scalar_one()
