"""The eligibility decision: "eligible or not, and how much", with one reason per rule.

:func:`evaluate` applies the six conditions of seed 004 (DOMAIN.md, "Eligibility
conditions") to a household's facts under one rule set, and returns a :class:`Decision`
that carries the threshold, every counted income line, the monthly entitlement and one
:class:`Reason` per rule, passed or failed, in Arabic and English with the numbers it
used. Pure: no I/O, no clock; the same facts, rule set and day always give the same
decision, so a recorded decision can be re-evaluated (:func:`reproduce`).

The rules, in the order the reasons come (``RULE_ORDER``):

1. ``nationality`` — Saudi, or one of the four exceptions of seed 004;
2. ``residence`` — permanent residence in the Kingdom;
3. ``income.threshold`` — counted income below 1100 SAR for the head + 550 per member;
4. ``conditions.health_education`` — the children's health and education;
5. ``conditions.training`` — able members join training and employment programmes;
6. ``shelter`` — not living in a state-run shelter or care home;
7. ``assets.high_value`` — no high-value assets;
8. ``household.separate`` — each family of a provider is its own household.

A dependent who fails a personal condition (1, 2, 6 or 8) is left out of the member count
under the rule set's ``ineligible_dependent = "exclude"`` and the rule still passes; the
head failing one fails the household. Income counts for everyone who lives in the
household: a dependent left out for nationality still brings in their income, one who
lives elsewhere (a shelter, abroad, another household) does not. The entitlement is the
threshold less the counted income when every rule passes, else 0 (DOMAIN.md: our choice).

Speed matters: a monthly cycle evaluates every household (target: 100,000 in under 2 s
on a 2-core branch machine, ``benchmarks/bench_eligibility.py``). So evaluation is
integer arithmetic over the members, messages are f-strings, and a reason that does not
depend on the particular household ("the head is a Saudi national …") is built once per
rule set and shared, which is why a reason's facts are read-only (tuples and mapping
proxies). Money in the facts stays in halalas (keys ending ``_halalas``) and becomes riyal
strings only when a decision is turned into JSON.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple, NoReturn, TypeVar

from daman_tui.domain.enums import Gender, MaritalStatus, Relationship
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.household import SAUDI, HouseholdFacts, MemberFacts, format_sar
from daman_tui.domain.national_id import mask_national_id
from daman_tui.domain.rules import BASIS_POINTS, RuleSet, percent_text, rule_set

__all__ = [
    "HEAD_THRESHOLD_HALALAS",
    "MEMBER_THRESHOLD_HALALAS",
    "NATIONALITY_EXCEPTIONS",
    "RULE_ORDER",
    "CountedLine",
    "Decision",
    "Reason",
    "entitlement",
    "evaluate",
    "facts_to_json",
    "reproduce",
    "threshold",
]

# Seed 004's figures, for callers without a rule set at hand (the demo-data generator).
HEAD_THRESHOLD_HALALAS = 110_000
MEMBER_THRESHOLD_HALALAS = 55_000

NATIONALITY = "nationality"
RESIDENCE = "residence"
INCOME = "income.threshold"
HEALTH_EDUCATION = "conditions.health_education"
TRAINING = "conditions.training"
SHELTER = "shelter"
ASSETS = "assets.high_value"
SEPARATE = "household.separate"
RULE_ORDER = (
    NATIONALITY,
    RESIDENCE,
    INCOME,
    HEALTH_EDUCATION,
    TRAINING,
    SHELTER,
    ASSETS,
    SEPARATE,
)

# The exceptions to the nationality condition (seed 004), by code, with their text.
WIFE_OF_SAUDI = "wife_of_saudi"
WIDOW_WITH_SAUDI_CHILDREN = "widow_or_divorcee_with_saudi_children"
CHILD_OF_SAUDI_MOTHER = "child_of_saudi_widow_or_divorcee"
MOVEMENT_CARD = "movement_card"
NATIONALITY_EXCEPTIONS: Mapping[str, tuple[str, str]] = {
    WIFE_OF_SAUDI: (
        "امرأة غير سعودية متزوجة من سعودي",
        "a non-Saudi woman married to a Saudi",
    ),
    WIDOW_WITH_SAUDI_CHILDREN: (
        "أرملة أو مطلقة غير سعودية لديها أبناء سعوديون",
        "a non-Saudi widow or divorcee with Saudi children",
    ),
    CHILD_OF_SAUDI_MOTHER: (
        "من أبناء أرملة أو مطلقة سعودية من زوج غير سعودي",
        "a child of a Saudi widow or divorcee from a non-Saudi husband",
    ),
    MOVEMENT_CARD: (
        "من ذوي الإعاقة أو الأيتام أو الأرامل ذوات الأيتام ممن لديهم بطاقة تنقل",
        "a person with a disability, an orphan, or a widow with orphans, holding a movement card",
    ),
}

_WIDOWED_OR_DIVORCED = (MaritalStatus.WIDOWED, MaritalStatus.DIVORCED)
_CHILD = (Relationship.SON, Relationship.DAUGHTER)


def threshold(
    member_count: int,
    *,
    head: int = HEAD_THRESHOLD_HALALAS,
    per_member: int = MEMBER_THRESHOLD_HALALAS,
) -> int:
    """The household's income threshold in halalas; ``member_count`` includes the head."""
    if member_count < 1:
        raise ValueError("a household has at least its head")
    return head + per_member * (member_count - 1)


