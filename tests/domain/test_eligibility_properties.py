"""Invariants of the eligibility engine, over generated households (hypothesis).

* more counted income never raises the entitlement;
* another member never lowers the threshold;
* the entitlement is never negative, and is the gap below the threshold exactly when
  the household is eligible;
* a decision is reproducible from its recorded facts and rule-set version (through JSON
  text, as the store keeps it);
* the shared per-rule-set reasons change nothing: a decision made with a cold memo equals
  the one made with a warm memo;
* ages are completed years, whatever the birthday and the decision day.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daman_tui.domain import eligibility
from daman_tui.domain.eligibility import RULE_ORDER, evaluate, reproduce
from daman_tui.domain.enums import (
    AssetKind,
    Gender,
    IncomeType,
    MaritalStatus,
    MemberKind,
    Relationship,
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
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.rules import RuleSet, load_rule_sets

SETS = load_rule_sets()
# The released sets and variants of the configurable policies.
RULE_SETS = [
    *SETS,
    dataclasses.replace(SETS[-1], ineligible_dependent="reject"),
    dataclasses.replace(SETS[-1], provider_income_split="full", support_share_bp=5000),
    dataclasses.replace(SETS[0], transport_permit_imputed_halalas=25_000, citc_share_bp=3333),
]
AS_OF = st.dates(min_value=date(2023, 6, 1), max_value=date(2027, 12, 31))
NATIONALITY = st.sampled_from(["SAU", "SAU", "SAU", "EGY", "JOR", "YEM"])
MONEY = st.integers(min_value=0, max_value=1_500_000)  # halalas: up to 15,000 SAR a month
ANSWER = st.sampled_from([True, True, True, False, None])
# Free text as the store keeps it: any characters but control characters (refused on entry).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)
PROFILE = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def members(draw: st.DrawFn, *, kind: MemberKind, serial: int, as_of: date) -> MemberFacts:
    """A member born before ``as_of``, with a valid, unique national ID (from ``serial``)."""
    nationality = draw(NATIONALITY)
    age_days = draw(st.integers(min_value=0, max_value=90 * 365))
    relationship = (
        draw(st.sampled_from(list(Relationship))) if kind is MemberKind.RELATIVE else None
    )
    small = st.lists
    return MemberFacts(
        national_id=make_national_id(
            "citizen" if nationality == "SAU" else "resident", f"{serial:08d}"
        ),
        kind=kind,
        relationship=relationship,
        gender=draw(st.sampled_from(list(Gender))),
        birth_date=as_of - timedelta(days=age_days),
        nationality=nationality,
        marital_status=draw(st.sampled_from([*MaritalStatus, None]))
        if kind is not MemberKind.HEAD
        else draw(st.sampled_from(list(MaritalStatus))),
        resides_in_kingdom=draw(st.sampled_from([True] * 5 + [False])),
        scholarship_abroad=draw(st.booleans()),
        studying=draw(st.booleans()),
        has_movement_card=draw(st.booleans()),
        special_needs=draw(st.sampled_from([False] * 5 + [True])),
        is_orphan=draw(st.booleans()),
        in_shelter=draw(st.sampled_from([False] * 8 + [True])),
        listed_in_other_household=draw(st.sampled_from([False] * 8 + [True])),
        meets_health_education=draw(ANSWER),
        joins_training=draw(ANSWER),
        incomes=tuple(
            draw(
                small(
                    st.builds(IncomeFacts, st.sampled_from(list(IncomeType)), TEXT, MONEY),
                    max_size=3,
                )
            )
        ),
        supports=tuple(draw(small(st.builds(SupportFacts, TEXT, st.just(""), MONEY), max_size=2))),
        commercial_zakat_yearly_halalas=draw(st.sampled_from([0, 0, 0, 300_000, 3_000_000])),
        transport_permits=draw(st.integers(min_value=0, max_value=2)),
        citc_monthly_halalas=draw(st.sampled_from([0, 0, 50_000])),
        workers=WorkerFacts(draw(st.integers(min_value=0, max_value=2))),
        real_estate=tuple(
            draw(
                small(
                    st.builds(
                        RealEstateFacts,
                        st.sampled_from(list(AssetKind)),
                        st.integers(min_value=0, max_value=80_000_000),
                    ),
                    max_size=2,
                )
            )
        ),
        deeds=tuple(
            draw(
                small(
                    st.builds(
                        DeedFacts, st.integers(min_value=0, max_value=80_000_000), st.booleans()
                    ),
                    max_size=2,
                )
            )
        ),
        vehicles=tuple(
            draw(
                small(
                    st.builds(
                        VehicleFacts,
                        st.integers(min_value=1990, max_value=2027),
                        st.integers(min_value=0, max_value=40_000_000),
                    ),
                    max_size=2,
                )
            )
        ),
    )


@st.composite
def cases(draw: st.DrawFn, *, spare: bool = False) -> dict[str, Any]:
    """A household, a rule set and a day; with ``spare``, also one more dependent."""
    as_of = draw(AS_OF)
    count = draw(st.integers(min_value=0, max_value=6))
    serials = draw(
        st.lists(
            st.integers(min_value=10_000_000, max_value=99_999_999),
            min_size=count + 2,
            max_size=count + 2,
            unique=True,
        )
    )
    kinds = st.sampled_from(
        [MemberKind.RELATIVE] * 6 + [MemberKind.WARD, MemberKind.HOUSING_PARTNER]
    )
    head = draw(members(kind=MemberKind.HEAD, serial=serials[0], as_of=as_of))
    dependents = [
        draw(members(kind=draw(kinds), serial=serials[i + 1], as_of=as_of)) for i in range(count)
    ]
    others = draw(st.integers(min_value=0, max_value=2))
    household = HouseholdFacts(
        household_id=draw(TEXT.filter(str.strip)),
        head=head,
        dependents=tuple(dependents),
        family_no=draw(st.integers(min_value=1, max_value=others + 1)),
        provider_other_households=others,
        in_shelter=draw(st.sampled_from([False] * 9 + [True])),
    )
    out = {"household": household, "rules": draw(st.sampled_from(RULE_SETS)), "as_of": as_of}
    if spare:
        out["spare"] = draw(members(kind=draw(kinds), serial=serials[-1], as_of=as_of))
    return out


def _with_member(h: HouseholdFacts, index: int, member: MemberFacts) -> HouseholdFacts:
    people = list(h.members)
    people[index] = member
    return dataclasses.replace(h, head=people[0], dependents=tuple(people[1:]))


@PROFILE
@given(cases(), st.data())
def test_more_counted_income_never_raises_the_entitlement(case: dict[str, Any], data: Any):
    h, rules, as_of = case["household"], case["rules"], case["as_of"]
    before = evaluate(h, rules, as_of)
    index = data.draw(st.integers(min_value=0, max_value=len(h.members) - 1))
    member = h.members[index]
    extra = IncomeFacts(
        data.draw(st.sampled_from(list(IncomeType))),
        "extra",
        data.draw(st.integers(min_value=1, max_value=2_000_000)),
    )
    after = evaluate(
        _with_member(h, index, dataclasses.replace(member, incomes=(*member.incomes, extra))),
        rules,
        as_of,
    )
    assert after.counted_income_halalas >= before.counted_income_halalas
    assert after.entitlement_halalas <= before.entitlement_halalas
    if member.incomes:  # raising an existing line behaves the same
        first = member.incomes[0]
        raised = dataclasses.replace(first, monthly_halalas=first.monthly_halalas + 12_345)
        again = evaluate(
            _with_member(
                h, index, dataclasses.replace(member, incomes=(raised, *member.incomes[1:]))
            ),
            rules,
            as_of,
        )
        assert again.entitlement_halalas <= before.entitlement_halalas


@PROFILE
@given(cases(spare=True))
def test_another_member_never_lowers_the_threshold(case: dict[str, Any]):
    h, rules, as_of = case["household"], case["rules"], case["as_of"]
    before = evaluate(h, rules, as_of)
    bigger = dataclasses.replace(h, dependents=(*h.dependents, case["spare"]))
    after = evaluate(bigger, rules, as_of)
    assert after.threshold_halalas >= before.threshold_halalas
    assert after.member_count >= before.member_count


@PROFILE
@given(cases())
def test_the_entitlement_is_never_negative_and_is_the_gap_when_eligible(case: dict[str, Any]):
    d = evaluate(case["household"], case["rules"], case["as_of"])
    assert [r.code for r in d.reasons] == list(RULE_ORDER)
    assert d.entitlement_halalas >= 0
    assert d.eligible == all(r.passed for r in d.reasons)
    if d.eligible:
        assert d.entitlement_halalas == d.threshold_halalas - d.counted_income_halalas > 0
    else:
        assert d.entitlement_halalas == 0
    assert d.counted_income_halalas == sum(line.counted_halalas for line in d.income_lines)
    assert d.threshold_halalas == case["rules"].threshold_halalas(d.member_count)
    for reason in d.reasons:
        assert reason.message_ar and reason.message_en


@PROFILE
@given(cases())
def test_a_decision_is_reproducible_from_its_recorded_facts_and_version(case: dict[str, Any]):
    rules = case["rules"]
    d = evaluate(case["household"], rules, case["as_of"])
    recorded = json.loads(json.dumps(d.to_json(), ensure_ascii=False))
    again = reproduce(recorded, [rules])
    assert again == d
    assert again.to_json() == recorded


@PROFILE
@given(cases())
def test_shared_reasons_change_nothing(case: dict[str, Any]):
    h, rules, as_of = case["household"], case["rules"], case["as_of"]
    warm = evaluate(h, rules, as_of)
    eligibility._MEMOS.clear()
    cold = evaluate(h, rules, as_of)
    assert cold == warm
    fresh = dataclasses.replace(rules)  # a new object: its own, empty memo
    assert evaluate(h, fresh, as_of) == warm


@PROFILE
@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2030, 12, 31)), AS_OF)
def test_who_is_asked_follows_completed_years(birth: date, as_of: date):
    rules: RuleSet = SETS[-1]
    if birth > as_of:
        birth, as_of = as_of, birth
    if as_of < date(1950, 1, 1):
        return
    age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
    member = MemberFacts(
        national_id=make_national_id("citizen", "77777777"),
        kind=MemberKind.RELATIVE,
        relationship=Relationship.SON,
        gender=Gender.MALE,
        birth_date=birth,
        nationality="SAU",
        meets_health_education=None,
        joins_training=None,
    )
    head = dataclasses.replace(
        member,
        national_id=make_national_id("citizen", "77777778"),
        kind=MemberKind.HEAD,
        relationship=None,
        birth_date=min(birth, as_of - timedelta(days=70 * 366)),
        marital_status=MaritalStatus.MARRIED,
    )
    d = evaluate(HouseholdFacts("H", head, (member,)), rules, as_of)
    child = member.national_id in d.reason("conditions.health_education").facts["not_recorded"]
    able = member.national_id in d.reason("conditions.training").facts["not_recorded"]
    assert child == (age <= rules.child_max_age)
    assert able == (rules.training_min_age <= age <= rules.training_max_age)
