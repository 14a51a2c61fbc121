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
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

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
    AssetKind,
    Gender,
    HousingType,
    IncomeType,
    MaritalStatus,
    MemberKind,
    Relationship,
    StudyStatus,
)
from daman_tui.domain.household import (
    DeedFacts,
    HouseholdFacts,
    IncomeFacts,
    MemberFacts,
    RealEstateFacts,
    SupportFacts,
    VehicleFacts,
    WorkerFacts,
)
from daman_tui.domain.rules import rule_set_for
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
    zakat = own["zakat_answer"][0] if own["zakat_answer"] else None
    permits = own["permit_answers"][0] if own["permit_answers"] else None
    workers = own["workers_answer"][0] if own["workers_answer"] else None
    education = own["education"][0] if own["education"] else None
    relationship = member["relationship"]
    marital = person["marital_status"]
    return MemberFacts(
        national_id=person["national_id"],
        kind=MemberKind(member["kind"]),
        relationship=Relationship(relationship) if relationship else None,
        gender=Gender(person["gender"]),
        birth_date=person["birth_date"],
        nationality=person["nationality"],
        marital_status=MaritalStatus(marital) if marital else None,
        resides_in_kingdom=person["resides_in_kingdom"],
        scholarship_abroad=bool(education and education["scholarship_abroad"]),
        studying=bool(education and education["study_status"] == StudyStatus.STUDYING),
        has_movement_card=person["has_movement_card"],
        special_needs=person["special_needs"],
        meets_health_education=member["meets_health_education"],
        joins_training=member["joins_training"],
        incomes=tuple(
            IncomeFacts(IncomeType(i["income_type"]), i["source"], i["monthly_halalas"])
            for i in own["income_line"]
        ),
        supports=tuple(
            SupportFacts(s["program"], s["source"], s["monthly_halalas"])
            for s in own["support_line"]
        ),
        commercial_zakat_yearly_halalas=zakat["yearly_halalas"] if zakat else 0,
        transport_permits=permits["transport_permit_count"] if permits else 0,
        citc_monthly_halalas=permits["citc_monthly_halalas"] if permits else 0,
        workers=WorkerFacts(workers["domestic"], workers["professional"], workers["medical"])
        if workers
        else WorkerFacts(),
        real_estate=tuple(
            RealEstateFacts(AssetKind(r["kind"]), r["value_halalas"]) for r in own["real_estate"]
        ),
        deeds=tuple(DeedFacts(d["value_halalas"]) for d in own["title_deed"]),
        vehicles=tuple(
            VehicleFacts(v["manufacture_year"], v["value_halalas"]) for v in own["vehicle"]
        ),
    )


def _household(household: Row, members: list[MemberFacts]) -> HouseholdFacts:
    members.sort(key=lambda m: m.kind is not MemberKind.HEAD)  # the head first, stable
    housing = household["housing_type"]
    return HouseholdFacts(
        household_id=household["file_number"],
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


# The columns the facts need, per table: a bulk load reads nothing else.
_COLUMNS = {
    "household": ("id", "file_number", "family_no", "housing_type", "in_shelter"),
    "household_member": (
        "household_id", "person_id", "kind", "relationship", "meets_health_education",
        "joins_training",
    ),
    "person": (
        "id", "national_id", "gender", "birth_date", "nationality", "marital_status",
        "resides_in_kingdom", "has_movement_card", "special_needs",
    ),
    "income_line": ("person_id", "income_type", "source", "monthly_halalas"),
    "support_line": ("person_id", "program", "source", "monthly_halalas"),
    "zakat_answer": ("person_id", "yearly_halalas"),
    "permit_answers": ("person_id", "transport_permit_count", "citc_monthly_halalas"),
    "workers_answer": ("person_id", "domestic", "professional", "medical"),
    "education": ("person_id", "scholarship_abroad", "study_status"),
    "real_estate": ("person_id", "kind", "value_halalas"),
    "title_deed": ("person_id", "value_halalas"),
    "vehicle": ("person_id", "manufacture_year", "value_halalas"),
}  # fmt: skip


def bulk_load_and_evaluate(store: Store) -> tuple[float, list[Decision]]:
    """One SELECT per table (only the columns needed), facts in memory, then evaluate."""
    started = time.perf_counter()
    tables = SQLModel.metadata.tables
    with store.engine.connect() as conn:
        loaded = {}
        for name, columns in _COLUMNS.items():
            table = tables[name]
            query = sa.select(*(table.c[c] for c in columns)).where(table.c.deleted_at.is_(None))
            loaded[name] = conn.execute(query).mappings().all()
    facts = facts_from_rows(loaded)
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