def entitlement(threshold_halalas: int, counted_income_halalas: int) -> int:
    """The monthly amount due when every other rule passes: the gap below the threshold."""
    return max(0, threshold_halalas - counted_income_halalas)


# ---- the result ------------------------------------------------------------------------
Facts = Mapping[str, Any]


def _frozen(facts: dict[str, Any]) -> Facts:
    """A reason's facts, read-only: a shared reason must not be changed through one decision."""
    return MappingProxyType(facts)


def facts_to_json(facts: Facts) -> dict[str, Any]:
    """A reason's facts as JSON: ``x_halalas`` → ``x_sar`` riyal strings, tuples → lists."""
    out: dict[str, Any] = {}
    for key, value in facts.items():
        if key.endswith("_halalas"):
            name = key[: -len("_halalas")] + "_sar"
            out[name] = (
                [format_sar(v) for v in value] if isinstance(value, tuple) else format_sar(value)
            )
        elif isinstance(value, Mapping):
            out[key] = facts_to_json(value)
        elif isinstance(value, tuple):
            out[key] = list(value)
        else:
            out[key] = value
    return out


class CountedLine(NamedTuple):
    """One line of the calculated income: what was declared and how much of it counts.

    ``kind`` is ``income`` (its ``type`` an :class:`IncomeType` value), ``support`` (its
    ``type`` the programme), ``citc_permit`` or ``transport_permits``. ``counted`` is
    ``monthly × share / 10,000 / split_over``, rounded down to the halala; ``split_over``
    is the number of households a provider's own income is shared between.
    """

    national_id: str
    kind: str
    type: str
    source: str
    monthly_halalas: int
    share_bp: int
    split_over: int
    counted_halalas: int

    def to_json(self) -> dict[str, Any]:
        return {
            "national_id": self.national_id,
            "kind": self.kind,
            "type": str(self.type),
            "source": self.source,
            "monthly_sar": format_sar(self.monthly_halalas),
            "share_percent": percent_text(self.share_bp),
            "split_over": self.split_over,
            "counted_sar": format_sar(self.counted_halalas),
        }


class Reason(NamedTuple):
    """One rule's outcome, as the applicant reads it (أسباب الرفض when failed).

    ``facts`` are the values the rule looked at: read-only, money in halalas under keys
    ending ``_halalas`` (riyal strings under ``_sar`` in :meth:`to_json`).
    """

    code: str
    passed: bool
    message_ar: str
    message_en: str
    facts: Facts

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "passed": self.passed,
            "message_ar": self.message_ar,
            "message_en": self.message_en,
            "facts": facts_to_json(self.facts),
        }


class Decision(NamedTuple):
    """The outcome of :func:`evaluate`. Money in halalas; ``facts`` is the input as JSON.

    Immutable like a frozen dataclass, but a NamedTuple: building a frozen dataclass (one
    ``object.__setattr__`` call per field) cost a third of a whole evaluation on a branch
    machine, and a monthly cycle builds one decision per household.
    """

    household: HouseholdFacts
    as_of: date
    rule_set_version: str
    eligible: bool
    member_count: int
    threshold_halalas: int
    counted_income_halalas: int
    entitlement_halalas: int
    income_lines: tuple[CountedLine, ...]
    reasons: tuple[Reason, ...]

    @property
    def facts(self) -> dict[str, Any]:
        """The input facts in the documented JSON form (what a stored decision records)."""
        return self.household.to_json()

    @property
    def failed(self) -> tuple[Reason, ...]:
        """The reasons for rejection (أسباب الرفض), in rule order; empty when eligible."""
        return tuple(r for r in self.reasons if not r.passed)

    def reason(self, code: str) -> Reason:
        """The reason of the rule ``code`` (one of :data:`RULE_ORDER`)."""
        for r in self.reasons:
            if r.code == code:
                return r
        raise KeyError(code)

    def to_json(self) -> dict[str, Any]:
        """The decision as documented in ``docs/eligibility.md`` (money as riyal strings)."""
        return {
            "household_id": self.household.household_id,
            "as_of": self.as_of.isoformat(),
            "rule_set_version": self.rule_set_version,
            "eligible": self.eligible,
            "member_count": self.member_count,
            "threshold_sar": format_sar(self.threshold_halalas),
            "counted_income_sar": format_sar(self.counted_income_halalas),
            "entitlement_sar": format_sar(self.entitlement_halalas),
            "income_lines": [line.to_json() for line in self.income_lines],
            "reasons": [r.to_json() for r in self.reasons],
            "facts": self.household.to_json(),
        }


# ---- text helpers ------------------------------------------------------------------------
_SAR_TEXT: dict[int, str] = {}
_CACHE_LIMIT = 1 << 16  # entries per memo: bounded, so a long cycle cannot grow it forever


def _sar(halalas: int) -> str:
    """Riyals for a sentence: ``230050`` → ``2,300.50`` (memoised: thresholds repeat)."""
    text = _SAR_TEXT.get(halalas)
    if text is None:
        text = f"{halalas // 100:,}.{halalas % 100:02d}"
        if len(_SAR_TEXT) < _CACHE_LIMIT:
            _SAR_TEXT[halalas] = text
    return text


def _who(ids: Sequence[str]) -> str:
    """Members named in a sentence by their masked ID (never the full number)."""
    return "، ".join(mask_national_id(i) for i in ids)


