"""The engine's input read from the store: households' facts in bulk.

One query per table per chunk of households (not per household), with SQLAlchemy Core:
a monthly cycle reads every active household, and the naive per-household ORM load is
what the eligibility benchmark measures this against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

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

__all__ = ["FactsBatch", "PersonSections", "household_facts", "load_facts", "member_facts"]


def _t(model: Any) -> sa.Table:
    table: sa.Table = model.__table__
    return table


@dataclass(frozen=True)
class FactsBatch:
    """Facts of the households that could be read, and those whose file is incomplete."""

    households: dict[str, HouseholdFacts]
    incomplete: dict[str, str]  # household id → what is missing


def _by_person(
    conn: Connection, model: Any, person_ids: Any, *columns: str
) -> dict[str, list[Any]]:
    # Only the columns the facts use: whole rows cost their timestamp conversions.
    table = _t(model)
    rows = conn.execute(
        sa.select(table.c.person_id, *(table.c[name] for name in columns))
        .where(table.c.person_id.in_(person_ids))
        .where(table.c.deleted_at.is_(None))
    ).all()
    out: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        out[row.person_id].append(row)
    return out


_CHUNK = sa.table("facts_chunk", sa.column("id", sa.String))


def _chunk_ids(conn: Connection, ids: list[str]) -> Any:
    """The ids as a subquery over a temporary table.

    Thousands of ids as IN parameters cost more to compile than the queries take to run;
    a temporary table holds them once for all the queries of a chunk.
    """
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS facts_chunk (id TEXT PRIMARY KEY)")
    conn.exec_driver_sql("DELETE FROM facts_chunk")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany("INSERT OR IGNORE INTO facts_chunk (id) VALUES (?)", [(i,) for i in ids])
    return sa.select(_CHUNK.c.id).scalar_subquery()


def load_facts(conn: Connection, household_ids: Iterable[str]) -> FactsBatch:
    """The facts of ``household_ids`` (one chunk: keep it to a few thousand)."""
    h, hm, p = _t(Household), _t(HouseholdMember), _t(Person)
    ids = _chunk_ids(conn, list(household_ids))
    person_ids = (
        sa.select(hm.c.person_id)
        .where(hm.c.household_id.in_(ids))
        .where(hm.c.deleted_at.is_(None))
        .scalar_subquery()
    )
    households = {
        row.id: row
        for row in conn.execute(
            sa.select(h.c.id, h.c.head_person_id, h.c.family_no, h.c.housing_type, h.c.in_shelter)
            .where(h.c.id.in_(ids))
            .where(h.c.deleted_at.is_(None))
        )
    }
    member_rows = conn.execute(
        sa.select(
            hm.c.household_id,
            hm.c.person_id,
            hm.c.kind,
            hm.c.relationship,
            hm.c.meets_health_education,
            hm.c.joins_training,
            p.c.national_id,
            p.c.gender,
            p.c.birth_date,
            p.c.nationality,
            p.c.marital_status,
            p.c.resides_in_kingdom,
            p.c.has_movement_card,
            p.c.special_needs,
        )
        .join(p, p.c.id == hm.c.person_id)
        .where(hm.c.household_id.in_(ids))
        .where(hm.c.deleted_at.is_(None))
        .order_by(hm.c.household_id, hm.c.created_at, hm.c.id)
    ).all()
    # Households each person belongs to, and how many households each head heads: for
    # "listed in another household" and for a provider's other families (condition 6).
    memberships: dict[str, int] = dict(
        conn.execute(
            sa.select(hm.c.person_id, sa.func.count(sa.distinct(hm.c.household_id)))
            .where(hm.c.person_id.in_(person_ids))
            .where(hm.c.deleted_at.is_(None))
            .group_by(hm.c.person_id)
        ).all()
    )
    heads = sa.select(h.c.head_person_id).where(h.c.id.in_(ids)).scalar_subquery()
    headed: dict[str, int] = dict(
        conn.execute(
            sa.select(h.c.head_person_id, sa.func.count())
            .where(h.c.head_person_id.in_(heads))
            .where(h.c.deleted_at.is_(None))
            .group_by(h.c.head_person_id)
        ).all()
    )
    incomes = _by_person(conn, IncomeLine, person_ids, "income_type", "source", "monthly_halalas")
    supports = _by_person(conn, SupportLine, person_ids, "program", "source", "monthly_halalas")
    zakat = _by_person(conn, ZakatAnswer, person_ids, "pays_commercial_zakat", "yearly_halalas")
    permits = _by_person(
        conn,
        PermitAnswers,
        person_ids,
        "transport_permit",
        "transport_permit_count",
        "citc_permit",
        "citc_monthly_halalas",
    )
    workers = _by_person(
        conn, WorkersAnswer, person_ids, "has_workers", "domestic", "professional", "medical"
    )
    education = _by_person(conn, Education, person_ids, "scholarship_abroad", "study_status")
    estates = _by_person(conn, RealEstate, person_ids, "kind", "value_halalas")
    deeds = _by_person(conn, TitleDeed, person_ids, "value_halalas")
    vehicles = _by_person(conn, Vehicle, person_ids, "manufacture_year", "value_halalas")

    members: dict[str, list[tuple[Any, MemberFacts]]] = defaultdict(list)
    incomplete: dict[str, str] = {}
    for row in member_rows:
        if row.birth_date is None or row.gender is None:
            incomplete[row.household_id] = f"{row.national_id}: birth date or gender missing"
            continue
        pid = row.person_id
        sections = PersonSections(
            incomes=incomes.get(pid, ()),
            supports=supports.get(pid, ()),
            zakat=zakat.get(pid, ()),
            permits=permits.get(pid, ()),
            workers=workers.get(pid, ()),
            education=education.get(pid, ()),
            estates=estates.get(pid, ()),
            deeds=deeds.get(pid, ()),
            vehicles=vehicles.get(pid, ()),
        )
        fact = member_facts(
            row,
            sections,
            in_shelter=bool(households[row.household_id].in_shelter),
            listed_elsewhere=memberships.get(pid, 1) > 1,
        )
        members[row.household_id].append((row, fact))

    out: dict[str, HouseholdFacts] = {}
    for hid, household in households.items():
        if hid in incomplete:
            continue
        facts = household_facts(
            household, members.get(hid, []), headed.get(household.head_person_id, 1)
        )
        if facts is None:
            incomplete[hid] = "no head of household"
            continue
        out[hid] = facts
    return FactsBatch(out, incomplete)


@dataclass(frozen=True)
class PersonSections:
    """A person's rows of each section of the file: objects with the columns as attributes
    (database rows, or the demo generator's rows before they are written)."""

    incomes: Sequence[Any] = ()
    supports: Sequence[Any] = ()
    zakat: Sequence[Any] = ()
    permits: Sequence[Any] = ()
    workers: Sequence[Any] = ()
    education: Sequence[Any] = ()
    estates: Sequence[Any] = ()
    deeds: Sequence[Any] = ()
    vehicles: Sequence[Any] = ()


def member_facts(
    row: Any, sections: PersonSections, *, in_shelter: bool, listed_elsewhere: bool
) -> MemberFacts:
    """A member's facts from its person-and-membership ``row`` and its sections.

    ``listed_elsewhere``: the person is a member of another household too (a dependent
    claimed twice); it does not apply to a head, who may head several families.
    """
    zak, per, wrk, edu = sections.zakat, sections.permits, sections.workers, sections.education
    return MemberFacts(
        national_id=row.national_id,
        kind=MemberKind(row.kind),
        relationship=Relationship(row.relationship) if row.relationship else None,
        gender=Gender(row.gender),
        birth_date=row.birth_date,
        nationality=row.nationality,
        marital_status=MaritalStatus(row.marital_status) if row.marital_status else None,
        resides_in_kingdom=row.resides_in_kingdom,
        scholarship_abroad=bool(edu and edu[0].scholarship_abroad),
        studying=bool(edu and edu[0].study_status == StudyStatus.STUDYING.value),
        has_movement_card=row.has_movement_card,
        special_needs=row.special_needs,
        in_shelter=in_shelter,
        listed_in_other_household=listed_elsewhere and row.kind != MemberKind.HEAD.value,
        meets_health_education=row.meets_health_education,
        joins_training=row.joins_training,
        incomes=tuple(
            IncomeFacts(IncomeType(i.income_type), i.source, i.monthly_halalas)
            for i in sections.incomes
        ),
        supports=tuple(
            SupportFacts(s.program, s.source, s.monthly_halalas) for s in sections.supports
        ),
        commercial_zakat_yearly_halalas=zak[0].yearly_halalas
        if zak and zak[0].pays_commercial_zakat
        else 0,
        transport_permits=per[0].transport_permit_count if per and per[0].transport_permit else 0,
        citc_monthly_halalas=per[0].citc_monthly_halalas if per and per[0].citc_permit else 0,
        workers=WorkerFacts(wrk[0].domestic, wrk[0].professional, wrk[0].medical)
        if wrk and wrk[0].has_workers
        else WorkerFacts(),
        real_estate=tuple(
            RealEstateFacts(AssetKind(e.kind), e.value_halalas) for e in sections.estates
        ),
        deeds=tuple(DeedFacts(d.value_halalas) for d in sections.deeds),
        vehicles=tuple(
            VehicleFacts(v.manufacture_year, v.value_halalas) for v in sections.vehicles
        ),
    )


def household_facts(
    household: Any, members: Sequence[tuple[Any, MemberFacts]], headed: int
) -> HouseholdFacts | None:
    """A household's facts from its row and its members' (row, facts); None without a head.

    ``headed``: how many households the head heads in all (condition 6: each family is
    its own household; the others are the provider's other households).
    """
    head = next((f for r, f in members if r.person_id == household.head_person_id), None)
    if head is None:
        return None
    return HouseholdFacts(
        household_id=household.id,
        head=head,
        dependents=tuple(f for r, f in members if r.person_id != household.head_person_id),
        family_no=household.family_no,
        provider_other_households=headed - 1,
        housing_type=HousingType(household.housing_type) if household.housing_type else None,
        in_shelter=bool(household.in_shelter),
    )
