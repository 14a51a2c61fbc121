"""Eligibility speed: the pure engine over 100,000 households, beside a naive ORM check.

    python -m benchmarks.bench_eligibility [--households 100000] [--store-households 5000]

Three ways to decide every household, each timed on its own:

* **evaluate (facts in memory)** — ``evaluate`` over ``--households`` HouseholdFacts built
  from the demo-data generator's rows (realistic households: spouses, children, wards,
  income and support lines, vehicles, deeds, zakat, permits). Target: 100k under 2 s.
* **bulk load + evaluate** — the monthly cycle's way: a temporary store seeded with
  ``--store-households`` cases, one Core ``SELECT`` per table, facts built in memory,
  then ``evaluate``.
* **naive ORM per household** — the same store, but per household a SQLModel
  ``session.get`` of the household and a ``select`` per table for its members, their
  people, income and support lines, zakat, permits, workers, education and assets, then
  the same ``evaluate``.

The store sides run on fewer households (seeding 100k takes minutes); their 100k column is
an extrapolation, labelled as such. All three decide the same households the same way:
the run checks that the naive and bulk decisions agree.
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from daman_tui.db.models import (
    Education,
    Household,
    HouseholdMember,
    IncomeLine,
    PermitAnswers,
    Person,
    RealEstate,
    SupportLine,
    TitleDeed,
    Vehicle,
    WorkersAnswer,
    ZakatAnswer,
)
from daman_tui.domain import eligibility
from daman_tui.domain.eligibility import Decision, evaluate
from daman_tui.domain.enums import (
    HousingType,
    MemberKind,
)
from daman_tui.domain.household import (
    HouseholdFacts,
    MemberFacts,
)
from daman_tui.domain.rules import rule_set_for
from daman_tui.services.facts import PersonSections, load_facts, member_facts
from daman_tui.services.seed import ensure_demo_staff, seed_cases
from daman_tui.services.seed.generator import CaseGenerator, SeedContext, new_rows
from daman_tui.services.store import Store
from daman_tui.settings import Settings

AS_OF = date(2026, 11, 21)
TARGET = 100_000
Row = Mapping[str, Any]

# The per-person tables the facts read, with the model each comes from.
_PER_PERSON: dict[str, Any] = {
    "income_line": IncomeLine,
    "support_line": SupportLine,
    "zakat_answer": ZakatAnswer,
    "permit_answers": PermitAnswers,
    "workers_answer": WorkersAnswer,
    "education": Education,
    "real_estate": RealEstate,
    "title_deed": TitleDeed,
    "vehicle": Vehicle,
}


# ---- rows → facts (the same for generated dicts, Core mappings and ORM objects) -------------
def _member(member: Row, person: Row, own: Mapping[str, Sequence[Row]]) -> MemberFacts:
    # The store's own converter (services/facts.py), over rows of any origin.
    sections = PersonSections(
        *([SimpleNamespace(**row) for row in own[name]] for name in _PER_PERSON)
    )
    row = SimpleNamespace(**(dict(person) | dict(member)))
    return member_facts(row, sections, in_shelter=False, listed_elsewhere=False)


def _household(household: Row, members: list[MemberFacts]) -> HouseholdFacts:
    members.sort(key=lambda m: m.kind is not MemberKind.HEAD)  # the head first, stable
    housing = household["housing_type"]
    return HouseholdFacts(
        household_id=household["id"],
        head=members[0],
        dependents=tuple(members[1:]),
        family_no=household["family_no"],
        housing_type=HousingType(housing) if housing else None,
        in_shelter=household["in_shelter"],
    )


def facts_from_rows(tables: Mapping[str, Iterable[Any]]) -> list[HouseholdFacts]:
    """Households' facts from whole tables of rows (dicts keyed by column name)."""
    persons = {p["id"]: p for p in tables["person"]}
    own: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for name in _PER_PERSON:
        for row in tables[name]:
            own[row["person_id"]][name].append(row)
    members: dict[str, list[Row]] = defaultdict(list)
    for m in tables["household_member"]:
        members[m["household_id"]].append(m)
    empty: dict[str, list[Row]] = defaultdict(list)
    return [
        _household(
            h,
            [
                _member(m, persons[m["person_id"]], own.get(m["person_id"], empty))
                for m in members[h["id"]]
            ],
        )
        for h in tables["household"]
    ]


# ---- the three ways ---------------------------------------------------------------------------
def generated_facts(count: int, seed: int = 7) -> list[HouseholdFacts]:
    """``count`` households from the demo generator, without a store (rows stay in memory)."""
    ctx = SeedContext(
        branch_id="bench-branch",
        branch_code="RYD01",
        region_code="RIY",
        node_id="bench-node",
        node_tag="B1",
        first_request_seq=1,
        person_offset=0,
        taken_national_ids=set(),
        clerk_id="clerk",
        supervisor_id="supervisor",
        supervisor2_id="supervisor2",
        field_officer_id="field",
    )
    generator = CaseGenerator(random.Random(seed), AS_OF, ctx)
    out: list[HouseholdFacts] = []
    while len(out) < count:
        rows = new_rows()
        for _ in range(min(2000, count - len(out))):
            generator.household(rows)
        out.extend(facts_from_rows(rows))
    return out


