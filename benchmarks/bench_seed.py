"""Seeding speed: our bulk path beside the naive ORM path, on the same generated rows.

    python -m benchmarks.bench_seed --cases 5000

Both sides insert exactly the rows the generator makes for the same seed into a fresh
store; the naive side builds SQLModel objects and commits them with ``session.add_all``.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlmodel import Session

from daman_tui.services.seed import ensure_demo_staff, seed_cases
from daman_tui.services.seed.generator import CaseGenerator, new_rows
from daman_tui.services.seed.run import INSERT_ORDER, _context
from daman_tui.services.store import Store
from daman_tui.settings import Settings

AS_OF = date(2026, 11, 21)


def _fresh_store(folder: Path, name: str) -> Store:
    store = Store.open(Settings(db=folder / f"{name}.db"))
    ensure_demo_staff(store, "RYD01")
    return store


def bulk(folder: Path, cases: int) -> tuple[int, float]:
    store = _fresh_store(folder, "bulk")
    report = seed_cases(store, cases=cases, seed=1, as_of=AS_OF)
    return report.rows, report.seconds


def naive_orm(folder: Path, cases: int) -> tuple[int, float]:
    store = _fresh_store(folder, "orm")
    from daman_tui.db import models as all_models

    by_table = {
        getattr(all_models, name).__tablename__: getattr(all_models, name)
        for name in all_models.__all__
        if getattr(getattr(all_models, name), "__table__", None) is not None
    }
    started = time.perf_counter()
    generator = CaseGenerator(random.Random(1), AS_OF, _context(store, "RYD01"))
    rows = new_rows()
    for _ in range(cases):
        generator.household(rows)
    count = 0
    with Session(store.engine) as session:
        for table in INSERT_ORDER:
            model = by_table[table]
            session.add_all(model(**row) for row in rows[table])
            count += len(rows[table])
            session.flush()
        session.commit()
    return count, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = [("bulk executemany (daman seed)", *bulk(folder, args.cases))]
        results.append(("naive ORM add_all", *naive_orm(folder, args.cases)))
    print(f"\nSeeding {args.cases:,} cases (generation included)\n")
    print(f"| {'approach':<32} | {'rows':>9} | {'seconds':>8} | {'rows/s':>9} | {'cases/s':>8} |")
    print(f"|{'-' * 34}|{'-' * 11}|{'-' * 10}|{'-' * 11}|{'-' * 10}|")
    for name, rows, seconds in results:
        print(
            f"| {name:<32} | {rows:>9,} | {seconds:>8.1f} | {rows / seconds:>9,.0f} "
            f"| {args.cases / seconds:>8,.0f} |"
        )


if __name__ == "__main__":
    main()