def _who_en(ids: Sequence[str]) -> str:
    return ", ".join(mask_national_id(i) for i in ids)


class _Memo:
    """What evaluation under one rule set can share between households, built once.

    Most households are all-Saudi, resident, outside shelters, with one family and no
    assets: their reasons are the same text for everyone and need not be rebuilt. In
    ``store``, keys are tuples whose first item names what they stand for (asset totals
    are tuples of five or more integers, so they never collide with those); ``personal``
    holds the usual household's four personal reasons by family number and whether it
    has dependents; ``day`` the age cut-offs of the last decision day.
    """

    __slots__ = ("day", "personal", "rules", "shares", "store")

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.store: dict[Hashable, Any] = {}
        self.personal: dict[int, tuple[Reason, Reason, Reason, Reason]] = {}
        self.shares: dict[Any, int] = dict(rules.income_share_bp)  # a dict reads faster
        self.day: tuple[date | None, tuple[date, ...]] = (None, ())

    def cutoffs(self, as_of: date) -> tuple[date, ...]:
        """(born after: a child; born on or before: old enough; born after: young enough)."""
        day = self.day
        if day[0] != as_of:
            rules = self.rules
            day = (
                as_of,
                (
                    _cutoffs(as_of, rules.child_max_age + 1),
                    _cutoffs(as_of, rules.training_min_age),
                    _cutoffs(as_of, rules.training_max_age + 1),
                ),
            )
            self.day = day  # one assignment: another thread sees the old pair or the new
        return day[1]


_MEMOS: dict[int, _Memo] = {}


def _memo(rules: RuleSet) -> _Memo:
    memo = _MEMOS.get(id(rules))
    # Keyed by identity: hashing a rule set (holidays and all) on every call would cost more
    # than the lookup saves. The memo keeps its rule set alive, so the id cannot be reused
    # while the entry exists.
    if memo is None or memo.rules is not rules:
        if len(_MEMOS) >= 16:  # what-if rule sets come and go; the released ones are few
            _MEMOS.clear()
        memo = _MEMOS[id(rules)] = _Memo(rules)
    return memo


# ---- nationality ------------------------------------------------------------------------
def _nationality_basis(m: MemberFacts, h: HouseholdFacts) -> str | None:
    """Why a member satisfies the nationality condition: ``saudi``, an exception, or None.

    The exceptions read the family from the file: the Saudi husband, the Saudi children,
    the Saudi widowed or divorced mother must be members of this household (the head or a
    dependent) for the exception to be seen.
    """
    if m.nationality == SAUDI:
        return "saudi"
    head = h.head
    is_head = m is head
    others = h.dependents if is_head else ()
    female = m.gender is Gender.FEMALE
    # A non-Saudi woman married to a Saudi: the wife of a Saudi head, or a head whose
    # Saudi husband is in the file.
    if (
        female
        and m.marital_status is MaritalStatus.MARRIED
        and (
            (not is_head and m.relationship is Relationship.SPOUSE and head.is_saudi)
            or any(d.relationship is Relationship.SPOUSE and d.is_saudi for d in others)
        )
    ):
        return WIFE_OF_SAUDI
    # A non-Saudi widow or divorcee with Saudi children: a head with a Saudi son or
    # daughter in the file, or the mother of a Saudi head.
    if (
        female
        and m.marital_status in _WIDOWED_OR_DIVORCED
        and (
            (not is_head and m.relationship is Relationship.MOTHER and head.is_saudi)
            or any(d.relationship in _CHILD and d.is_saudi for d in others)
        )
    ):
        return WIDOW_WITH_SAUDI_CHILDREN
    # A child of a Saudi widow or divorcee from a non-Saudi husband: the son or daughter
    # of such a head, or a head whose Saudi widowed or divorced mother is in the file.
    if (
        not is_head
        and m.relationship in _CHILD
        and head.is_saudi
        and head.gender is Gender.FEMALE
        and head.marital_status in _WIDOWED_OR_DIVORCED
    ) or (
        is_head
        and any(
            d.relationship is Relationship.MOTHER
            and d.is_saudi
            and d.marital_status in _WIDOWED_OR_DIVORCED
            for d in others
        )
    ):
        return CHILD_OF_SAUDI_MOTHER
    # A person with a disability, an orphan, or a widow with orphans, with a movement card.
    if m.has_movement_card and (
        m.special_needs
        or m.is_orphan
        or (
            female
            and m.marital_status is MaritalStatus.WIDOWED
            and any(o.is_orphan for o in h.members if o is not m)
        )
    ):
        return MOVEMENT_CARD
    return None


