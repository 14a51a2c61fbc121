"""`daman seed`: bulk-load synthetic cases into a branch of the store.

Rows are written with the driver's ``executemany`` in one transaction (all or nothing),
not through the unit of work: demo data is not anybody's change, so it gets one audit
entry for the run instead of one per row, and no outbox entries (it is not to be synced).
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import SQLModel, select

from daman_tui.db.bulk import bulk_insert
from daman_tui.db.models import Branch, PaymentCycle, Person
from daman_tui.domain.enums import Role
from daman_tui.services import queue_index
from daman_tui.services.seed.generator import CaseGenerator, Rows, SeedContext, new_rows
from daman_tui.services.seed.staff import ensure_demo_staff
from daman_tui.services.store import Store

__all__ = ["INSERT_ORDER", "SeedReport", "seed_cases"]

# Parents before children, so foreign keys hold at every statement.
INSERT_ORDER = (
    "person",
    "household",
    "household_member",
    "contact",
    "national_address",
    "bank_account",
    "education",
    "workers_answer",
    "permit_answers",
    "zakat_answer",
    "licence",
    "vehicle",
    "real_estate",
    "title_deed",
    "support_line",
    "income_line",
    "application",
    "status_change",
    "home_visit",
    "payment_cycle",
    "eligibility_decision",
    "decision_reason",
    "payment",
    "objection",
    "financial_complaint",
)
BATCH_HOUSEHOLDS = 2000


@dataclass(frozen=True)
class SeedReport:
    branch_code: str
    cases: int
    rows: int
    seconds: float
    by_table: dict[str, int]


def _context(store: Store, branch_code: str) -> SeedContext:
    staff = {c.role: c.user_id for c in ensure_demo_staff(store, branch_code) if c.role}
    supervisors = [
        c.user_id for c in ensure_demo_staff(store, branch_code) if c.role is Role.SUPERVISOR
    ]
    node = store.node()
    with store.read() as session:
        branch = session.exec(select(Branch).where(Branch.code == branch_code)).one()
        existing = session.exec(select(sa.func.count()).select_from(Person)).one()
        taken = set(session.exec(select(Person.national_id)).all()) if existing else set()
        cycles = {c.pay_date: c.id for c in session.exec(select(PaymentCycle)).all()}
    return SeedContext(
        branch_id=branch.id,
        branch_code=branch.code,
        region_code=branch.region_code,
        node_id=node.node_id,
        node_tag=node.node_tag,
        first_request_seq=node.next_request_seq,
        person_offset=existing,
        taken_national_ids=taken,
        clerk_id=staff[Role.CLERK],
        supervisor_id=supervisors[0],
        supervisor2_id=supervisors[-1],
        field_officer_id=staff[Role.FIELD_OFFICER],
        cycles=cycles,
    )


def seed_cases(
    store: Store,
    *,
    cases: int,
    seed: int = 1,
    branch_code: str = "RYD01",
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> SeedReport:
    """Add ``cases`` synthetic households with their cases to ``branch_code``.

    The data is a function of ``seed``, ``as_of`` (default today) and what the store
    already holds: the same three give the same rows.
    """
    if cases < 0:
        raise ValueError("cases must be zero or more")
    started = clock.perf_counter()
    ctx = _context(store, branch_code)
    generator = CaseGenerator(random.Random(seed), as_of or date.today(), ctx)
    tables = SQLModel.metadata.tables
    counts: dict[str, int] = dict.fromkeys(INSERT_ORDER, 0)
    with store.engine.begin() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        done = 0
        while done < cases:
            rows: Rows = new_rows()
            batch = min(BATCH_HOUSEHOLDS, cases - done)
            for _ in range(batch):
                generator.household(rows)
            for name in INSERT_ORDER:
                if rows[name]:
                    bulk_insert(cursor, tables[name], rows[name])
                    counts[name] += len(rows[name])
            done += batch
            if progress:
                progress(batch)
        conn.execute(
            sa.text(
                "UPDATE node_state SET next_request_seq = next_request_seq + :n WHERE key = 'local'"
            ),
            {"n": generator.request_seq_used},
        )
        # Bulk rows bypass the unit of work: the queue is rebuilt from them at once.
        queue_index.rebuild(conn)
    with store.write(None) as uow:
        summary = {
            "cases": cases,
            "seed": seed,
            "as_of": generator.as_of.isoformat(),
            "rows": counts,
        }
        uow.audit("seed.run", "branch", ctx.branch_id, None, summary)
    return SeedReport(
        branch_code=branch_code,
        cases=cases,
        rows=sum(counts.values()),
        seconds=clock.perf_counter() - started,
        by_table=counts,
    )
