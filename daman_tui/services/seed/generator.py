"""Makes the rows of one synthetic household and its case, from a seeded random source.

Everything is drawn from one ``random.Random``, and ids come from a counter, so the same
seed, date and starting store give the same rows. The values are valid by our own
validators: national IDs with their check digit, IBANs with real bank codes and mod-97,
mobiles, national-address numbers. Rows are plain dicts of column values, for bulk insert.
"""

from __future__ import annotations

import random
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from types import SimpleNamespace
from typing import Any

from daman_tui.domain.arabic import normalize_for_search
from daman_tui.domain.banking import banks, make_iban
from daman_tui.domain.eligibility import evaluate, threshold
from daman_tui.domain.enums import (
    ApplicationKind,
    ApplicationStatus,
    AssetKind,
    CalendarKind,
    ComplaintStatus,
    Gender,
    HousingType,
    IdentityCheck,
    IncomeType,
    LicenceType,
    MaritalStatus,
    MemberKind,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionStatus,
    PaymentStatus,
    Qualification,
    Relationship,
    StudyStatus,
    VisitStatus,
)
from daman_tui.domain.household import HouseholdFacts
from daman_tui.domain.ids import uuid7_from
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.payments import SUSPENSION_HOLD
from daman_tui.domain.regions import districts, regions, streets
from daman_tui.domain.request_numbers import format_request_number
from daman_tui.domain.rules import rule_set_for
from daman_tui.paths import asset_path
from daman_tui.services.decision_rows import decision_rows
from daman_tui.services.facts import PersonSections, household_facts, member_facts

__all__ = ["CaseGenerator", "Rows", "SeedContext", "months_before"]

S = ApplicationStatus
Rows = dict[str, list[dict[str, Any]]]

# How a demo branch's cases spread over the statuses (weights), so every status and
# every screen has something to show.
STATUS_WEIGHTS: dict[ApplicationStatus, int] = {
    S.DRAFT: 5,
    S.SUBMITTED: 14,
    S.DOCS_REQUESTED: 5,
    S.VISIT_SCHEDULED: 10,
    S.VISIT_DONE: 8,
    S.PRELIMINARY_APPROVED: 7,
    S.APPROVED: 36,
    S.REJECTED: 10,
    S.SUSPENDED: 5,
}
_PATH = {
    S.DRAFT: [S.DRAFT],
    S.SUBMITTED: [S.DRAFT, S.SUBMITTED],
    S.DOCS_REQUESTED: [S.DRAFT, S.SUBMITTED, S.DOCS_REQUESTED],
    S.VISIT_SCHEDULED: [S.DRAFT, S.SUBMITTED, S.VISIT_SCHEDULED],
    S.VISIT_DONE: [S.DRAFT, S.SUBMITTED, S.VISIT_SCHEDULED, S.VISIT_DONE],
    S.PRELIMINARY_APPROVED: [
        S.DRAFT, S.SUBMITTED, S.VISIT_SCHEDULED, S.VISIT_DONE, S.PRELIMINARY_APPROVED,
    ],
    S.APPROVED: [
        S.DRAFT, S.SUBMITTED, S.VISIT_SCHEDULED, S.VISIT_DONE, S.PRELIMINARY_APPROVED,
        S.APPROVED,
    ],
    S.REJECTED: [S.DRAFT, S.SUBMITTED, S.VISIT_SCHEDULED, S.VISIT_DONE, S.REJECTED],
    S.SUSPENDED: [
        S.DRAFT, S.SUBMITTED, S.VISIT_SCHEDULED, S.VISIT_DONE, S.PRELIMINARY_APPROVED,
        S.APPROVED, S.SUSPENDED,
    ],
}  # fmt: skip
# The buffers a household's facts are read back from; after the first three, in the
# order of PersonSections' fields.
_FACT_TABLES = (
    "person",
    "household",
    "household_member",
    "income_line",
    "support_line",
    "zakat_answer",
    "permit_answers",
    "workers_answer",
    "education",
    "real_estate",
    "title_deed",
    "vehicle",
)
_DECIDED = {S.VISIT_DONE, S.PRELIMINARY_APPROVED, S.APPROVED, S.REJECTED, S.SUSPENDED}
_ELIGIBLE = {S.PRELIMINARY_APPROVED, S.APPROVED, S.SUSPENDED}
_FOREIGN = ("EGY", "YEM", "SYR", "JOR", "SDN", "PAK", "IND", "PHL")
# Monthly amounts in SAR by income type: (low, high).
_INCOME_RANGE = {
    IncomeType.SALARY: (1_500, 7_000),
    IncomeType.GOVERNMENT_SUPPORT: (300, 2_000),
    IncomeType.PRIVATE_PROJECT: (500, 4_000),
    IncomeType.FREELANCE: (400, 3_000),
    IncomeType.PROPERTY: (800, 5_000),
    IncomeType.TRANSFERS: (200, 1_500),
}
_INCOME_SOURCE = {
    IncomeType.SALARY: ("شركة مقاولات", "مؤسسة تجارية", "مدرسة أهلية", "مستشفى خاص"),
    IncomeType.GOVERNMENT_SUPPORT: ("حساب المواطن", "دعم ريف", "معاش تقاعدي"),
    IncomeType.PRIVATE_PROJECT: ("بقالة", "محل خياطة", "مطبخ منزلي"),
    IncomeType.FREELANCE: ("توصيل طلبات", "سيارة أجرة", "بيع متجول"),
    IncomeType.PROPERTY: ("إيجار شقة", "إيجار محل", "إيجار أرض"),
    IncomeType.TRANSFERS: ("مساعدة من الأقارب", "نفقة شرعية", "زكاة"),
}
_REJECTION_REASON = "الدخل المحتسب للأسرة يتجاوز حد الاستحقاق."