def _nationality(h: HouseholdFacts, exclude: bool, left_out: set[str]) -> Reason:
    head = h.head
    # Every exception is named in the facts, with the members it admitted (often none).
    bases: dict[str, list[str]] = {code: [] for code in NATIONALITY_EXCEPTIONS}
    head_basis = _nationality_basis(head, h)
    passed = head_basis is not None
    if head_basis == "saudi":
        ar = "رب الأسرة سعودي الجنسية"
        en = "The head is a Saudi national"
    elif head_basis is not None:
        bases[head_basis].append(head.national_id)
        label_ar, label_en = NATIONALITY_EXCEPTIONS[head_basis]
        ar = f"رب الأسرة غير سعودي ({head.nationality}) ومستثنى من شرط الجنسية: {label_ar}"
        en = (
            f"The head is not Saudi ({head.nationality}) but exempt from the nationality "
            f"condition as {label_en}"
        )
    else:
        ar = (
            f"رب الأسرة غير سعودي ({head.nationality}) ولا تنطبق عليه أي من حالات الاستثناء "
            "من شرط الجنسية"
        )
        en = (
            f"The head is not Saudi ({head.nationality}) and none of the exceptions to the "
            "nationality condition applies"
        )
    without: list[str] = []
    for d in h.dependents:
        if d.nationality == SAUDI:
            continue
        basis = _nationality_basis(d, h)
        masked = mask_national_id(d.national_id)
        if basis is not None:
            bases[basis].append(d.national_id)
            label_ar, label_en = NATIONALITY_EXCEPTIONS[basis]
            ar += f"، ويُستثنى {masked} ({d.nationality}): {label_ar}"
            en += f"; {masked} ({d.nationality}) is exempt as {label_en}"
            continue
        without.append(d.national_id)
        if exclude:
            left_out.add(d.national_id)
            ar += (
                f"، ولا يُحتسب {masked} ({d.nationality}) في عدد الأفراد لأنه غير سعودي "
                "ولا تنطبق عليه حالات الاستثناء"
            )
            en += (
                f"; {masked} ({d.nationality}) is not counted as a member: not Saudi and "
                "no exception applies"
            )
        else:
            passed = False
            ar += f"، و{masked} ({d.nationality}) غير سعودي ولا تنطبق عليه حالات الاستثناء"
            en += f"; {masked} ({d.nationality}) is not Saudi and no exception applies"
    if h.dependents and not without and not any(bases.values()):
        ar += "، وجميع أفراد الأسرة سعوديون"
        en += ", and so are all members"
    facts = {
        "head_nationality": head.nationality,
        "head_basis": head_basis,
        "exceptions": MappingProxyType({k: tuple(v) for k, v in bases.items()}),
        "without_exception": tuple(without),
        "policy": "exclude" if exclude else "reject",
    }
    return Reason(NATIONALITY, passed, ar + ".", en + ".", _frozen(facts))


# ---- residence, shelter, separate household -----------------------------------------------
def _residence(h: HouseholdFacts, exclude: bool, left_out: set[str], away: set[str]) -> Reason:
    head = h.head
    # A member on a scholarship abroad (مبتعث) keeps the Kingdom as permanent residence.
    passed = head.resides_in_kingdom or head.scholarship_abroad
    if passed:
        ar = "رب الأسرة مقيم إقامة دائمة في المملكة"
        en = "The head resides permanently in the Kingdom"
        if not head.resides_in_kingdom:
            ar += " (مبتعث للدراسة في الخارج)"
            en += " (on a scholarship abroad)"
    else:
        ar = "رب الأسرة غير مقيم إقامة دائمة في المملكة"
        en = "The head does not reside permanently in the Kingdom"
    scholars: list[str] = []
    absent: list[str] = []
    for d in h.dependents:
        if d.resides_in_kingdom:
            continue
        if d.scholarship_abroad:
            scholars.append(d.national_id)
        else:
            absent.append(d.national_id)
            away.add(d.national_id)
    if scholars:
        ar += f"، ويُعد {_who(scholars)} مقيماً وإن كان مبتعثاً للدراسة في الخارج"
        en += f"; {_who_en(scholars)} on a scholarship abroad still counts as resident"
    if absent:
        if exclude:
            left_out.update(absent)
            ar += f"، ولا يُحتسب {_who(absent)} في عدد الأفراد لعدم الإقامة في المملكة"
            en += f"; {_who_en(absent)} not counted as a member: not resident in the Kingdom"
        else:
            passed = False
            ar += f"، و{_who(absent)} غير مقيم في المملكة"
            en += f"; {_who_en(absent)} does not reside in the Kingdom"
    facts = {
        "head_resides": head.resides_in_kingdom,
        "scholarship_abroad": tuple(scholars),
        "not_resident": tuple(absent),
    }
    return Reason(RESIDENCE, passed, ar + ".", en + ".", _frozen(facts))


def _shelter(h: HouseholdFacts, exclude: bool, left_out: set[str], away: set[str]) -> Reason:
    head = h.head
    if h.in_shelter:
        passed = False
        ar = "تقيم الأسرة في أحد الدور أو المراكز الإيوائية التي ترعاها الدولة"
        en = "The household lives in a state-run shelter or care home"
    elif head.in_shelter:
        passed = False
        ar = "يقيم رب الأسرة في أحد الدور أو المراكز الإيوائية التي ترعاها الدولة"
        en = "The head lives in a state-run shelter or care home"
    else:
        passed = True
        ar = "لا تقيم الأسرة في أحد الدور أو المراكز الإيوائية التي ترعاها الدولة"
        en = "The household does not live in a state-run shelter or care home"
    sheltered = [d.national_id for d in h.dependents if d.in_shelter]
    if sheltered:
        away.update(sheltered)
        if exclude:
            left_out.update(sheltered)
            ar += f"، ولا يُحتسب {_who(sheltered)} في عدد الأفراد لإقامته في دار إيوائية"
            en += f"; {_who_en(sheltered)} not counted as a member: lives in a shelter"
        else:
            passed = False
            ar += f"، ويقيم {_who(sheltered)} في دار إيوائية"
            en += f"; {_who_en(sheltered)} lives in a shelter"
    facts = {
        "household_in_shelter": h.in_shelter,
        "head_in_shelter": head.in_shelter,
        "members_in_shelter": tuple(sheltered),
    }
    return Reason(SHELTER, passed, ar + ".", en + ".", _frozen(facts))