def time_streamed(facts: Sequence[HouseholdFacts], runs: int = 3) -> tuple[float, int, int]:
    """Best of ``runs`` passes of ``evaluate`` over ``facts``, each from a cold memo.

    Decisions are consumed as they come (counted, then dropped), as the monthly cycle
    writes them out in batches. The generated facts are frozen out of the collector's
    reach first: 100k households held at once are a benchmark artefact (the cycle holds
    one batch), and rescanning them on every full collection would be timed instead.
    """
    rules = rule_set_for(AS_OF)
    gc.collect()
    gc.freeze()
    best = float("inf")
    eligible = due = 0
    try:
        for _ in range(runs):
            eligibility._MEMOS.clear()
            eligible = due = 0
            started = time.perf_counter()
            for household in facts:
                decision = evaluate(household, rules, AS_OF)
                eligible += decision.eligible
                due += decision.entitlement_halalas
            best = min(best, time.perf_counter() - started)
    finally:
        gc.unfreeze()
    return best, eligible, due


def time_kept(facts: Sequence[HouseholdFacts]) -> float:
    """One pass keeping every decision in a list, with the collector as it comes."""
    rules = rule_set_for(AS_OF)
    eligibility._MEMOS.clear()
    started = time.perf_counter()
    decisions = [evaluate(h, rules, AS_OF) for h in facts]
    seconds = time.perf_counter() - started
    del decisions
    return seconds


def bulk_load_and_evaluate(store: Store) -> tuple[float, list[Decision]]:
    """The store's bulk loader (the monthly cycle's: a query per table per chunk), then evaluate."""
    started = time.perf_counter()
    facts: list[HouseholdFacts] = []
    with store.engine.connect() as conn:
        ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM household"))]
        for start in range(0, len(ids), 2000):
            facts.extend(load_facts(conn, ids[start : start + 2000]).households.values())
    rules = rule_set_for(AS_OF)
    decisions = [evaluate(h, rules, AS_OF) for h in facts]
    return time.perf_counter() - started, decisions


def naive_orm(store: Store) -> tuple[float, list[Decision]]:
    """Per household: ORM loads of the household and every table of its members, then check."""
    rules = rule_set_for(AS_OF)
    with Session(store.engine) as session:
        ids = list(session.exec(select(Household.id)).all())
    started = time.perf_counter()
    decisions: list[Decision] = []
    with Session(store.engine) as session:
        for household_id in ids:
            household = session.get(Household, household_id)
            assert household is not None
            links = session.exec(
                select(HouseholdMember).where(HouseholdMember.household_id == household_id)
            ).all()
            people = {m.person_id for m in links}
            persons = {
                p.id: p
                for p in session.exec(select(Person).where(sa.column("id").in_(people))).all()
            }
            own: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
            for name, model in _PER_PERSON.items():
                found: Sequence[Any] = session.exec(
                    select(model).where(sa.column("person_id").in_(people))
                ).all()
                for obj in found:
                    own[obj.person_id][name].append(vars(obj))
            members = [
                _member(vars(m), vars(persons[m.person_id]), own[m.person_id]) for m in links
            ]
            decisions.append(evaluate(_household(vars(household), members), rules, AS_OF))
    return time.perf_counter() - started, decisions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=TARGET, help="in-memory households")
    parser.add_argument(
        "--store-households", type=int, default=5000, help="households seeded for the store sides"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    facts = generated_facts(args.households)
    generated_in = time.perf_counter() - started
    streamed, eligible, due = time_streamed(facts)
    kept = time_kept(facts)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Settings(db=Path(tmp) / "bench.db"))
        ensure_demo_staff(store, "RYD01")
        seeded = seed_cases(store, cases=args.store_households, seed=1, as_of=AS_OF)
        bulk_seconds, bulk_decisions = bulk_load_and_evaluate(store)
        naive_seconds, naive_decisions = naive_orm(store)
        store.close()
    by_id = {d.household.household_id: d for d in bulk_decisions}
    assert all(by_id[d.household.household_id] == d for d in naive_decisions), "ways disagree"

    n = args.store_households
    extrapolated = "" if n == TARGET else " (extrap.)"
    rows = [
        ("evaluate, streamed (best of 3)", args.households, streamed, ""),
        ("evaluate, all decisions kept", args.households, kept, ""),
        ("bulk load + evaluate (SQLite)", n, bulk_seconds, extrapolated),
        ("naive ORM per household", n, naive_seconds, extrapolated),
    ]
    print(
        f"\nEligibility decisions, rules {rule_set_for(AS_OF).version} on {AS_OF}: "
        f"{args.households:,} generated households ({generated_in:.0f} s to generate; "
        f"{eligible / len(facts):.0%} eligible, {due / 100:,.2f} SAR due a month); "
        f"store sides on {n:,} seeded households ({seeded.seconds:.1f} s to seed)\n"
    )
    print(f"| {'approach':<30} | {'households':>10} | {'seconds':>8} | {'decisions/s':>11} "
          f"| {'100k households (s)':>22} |")  # fmt: skip
    print(f"|{'-' * 32}|{'-' * 12}|{'-' * 10}|{'-' * 13}|{'-' * 24}|")
    for name, count, seconds, note in rows:
        rate = count / seconds
        print(
            f"| {name:<30} | {count:>10,} | {seconds:>8.2f} | {rate:>11,.0f} "
            f"| {TARGET / rate:>11.2f}{note:<11} |"
        )
    verdict = "met" if streamed * TARGET / args.households < 2 else "NOT met"
    print(f"\nTarget (100k decisions under 2 s, streamed): {verdict}.")


if __name__ == "__main__":
    main()
