"""The document checklist: each rule, the order, and when a received document meets a need."""

from __future__ import annotations

import pytest

from daman_tui.domain.documents import (
    ChecklistInput,
    ChecklistMember,
    DocumentNeed,
    checklist,
    missing,
)
from daman_tui.domain.enums import DocumentType as D
from daman_tui.domain.enums import MaritalStatus, MemberKind

HEAD = "1000000001"
SON = "1000000002"
DAUGHTER = "1000000003"
WARD = "2000000004"


def _head(**flags: bool) -> ChecklistMember:
    return ChecklistMember(HEAD, MemberKind.HEAD, **flags)


def _needs(data: ChecklistInput) -> set[tuple[D, str | None]]:
    return {(n.doc_type, n.national_id) for n in checklist(data)}


BASE = {(D.NATIONAL_ID, HEAD), (D.FAMILY_CARD, None), (D.BANK_DETAILS, None)}


def test_an_independent_needs_the_three_basics_and_proof_of_independent_housing():
    data = ChecklistInput(MaritalStatus.SINGLE, (_head(),))
    assert checklist(data) == (
        DocumentNeed(D.NATIONAL_ID, HEAD),
        DocumentNeed(D.FAMILY_CARD, None),
        DocumentNeed(D.BANK_DETAILS, None),
        DocumentNeed(D.INDEPENDENT_HOUSING, None),
    )
    assert all(n.required for n in checklist(data))


def test_a_head_with_dependents_is_not_independent():
    data = ChecklistInput(
        MaritalStatus.MARRIED, (_head(), ChecklistMember(SON, MemberKind.RELATIVE))
    )
    assert _needs(data) == BASE


def test_proof_of_income_when_any_member_has_an_income_line():
    without = ChecklistInput(None, (_head(), ChecklistMember(SON, MemberKind.RELATIVE)))
    assert (D.INCOME_PROOF, None) not in _needs(without)
    son_earns = ChecklistInput(
        None, (_head(), ChecklistMember(SON, MemberKind.RELATIVE, has_income=True))
    )
    assert (D.INCOME_PROOF, None) in _needs(son_earns)
    head_earns = ChecklistInput(None, (_head(has_income=True),))
    assert (D.INCOME_PROOF, None) in _needs(head_earns)
    both = ChecklistInput(
        None,
        (_head(has_income=True), ChecklistMember(SON, MemberKind.RELATIVE, has_income=True)),
    )
    assert [n.doc_type for n in checklist(both)].count(D.INCOME_PROOF) == 1


@pytest.mark.parametrize(
    ("marital", "expected", "absent"),
    [
        (MaritalStatus.DIVORCED, D.DIVORCE_CERTIFICATE, D.DEATH_CERTIFICATE),
        (MaritalStatus.WIDOWED, D.DEATH_CERTIFICATE, D.DIVORCE_CERTIFICATE),
    ],
)
def test_divorced_or_widowed_head_brings_the_certificate(marital, expected, absent):
    types = [n.doc_type for n in checklist(ChecklistInput(marital, (_head(),)))]
    assert expected in types
    assert absent not in types


@pytest.mark.parametrize("marital", [MaritalStatus.SINGLE, MaritalStatus.MARRIED, None])
def test_no_certificate_for_other_marital_statuses(marital):
    types = {n.doc_type for n in checklist(ChecklistInput(marital, (_head(),)))}
    assert not types & {D.DIVORCE_CERTIFICATE, D.DEATH_CERTIFICATE}


def test_proof_of_disability_for_each_member_with_special_needs_head_included():
    data = ChecklistInput(
        None,
        (
            _head(special_needs=True),
            ChecklistMember(SON, MemberKind.RELATIVE, special_needs=True),
            ChecklistMember(DAUGHTER, MemberKind.RELATIVE),
        ),
    )
    disability = [n.national_id for n in checklist(data) if n.doc_type == D.DISABILITY_PROOF]
    assert disability == [HEAD, SON]


def test_school_certificate_for_each_studying_dependent_only():
    data = ChecklistInput(
        None,
        (
            _head(studying=True),  # the head's own studies are not asked for
            ChecklistMember(SON, MemberKind.RELATIVE, studying=True),
            ChecklistMember(DAUGHTER, MemberKind.RELATIVE, studying=True),
            ChecklistMember(WARD, MemberKind.WARD),
        ),
    )
    school = [n.national_id for n in checklist(data) if n.doc_type == D.SCHOOL_CERTIFICATE]
    assert school == [SON, DAUGHTER]


def test_ward_deed_for_each_ward():
    data = ChecklistInput(
        None,
        (
            _head(),
            ChecklistMember(SON, MemberKind.RELATIVE),
            ChecklistMember(WARD, MemberKind.WARD),
            ChecklistMember(DAUGHTER, MemberKind.HOUSING_PARTNER),
        ),
    )
    assert [n.national_id for n in checklist(data) if n.doc_type == D.WARD_DEED] == [WARD]
    assert (D.INDEPENDENT_HOUSING, None) not in _needs(data)