def _separate(
    h: HouseholdFacts, rules: RuleSet, exclude: bool, left_out: set[str], away: set[str]
) -> Reason:
    households = 1 + h.provider_other_households
    passed = True
    if households == 1:
        ar = "للعائل أسرة واحدة، تُقيَّم أسرة مستقلة بمعاش مستقل"
        en = "The provider has one household, evaluated as its own household with its own pension"
    else:
        ar = (
            f"الأسرة رقم {h.family_no} من أسر العائل (عددها {households}): تُعد كل أسرة "
            "مستقلة وتستحق معاشاً مستقلاً"
        )
        en = (
            f"Family {h.family_no} of the provider's {households} households: each family is "
            "its own household with its own pension"
        )
        if rules.provider_income_split == "equal":
            ar += f"، ويُقسم دخل رب الأسرة على أسره بالتساوي (÷{households})"
            en += f"; the head's own income is shared equally between them (÷{households})"
        else:
            ar += "، ويُحتسب دخل رب الأسرة كاملاً في كل أسرة"
            en += "; the head's own income counts in full in each"
    listed = [d.national_id for d in h.dependents if d.listed_in_other_household]
    if listed:
        away.update(listed)
        if exclude:
            left_out.update(listed)
            ar += f"، ولا يُحتسب {_who(listed)} هنا لأنه مُدرج في أسرة أخرى"
            en += f"; {_who_en(listed)} not counted here: listed in another household"
        else:
            passed = False
            ar += f"، و{_who(listed)} مُدرج في أسرة أخرى"
            en += f"; {_who_en(listed)} is listed in another household"
    facts = {
        "family_no": h.family_no,
        "provider_households": households,
        "provider_income_split": rules.provider_income_split,
        "listed_elsewhere": tuple(listed),
    }
    return Reason(SEPARATE, passed, ar + ".", en + ".", _frozen(facts))


# ---- income ------------------------------------------------------------------------------
def _other_lines(m: MemberFacts, rules: RuleSet, split: int, lines: list[CountedLine]) -> int:
    """Support lines, the CITC permit's amount and imputed transport-permit income."""
    nid = m.national_id
    divisor = BASIS_POINTS * split
    total = 0
    share = rules.support_share_bp
    for s in m.supports:
        counted = s.monthly_halalas * share // divisor
        total += counted
        lines.append(
            CountedLine(nid, "support", s.program, s.source, s.monthly_halalas, share, split,
                        counted)
        )  # fmt: skip
    if m.citc_monthly_halalas:
        share = rules.citc_share_bp
        counted = m.citc_monthly_halalas * share // divisor
        total += counted
        lines.append(
            CountedLine(nid, "citc_permit", "citc_permit", "", m.citc_monthly_halalas, share,
                        split, counted)
        )  # fmt: skip
    if m.transport_permits and rules.transport_permit_imputed_halalas:
        monthly = m.transport_permits * rules.transport_permit_imputed_halalas
        counted = monthly // split
        total += counted
        lines.append(
            CountedLine(nid, "transport_permits", "transport_permits", "", monthly,
                        BASIS_POINTS, split, counted)
        )  # fmt: skip
    return total


def _threshold_parts(rules: RuleSet, members: int) -> tuple[str, str]:
    head_sar = _sar(rules.head_threshold_halalas)
    if members == 1:
        return f"{head_sar} ريال للمستقل أو رب الأسرة", f"SAR {head_sar} for the head"
    member_sar = _sar(rules.member_threshold_halalas)
    return (
        f"{head_sar} ريال لرب الأسرة + {members - 1} × {member_sar} ريال لبقية الأفراد",
        f"SAR {head_sar} for the head + {members - 1} × SAR {member_sar} for the others",
    )


def _income(
    rules: RuleSet, members: int, limit: int, counted: int, shared: dict[Hashable, Any]
) -> Reason:
    key = ("threshold parts", members)
    parts = shared.get(key) or _share(shared, key, _threshold_parts(rules, members))
    parts_ar, parts_en = parts
    income_sar, limit_sar = _sar(counted), _sar(limit)
    # Seed 004: the counted income must be *below* ("أن يقل") the threshold.
    passed = counted < limit
    if passed:
        ar = f"الدخل المحتسب {income_sar} ريال أقل من حد الاستحقاق {limit_sar} ريال ({parts_ar})."
        en = f"Counted income SAR {income_sar} is below the threshold SAR {limit_sar} ({parts_en})."
    elif counted > limit:
        ar = f"الدخل المحتسب {income_sar} ريال يتجاوز حد الاستحقاق {limit_sar} ريال ({parts_ar})."
        en = f"Counted income SAR {income_sar} exceeds the threshold SAR {limit_sar} ({parts_en})."
    else:
        ar = (
            f"الدخل المحتسب {income_sar} ريال يساوي حد الاستحقاق {limit_sar} ريال ويُشترط أن "
            f"يقل عنه ({parts_ar})."
        )
        en = (
            f"Counted income SAR {income_sar} equals the threshold SAR {limit_sar}; it must "
            f"be below it ({parts_en})."
        )
    facts = {
        "counted_income_halalas": counted,
        "threshold_halalas": limit,
        "member_count": members,
        "head_threshold_halalas": rules.head_threshold_halalas,
        "member_threshold_halalas": rules.member_threshold_halalas,
    }
    return Reason(INCOME, passed, ar, en, _frozen(facts))


