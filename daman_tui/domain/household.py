"""The eligibility engine's input: one household's facts, as frozen typed values.

These are the facts of the unified file (الملف الموحد) that the conditions of seed 004
look at, and nothing else: no names, no addresses, no bank details. They come from the
store (a service builds them from the rows) or from a JSON document (the input format of
``daman eligibility``, documented in ``docs/eligibility.md``), and a decision records
them as JSON so that it can be re-evaluated later.

Money is integer halalas inside Python. In JSON it is riyals, written as a string with
at most two decimals (``"2300.50"``) or as a whole number (``2300``), under a key that
ends in ``_sar``: a script author types the amount as the applicant said it, and an
amount off by a factor of 100 cannot slip through under an ambiguous key (a ``_halalas``
key is refused with a hint). A JSON fraction such as ``2300.5`` is accepted only when it
is exactly what was written; binary-float noise (``0.30000000000000004``) is refused.

Construction from Python trusts its caller (the store's rows are validated on entry);
:meth:`HouseholdFacts.from_json` checks everything and reports every problem at once,
each with a stable code and the path of the offending field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from daman_tui.domain.digits import to_ascii_digits
from daman_tui.domain.enums import (
    AssetKind,
    Gender,
    HousingType,
    IncomeType,
    MaritalStatus,
    MemberKind,
    Relationship,
)
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.national_id import validate_national_id

__all__ = [
    "MAX_AMOUNT_HALALAS",
    "SAUDI",
    "DeedFacts",
    "HouseholdFacts",
    "IncomeFacts",
    "MemberFacts",
    "RealEstateFacts",
    "SupportFacts",
    "VehicleFacts",
    "WorkerFacts",
    "format_sar",
    "parse_sar",
]

SAUDI = "SAU"  # ISO 3166-1 alpha-3, as the store keeps nationality
# A monthly or asset amount above a billion riyals is a typing slip, not a fact.
MAX_AMOUNT_HALALAS = 1_000_000_000 * 100
MAX_TEXT = 120  # the store's limit for an income source or support programme
MAX_DEPENDENTS = 60

_SAR_TEXT = re.compile(r"(\d{1,13})(?:\.(\d{1,2}))?")
_NATIONALITY = re.compile(r"[A-Z]{3}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# ---- money ---------------------------------------------------------------------------
def parse_sar(value: Any) -> int:
    """Riyals as JSON gives them (``"2300.50"``, ``2300`` or ``2300.5``) → halalas.

    Arabic-Indic digits and the Arabic decimal separator are accepted in strings.
    Raises ``ValueError`` with a sentence for anything else: negative, more than two
    decimals, a float that is not exactly what was typed, or more than
    :data:`MAX_AMOUNT_HALALAS`.
    """
    if isinstance(value, bool):
        raise ValueError("an amount, not true/false")
    if isinstance(value, int):
        halalas = value * 100
    elif isinstance(value, float):
        # repr() is the shortest text that reads back as this float: what the author
        # wrote, unless the value came out of float arithmetic.
        halalas = _sar_text(repr(value))
    elif isinstance(value, str):
        # Arabic-Indic digits and the Arabic decimal separator (٫), as staff type them.
        halalas = _sar_text(to_ascii_digits(value.strip()).replace("\u066b", "."))
    else:
        raise ValueError('an amount in riyals, e.g. "2300.50"')
    if not 0 <= halalas <= MAX_AMOUNT_HALALAS:
        raise ValueError("an amount from 0 to 1,000,000,000 riyals")
    return halalas


def _sar_text(text: str) -> int:
    match = _SAR_TEXT.fullmatch(text)
    if match is None:
        raise ValueError(
            f'riyals with at most two decimals and no signs or separators, e.g. "2300.50"; '
            f"got {text!r}"
        )
    whole, fraction = match.groups()
    return int(whole) * 100 + int((fraction or "0").ljust(2, "0"))


def format_sar(halalas: int) -> str:
    """Halalas as the JSON riyal string: ``230050`` → ``"2300.50"`` (no separators)."""
    riyals, rest = divmod(halalas, 100)
    return f"{riyals}.{rest:02d}"


# ---- the facts -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class IncomeFacts:
    """One income line (بيانات الدخل): its type, source and monthly amount."""

    type: IncomeType
    source: str
    monthly_halalas: int


@dataclass(frozen=True, slots=True)
class SupportFacts:
    """One support line: برنامج الدعم، مصدر الدعم، المبلغ الشهري."""

    program: str
    source: str
    monthly_halalas: int


@dataclass(frozen=True, slots=True)
class RealEstateFacts:
    """عقار: a commercial property rented out, an owned property let, or land."""

    kind: AssetKind
    value_halalas: int


@dataclass(frozen=True, slots=True)
class DeedFacts:
    """صك: a registered title deed, and whether it is the home the household lives in."""

    value_halalas: int
    residence: bool = False


@dataclass(frozen=True, slots=True)
class VehicleFacts:
    """مركبة: its year of manufacture and value."""

    year: int
    value_halalas: int


@dataclass(frozen=True, slots=True)
class WorkerFacts:
    """بيانات العمالة: counts of domestic, professional and medical workers."""

    domestic: int = 0
    professional: int = 0
    medical: int = 0


_NO_WORKERS = WorkerFacts()


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """One person of the household as the conditions see them.

    ``meets_health_education`` and ``joins_training`` are the answers to condition 3
    (seed 004): ``None`` means "not asked". The engine decides who must have been asked
    (children for health and education, able members of working age for training) and
    ignores the answers of everyone else; see ``docs/eligibility.md``.
    """

    national_id: str
    kind: MemberKind
    relationship: Relationship | None
    gender: Gender
    birth_date: date
    nationality: str
    marital_status: MaritalStatus | None = None
    resides_in_kingdom: bool = True
    scholarship_abroad: bool = False  # مبتعث: still a permanent resident
    studying: bool = False
    has_movement_card: bool = False  # بطاقة تنقل
    special_needs: bool = False
    is_orphan: bool = False
    in_shelter: bool = False
    listed_in_other_household: bool = False
    meets_health_education: bool | None = None
    joins_training: bool | None = None
    incomes: tuple[IncomeFacts, ...] = ()
    supports: tuple[SupportFacts, ...] = ()
    commercial_zakat_yearly_halalas: int = 0  # زكاة التجارة, per year
    transport_permits: int = 0  # تصاريح وزارة النقل
    citc_monthly_halalas: int = 0  # هيئة الاتصالات: the average monthly amount
    workers: WorkerFacts = _NO_WORKERS
    real_estate: tuple[RealEstateFacts, ...] = ()
    deeds: tuple[DeedFacts, ...] = ()
    vehicles: tuple[VehicleFacts, ...] = ()

    @property
    def is_saudi(self) -> bool:
        return self.nationality == SAUDI

    def age_on(self, day: date) -> int:
        """Completed years on ``day`` (a 29 February birthday counts from 1 March)."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def to_json(self) -> dict[str, Any]:
        """The member in the documented JSON form, leaving out fields at their default."""
        out: dict[str, Any] = {"national_id": self.national_id}
        if self.kind is not MemberKind.HEAD:
            out["kind"] = self.kind.value
        if self.relationship is not None:
            out["relationship"] = self.relationship.value
        out["gender"] = self.gender.value
        out["birth_date"] = self.birth_date.isoformat()
        out["nationality"] = self.nationality
        if self.marital_status is not None:
            out["marital_status"] = self.marital_status.value
        for name, default in _FLAG_DEFAULTS.items():
            if getattr(self, name) != default:
                out[name] = getattr(self, name)
        for name in ("meets_health_education", "joins_training"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        # Sections left out when empty or zero (no flags among them: False == 0 in Python).
        out.update(
            (k, v) for k, v in self._sections_json().items() if v not in ([], None, 0, "0.00")
        )
        return out

    def _sections_json(self) -> dict[str, Any]:
        """Income, permits, workers and assets; empty ones are dropped by the caller."""
        return {
            "incomes": [
                {
                    "type": i.type.value,
                    "source": i.source,
                    "monthly_sar": format_sar(i.monthly_halalas),
                }
                for i in self.incomes
            ],
            "supports": [
                {
                    "program": s.program,
                    "source": s.source,
                    "monthly_sar": format_sar(s.monthly_halalas),
                }
                for s in self.supports
            ],
            "commercial_zakat_yearly_sar": format_sar(self.commercial_zakat_yearly_halalas),
            "transport_permits": self.transport_permits,
            "citc_monthly_sar": format_sar(self.citc_monthly_halalas),
            "workers": None
            if self.workers == _NO_WORKERS
            else {
                "domestic": self.workers.domestic,
                "professional": self.workers.professional,
                "medical": self.workers.medical,
            },
            "real_estate": [
                {"kind": r.kind.value, "value_sar": format_sar(r.value_halalas)}
                for r in self.real_estate
            ],
            "deeds": [
                {"value_sar": format_sar(d.value_halalas), "residence": True}
                if d.residence
                else {"value_sar": format_sar(d.value_halalas)}
                for d in self.deeds
            ],
            "vehicles": [
                {"year": v.year, "value_sar": format_sar(v.value_halalas)} for v in self.vehicles
            ],
        }


# The plain yes/no facts of a member, with their defaults (left out of JSON when equal).
_FLAG_DEFAULTS: dict[str, bool] = {
    "resides_in_kingdom": True,
    "scholarship_abroad": False,
    "studying": False,
    "has_movement_card": False,
    "special_needs": False,
    "is_orphan": False,
    "in_shelter": False,
    "listed_in_other_household": False,
}
_FLAG_FIELDS = tuple(_FLAG_DEFAULTS)


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """A household (أسرة): the unit that receives one pension.

    ``family_no`` and ``provider_other_households`` carry condition 6 of seed 004: a
    provider (the head) with more than one family heads one household per family, each
    evaluated on its own; ``provider_other_households`` says how many *other* households
    the same head provides for, which decides how his own income is shared between them
    (the rule set's ``provider_income_split``).
    """

    household_id: str
    head: MemberFacts
    dependents: tuple[MemberFacts, ...] = ()
    family_no: int = 1
    provider_other_households: int = 0
    housing_type: HousingType | None = None
    in_shelter: bool = False
    _members: tuple[MemberFacts, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The engine walks every member several times; build the tuple once.
        object.__setattr__(self, "_members", (self.head, *self.dependents))

    @property
    def members(self) -> tuple[MemberFacts, ...]:
        """The head first, then the dependents in their order."""
        return self._members

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (fields at their default left out); see ``from_json``."""
        out: dict[str, Any] = {"household_id": self.household_id}
        if self.family_no != 1:
            out["family_no"] = self.family_no
        if self.provider_other_households:
            out["provider_other_households"] = self.provider_other_households
        if self.housing_type is not None:
            out["housing_type"] = self.housing_type.value
        if self.in_shelter:
            out["in_shelter"] = True
        out["head"] = self.head.to_json()
        if self.dependents:
            out["dependents"] = [d.to_json() for d in self.dependents]
        return out

    @classmethod
    def from_json(cls, data: Any) -> HouseholdFacts:
        """Parse and check the documented JSON form (already decoded from text).

        Every problem is collected; a :class:`ValidationError` is raised carrying the
        first one's code and all of them in ``params["problems"]`` (each a dict with
        ``code``, ``path``, ``message_ar`` and ``message_en``).
        """
        reader = _Reader()
        facts = reader.household(data)
        if reader.problems or facts is None:
            first = reader.problems[0]
            raise ValidationError(
                str(first["code"]),
                "\n".join(f"{p['path']}: {p['message_ar']}" for p in reader.problems),
                "\n".join(f"{p['path']}: {p['message_en']}" for p in reader.problems),
                problems=reader.problems,
            )
        return facts


# ---- the JSON reader ---------------------------------------------------------------------
_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")

_HOUSEHOLD_KEYS = frozenset(
    {
        "household_id",
        "family_no",
        "provider_other_households",
        "housing_type",
        "in_shelter",
        "head",
        "dependents",
    }
)
_MEMBER_KEYS = frozenset(
    {
        "national_id",
        "kind",
        "relationship",
        "gender",
        "birth_date",
        "nationality",
        "marital_status",
        *_FLAG_FIELDS,
        "meets_health_education",
        "joins_training",
        "incomes",
        "supports",
        "commercial_zakat_yearly_sar",
        "transport_permits",
        "citc_monthly_sar",
        "workers",
        "real_estate",
        "deeds",
        "vehicles",
    }
)
_KEYS = {
    "income": frozenset({"type", "source", "monthly_sar"}),
    "support": frozenset({"program", "source", "monthly_sar"}),
    "workers": frozenset({"domestic", "professional", "medical"}),
    "real_estate": frozenset({"kind", "value_sar"}),
    "deed": frozenset({"value_sar", "residence"}),
    "vehicle": frozenset({"year", "value_sar"}),
}
_MISSING = object()


class _Reader:
    """Walks a decoded JSON document, building facts and collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[dict[str, str]] = []

    def fail(self, code: str, path: str, ar: str, en: str) -> None:
        self.problems.append({"code": code, "path": path, "message_ar": ar, "message_en": en})

    # -- objects and keys ---------------------------------------------------------------
    def obj(self, value: Any, path: str, allowed: frozenset[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(
                "household.not_object",
                path,
                "يجب أن تكون القيمة كائن JSON.",
                "expected a JSON object",
            )
            return None
        for key in value:
            if key not in allowed:
                hint = ""
                if isinstance(key, str) and key.endswith("_halalas"):
                    hint = f"; amounts are riyals: use {key.removesuffix('_halalas')}_sar"
                self.fail(
                    "household.unknown_field",
                    f"{path}.{key}",
                    f"حقل غير معروف: {key}.",
                    f"unknown field {key!r}{hint}",
                )
        return value

    def get(self, data: dict[str, Any], key: str, path: str, required: bool) -> Any:
        value = data.get(key, _MISSING)
        if value is _MISSING and required:
            self.fail(
                "household.missing_field", f"{path}.{key}", "حقل مطلوب.", "required field missing"
            )
        return value

    def items(self, data: dict[str, Any], key: str, path: str) -> Iterator[tuple[str, Any]]:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return
        if not isinstance(value, list):
            self.fail(
                "household.bad_type",
                f"{path}.{key}",
                "يجب أن تكون القيمة قائمة.",
                "expected a list",
            )
            return
        for i, item in enumerate(value):
            yield f"{path}.{key}[{i}]", item

    # -- scalars -------------------------------------------------------------------------
    def boolean(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(
                "household.bad_type",
                f"{path}.{key}",
                "القيمة نعم/لا (true/false).",
                "expected true or false",
            )
            return default
        return value

    def maybe_boolean(self, data: dict[str, Any], key: str, path: str) -> bool | None:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            self.fail(
                "household.bad_type",
                f"{path}.{key}",
                "القيمة نعم/لا (true/false) أو null إن لم يُسأل.",
                "expected true, false, or null when not asked",
            )
            return None
        return value

    def count(
        self, data: dict[str, Any], key: str, path: str, default: int, low: int, high: int
    ) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                "household.bad_number",
                f"{path}.{key}",
                f"عدد صحيح من {low} إلى {high}.",
                f"expected a whole number from {low} to {high}",
            )
            return default
        return value

    def text(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool,
        limit: int = MAX_TEXT,
        blank: bool = True,
    ) -> str:
        value = self.get(data, key, path, required)
        if value is _MISSING or (value is None and not required):
            return ""
        if not isinstance(value, str):
            self.fail(
                "household.bad_type",
                f"{path}.{key}",
                "يجب أن تكون القيمة نصاً.",
                "expected a string",
            )
            return ""
        # Taken verbatim (not even stripped): a recorded decision's facts must read back
        # exactly as they were.
        if len(value) > limit or _CONTROL.search(value) or (not blank and not value.strip()):
            self.fail(
                "household.bad_text",
                f"{path}.{key}",
                f"نص غير فارغ حتى {limit} حرفاً دون رموز تحكم.",
                f"non-blank text of at most {limit} characters without control characters",
            )
            return ""
        return value

    def amount(self, data: dict[str, Any], key: str, path: str, *, required: bool) -> int:
        value = self.get(data, key, path, required)
        if value is _MISSING:
            return 0
        try:
            return parse_sar(value)
        except ValueError as err:
            self.fail(
                "household.bad_amount",
                f"{path}.{key}",
                'مبلغ بالريال بخانتين عشريتين على الأكثر، مثل "2300.50".',
                f"expected {err}",
            )
            return 0

    def choice(
        self, data: dict[str, Any], key: str, path: str, enum: type[_E], *, required: bool
    ) -> _E | None:
        value = self.get(data, key, path, required)
        if value is _MISSING or (value is None and not required):
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.fail(
                "household.bad_value",
                f"{path}.{key}",
                f"قيمة غير مقبولة؛ القيم المقبولة: {allowed}.",
                f"{value!r} is not one of: {allowed}",
            )
            return None

    def day(self, data: dict[str, Any], key: str, path: str) -> date | None:
        value = self.get(data, key, path, True)
        if value is _MISSING:
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(
                "household.bad_date",
                f"{path}.{key}",
                "تاريخ ميلادي بالصيغة YYYY-MM-DD.",
                "expected a Gregorian date as YYYY-MM-DD",
            )
            return None

    def listed(
        self, data: dict[str, Any], key: str, path: str, make: Callable[[Any, str], _T | None]
    ) -> tuple[_T, ...]:
        out = []
        for item_path, item in self.items(data, key, path):
            made = make(item, item_path)
            if made is not None:
                out.append(made)
        return tuple(out)

    # -- the document --------------------------------------------------------------------
    def household(self, value: Any) -> HouseholdFacts | None:
        path = "$"
        data = self.obj(value, path, _HOUSEHOLD_KEYS)
        if data is None:
            return None
        household_id = self.text(data, "household_id", path, required=True, limit=64, blank=False)
        family_no = self.count(data, "family_no", path, 1, 1, 20)
        others = self.count(data, "provider_other_households", path, 0, 0, 19)
        if others < family_no - 1:
            self.fail(
                "household.family_no",
                f"{path}.provider_other_households",
                f"الأسرة رقم {family_no} تعني أن للعائل {family_no - 1} أسرة أخرى على الأقل.",
                f"family {family_no} means the provider has at least {family_no - 1} other "
                "household(s)",
            )
        housing = self.choice(data, "housing_type", path, HousingType, required=False)
        in_shelter = self.boolean(data, "in_shelter", path, False)
        head_data = self.get(data, "head", path, True)
        head = None if head_data is _MISSING else self.member(head_data, f"{path}.head", True)
        dependents = self.listed(data, "dependents", path, lambda v, p: self.member(v, p, False))
        if len(dependents) > MAX_DEPENDENTS:
            self.fail(
                "household.too_many_members",
                f"{path}.dependents",
                f"عدد التابعين يتجاوز {MAX_DEPENDENTS}.",
                f"more than {MAX_DEPENDENTS} dependents",
            )
        seen: set[str] = set()
        for i, member in enumerate((head, *dependents)):
            if member is None:
                continue
            if member.national_id in seen:
                where = f"{path}.head" if i == 0 else f"{path}.dependents[{i - 1}]"
                self.fail(
                    "household.duplicate_member",
                    f"{where}.national_id",
                    "الشخص مدرج في الأسرة أكثر من مرة.",
                    "the same person is listed twice in the household",
                )
            seen.add(member.national_id)
        if head is None or self.problems:
            return None
        return HouseholdFacts(
            household_id=household_id,
            head=head,
            dependents=dependents,
            family_no=family_no,
            provider_other_households=others,
            housing_type=housing,
            in_shelter=in_shelter,
        )

    def member(self, value: Any, path: str, is_head: bool) -> MemberFacts | None:
        data = self.obj(value, path, _MEMBER_KEYS)
        if data is None:
            return None
        before = len(self.problems)
        national_id = self._national_id(data, path)
        kind = self._kind(data, path, is_head)
        relationship = self.choice(data, "relationship", path, Relationship, required=False)
        if is_head and relationship is not None:
            self.fail(
                "household.relationship",
                f"{path}.relationship",
                "لا تُحدد صلة القرابة لرب الأسرة.",
                "the head has no relationship to the head",
            )
        if kind is MemberKind.RELATIVE and data.get("relationship") is None:
            self.fail(
                "household.relationship",
                f"{path}.relationship",
                "صلة القرابة مطلوبة للقريب.",
                "a relative needs a relationship (صلة القرابة)",
            )
        gender = self.choice(data, "gender", path, Gender, required=True)
        birth_date = self.day(data, "birth_date", path)
        nationality = self._nationality(data, path)
        marital = self.choice(data, "marital_status", path, MaritalStatus, required=is_head)
        flags = {
            name: self.boolean(data, name, path, _FLAG_DEFAULTS[name]) for name in _FLAG_FIELDS
        }
        meets = self.maybe_boolean(data, "meets_health_education", path)
        joins = self.maybe_boolean(data, "joins_training", path)
        incomes = self.listed(data, "incomes", path, self._income)
        supports = self.listed(data, "supports", path, self._support)
        zakat = self.amount(data, "commercial_zakat_yearly_sar", path, required=False)
        transport = self.count(data, "transport_permits", path, 0, 0, 1000)
        citc = self.amount(data, "citc_monthly_sar", path, required=False)
        workers = self._workers(data, path)
        real_estate = self.listed(data, "real_estate", path, self._real_estate)
        deeds = self.listed(data, "deeds", path, self._deed)
        vehicles = self.listed(data, "vehicles", path, self._vehicle)
        if len(self.problems) > before or gender is None or birth_date is None or kind is None:
            return None
        return MemberFacts(
            national_id=national_id,
            kind=kind,
            relationship=relationship,
            gender=gender,
            birth_date=birth_date,
            nationality=nationality,
            marital_status=marital,
            meets_health_education=meets,
            joins_training=joins,
            incomes=incomes,
            supports=supports,
            commercial_zakat_yearly_halalas=zakat,
            transport_permits=transport,
            citc_monthly_halalas=citc,
            workers=workers,
            real_estate=real_estate,
            deeds=deeds,
            vehicles=vehicles,
            **flags,
        )

    def _national_id(self, data: dict[str, Any], path: str) -> str:
        value = self.get(data, "national_id", path, True)
        if value is _MISSING:
            return ""
        if not isinstance(value, str):
            self.fail(
                "household.bad_type",
                f"{path}.national_id",
                "يجب أن يكون رقم الهوية نصاً.",
                "expected a string of 10 digits",
            )
            return ""
        try:
            return validate_national_id(value)
        except ValidationError as err:
            self.fail(err.code, f"{path}.national_id", err.message_ar, err.message_en)
            return ""

    def _kind(self, data: dict[str, Any], path: str, is_head: bool) -> MemberKind | None:
        kind = self.choice(data, "kind", path, MemberKind, required=False)
        if is_head:
            if kind not in (None, MemberKind.HEAD):
                self.fail(
                    "household.kind",
                    f"{path}.kind",
                    "نوع رب الأسرة head.",
                    "the head's kind is head",
                )
            return MemberKind.HEAD
        if kind is None and "kind" not in data:
            self.fail(
                "household.missing_field",
                f"{path}.kind",
                "نوع التابع مطلوب: relative أو ward أو housing_partner.",
                "a dependent's kind is required: relative, ward or housing_partner",
            )
        if kind is MemberKind.HEAD:
            self.fail(
                "household.kind",
                f"{path}.kind",
                "للأسرة رب واحد هو head.",
                "only the head is of kind head",
            )
            return None
        return kind

    def _nationality(self, data: dict[str, Any], path: str) -> str:
        value = self.get(data, "nationality", path, True)
        if value is _MISSING:
            return ""
        text = value.strip().upper() if isinstance(value, str) else ""
        if not _NATIONALITY.fullmatch(text):
            self.fail(
                "household.bad_nationality",
                f"{path}.nationality",
                "رمز الجنسية من ثلاثة أحرف لاتينية (ISO 3166)، مثل SAU.",
                "expected an ISO 3166 alpha-3 code such as SAU or EGY",
            )
        return text

    def _income(self, value: Any, path: str) -> IncomeFacts | None:
        data = self.obj(value, path, _KEYS["income"])
        if data is None:
            return None
        kind = self.choice(data, "type", path, IncomeType, required=True)
        source = self.text(data, "source", path, required=False)
        monthly = self.amount(data, "monthly_sar", path, required=True)
        return None if kind is None else IncomeFacts(kind, source, monthly)

    def _support(self, value: Any, path: str) -> SupportFacts | None:
        data = self.obj(value, path, _KEYS["support"])
        if data is None:
            return None
        program = self.text(data, "program", path, required=True)
        source = self.text(data, "source", path, required=False)
        monthly = self.amount(data, "monthly_sar", path, required=True)
        return SupportFacts(program, source, monthly)

    def _workers(self, data: dict[str, Any], path: str) -> WorkerFacts:
        value = data.get("workers")
        if value is None:
            return _NO_WORKERS
        inner = self.obj(value, f"{path}.workers", _KEYS["workers"])
        if inner is None:
            return _NO_WORKERS
        p = f"{path}.workers"
        return WorkerFacts(
            domestic=self.count(inner, "domestic", p, 0, 0, 100),
            professional=self.count(inner, "professional", p, 0, 0, 100),
            medical=self.count(inner, "medical", p, 0, 0, 100),
        )

    def _real_estate(self, value: Any, path: str) -> RealEstateFacts | None:
        data = self.obj(value, path, _KEYS["real_estate"])
        if data is None:
            return None
        kind = self.choice(data, "kind", path, AssetKind, required=True)
        worth = self.amount(data, "value_sar", path, required=True)
        return None if kind is None else RealEstateFacts(kind, worth)

    def _deed(self, value: Any, path: str) -> DeedFacts | None:
        data = self.obj(value, path, _KEYS["deed"])
        if data is None:
            return None
        return DeedFacts(
            self.amount(data, "value_sar", path, required=True),
            self.boolean(data, "residence", path, False),
        )

    def _vehicle(self, value: Any, path: str) -> VehicleFacts | None:
        data = self.obj(value, path, _KEYS["vehicle"])
        if data is None:
            return None
        if "year" not in data:
            self.fail(
                "household.missing_field", f"{path}.year", "حقل مطلوب.", "required field missing"
            )
        return VehicleFacts(
            self.count(data, "year", path, 1950, 1950, 2100),
            self.amount(data, "value_sar", path, required=True),
        )