@cache
def _names() -> dict[str, tuple[str, ...]]:
    with asset_path("demo", "names.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {k: tuple(v) for k, v in data.items() if isinstance(v, list)}


def months_before(as_of: date, count: int) -> list[date]:
    """Day 1 of the ``count`` months up to and including ``as_of``'s month, oldest first."""
    out: list[date] = []
    y, m = as_of.year, as_of.month
    for _ in range(count):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


@dataclass
class SeedContext:
    """What the generator needs to know of the store it writes into."""

    branch_id: str
    branch_code: str
    region_code: str
    node_id: str
    node_tag: str
    first_request_seq: int
    person_offset: int  # persons already in the store: keeps national IDs unique per run
    taken_national_ids: set[str]
    clerk_id: str
    supervisor_id: str
    supervisor2_id: str
    field_officer_id: str
    cycles: dict[date, str] = field(default_factory=dict)  # pay date → cycle id


class CaseGenerator:
    """Draws households and their cases; :meth:`household` appends one case's rows."""

    def __init__(self, rng: random.Random, as_of: date, ctx: SeedContext) -> None:
        self.rng = rng
        self.as_of = as_of
        self.ctx = ctx
        self._id_n = 0
        # Ids count up from the seed date's first millisecond (4,096 per millisecond),
        # time-ordered like live UUIDv7s. A later run into the same store starts one
        # millisecond further per person already there: far past the earlier run's ids
        # (about seven ids a person), so the same seed twice never collides.
        day_ms = int(datetime.combine(as_of, time(), UTC).timestamp() * 1000)
        self._id_base_ms = day_ms + ctx.person_offset
        self._person_n = ctx.person_offset
        self._request_seq = ctx.first_request_seq
        # An affine permutation of 8-digit bodies: distinct people get distinct IDs.
        self._nid_mul = 7_919_317
        self._nid_add = rng.randrange(10**8)
        self._banks = sorted(banks())
        self._regions = regions()
        self._region = next(r for r in self._regions if r.code == ctx.region_code)
        self._districts = districts()
        self._streets = streets()
        self._statuses = list(STATUS_WEIGHTS)
        self._weights = list(STATUS_WEIGHTS.values())
        self.request_seq_used = 0
        self._strict = False

    # ---- small helpers -------------------------------------------------------------
    def _id(self) -> str:
        n = self._id_n
        self._id_n += 1
        return uuid7_from(self._id_base_ms + (n >> 12), n & 0xFFF, self.rng.getrandbits(62))

    def _base(self, at: datetime) -> dict[str, Any]:
        return {
            "id": self._id(),
            "row_version": 1,
            "created_at": at,
            "updated_at": at,
            "origin_node": self.ctx.node_id,
            "deleted_at": None,
            "branch_id": self.ctx.branch_id,
        }

    def _national_id(self, resident: bool) -> str:
        while True:
            body = (self._nid_mul * self._person_n + self._nid_add) % 10**8
            self._person_n += 1
            nid = make_national_id("resident" if resident else "citizen", f"{body:08d}")
            if nid not in self.ctx.taken_national_ids:
                self.ctx.taken_national_ids.add(nid)
                return nid

    def _digits(self, n: int) -> str:
        return f"{self.rng.randrange(10**n):0{n}d}"

    @property
    def _latest(self) -> datetime:
        """The latest moment any generated event may have: just before ``as_of`` begins."""
        return datetime.combine(self.as_of, time(), UTC) - timedelta(minutes=1)

    def _at(self, day: date, hour_from: int = 8, hour_to: int = 15) -> datetime:
        t = time(
            self.rng.randint(hour_from, hour_to), self.rng.randrange(60), self.rng.randrange(60)
        )
        return datetime.combine(day, t, UTC)

    # ---- people ----------------------------------------------------------------------
    def _person(
        self,
        rows: Rows,
        at: datetime,
        *,
        gender: Gender,
        first: str,
        father: str,
        grandfather: str,
        family: str,
        age: int,
        nationality: str = "SAU",
        marital: MaritalStatus | None = None,
    ) -> dict[str, Any]:
        resident = nationality != "SAU"
        # Ages as at the file's birth: nobody is born after the case was opened.
        born = at.date() - timedelta(days=age * 365 + self.rng.randrange(365))
        row = self._base(at) | {
            "national_id": self._national_id(resident),
            "id_kind": "resident" if resident else "citizen",
            "first_name": first,
            "father_name": father,
            "grandfather_name": grandfather,
            "family_name": family,
            "name_search": normalize_for_search(f"{first} {father} {grandfather} {family}"),
            "birth_date": born,
            "birth_calendar": (
                CalendarKind.HIJRI if self.rng.random() < 0.6 else CalendarKind.GREGORIAN
            ).value,
            "gender": gender.value,
            "nationality": nationality,
            "life_status": "alive",
            "marital_status": marital.value if marital else None,
            "special_needs": self.rng.random() < 0.04,
            "existing_beneficiary": False,
            "resides_in_kingdom": True,
            "has_movement_card": resident and self.rng.random() < 0.2,
        }
        rows["person"].append(row)
        if age >= 18:
            rows["education"].append(
                self._base(at)
                | {
                    "person_id": row["id"],
                    "qualification": self.rng.choice(list(Qualification)).value,
                    "study_status": (
                        StudyStatus.STUDYING if age < 24 else StudyStatus.NOT_STUDYING
                    ).value,
                    "scholarship_abroad": age < 26 and self.rng.random() < 0.05,
                }
            )
        return row

    def _member(
        self,
        rows: Rows,
        at: datetime,
        household_id: str,
        person: dict[str, Any],
        kind: MemberKind,
        relationship: Relationship | None,
        complete: bool,
    ) -> None:
        row = self._base(at) | {
            "household_id": household_id,
            "person_id": person["id"],
            "kind": kind.value,
            "relationship": relationship.value if relationship else None,
            "ward_deed_type": None,
            "ward_deed_number": None,
            "ward_deed_expiry": None,
            "partner_related_on_lease": None,
            "meets_health_education": True,
            "joins_training": self._strict or self.rng.random() < 0.9,
            "completeness": 100 if complete else self.rng.choice((40, 60, 80)),
        }
        if kind is MemberKind.WARD:
            row |= {
                "ward_deed_type": self.rng.choice(("صك ولاية", "صك وصاية")),
                "ward_deed_number": self._digits(10),
                "ward_deed_expiry": self.as_of + timedelta(days=self.rng.randint(90, 1500)),
            }
        elif kind is MemberKind.HOUSING_PARTNER:
            row["partner_related_on_lease"] = self.rng.random() < 0.5
        rows["household_member"].append(row)

    def _income(self, rows: Rows, at: datetime, person_id: str, kind: IncomeType, sar: int) -> int:
        halalas = sar * 100
        rows["income_line"].append(
            self._base(at)
            | {
                "person_id": person_id,
                "income_type": kind.value,
                "source": self.rng.choice(_INCOME_SOURCE[kind]),
                "monthly_halalas": halalas,
            }
        )
        return halalas

    # ---- one household and its case --------------------------------------------------
    def household(self, rows: Rows) -> None:
        """Append the rows of one household, its case and everything hanging off it."""
        rng, names = self.rng, _names()
        # Where this household's rows start in each buffer: its facts are read back from
        # them for the engine's decision.
        self._marks = {table: len(rows[table]) for table in _FACT_TABLES}
        status: ApplicationStatus = rng.choices(self._statuses, self._weights)[0]
        history = self._history(status)
        at = history[0][1]  # the draft's birth: every row of the file is born with it
        complete = status is not S.DRAFT
        # A case headed for approval gets a file that meets every condition, so the
        # engine (and the monthly cycle) agrees with the status the demo shows.
        self._strict = status in _ELIGIBLE

        # The head: mostly a Saudi man; also widows and divorcees, and the nationality
        # exceptions (a non-Saudi woman married to a Saudi, a non-Saudi widow).
        male_head = rng.random() < 0.65
        family = rng.choice(names["family"])
        if male_head:
            head_gender, head_first = Gender.MALE, rng.choice(names["male_first"])
            marital = rng.choices(
                [MaritalStatus.MARRIED, MaritalStatus.SINGLE, MaritalStatus.DIVORCED,
                 MaritalStatus.WIDOWED], [70, 15, 10, 5],
            )[0]  # fmt: skip
            nationality = "SAU"
        else:
            head_gender, head_first = Gender.FEMALE, rng.choice(names["female_first"])
            marital = rng.choices(
                [MaritalStatus.WIDOWED, MaritalStatus.DIVORCED, MaritalStatus.SINGLE,
                 MaritalStatus.MARRIED], [40, 35, 15, 10],
            )[0]  # fmt: skip
            foreign = rng.random() < 0.12
            if self._strict and marital not in (MaritalStatus.WIDOWED, MaritalStatus.DIVORCED):
                foreign = False  # the exception is for widows and divorcees (with Saudi children)
            nationality = rng.choice(_FOREIGN) if foreign else "SAU"
        head_father = rng.choice(names["male_first"])
        head_grandfather = rng.choice(names["male_first"])
        head = self._person(
            rows, at, gender=head_gender, first=head_first, father=head_father,
            grandfather=head_grandfather, family=family, age=rng.randint(24, 75),
            nationality=nationality, marital=marital,
        )  # fmt: skip
        household_id = self._id()
        rows["household"].append(
            self._base(at)
            | {
                "id": household_id,
                "file_number": f"{self.ctx.branch_code}-F-{self.ctx.node_tag}-"
                f"{self._request_seq + self.request_seq_used:05d}",
                "head_person_id": head["id"],
                "family_no": 1,
                "housing_type": rng.choices(list(HousingType), [15, 55, 15, 5, 5, 5])[0].value,
                "in_shelter": False,
            }
        )
        self._member(rows, at, household_id, head, MemberKind.HEAD, None, True)

        members = [head, *self._dependents(rows, at, household_id, head, complete)]
        self._head_sections(rows, at, head, household_id)
        limit = threshold(len(members))
        counted = self._incomes(rows, at, members, status, limit)
        self._case(rows, at, history, household_id, members, status, limit, counted)

    def _outsider(
        self,
        rows: Rows,
        at: datetime,
        gender: Gender,
        ages: tuple[int, int],
        marital: MaritalStatus | None = None,
    ) -> dict[str, Any]:
        """A person from another family line: a spouse, a ward, a partner, a parent."""
        rng, names = self.rng, _names()
        return self._person(
            rows, at, gender=gender,
            first=rng.choice(names["male_first" if gender is Gender.MALE else "female_first"]),
            father=rng.choice(names["male_first"]), grandfather=rng.choice(names["male_first"]),
            family=rng.choice(names["family"]), age=rng.randint(*ages), marital=marital,
        )  # fmt: skip

    def _dependents(
        self, rows: Rows, at: datetime, household_id: str, head: dict[str, Any], complete: bool
    ) -> list[dict[str, Any]]:
        """Spouse, children, and now and then a ward, a housing partner, a parent."""
        rng, names = self.rng, _names()
        male_head = head["gender"] == Gender.MALE.value
        marital = head["marital_status"]
        head_first, head_father, family = (
            head["first_name"],
            head["father_name"],
            head["family_name"],
        )
        members: list[dict[str, Any]] = []
        if male_head and marital == MaritalStatus.MARRIED.value:
            spouse = self._outsider(rows, at, Gender.FEMALE, (20, 60), MaritalStatus.MARRIED)
            self._member(
                rows, at, household_id, spouse, MemberKind.RELATIVE, Relationship.SPOUSE, complete
            )
            members.append(spouse)
        if marital != MaritalStatus.SINGLE.value:
            father_first = head_first if male_head else rng.choice(names["male_first"])
            father_father = head_father if male_head else rng.choice(names["male_first"])
            child_family = family if male_head else rng.choice(names["family"])
            children = rng.choices(range(7), [15, 15, 20, 20, 15, 10, 5])[0]
            if self._strict and head["nationality"] != "SAU":
                children = max(1, children)
            for _ in range(children):
                boy = rng.random() < 0.5
                child = self._person(
                    rows, at, gender=Gender.MALE if boy else Gender.FEMALE,
                    first=rng.choice(names["male_first" if boy else "female_first"]),
                    father=father_first, grandfather=father_father, family=child_family,
                    age=rng.randint(0, 22), marital=MaritalStatus.SINGLE,
                )  # fmt: skip
                rel = Relationship.SON if boy else Relationship.DAUGHTER
                self._member(rows, at, household_id, child, MemberKind.RELATIVE, rel, complete)
                members.append(child)
        for kind, chance in ((MemberKind.WARD, 0.06), (MemberKind.HOUSING_PARTNER, 0.04)):
            if rng.random() < chance:
                gender = Gender.MALE if rng.random() < 0.5 else Gender.FEMALE
                ages = (3, 17) if kind is MemberKind.WARD else (20, 60)
                dep = self._outsider(rows, at, gender, ages)
                self._member(rows, at, household_id, dep, kind, None, complete)
                members.append(dep)
        if rng.random() < 0.05:
            mother = self._outsider(rows, at, Gender.FEMALE, (60, 85), MaritalStatus.WIDOWED)
            self._member(
                rows, at, household_id, mother, MemberKind.RELATIVE, Relationship.MOTHER, complete
            )
            members.append(mother)

        return members

    def _head_sections(
        self, rows: Rows, at: datetime, head: dict[str, Any], household_id: str
    ) -> None:
        rng, pid = self.rng, head["id"]
        rows["contact"].append(
            self._base(at)
            | {
                "person_id": pid,
                "mobile": "05" + self._digits(8),
                "mobile_alt": "05" + self._digits(8) if rng.random() < 0.3 else None,
                "home_phone": None,
                "email": f"user{self._digits(6)}@example.sa" if rng.random() < 0.3 else None,
            }
        )
        city = rng.choice(self._region.cities)
        rows["national_address"].append(
            self._base(at)
            | {
                "household_id": household_id,
                "post_type": "national_address",
                "region_code": self._region.code,
                "city": city.name_ar,
                "district": rng.choice(self._districts),
                "street": rng.choice(self._streets),
                "building_number": f"{rng.randint(1000, 9999)}",
                "postal_code": f"{rng.randint(10000, 99999)}",
                "additional_number": f"{rng.randint(1000, 9999)}",
                "unit_number": str(rng.randint(1, 40)) if rng.random() < 0.5 else "",
                "po_box": "",
            }
        )
        bank_code = rng.choice(self._banks)
        rows["bank_account"].append(
            self._base(at)
            | {
                "person_id": pid,
                "bank_code": bank_code,
                "iban": make_iban(bank_code, self._digits(18)),
                "confirmed": True,
            }
        )
        has_workers = rng.random() < 0.05
        rows["workers_answer"].append(
            self._base(at)
            | {
                "person_id": pid,
                "has_workers": has_workers,
                "domestic": rng.randint(1, 2) if has_workers else 0,
                "professional": rng.randint(0, 1) if has_workers else 0,
                "medical": 0,
            }
        )
        transport = not self._strict and rng.random() < 0.04
        citc = not self._strict and rng.random() < 0.02
        rows["permit_answers"].append(
            self._base(at)
            | {
                "person_id": pid,
                "transport_permit": transport,
                "transport_permit_count": rng.randint(1, 3) if transport else 0,
                "citc_permit": citc,
                "citc_monthly_halalas": rng.randint(300, 2000) * 100 if citc else 0,
                "lawyer_permit_active": False,
                "freelance_permit": rng.random() < 0.05,
                "estore": rng.random() < 0.03,
            }
        )
        zakat = not self._strict and rng.random() < 0.04
        rows["zakat_answer"].append(
            self._base(at)
            | {
                "person_id": pid,
                "pays_commercial_zakat": zakat,
                "yearly_halalas": rng.randint(500, 8000) * 100 if zakat else 0,
            }
        )
        if rng.random() < 0.03:
            rows["licence"].append(
                self._base(at)
                | {
                    "person_id": pid,
                    "licence_type": rng.choice(list(LicenceType)).value,
                    "number": self._digits(10),
                    "expiry": self.as_of + timedelta(days=rng.randint(-200, 900)),
                }
            )
        if rng.random() < 0.4:
            for _ in range(rng.choices((1, 2), (85, 15))[0]):
                rows["vehicle"].append(
                    self._base(at)
                    | {
                        "person_id": pid,
                        "serial_number": self._digits(9),
                        "manufacture_year": rng.randint(2005, self.as_of.year),
                        "value_halalas": rng.randint(15, 90) * 1000 * 100,
                    }
                )
        if not self._strict and rng.random() < 0.05:  # real estate
            rows["real_estate"].append(
                self._base(at)
                | {
                    "person_id": pid,
                    "kind": rng.choice(list(AssetKind)).value,
                    "description": rng.choice(("شقة سكنية", "محل تجاري", "أرض بيضاء")),
                    "value_halalas": rng.randint(150, 900) * 1000 * 100,
                    "monthly_rent_halalas": rng.randint(800, 3000) * 100,
                }
            )
        if not self._strict and rng.random() < 0.05:  # title deeds
            rows["title_deed"].append(
                self._base(at)
                | {
                    "person_id": pid,
                    "deed_number": self._digits(12),
                    "issued_on": self.as_of - timedelta(days=rng.randint(300, 6000)),
                    "value_halalas": rng.randint(100, 600) * 1000 * 100,
                }
            )
        if not self._strict and rng.random() < 0.2:
            rows["support_line"].append(
                self._base(at)
                | {
                    "person_id": pid,
                    "program": rng.choice(("حساب المواطن", "دعم الإسكان", "جمعية خيرية")),
                    "source": rng.choice(("جهة حكومية", "جمعية أهلية")),
                    "monthly_halalas": rng.randint(100, 1200) * 100,
                }
            )

    def _incomes(
        self,
        rows: Rows,
        at: datetime,
        members: list[dict[str, Any]],
        status: ApplicationStatus,
        limit: int,
    ) -> int:
        """Income lines of the head (and a working spouse) fitting the case's outcome."""
        rng, head = self.rng, members[0]
        if status in _ELIGIBLE:
            budget = rng.randint(0, max(0, limit - 20_000)) // 100  # SAR below the threshold
        elif status is S.REJECTED:
            # Above the threshold even where a rule set counts salary at 80%.
            budget = (limit * 13 // 10 + rng.randint(5_000, 300_000)) // 100
        else:
            budget = rng.randint(0, limit + 100_000) // 100
        total = 0
        kinds = rng.sample(list(IncomeType), k=rng.randint(1, 3)) if budget > 0 else []
        for i, kind in enumerate(kinds):
            low, high = _INCOME_RANGE[kind]
            remaining = budget - total // 100
            if remaining <= 0:
                break
            sar = remaining if i == len(kinds) - 1 else min(remaining, rng.randint(low, high))
            earner = head if (i == 0 or len(members) == 1) else rng.choice(members[:2])
            total += self._income(rows, at, earner["id"], kind, sar)
        return total

    def _history(self, status: ApplicationStatus) -> list[tuple[ApplicationStatus, datetime]]:
        """The case's path to ``status`` with a time for each step, drawn backwards.

        The last step falls on a working hour of one of the days before ``as_of`` (open
        cases within the 20-day clock, closed ones up to two years back), and each step
        before it 1-96 hours earlier: nothing is dated after the day the data is made for.
        """
        rng = self.rng
        open_case = status not in (S.APPROVED, S.REJECTED, S.SUSPENDED)
        days_back = rng.randint(1, 19) if open_case else rng.randint(25, 700)
        when = self._at(self.as_of - timedelta(days=days_back), 5, 13)  # 08:00-16:59 Riyadh
        steps = _PATH[status]
        times = [when]
        for _ in steps[1:]:
            when -= timedelta(hours=rng.randint(1, 96))
            times.append(when)
        return list(zip(steps, reversed(times), strict=True))

    def _case(
        self,
        rows: Rows,
        at: datetime,
        history: list[tuple[ApplicationStatus, datetime]],
        household_id: str,
        members: list[dict[str, Any]],
        status: ApplicationStatus,
        limit: int,
        counted: int,
    ) -> None:
        rng, ctx = self.rng, self.ctx
        app_id = self._id()
        seq = self._request_seq + self.request_seq_used
        self.request_seq_used += 1
        actors = {
            S.DRAFT: ctx.clerk_id,
            S.SUBMITTED: ctx.clerk_id,
            S.DOCS_REQUESTED: ctx.clerk_id,
            S.VISIT_SCHEDULED: ctx.supervisor_id,
            S.VISIT_DONE: ctx.field_officer_id,
            S.PRELIMINARY_APPROVED: ctx.supervisor_id,
            S.APPROVED: ctx.supervisor2_id,
            S.REJECTED: ctx.supervisor_id,
            S.SUSPENDED: ctx.supervisor_id,
        }
        submitted_at = history[1][1] if len(history) > 1 else None
        last = history[-1][1]
        decided_at = last if status in (S.APPROVED, S.REJECTED) else None
        rows["application"].append(
            self._base(at)
            | {
                "id": app_id,
                "updated_at": last,
                "row_version": len(history),
                "request_number": format_request_number(
                    ctx.branch_code, at.date(), ctx.node_tag, seq
                ),
                "household_id": household_id,
                "kind": (
                    ApplicationKind.UPDATE if rng.random() < 0.08 else ApplicationKind.NEW
                ).value,
                "status": status.value,
                "created_by": ctx.clerk_id,
                "assigned_to": ctx.supervisor_id if status is not S.DRAFT else None,
                "current_step": rng.randint(1, 9) if status is S.DRAFT else 10,
                "identity_check": rng.choice(list(IdentityCheck)).value,
                "identity_verified_by": ctx.clerk_id,
                "declaration_accepted_at": submitted_at,
                "submitted_at": submitted_at,
                "decided_at": decided_at,
                "clock_paused_days": 0,
                "clock_paused_since": last if status is S.DOCS_REQUESTED else None,
                "last_change_at": last,
            }
        )
        prev: ApplicationStatus | None = None
        for step, step_at in history:
            reason = ""
            if step is S.REJECTED:
                reason = _REJECTION_REASON
            elif step is S.DOCS_REQUESTED:
                reason = "إرفاق تعريف بالراتب حديث."
            elif step is S.SUSPENDED:
                reason = "إيقاف مؤقت لحين تحديث البيانات البنكية."
            rows["status_change"].append(
                self._base(step_at)
                | {
                    "application_id": app_id,
                    "from_status": prev.value if prev else None,
                    "to_status": step.value,
                    "actor_id": actors[step],
                    "at": step_at,
                    "reason": reason,
                }
            )
            prev = step
        visit_steps = dict(history)
        if S.VISIT_SCHEDULED in visit_steps:
            self._visit(rows, app_id, household_id, members, visit_steps)
        if status in _DECIDED:
            decision_id, amount = self._decision(
                rows, visit_steps.get(S.VISIT_DONE, last), household_id, app_id
            )
            if status in (S.APPROVED, S.SUSPENDED) and amount > 0:
                self._payments(rows, household_id, decision_id, amount, status, last)
            if status is S.REJECTED and rng.random() < 0.4:
                self._objection(
                    rows, last, household_id, app_id, decision_id, ObjectionKind.ELIGIBILITY
                )
            elif status is S.APPROVED and rng.random() < 0.05:
                self._objection(rows, last, household_id, app_id, decision_id, ObjectionKind.AMOUNT)

    def _visit(
        self,
        rows: Rows,
        app_id: str,
        household_id: str,
        members: list[dict[str, Any]],
        steps: dict[ApplicationStatus, datetime],
    ) -> None:
        rng = self.rng
        scheduled_at = steps[S.VISIT_SCHEDULED]
        done_at = steps.get(S.VISIT_DONE)
        declared = {"residents": len(members), "vehicles": 0, "workers": 0}
        observed = dict(declared)
        if done_at is not None and rng.random() < 0.15:
            observed["residents"] = len(members) + rng.choice((-1, 1))
        rows["home_visit"].append(
            self._base(scheduled_at)
            | {
                "application_id": app_id,
                "household_id": household_id,
                "assigned_to": self.ctx.field_officer_id,
                "scheduled_for": (done_at or scheduled_at).date()
                if done_at
                else max(self.as_of, scheduled_at.date() + timedelta(days=rng.randint(1, 7))),
                "status": (VisitStatus.DONE if done_at else VisitStatus.SCHEDULED).value,
                "arrived_at": done_at,
                "present": "رب الأسرة" if done_at else "",
                "declared": declared,
                "observed": observed if done_at else {},
                "notes": "تمت المعاينة ومطابقة البيانات." if done_at else "",
                "recommendation": ("الموافقة" if observed == declared else "إعادة التقييم")
                if done_at
                else "",
                "completed_at": done_at,
            }
        )

    def _decision(
        self, rows: Rows, at: datetime, household_id: str, app_id: str
    ) -> tuple[str, int]:
        """The engine's decision on the household as generated: (decision id, amount)."""
        facts = self._facts(rows, household_id)
        day = at.date()
        decision = evaluate(facts, rule_set_for(day), day)
        decision_row, reason_rows = decision_rows(
            decision,
            base=self._base(at),
            new_id=self._id,
            application_id=app_id,
            cycle_id=None,
            decided_by=None,
            decided_at=at,
        )
        rows["eligibility_decision"].append(decision_row)
        rows["decision_reason"].extend(reason_rows)
        return str(decision_row["id"]), decision.entitlement_halalas

    def _facts(self, rows: Rows, household_id: str) -> HouseholdFacts:
        def fresh(table: str) -> list[dict[str, Any]]:
            return rows[table][self._marks[table] :]

        def by_person(table: str) -> dict[str, list[SimpleNamespace]]:
            out: dict[str, list[SimpleNamespace]] = defaultdict(list)
            for row in fresh(table):
                out[row["person_id"]].append(SimpleNamespace(**row))
            return out

        household = next(h for h in fresh("household") if h["id"] == household_id)
        persons = {p["id"]: p for p in fresh("person")}
        sections = {table: by_person(table) for table in _FACT_TABLES[3:]}
        members = []
        for member in fresh("household_member"):
            pid = member["person_id"]
            row = SimpleNamespace(**(persons[pid] | member))
            person_sections = PersonSections(
                *(sections[table].get(pid, ()) for table in _FACT_TABLES[3:])
            )
            facts = member_facts(
                row, person_sections, in_shelter=household["in_shelter"], listed_elsewhere=False
            )
            members.append((row, facts))
        result = household_facts(SimpleNamespace(**household), members, headed=1)
        assert result is not None, "a generated household always has its head"
        return result

    def _payments(
        self,
        rows: Rows,
        household_id: str,
        decision_id: str,
        amount: int,
        status: ApplicationStatus,
        approved_at: datetime,
    ) -> None:
        rng = self.rng
        pay_dates = [d for d in months_before(self.as_of, 3) if d > approved_at.date()]
        for i, pay_date in enumerate(pay_dates):
            cycle_id = self.ctx.cycles.get(pay_date)
            if cycle_id is None:
                cycle_id = self._id()
                self.ctx.cycles[pay_date] = cycle_id
                at = datetime.combine(pay_date, time(0, 5), UTC)
                rows["payment_cycle"].append(
                    {
                        "id": cycle_id,
                        "row_version": 1,
                        "created_at": at,
                        "updated_at": at,
                        "origin_node": self.ctx.node_id,
                        "deleted_at": None,
                        "month": f"{pay_date:%Y-%m}",
                        "pay_date": pay_date,
                        "rule_set_version": "2025.1",
                        "run_at": at,
                        "run_by": None,
                    }
                )
            last = i == len(pay_dates) - 1
            held = status is S.SUSPENDED and last
            returned = not held and rng.random() < 0.01
            state = (
                PaymentStatus.HELD
                if held
                else PaymentStatus.RETURNED
                if returned
                else PaymentStatus.PAID
            )
            at = datetime.combine(pay_date, time(6), UTC)
            payment = self._base(at) | {
                "cycle_id": cycle_id,
                "household_id": household_id,
                "decision_id": decision_id,
                "amount_halalas": amount,
                "status": state.value,
                "paid_at": at if state is PaymentStatus.PAID else None,
                "held_reason": SUSPENSION_HOLD if held else "",
            }
            rows["payment"].append(payment)
            if rng.random() < 0.02:
                self._complaint(rows, at, household_id, str(payment["id"]))

    def _objection(
        self,
        rows: Rows,
        at: datetime,
        household_id: str,
        app_id: str,
        decision_id: str,
        kind: ObjectionKind,
    ) -> None:
        rng = self.rng
        filed = min(at + timedelta(days=rng.randint(1, 20)), self._latest)
        state = rng.choice(list(ObjectionStatus)[1:5])  # filed, under review, upheld, dismissed
        decided = state in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED)
        rows["objection"].append(
            self._base(filed)
            | {
                "household_id": household_id,
                "application_id": app_id,
                "decision_id": decision_id,
                "kind": kind.value,
                "reason_category": "income_changed"
                if kind is ObjectionKind.ELIGIBILITY
                else "amount_wrong",
                "reason_text": "انتهى عقد العمل ولم يعد الراتب قائمًا، مرفق خطاب إنهاء الخدمة."
                if kind is ObjectionKind.ELIGIBILITY
                else "المبلغ أقل من المستحق لعدد أفراد الأسرة.",
                "status": state.value,
                "priority": rng.randint(0, 2),
                "filed_by": self.ctx.clerk_id,
                "filed_at": filed,
                "confirmed_at": filed,
                "assigned_to": self.ctx.supervisor2_id
                if state is not ObjectionStatus.FILED
                else None,
                "decided_by": self.ctx.supervisor2_id if decided else None,
                "decided_at": min(filed + timedelta(days=2), self._latest) if decided else None,
                "outcome": (
                    ObjectionOutcome.UPHELD
                    if state is ObjectionStatus.UPHELD
                    else ObjectionOutcome.DISMISSED
                ).value
                if decided
                else None,
                "justification": "تمت مراجعة المستندات المرفقة." if decided else "",
                "new_decision_id": None,
                "arrears_halalas": 0,
                "notification_text": "",
                "parent_id": None,
                "duplicate_of_id": None,
            }
        )

    def _complaint(self, rows: Rows, at: datetime, household_id: str, payment_id: str) -> None:
        rng = self.rng
        state = rng.choice(
            (ComplaintStatus.FILED, ComplaintStatus.UNDER_REVIEW, ComplaintStatus.RESOLVED)
        )
        resolved = state is ComplaintStatus.RESOLVED
        rows["financial_complaint"].append(
            self._base(at)
            | {
                "household_id": household_id,
                "payment_id": payment_id,
                "reason_category": "not_received",
                "reason_text": "لم تصل الدفعة إلى الحساب البنكي.",
                "status": state.value,
                "priority": rng.randint(0, 2),
                "filed_by": self.ctx.clerk_id,
                "filed_at": min(at + timedelta(days=3), self._latest),
                "confirmed_at": min(at + timedelta(days=3), self._latest),
                "assigned_to": self.ctx.supervisor_id
                if state is not ComplaintStatus.FILED
                else None,
                "decided_by": self.ctx.supervisor_id if resolved else None,
                "decided_at": min(at + timedelta(days=6), self._latest) if resolved else None,
                "justification": "أعيد تحويل المبلغ." if resolved else "",
                "resolution_text": "تم التحويل بعد تصحيح الآيبان." if resolved else "",
                "duplicate_of_id": None,
            }
        )


def new_rows() -> Rows:
    """An empty set of row buffers, one list per table."""
    return defaultdict(list)