# ---- condition 3: health, education, training ----------------------------------------------
def _health_education(
    children: int, not_met: list[str], not_recorded: list[str], max_age: int
) -> Reason:
    facts = _frozen(
        {
            "max_age": max_age,
            "children": children,
            "not_met": tuple(not_met),
            "not_recorded": tuple(not_recorded),
        }
    )
    if not children:
        return Reason(
            HEALTH_EDUCATION,
            True,
            f"لا يوجد في الأسرة أبناء حتى سن {max_age} سنة؛ شرط الصحة والتعليم لا ينطبق.",
            f"No children aged {max_age} or under; the health and education condition does "
            "not apply.",
            facts,
        )
    if not not_met and not not_recorded:
        return Reason(
            HEALTH_EDUCATION,
            True,
            f"تتوفر خدمات الصحة والتعليم لجميع الأبناء حتى سن {max_age} سنة (عددهم {children}).",
            f"Health and education services are provided for every child aged {max_age} or "
            f"under ({children} in the household).",
            facts,
        )
    ar = f"لم يُستوفَ شرط توفير خدمات الصحة والتعليم للأبناء حتى سن {max_age} سنة"
    en = f"The health and education condition for children aged {max_age} or under is not met"
    sep_ar, sep_en = ": ", ": "
    if not_met:
        ar += f"{sep_ar}غير مستوفى لـ {_who(not_met)}"
        en += f"{sep_en}not met for {_who_en(not_met)}"
        sep_ar, sep_en = "؛ ", "; "
    if not_recorded:
        ar += f"{sep_ar}لم تُسجَّل الإجابة لـ {_who(not_recorded)}"
        en += f"{sep_en}not recorded for {_who_en(not_recorded)}"
    return Reason(HEALTH_EDUCATION, False, ar + ".", en + ".", facts)


def _training(
    able: int, not_joined: list[str], not_recorded: list[str], low: int, high: int
) -> Reason:
    facts = _frozen(
        {
            "min_age": low,
            "max_age": high,
            "able_members": able,
            "not_joined": tuple(not_joined),
            "not_recorded": tuple(not_recorded),
        }
    )
    if not able:
        return Reason(
            TRAINING,
            True,
            f"لا يوجد في الأسرة أفراد قادرون من {low} إلى {high} سنة؛ شرط التدريب والتوظيف "
            "لا ينطبق.",
            f"No able members aged {low} to {high}; the training and employment condition "
            "does not apply.",
            facts,
        )
    if not not_joined and not not_recorded:
        return Reason(
            TRAINING,
            True,
            f"جميع الأفراد القادرين من {low} إلى {high} سنة ملتزمون ببرامج التدريب والتوظيف "
            f"(عددهم {able}).",
            f"Every able member aged {low} to {high} joins training and employment "
            f"programmes ({able} in the household).",
            facts,
        )
    ar = f"لم يلتزم جميع الأفراد القادرين من {low} إلى {high} سنة ببرامج التدريب والتوظيف"
    en = f"Not every able member aged {low} to {high} joins training and employment programmes"
    sep_ar, sep_en = ": ", ": "
    if not_joined:
        ar += f"{sep_ar}لم يلتزم {_who(not_joined)}"
        en += f"{sep_en}{_who_en(not_joined)} does not"
        sep_ar, sep_en = "؛ ", "; "
    if not_recorded:
        ar += f"{sep_ar}لم تُسجَّل الإجابة لـ {_who(not_recorded)}"
        en += f"{sep_en}not recorded for {_who_en(not_recorded)}"
    return Reason(TRAINING, False, ar + ".", en + ".", facts)


# ---- condition 5: assets -------------------------------------------------------------------
def _asset_totals(h: HouseholdFacts, rules: RuleSet, away: set[str]) -> tuple[int, ...]:
    """(real estate, deeds, exempt home deed, vehicles, yearly zakat, *vehicles over limit)."""
    real = deeds = exempt = vehicles = zakat = 0
    over: list[int] = []
    vehicle_limit = rules.vehicle_value_limit_halalas
    exempt_home = rules.exempt_residence_deed
    for m in h.members:
        if away and m.national_id in away:
            continue
        for r in m.real_estate:
            real += r.value_halalas
        for d in m.deeds:
            if d.residence and exempt_home:
                exempt += d.value_halalas
            else:
                deeds += d.value_halalas
        for v in m.vehicles:
            vehicles += v.value_halalas
            if v.value_halalas > vehicle_limit:
                over.append(v.value_halalas)
        zakat += m.commercial_zakat_yearly_halalas
    return (real, deeds, exempt, vehicles, zakat, *over)