def test_order_is_by_document_type_then_member_and_repeats_are_dropped():
    members = (
        _head(special_needs=True, has_income=True),
        ChecklistMember(WARD, MemberKind.WARD, studying=True, special_needs=True),
        ChecklistMember(SON, MemberKind.RELATIVE, studying=True),
        ChecklistMember(SON, MemberKind.RELATIVE, studying=True),
    )
    needs = checklist(ChecklistInput(MaritalStatus.WIDOWED, members))
    assert [(n.doc_type, n.national_id) for n in needs] == [
        (D.NATIONAL_ID, HEAD),
        (D.FAMILY_CARD, None),
        (D.INCOME_PROOF, None),
        (D.BANK_DETAILS, None),
        (D.DEATH_CERTIFICATE, None),
        (D.DISABILITY_PROOF, HEAD),
        (D.DISABILITY_PROOF, WARD),
        (D.SCHOOL_CERTIFICATE, WARD),
        (D.SCHOOL_CERTIFICATE, SON),
        (D.WARD_DEED, WARD),
    ]
    assert checklist(ChecklistInput(MaritalStatus.WIDOWED, members)) == needs


@pytest.mark.parametrize(
    "members",
    [(), (ChecklistMember(SON, MemberKind.RELATIVE), ChecklistMember(HEAD, MemberKind.HEAD))],
)
def test_the_head_must_come_first(members):
    with pytest.raises(ValueError, match="head"):
        checklist(ChecklistInput(None, members))


def test_missing_lists_what_no_document_meets_in_checklist_order():
    needs = checklist(ChecklistInput(MaritalStatus.SINGLE, (_head(),)))
    assert missing(needs, []) == needs
    received = [(D.FAMILY_CARD, None), (D.NATIONAL_ID, HEAD), (D.OTHER, None)]
    assert missing(needs, received) == (
        DocumentNeed(D.BANK_DETAILS, None),
        DocumentNeed(D.INDEPENDENT_HOUSING, None),
    )


def test_a_household_need_is_met_by_a_document_of_that_type_for_anyone():
    needs = (DocumentNeed(D.INCOME_PROOF, None),)
    assert missing(needs, [(D.INCOME_PROOF, SON)]) == ()
    assert missing(needs, [(D.INCOME_PROOF, None)]) == ()
    assert missing(needs, [(D.BANK_DETAILS, None)]) == needs


def test_a_persons_need_is_met_by_their_own_document_not_someone_elses():
    needs = (DocumentNeed(D.SCHOOL_CERTIFICATE, SON), DocumentNeed(D.SCHOOL_CERTIFICATE, WARD))
    assert missing(needs, [(D.SCHOOL_CERTIFICATE, SON)]) == (needs[1],)
    assert missing(needs, [(D.SCHOOL_CERTIFICATE, DAUGHTER)]) == needs
    assert missing(needs, [(D.DISABILITY_PROOF, SON), (D.DISABILITY_PROOF, WARD)]) == needs


def test_a_household_document_meets_a_persons_need_only_when_they_are_the_only_one():
    alone = (DocumentNeed(D.DISABILITY_PROOF, SON),)
    assert missing(alone, [(D.DISABILITY_PROOF, None)]) == ()
    two = (DocumentNeed(D.DISABILITY_PROOF, HEAD), DocumentNeed(D.DISABILITY_PROOF, SON))
    assert missing(two, [(D.DISABILITY_PROOF, None)]) == two
    assert missing(two, [(D.DISABILITY_PROOF, None), (D.DISABILITY_PROOF, HEAD)]) == (two[1],)
    # Whoever else needs another type does not count.
    mixed = (DocumentNeed(D.WARD_DEED, WARD), DocumentNeed(D.SCHOOL_CERTIFICATE, WARD))
    assert missing(mixed, [(D.WARD_DEED, None)]) == (mixed[1],)


def test_the_head_id_is_met_by_an_id_filed_for_the_household():
    needs = checklist(ChecklistInput(MaritalStatus.MARRIED, (_head(),)))
    received = [(D.NATIONAL_ID, None), (D.FAMILY_CARD, None), (D.BANK_DETAILS, None)]
    assert missing(needs, received) == (DocumentNeed(D.INDEPENDENT_HOUSING, None),)


def test_received_may_be_a_one_shot_iterable_and_optional_needs_are_reported_too():
    needs = (DocumentNeed(D.OTHER, None, required=False), DocumentNeed(D.FAMILY_CARD, None))
    received = ((t, n) for t, n in [(D.FAMILY_CARD, None)])
    assert missing(iter(needs), received) == (needs[0],)
