"""The eligibility engine: every rule passed and failed, the nationality exceptions, the
threshold and counted shares, version picking, the JSON input format, and that every
reason a rejected applicant reads names its rule and its numbers.

The builders at the top are shared with ``test_eligibility_properties.py``.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from daman_tui.domain.eligibility import (
    NATIONALITY_EXCEPTIONS,
    RULE_ORDER,
    Decision,
    entitlement,
    evaluate,
    reproduce,
    threshold,
)
from daman_tui.domain.enums import (
    AssetKind,
    Gender,
    IncomeType,
    MaritalStatus,
    MemberKind,
    Relationship,
)
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.household import (
    DeedFacts,
    HouseholdFacts,
    IncomeFacts,
    MemberFacts,
    RealEstateFacts,
    SupportFacts,
    VehicleFacts,
    format_sar,
    parse_sar,
)
from daman_tui.domain.national_id import make_national_id, mask_national_id
from daman_tui.domain.rules import RuleSet, load_rule_sets, rule_set, rule_set_for

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
RULES = rule_set("2025.1")
RULES_2023 = rule_set("2023.1")


# ---- builders ------------------------------------------------------------------------
AS_OF = date(2025, 3, 1)
_serial = itertools.count(10_000_000)


def nid(resident: bool = False) -> str:
    """A fresh valid national ID (or iqama number)."""
    return make_national_id("resident" if resident else "citizen", f"{next(_serial):08d}")


def born(age: int) -> date:
    """A birth date that makes a person ``age`` on :data:`AS_OF` (well inside the year)."""
    return date(AS_OF.year - age - 1, 9, 15)


def person(
    age: int = 40,
    *,
    kind: MemberKind = MemberKind.RELATIVE,
    relationship: Relationship | None = None,
    gender: Gender = Gender.MALE,
    nationality: str = "SAU",
    **facts: Any,
) -> MemberFacts:
    """A member; adults default to answering yes to training, children to health/education."""
    if kind is MemberKind.RELATIVE and relationship is None:
        relationship = Relationship.SON if gender is Gender.MALE else Relationship.DAUGHTER
    if kind is MemberKind.HEAD:
        relationship = None
        facts.setdefault("marital_status", MaritalStatus.MARRIED)
    if age <= 17:
        facts.setdefault("meets_health_education", True)
    else:
        facts.setdefault("joins_training", True)
    return MemberFacts(
        national_id=nid(resident=nationality != "SAU"),
        kind=kind,
        relationship=relationship,
        gender=gender,
        birth_date=born(age),
        nationality=nationality,
        **facts,
    )


def head(age: int = 40, **facts: Any) -> MemberFacts:
    return person(age, kind=MemberKind.HEAD, **facts)


def spouse(age: int = 35, **facts: Any) -> MemberFacts:
    facts.setdefault("gender", Gender.FEMALE)
    facts.setdefault("marital_status", MaritalStatus.MARRIED)
    return person(age, relationship=Relationship.SPOUSE, **facts)


def child(age: int = 10, **facts: Any) -> MemberFacts:
    return person(age, **facts)


def household(
    the_head: MemberFacts | None = None, *dependents: MemberFacts, **facts: Any
) -> HouseholdFacts:
    return HouseholdFacts(
        household_id=facts.pop("household_id", "H-1"),
        head=the_head or head(),
        dependents=tuple(dependents),
        **facts,
    )


def income(kind: Any, sar: str, source: str = "") -> IncomeFacts:
    whole, _, cents = sar.partition(".")
    return IncomeFacts(kind, source, int(whole) * 100 + int((cents or "0").ljust(2, "0")))


def decide(h: HouseholdFacts, rules: RuleSet = RULES, as_of: date = AS_OF) -> Decision:
    d = evaluate(h, rules, as_of)
    assert [r.code for r in d.reasons] == list(RULE_ORDER)
    return d


def variant(**changes: Any) -> RuleSet:
    """2025.1 with some values changed (a fresh object: its own shared-reason memo)."""
    return dataclasses.replace(RULES, **changes)


# ---- threshold, counted income, entitlement ----------------------------------------------------
def test_the_seed_threshold_is_1100_for_the_head_and_550_per_other_member():
    for rules in load_rule_sets():
        assert (rules.head_threshold_halalas, rules.member_threshold_halalas) == (110_000, 55_000)
    assert decide(household(head())).threshold_halalas == 110_000
    five = household(head(), spouse(), child(12), child(9), child(4))
    d = decide(five)
    assert (d.member_count, d.threshold_halalas) == (5, 330_000)
    assert RULES.threshold_halalas(5) == 330_000 == threshold(5)


def test_the_generator_helpers_keep_working():
    assert threshold(1) == 110_000 and threshold(3) == 220_000
    assert entitlement(220_000, 150_000) == 70_000 and entitlement(220_000, 300_000) == 0
    with pytest.raises(ValueError, match="at least its head"):
        threshold(0)


def test_eligible_household_gets_threshold_minus_counted_income():
    h = household(
        head(incomes=(income(IncomeType.SALARY, "2000"),)),
        spouse(incomes=(income(IncomeType.TRANSFERS, "400"),)),
        child(12),
        child(9),
        child(4),
    )
    d = decide(h)
    assert d.eligible and not d.failed
    assert d.counted_income_halalas == 160_000 + 40_000
    assert d.entitlement_halalas == 330_000 - 200_000
    assert [(line.type, line.share_bp, line.counted_halalas) for line in d.income_lines] == [
        (IncomeType.SALARY, 8000, 160_000),
        (IncomeType.TRANSFERS, 10_000, 40_000),
    ]


def test_income_over_the_threshold_is_rejected_naming_both_amounts():
    h = household(
        head(incomes=(income(IncomeType.SALARY, "2500"), income(IncomeType.PROPERTY, "300"))),
        spouse(),
        child(10),
    )
    d = decide(h)
    assert not d.eligible and d.entitlement_halalas == 0
    (failed,) = d.failed
    assert failed.code == "income.threshold"
    assert "الدخل المحتسب 2,300.00 ريال يتجاوز حد الاستحقاق 2,200.00 ريال" in failed.message_ar
    assert "SAR 2,300.00 exceeds the threshold SAR 2,200.00" in failed.message_en
    assert "2 × 550.00" in failed.message_ar and "1,100.00" in failed.message_en
    assert dict(failed.facts) == {
        "counted_income_halalas": 230_000,
        "threshold_halalas": 220_000,
        "member_count": 3,
        "head_threshold_halalas": 110_000,
        "member_threshold_halalas": 55_000,
    }


def test_income_equal_to_the_threshold_fails_because_it_must_be_below():
    d = decide(household(head(incomes=(income(IncomeType.TRANSFERS, "1100"),))))
    reason = d.reason("income.threshold")
    assert not reason.passed and not d.eligible
    assert "يساوي حد الاستحقاق 1,100.00" in reason.message_ar
    assert "equals the threshold SAR 1,100.00; it must be below it" in reason.message_en
    one_less = decide(household(head(incomes=(income(IncomeType.TRANSFERS, "1099.99"),))))
    assert one_less.eligible and one_less.entitlement_halalas == 1


@pytest.mark.parametrize("kind", list(IncomeType))
@pytest.mark.parametrize("rules", [RULES_2023, RULES], ids=["2023.1", "2025.1"])
def test_each_income_type_counts_at_its_rule_set_share(rules: RuleSet, kind: IncomeType):
    d = decide(household(head(incomes=(income(kind, "1000.01"),))), rules)
    share = rules.income_share_bp[kind]
    assert share == (8000 if kind is IncomeType.SALARY and rules.version == "2025.1" else 10_000)
    (line,) = d.income_lines
    assert line.share_bp == share
    # Rounded down to the halala: 100,001 × 80% = 80,000.8 → 80,000.
    assert line.counted_halalas == 100_001 * share // 10_000 == d.counted_income_halalas


def test_support_lines_and_the_citc_amount_count_at_their_shares():
    rules = variant(support_share_bp=5000, citc_share_bp=2500)
    h = household(
        head(
            supports=(SupportFacts("جمعية خيرية", "جمعية أهلية", 40_000),),
            citc_monthly_halalas=80_000,
        )
    )
    d = decide(h, rules)
    assert [(line.kind, line.counted_halalas) for line in d.income_lines] == [
        ("support", 20_000),
        ("citc_permit", 20_000),
    ]
    assert d.counted_income_halalas == 40_000


def test_transport_permits_impute_income_only_when_the_rule_set_says_so():
    h = household(head(transport_permits=2))
    assert decide(h).income_lines == ()
    d = decide(h, variant(transport_permit_imputed_halalas=30_000))
    assert [(line.kind, line.monthly_halalas) for line in d.income_lines] == [
        ("transport_permits", 60_000)
    ]


def test_failing_any_rule_means_no_entitlement_even_below_the_threshold():
    d = decide(household(head(nationality="EGY", gender=Gender.MALE)))
    assert d.counted_income_halalas == 0 < d.threshold_halalas
    assert not d.eligible and d.entitlement_halalas == 0


# ---- rule sets and versions ----------------------------------------------------------------
def test_rule_sets_are_sorted_unique_and_fingerprinted():
    sets = load_rule_sets()
    assert [r.version for r in sets] == ["2023.1", "2025.1"]
    assert [r.effective_from for r in sets] == sorted(r.effective_from for r in sets)
    for r in sets:
        assert len(r.sha256) == 64 and r.source_toml.startswith("# Eligibility rule set")
        assert r.decision_limit_days == 20 and r.high_value_asset_limit_halalas == 100_000_000
    assert sets[0].income_share_bp != sets[1].income_share_bp  # 2025.1 differs on purpose


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (date(2023, 6, 1), "2023.1"),
        (date(2024, 12, 31), "2023.1"),
        (date(2025, 1, 1), "2025.1"),
        (date(2030, 1, 1), "2025.1"),
    ],
)
def test_the_newest_set_effective_on_or_before_the_day_is_picked(day: date, version: str):
    assert rule_set_for(day).version == version


def test_no_rule_set_before_the_first_one_takes_effect():
    with pytest.raises(ValidationError) as caught:
        rule_set_for(date(2023, 5, 31))
    assert caught.value.code == "rules.none_in_force"
    assert "2023-06-01" in caught.value.message_en and "2023-06-01" in caught.value.message_ar


def test_an_unknown_version_is_refused_naming_the_known_ones():
    with pytest.raises(ValidationError) as caught:
        rule_set("1999.9")
    assert caught.value.code == "rules.unknown_version"
    assert "2023.1, 2025.1" in caught.value.message_en


def test_the_decision_records_the_version_it_used():
    h = household(head(incomes=(income(IncomeType.SALARY, "2000"),)), spouse(), child(5))
    before, after = date(2024, 12, 31), date(2025, 1, 1)
    old = decide(h, rule_set_for(before), before)
    new = decide(h, rule_set_for(after), after)
    assert (old.rule_set_version, old.counted_income_halalas) == ("2023.1", 200_000)
    assert (new.rule_set_version, new.counted_income_halalas) == ("2025.1", 160_000)


_GOOD = (EXAMPLES.parents[1] / "assets" / "rules" / "2025.1.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda t: t + "\nsurprise = 1\n", "rules.unknown_key"),
        (lambda t: t.replace('member_sar = "550.00"\n', ""), "rules.missing_key"),
        (lambda t: t.replace("salary = 80 ", "salary = 180 "), "rules.bad_value"),
        (lambda t: t.replace('head_sar = "1100.00"', 'head_sar = "-1"'), "rules.bad_value"),
        (lambda t: t.replace('"equal"', '"halves"'), "rules.bad_value"),
        (
            lambda t: t.replace("effective_from = 2025-01-01", 'effective_from = "x"'),
            "rules.bad_value",
        ),
        (lambda t: t.replace('version = "2025.1"', 'version = "2025.2"'), "rules.file_name"),
        (lambda t: t + "[[[", "rules.invalid_toml"),
    ],
)
def test_a_bad_rule_set_file_is_refused_with_a_code(tmp_path: Path, edit: Any, code: str):
    (tmp_path / "2025.1.toml").write_text(edit(_GOOD), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_rule_sets(tmp_path)
    assert caught.value.code == code
    assert "2025.1.toml" in caught.value.message_en


def test_two_sets_on_one_day_and_an_empty_folder_are_refused(tmp_path: Path):
    with pytest.raises(ValidationError, match=r"rules\.empty"):
        load_rule_sets(tmp_path)
    (tmp_path / "2025.1.toml").write_text(_GOOD, encoding="utf-8")
    other = _GOOD.replace('version = "2025.1"', 'version = "2025.2"')
    (tmp_path / "2025.2.toml").write_text(other, encoding="utf-8")
    with pytest.raises(ValidationError, match=r"rules\.duplicate_effective"):
        load_rule_sets(tmp_path)
    (tmp_path / "2025.2.toml").write_text(
        other.replace("effective_from = 2025-01-01", "effective_from = 2026-01-01"),
        encoding="utf-8",
    )
    assert [r.version for r in load_rule_sets(tmp_path)] == ["2025.1", "2025.2"]


def test_rule_set_values_as_json():
    values = RULES.to_json()
    assert values["threshold"] == {"head_sar": "1100.00", "member_sar": "550.00"}
    assert values["income"]["share_percent"]["salary"] == "80"
    assert values["procedure"]["decision_limit_days"] == 20
    assert "2025-03-30" in values["procedure"]["holidays"]  # Eid al-Fitr 1446


# ---- 1. nationality ----------------------------------------------------------------------------
def test_a_saudi_household_passes_nationality():
    reason = decide(household(head(), spouse(), child())).reason("nationality")
    assert reason.passed and reason.message_en.startswith("The head is a Saudi national")
    assert reason.facts["head_basis"] == "saudi"
    # Every exception is named in the facts, even when nobody needed one.
    assert set(reason.facts["exceptions"]) == set(NATIONALITY_EXCEPTIONS)


def test_a_non_saudi_head_without_an_exception_fails_naming_the_nationality():
    d = decide(household(head(nationality="YEM", gender=Gender.MALE), child(8)))
    reason = d.reason("nationality")
    assert not reason.passed and not d.eligible
    assert "(YEM)" in reason.message_ar and "none of the exceptions" in reason.message_en
    assert reason.facts["head_basis"] is None


def _exception_of(d: Decision, national_id: str) -> str:
    for code, members in d.reason("nationality").facts["exceptions"].items():
        if national_id in members:
            return str(code)
    raise AssertionError(f"{national_id} admitted by no exception")


def test_exception_non_saudi_wife_of_a_saudi_as_spouse_and_as_head():
    wife = spouse(nationality="JOR")
    d = decide(household(head(), wife, child()))
    assert d.eligible and d.member_count == 3
    assert _exception_of(d, wife.national_id) == "wife_of_saudi"
    assert "امرأة غير سعودية متزوجة من سعودي" in d.reason("nationality").message_ar
    # A non-Saudi wife as head, her Saudi husband a dependent.
    the_head = head(nationality="PHL", gender=Gender.FEMALE)
    husband = person(50, relationship=Relationship.SPOUSE, marital_status=MaritalStatus.MARRIED)
    d = decide(household(the_head, husband))
    assert d.reason("nationality").passed
    assert _exception_of(d, the_head.national_id) == "wife_of_saudi"
    # Married to a non-Saudi: no exception.
    alien = person(50, relationship=Relationship.SPOUSE, nationality="PHL")
    assert not decide(household(the_head, alien)).reason("nationality").passed


@pytest.mark.parametrize("status", [MaritalStatus.WIDOWED, MaritalStatus.DIVORCED])
def test_exception_non_saudi_widow_or_divorcee_with_saudi_children(status: MaritalStatus):
    mother = head(nationality="EGY", gender=Gender.FEMALE, marital_status=status)
    d = decide(household(mother, child(12), child(9, gender=Gender.FEMALE)))
    assert d.eligible
    assert _exception_of(d, mother.national_id) == "widow_or_divorcee_with_saudi_children"
    assert "أرملة أو مطلقة غير سعودية لديها أبناء سعوديون" in d.reason("nationality").message_ar
    # Without Saudi children in the file the exception cannot be seen.
    assert not decide(household(mother)).reason("nationality").passed
    # The non-Saudi widowed mother of a Saudi head, as his dependent.
    grandmother = person(
        70,
        relationship=Relationship.MOTHER,
        gender=Gender.FEMALE,
        nationality="SYR",
        marital_status=status,
    )
    d = decide(household(head(), grandmother))
    assert _exception_of(d, grandmother.national_id) == "widow_or_divorcee_with_saudi_children"
    assert d.member_count == 2


def test_exception_children_of_a_saudi_widow_from_a_non_saudi_husband():
    mother = head(gender=Gender.FEMALE, marital_status=MaritalStatus.DIVORCED)
    son = child(10, nationality="SDN")
    d = decide(household(mother, son))
    assert d.eligible and d.member_count == 2
    assert _exception_of(d, son.national_id) == "child_of_saudi_widow_or_divorcee"
    # The same child of a married Saudi mother is not excepted: left out of the count.
    married = head(gender=Gender.FEMALE, marital_status=MaritalStatus.MARRIED)
    d = decide(household(married, son))
    assert d.member_count == 1 and d.reason("nationality").facts["without_exception"] == (
        son.national_id,
    )
    # A non-Saudi head whose Saudi widowed mother is in the file.
    adult_son = head(nationality="SDN")
    saudi_mother = person(
        65, relationship=Relationship.MOTHER, gender=Gender.FEMALE,
        marital_status=MaritalStatus.WIDOWED,
    )  # fmt: skip
    d = decide(household(adult_son, saudi_mother))
    assert _exception_of(d, adult_son.national_id) == "child_of_saudi_widow_or_divorcee"


def test_exception_movement_card_holders_with_a_disability_orphans_and_widows_with_orphans():
    disabled = head(nationality="MMR", has_movement_card=True, special_needs=True)
    assert _exception_of(decide(household(disabled)), disabled.national_id) == "movement_card"
    orphan = head(19, nationality="MMR", has_movement_card=True, is_orphan=True)
    assert _exception_of(decide(household(orphan)), orphan.national_id) == "movement_card"
    widow = head(
        nationality="MMR", gender=Gender.FEMALE, marital_status=MaritalStatus.WIDOWED,
        has_movement_card=True,
    )  # fmt: skip
    kid = child(7, nationality="MMR", has_movement_card=True, is_orphan=True)
    d = decide(household(widow, kid))
    assert d.eligible and d.member_count == 2
    assert _exception_of(d, widow.national_id) == "movement_card"
    assert _exception_of(d, kid.national_id) == "movement_card"
    # A card alone is not enough, nor is a widow's card without orphans.
    assert not decide(household(head(nationality="MMR", has_movement_card=True))).eligible
    assert not decide(household(widow)).reason("nationality").passed


def test_a_non_saudi_dependent_without_an_exception_is_left_out_or_fails_by_policy():
    lodger = person(
        30, kind=MemberKind.HOUSING_PARTNER, nationality="IND",
        incomes=(income(IncomeType.SALARY, "500"),),
    )  # fmt: skip
    h = household(head(), spouse(), lodger)
    d = decide(h)
    reason = d.reason("nationality")
    assert reason.passed and d.member_count == 2 and d.threshold_halalas == 165_000
    assert mask_national_id(lodger.national_id) in reason.message_ar
    assert "not counted as a member" in reason.message_en
    # Lives here: the income still counts.
    assert d.counted_income_halalas == 40_000
    strict = decide(h, variant(ineligible_dependent="reject"))
    assert not strict.reason("nationality").passed and not strict.eligible


# ---- 2. residence --------------------------------------------------------------------------
def test_the_head_must_reside_in_the_kingdom():
    away = decide(household(head(resides_in_kingdom=False)))
    assert not away.reason("residence").passed and not away.eligible
    assert "غير مقيم إقامة دائمة" in away.reason("residence").message_ar
    scholar = decide(household(head(resides_in_kingdom=False, scholarship_abroad=True)))
    assert scholar.reason("residence").passed and scholar.eligible


def test_a_dependent_abroad_is_left_out_with_their_income_a_scholar_counts():
    abroad = child(30, resides_in_kingdom=False, incomes=(income(IncomeType.SALARY, "9000"),))
    scholar = child(22, resides_in_kingdom=False, scholarship_abroad=True)
    d = decide(household(head(), abroad, scholar))
    reason = d.reason("residence")
    assert reason.passed and d.eligible
    assert d.member_count == 2 and d.counted_income_halalas == 0
    assert reason.facts["not_resident"] == (abroad.national_id,)
    assert reason.facts["scholarship_abroad"] == (scholar.national_id,)


# ---- 3. health, education, training --------------------------------------------------------
def test_children_health_and_education_each_answer_counts():
    ok = decide(household(head(), child(5), child(17)))
    assert ok.reason("conditions.health_education").passed
    assert ok.reason("conditions.health_education").facts["children"] == 2
    no, unknown = child(8, meets_health_education=False), child(6, meets_health_education=None)
    d = decide(household(head(), no, unknown, child(3)))
    reason = d.reason("conditions.health_education")
    assert not reason.passed and not d.eligible
    assert reason.facts["not_met"] == (no.national_id,)
    assert reason.facts["not_recorded"] == (unknown.national_id,)
    assert mask_national_id(no.national_id) in reason.message_ar
    assert "not recorded for" in reason.message_en and "17 or under" in reason.message_en


def test_no_children_means_the_health_condition_does_not_apply():
    reason = decide(household(head(), spouse())).reason("conditions.health_education")
    assert reason.passed and "does not apply" in reason.message_en


def test_able_members_of_working_age_must_join_training():
    idle = spouse(joins_training=False)
    d = decide(household(head(), idle))
    reason = d.reason("conditions.training")
    assert not reason.passed and reason.facts["not_joined"] == (idle.national_id,)
    assert "18 إلى 59" in reason.message_ar
    unasked = decide(household(head(joins_training=None)))
    assert unasked.reason("conditions.training").facts["not_recorded"] != ()


@pytest.mark.parametrize(
    "exempt",
    [
        {"age": 60},
        {"age": 17},
        {"age": 30, "special_needs": True},
        {"age": 20, "studying": True},
        {"age": 24, "scholarship_abroad": True},
    ],
    ids=["over-59", "under-18", "special-needs", "student", "scholar"],
)
def test_members_not_asked_about_training_are_not_judged_on_it(exempt: dict[str, Any]):
    age = exempt.pop("age")
    member = child(age, joins_training=False, meets_health_education=True, **exempt)
    reason = decide(household(head(), member)).reason("conditions.training")
    assert reason.passed and reason.facts["able_members"] == 1  # the head only


# ---- 4. shelter ---------------------------------------------------------------------------
def test_a_household_or_head_in_a_state_shelter_is_rejected():
    d = decide(household(head(), in_shelter=True))
    assert not d.reason("shelter").passed and "الإيوائية" in d.reason("shelter").message_ar
    d = decide(household(head(in_shelter=True)))
    assert not d.reason("shelter").passed and "The head lives" in d.reason("shelter").message_en


def test_a_dependent_in_a_shelter_is_left_out():
    cared = child(15, in_shelter=True, special_needs=True)
    d = decide(household(head(), cared))
    assert d.reason("shelter").passed and d.member_count == 1
    assert d.reason("shelter").facts["members_in_shelter"] == (cared.national_id,)


# ---- 5. high-value assets ------------------------------------------------------------------
def test_assets_over_the_limit_are_rejected_naming_value_and_limit():
    owner = head(
        real_estate=(RealEstateFacts(AssetKind.LAND, 90_000_000),),
        vehicles=(VehicleFacts(2019, 6_000_000),),
        commercial_zakat_yearly_halalas=300_000,
        deeds=(DeedFacts(45_000_000, residence=True),),
    )
    d = decide(household(owner))
    reason = d.reason("assets.high_value")
    assert not reason.passed and not d.eligible
    assert "إجمالي قيمة الأصول 1,080,000.00 ريال يتجاوز" in reason.message_ar
    assert "1,000,000.00" in reason.message_ar and "3,000.00 × 40 = 120,000.00" in reason.message_en
    assert "450,000.00" in reason.message_en  # the home's deed, named and not counted
    assert reason.facts["total_halalas"] == 108_000_000
    assert reason.facts["exempt_residence_deed_halalas"] == 45_000_000


def test_assets_exactly_at_the_limit_pass_and_the_home_deed_counts_only_if_not_exempt():
    at_limit = head(deeds=(DeedFacts(100_000_000),))
    assert decide(household(at_limit)).reason("assets.high_value").passed
    home = head(deeds=(DeedFacts(100_000_001, residence=True),))
    assert decide(household(home)).reason("assets.high_value").passed
    assert not decide(household(home), variant(exempt_residence_deed=False)).eligible


def test_one_vehicle_over_the_vehicle_limit_is_a_high_value_asset():
    d = decide(household(head(vehicles=(VehicleFacts(2024, 30_000_000),))))
    reason = d.reason("assets.high_value")
    assert not reason.passed
    assert "300,000.00" in reason.message_ar and "250,000.00" in reason.message_ar
    assert reason.facts["vehicles_over_limit_halalas"] == (30_000_000,)


# ---- 6. two families = two households ------------------------------------------------------------
def test_a_providers_income_is_shared_between_his_households():
    provider = head(incomes=(income(IncomeType.SALARY, "4000"),))
    h = household(provider, spouse(), family_no=2, provider_other_households=1)
    d = decide(h)
    (line,) = d.income_lines
    assert (line.split_over, line.counted_halalas) == (2, 160_000)
    reason = d.reason("household.separate")
    assert reason.passed and "(÷2)" in reason.message_ar
    assert reason.facts["provider_households"] == 2
    full = decide(h, variant(provider_income_split="full"))
    assert (
        full.counted_income_halalas == 320_000 and "in full in each" in full.reasons[-1].message_en
    )


def test_a_dependent_counted_in_another_household_is_not_counted_again():
    twice = child(12, listed_in_other_household=True, incomes=(income(IncomeType.SALARY, "100"),))
    d = decide(household(head(), twice))
    assert d.member_count == 1 and d.counted_income_halalas == 0
    assert d.reason("household.separate").facts["listed_elsewhere"] == (twice.national_id,)
    assert not decide(household(head(), twice), variant(ineligible_dependent="reject")).eligible


# ---- reasons, ages, reproduction -------------------------------------------------------------
def test_every_failed_reason_names_its_rule_and_numbers():
    rejected = decide(
        household(
            head(
                nationality="YEM",
                incomes=(income(IncomeType.SALARY, "9000"),),
                vehicles=(VehicleFacts(2024, 40_000_000),),
                in_shelter=True,
                joins_training=False,
            ),
            child(9, meets_health_education=False),
            in_shelter=True,
        )
    )
    assert {r.code for r in rejected.failed} == {
        "nationality",
        "income.threshold",
        "conditions.health_education",
        "conditions.training",
        "shelter",
        "assets.high_value",
    }
    numbers = {
        "nationality": "YEM",
        "income.threshold": "7,200.00",
        "conditions.health_education": "17",
        "conditions.training": "59",
        "shelter": "",
        "assets.high_value": "400,000.00",
    }
    for reason in rejected.failed:
        assert reason.message_ar.endswith(".") and reason.message_en.endswith(".")
        assert numbers[reason.code] in reason.message_ar
        assert numbers[reason.code] in reason.message_en


def test_a_birth_after_the_decision_day_is_refused():
    late = child(1)
    with pytest.raises(ValidationError) as caught:
        evaluate(household(head(), late), RULES, late.birth_date.replace(day=1))
    assert caught.value.code == "household.born_after_as_of"


def test_a_birthday_on_the_decision_day_counts():
    eighteen = dataclasses.replace(child(10), birth_date=date(2007, 3, 1), joins_training=False)
    reason = decide(household(head(), eighteen)).reason("conditions.training")
    assert reason.facts["not_joined"] == (eighteen.national_id,)


@pytest.mark.parametrize(
    ("birth", "as_of", "adult"),
    [
        (date(2004, 2, 29), date(2022, 2, 28), False),  # a 29 February birthday: 1 March
        (date(2004, 2, 29), date(2022, 3, 1), True),
        (date(2006, 2, 28), date(2024, 2, 29), True),  # decided on a 29 February
        (date(2006, 3, 1), date(2024, 2, 29), False),
    ],
)
def test_leap_day_birthdays_count_in_completed_years(birth: date, as_of: date, adult: bool):
    member = dataclasses.replace(child(10), birth_date=birth, joins_training=False)
    the_head = dataclasses.replace(head(), birth_date=date(1980, 1, 1))
    reason = evaluate(household(the_head, member), RULES, as_of).reason("conditions.training")
    assert (member.national_id in reason.facts["not_joined"]) is adult


def test_reproduce_gives_back_the_same_decision():
    h = household(
        head(nationality="EGY", gender=Gender.FEMALE, marital_status=MaritalStatus.WIDOWED),
        child(12, is_orphan=True),
    )
    d = decide(h)
    recorded = json.loads(json.dumps(d.to_json()))
    assert reproduce(recorded) == d
    assert reproduce(recorded).to_json() == d.to_json()
    with pytest.raises(ValidationError, match=r"decision\.invalid"):
        reproduce({"facts": {}})


def test_shared_reasons_are_read_only():
    d = decide(household(head()))
    with pytest.raises(TypeError):
        d.reasons[0].facts["head_basis"] = "tampered"  # type: ignore[index]


def test_decision_json_uses_riyal_strings():
    d = decide(household(head(incomes=(income(IncomeType.FREELANCE, "123.45"),))))
    data = d.to_json()
    assert data["counted_income_sar"] == "123.45" and data["entitlement_sar"] == "976.55"
    assert data["income_lines"][0]["share_percent"] == "100"
    income_facts = data["reasons"][2]["facts"]
    assert income_facts["threshold_sar"] == "1100.00"
    assert not any(key.endswith("_halalas") for r in data["reasons"] for key in r["facts"])


# ---- the JSON input format -----------------------------------------------------------------
def test_the_documented_examples_parse_and_round_trip():
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        facts = HouseholdFacts.from_json(data)
        assert HouseholdFacts.from_json(facts.to_json()) == facts
        assert facts.to_json()["head"]["national_id"] == data["head"]["national_id"]


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        HouseholdFacts.from_json(data)
    return [(p["code"], p["path"]) for p in caught.value.params["problems"]]


def _valid() -> dict[str, Any]:
    return {
        "household_id": "H-9",
        "head": {
            "national_id": make_national_id("citizen", "55555555"),
            "gender": "female",
            "birth_date": "1980-01-01",
            "nationality": "SAU",
            "marital_status": "widowed",
        },
        "dependents": [
            {
                "national_id": make_national_id("citizen", "55555556"),
                "kind": "relative",
                "relationship": "son",
                "gender": "male",
                "birth_date": "2015-06-30",
                "nationality": "sau",
            }
        ],
    }


def test_minimal_input_takes_the_documented_defaults():
    facts = HouseholdFacts.from_json(_valid())
    son = facts.dependents[0]
    assert (
        son.nationality == "SAU" and son.resides_in_kingdom and son.meets_health_education is None
    )
    assert facts.family_no == 1 and facts.provider_other_households == 0 and not facts.in_shelter


def test_every_problem_is_reported_with_its_path():
    data = _valid()
    data["head"]["monthly_halalas"] = 5
    data["head"]["national_id"] = "1234567890"
    data["head"]["gender"] = "f"
    data["dependents"][0]["birth_date"] = "2015-02-30"
    data["dependents"][0].pop("relationship")
    data["dependents"][0]["incomes"] = [{"type": "salary", "monthly_sar": "12.345"}]
    problems = _problems(data)
    assert problems == [
        ("household.unknown_field", "$.head.monthly_halalas"),
        ("national_id.check_digit", "$.head.national_id"),
        ("household.bad_value", "$.head.gender"),
        ("household.relationship", "$.dependents[0].relationship"),
        ("household.bad_date", "$.dependents[0].birth_date"),
        ("household.bad_amount", "$.dependents[0].incomes[0].monthly_sar"),
    ]
    with pytest.raises(ValidationError) as caught:
        HouseholdFacts.from_json(data)
    assert "use monthly_sar" in caught.value.message_en  # the halalas hint
    assert caught.value.code == "household.unknown_field"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d.pop("head"), "household.missing_field"),
        (lambda d: d.__setitem__("dependents", {}), "household.bad_type"),
        (
            lambda d: d["dependents"].append(
                d["head"] | {"kind": "relative", "relationship": "sister"}
            ),
            "household.duplicate_member",
        ),
        (lambda d: d["head"].__setitem__("kind", "ward"), "household.kind"),
        (lambda d: d["dependents"][0].__setitem__("kind", "head"), "household.kind"),
        (lambda d: d["dependents"][0].pop("kind"), "household.missing_field"),
        (lambda d: d["head"].__setitem__("relationship", "son"), "household.relationship"),
        (lambda d: d["head"].pop("marital_status"), "household.missing_field"),
        (lambda d: d["head"].__setitem__("nationality", "Saudi"), "household.bad_nationality"),
        (lambda d: d.__setitem__("family_no", 2), "household.family_no"),
        (lambda d: d.__setitem__("in_shelter", "no"), "household.bad_type"),
        (lambda d: d["head"].__setitem__("joins_training", "yes"), "household.bad_type"),
        (lambda d: d["head"].__setitem__("transport_permits", -1), "household.bad_number"),
        (
            lambda d: d["head"].__setitem__("vehicles", [{"value_sar": "1"}]),
            "household.missing_field",
        ),
        (
            lambda d: d["head"].__setitem__(
                "incomes", [{"type": "salary", "source": "x" * 121, "monthly_sar": "1"}]
            ),
            "household.bad_text",
        ),
        (lambda d: d.__setitem__("head", []), "household.not_object"),
    ],
)
def test_bad_input_is_refused_with_a_code(change: Any, code: str):
    data = _valid()
    change(data)
    assert code in [c for c, _ in _problems(data)]


def test_not_an_object_at_all():
    assert _problems([1, 2]) == [("household.not_object", "$")]


@pytest.mark.parametrize(
    ("value", "halalas"),
    [("2300.50", 230_050), ("2300.5", 230_050), ("900", 90_000), (2300, 230_000),
     (2300.5, 230_050), ("٢٣٠٠٫٥", 230_050), ("0", 0)],
)  # fmt: skip
def test_amounts_are_riyals(value: Any, halalas: int):
    assert parse_sar(value) == halalas
    assert parse_sar(format_sar(halalas)) == halalas


@pytest.mark.parametrize(
    "value", ["-5", "1,000", "12.345", 0.30000000000000004, True, None, "SAR 5", "1e3"]
)
def test_amounts_that_are_refused(value: Any):
    with pytest.raises(ValueError):
        parse_sar(value)


def test_members_are_listed_head_first():
    h = household(head(), child(3))
    assert h.members == (h.head, *h.dependents)
    assert isinstance(h.members[0], MemberFacts) and isinstance(h.head.incomes, tuple)
    assert IncomeFacts(IncomeType.SALARY, "", 1) == income(IncomeType.SALARY, "0.01")
    assert itertools.islice(h.members, 1)