def _assets(rules: RuleSet, totals: tuple[int, ...]) -> Reason:
    real, deeds, exempt, vehicles, zakat, *over = totals
    wealth = zakat * rules.zakat_wealth_multiplier
    total = real + deeds + vehicles + wealth
    limit = rules.high_value_asset_limit_halalas
    vehicle_limit = rules.vehicle_value_limit_halalas
    passed = total <= limit and not over
    verb_ar, verb_en = ("يتجاوز", "exceed") if total > limit else ("لا يتجاوز", "do not exceed")
    ar = (
        f"إجمالي قيمة الأصول {_sar(total)} ريال {verb_ar} حد الأصول ذات القيمة العالية "
        f"{_sar(limit)} ريال"
    )
    en = f"Total assets SAR {_sar(total)} {verb_en} the high-value limit SAR {_sar(limit)}"
    parts_ar: list[str] = []
    parts_en: list[str] = []
    for value, label_ar, label_en in (
        (real, "عقارات", "real estate"),
        (deeds, "صكوك", "deeds"),
        (vehicles, "مركبات", "vehicles"),
    ):
        if value:
            parts_ar.append(f"{label_ar} {_sar(value)}")
            parts_en.append(f"{label_en} {_sar(value)}")
    if wealth:
        mult = rules.zakat_wealth_multiplier
        parts_ar.append(
            f"ثروة تجارية مقدّرة من زكاة التجارة {_sar(zakat)} × {mult} = {_sar(wealth)}"
        )
        parts_en.append(
            f"trade wealth implied by commercial zakat {_sar(zakat)} × {mult} = {_sar(wealth)}"
        )
    if parts_ar:
        ar += f" ({' + '.join(parts_ar)})"
        en += f" ({' + '.join(parts_en)})"
    if exempt:
        ar += f"، ولا يُحتسب صك المسكن {_sar(exempt)} ريال"
        en += f"; the home's own deed (SAR {_sar(exempt)}) is not counted"
    for value in over:
        ar += (
            f"؛ وقيمة مركبة {_sar(value)} ريال تتجاوز حد قيمة المركبة الواحدة "
            f"{_sar(vehicle_limit)} ريال"
        )
        en += (
            f"; a vehicle worth SAR {_sar(value)} exceeds the single-vehicle limit "
            f"SAR {_sar(vehicle_limit)}"
        )
    facts = {
        "total_halalas": total,
        "limit_halalas": limit,
        "real_estate_halalas": real,
        "deeds_halalas": deeds,
        "exempt_residence_deed_halalas": exempt,
        "vehicles_halalas": vehicles,
        "commercial_zakat_yearly_halalas": zakat,
        "zakat_wealth_multiplier": rules.zakat_wealth_multiplier,
        "commercial_wealth_halalas": wealth,
        "vehicle_limit_halalas": vehicle_limit,
        "vehicles_over_limit_halalas": tuple(over),
    }
    return Reason(ASSETS, passed, ar + ".", en + ".", _frozen(facts))


# ---- the engine --------------------------------------------------------------------------------
def evaluate(household: HouseholdFacts, rules: RuleSet, as_of: date) -> Decision:
    """Decide ``household`` under ``rules`` on ``as_of``: eligible or not, and how much.

    Raises ``household.born_after_as_of`` when a member's birth date is after ``as_of``
    (the facts and the day do not belong together).
    """
    memo = _memo(rules)
    # The usual household (everyone Saudi and resident, nobody in a shelter or in another
    # household, one family) passes conditions 1, 2, 4 and 6 with the same shared reasons
    # and needs one pass over its members; anything else is worked out member by member.
    usual_key = household.family_no * 2 + (1 if household.dependents else 0)
    if not household.in_shelter and not household.provider_other_households:
        personal = memo.personal.get(usual_key)
        if personal is not None:
            decision = _decide(household, rules, as_of, memo, personal, None, _NOBODY)
            if decision is not None:
                return decision
    exclude = rules.ineligible_dependent == "exclude"
    left_out: set[str] = set()  # not counted as members
    away: set[str] = set()  # live elsewhere: their income and assets are not this household's
    personal = (
        _nationality(household, exclude, left_out),
        _residence(household, exclude, left_out, away),
        _shelter(household, exclude, left_out, away),
        _separate(household, rules, exclude, left_out, away),
    )
    if _is_usual(household) and len(memo.personal) < _CACHE_LIMIT:
        memo.personal[usual_key] = personal
    decision = _decide(household, rules, as_of, memo, personal, left_out, away)
    assert decision is not None  # with the sets given, _decide always decides
    return decision


def _is_usual(h: HouseholdFacts) -> bool:
    return not h.in_shelter and not h.provider_other_households and not any(
        m.nationality != SAUDI or not m.resides_in_kingdom or m.in_shelter
        or m.listed_in_other_household
        for m in h.members
    )  # fmt: skip


def _cutoffs(as_of: date, years: int) -> date:
    """The last birth date of someone who is ``years`` old on ``as_of``.

    Born on or before it: aged ``years`` or more. A 29 February ``as_of`` falls back to
    the 28th in a common year, matching completed-years age (a 29 February birthday
    counts from 1 March in common years).
    """
    year = as_of.year - years
    try:
        return as_of.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def _decide(  # noqa: PLR0912, PLR0915 - the hot loop, kept as one pass on purpose
    household: HouseholdFacts,
    rules: RuleSet,
    as_of: date,
    memo: _Memo,
    personal: tuple[Reason, Reason, Reason, Reason],
    left_out: set[str] | None,
    away: set[str],
) -> Decision | None:
    """Conditions 3 and 5, the income, and the decision, in one pass over the members.

    ``left_out`` None means "the usual household": the pass checks that as it goes and
    returns None at the first member who is not, so the caller can take the
    member-by-member way.
    """
    shared = memo.store
    # Ages compare birth dates with cut-off days (C-level date comparisons) instead of
    # computing each member's age.
    child_after, adult_by, young_after = memo.cutoffs(as_of)
    children = able = counted_members = 0
    not_met: list[str] = []
    child_unknown: list[str] = []
    not_joined: list[str] = []
    able_unknown: list[str] = []
    lines: list[CountedLine] = []
    counted = 0
    shares = memo.shares
    head = household.head
    split_over = (
        1 + household.provider_other_households if rules.provider_income_split == "equal" else 1
    )
    has_assets = False
    for m in household.members:
        nid = m.national_id
        if left_out is None:
            if (
                m.nationality != SAUDI
                or not m.resides_in_kingdom
                or m.in_shelter
                or m.listed_in_other_household
            ):
                return None
            is_member = lives_here = True
        else:
            is_member = nid not in left_out
            lives_here = nid not in away
        b = m.birth_date
        if is_member:
            counted_members += 1
            if b > child_after:
                if b > as_of:
                    _born_after(m, as_of)
                if m is not head:
                    children += 1
                    if m.meets_health_education is None:
                        child_unknown.append(nid)
                    elif not m.meets_health_education:
                        not_met.append(nid)
            if (
                b <= adult_by
                and b > young_after
                and not (m.special_needs or m.studying or m.scholarship_abroad)
            ):
                able += 1
                if m.joins_training is None:
                    able_unknown.append(nid)
                elif not m.joins_training:
                    not_joined.append(nid)
        elif b > as_of:
            _born_after(m, as_of)
        if not lives_here:
            continue
        if m.incomes:
            split = split_over if m is head else 1
            divisor = BASIS_POINTS * split
            for i in m.incomes:
                share = shares[i.type]
                amount = i.monthly_halalas * share // divisor
                counted += amount
                # The IncomeType member is itself the str value: no .value on the hot path.
                lines.append(
                    CountedLine(nid, "income", i.type, i.source, i.monthly_halalas, share,
                                split, amount)
                )  # fmt: skip
        if m.supports or m.citc_monthly_halalas or m.transport_permits:
            counted += _other_lines(m, rules, split_over if m is head else 1, lines)
        if m.real_estate or m.deeds or m.vehicles or m.commercial_zakat_yearly_halalas:
            has_assets = True

    if not_met or child_unknown:
        health = _health_education(children, not_met, child_unknown, rules.child_max_age)
    else:
        health_key = (HEALTH_EDUCATION, children)
        health = shared.get(health_key) or _share(
            shared, health_key, _health_education(children, [], [], rules.child_max_age)
        )
    low, high = rules.training_min_age, rules.training_max_age
    if not_joined or able_unknown:
        training = _training(able, not_joined, able_unknown, low, high)
    else:
        training_key = (TRAINING, able)
        training = shared.get(training_key) or _share(
            shared, training_key, _training(able, [], [], low, high)
        )
    limit = rules.head_threshold_halalas + rules.member_threshold_halalas * (counted_members - 1)
    income_key = (INCOME, counted_members, counted)
    income = shared.get(income_key) or _share(
        shared, income_key, _income(rules, counted_members, limit, counted, shared)
    )
    totals = _asset_totals(household, rules, away) if has_assets else _NO_ASSETS
    assets = shared.get(totals) or _share(shared, totals, _assets(rules, totals))
    nationality, residence, shelter, separate = personal
    eligible = (
        nationality.passed
        and residence.passed
        and income.passed
        and health.passed
        and training.passed
        and shelter.passed
        and assets.passed
        and separate.passed
    )
    # Positional: keyword arguments cost a tenth of the whole evaluation here.
    return Decision(
        household,
        as_of,
        rules.version,
        eligible,
        counted_members,
        limit,
        counted,
        limit - counted if eligible else 0,
        tuple(lines),
        (nationality, residence, income, health, training, shelter, assets, separate),
    )


_NOBODY: set[str] = set()


def _born_after(m: MemberFacts, as_of: date) -> NoReturn:
    nid = mask_national_id(m.national_id)
    raise ValidationError(
        "household.born_after_as_of",
        f"تاريخ ميلاد {nid} ({m.birth_date}) بعد تاريخ القرار {as_of}.",
        f"{nid} was born ({m.birth_date}) after the decision day {as_of}",
        national_id=m.national_id,
    )


_NO_ASSETS = (0, 0, 0, 0, 0)
_S = TypeVar("_S")


def _share(shared: dict[Hashable, Any], key: Hashable, value: _S) -> _S:
    """Keep ``value`` for every later household with the same ``key`` (bounded)."""
    if len(shared) < _CACHE_LIMIT:
        shared[key] = value
    return value


def reproduce(
    decision_json: Mapping[str, Any], rule_sets: Sequence[RuleSet] | None = None
) -> Decision:
    """Re-evaluate a recorded decision from its facts, day and rule-set version.

    The result equals the original decision as long as the rule-set file of that version
    is unchanged (released files are never edited). Raises :class:`ValidationError` for
    a record that is not a decision, facts that no longer parse, or an unknown version.
    """
    try:
        version = str(decision_json["rule_set_version"])
        as_of = date.fromisoformat(str(decision_json["as_of"]))
        facts = decision_json["facts"]
    except (KeyError, TypeError, ValueError) as err:
        raise ValidationError(
            "decision.invalid",
            "السجل ليس قرار أهلية (يلزم rule_set_version وas_of وfacts).",
            "not a recorded decision: rule_set_version, as_of and facts are required",
        ) from err
    return evaluate(HouseholdFacts.from_json(facts), rule_set(version, rule_sets), as_of)
