"""Saudi national ID / iqama validation, checked against an independent Luhn."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daman_tui.domain.errors import ValidationError
from daman_tui.domain.national_id import (
    IdKind,
    id_kind,
    make_national_id,
    mask_national_id,
    national_id_check_digit,
    validate_national_id,
)

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

bodies = st.text(alphabet="0123456789", min_size=8, max_size=8)
KINDS: tuple[IdKind, ...] = ("citizen", "resident")
kinds = st.sampled_from(KINDS)


def reference_luhn_ok(number: str) -> bool:
    """Textbook Luhn, written independently: from the right, double every second digit."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = sum(divmod(digit * 2, 10))
        total += digit
    return total % 10 == 0


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    return make_national_id(draw(kinds), draw(bodies))


def test_known_examples() -> None:
    # 1000000008: 1 doubled is 2, plus the check digit 8, is 10.
    assert national_id_check_digit("100000000") == "8"
    assert validate_national_id("1000000008") == "1000000008"
    assert validate_national_id("2000000006") == "2000000006"
    assert id_kind("1000000008") == "citizen"
    assert id_kind("2000000006") == "resident"


@given(kinds, bodies)
def test_made_ids_validate(kind: IdKind, body: str) -> None:
    nid = make_national_id(kind, body)
    assert len(nid) == 10
    assert nid[1:9] == body
    assert validate_national_id(nid) == nid
    assert id_kind(nid) == kind
    assert reference_luhn_ok(nid)


@given(valid_ids(), st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_change_is_refused(nid: str, position: int, delta: int) -> None:
    changed = nid[:position] + str((int(nid[position]) + delta) % 10) + nid[position + 1 :]
    with pytest.raises(ValidationError) as caught:
        validate_national_id(changed)
    if position > 0:
        assert caught.value.code == "national_id.check_digit"
    else:
        assert caught.value.code in {"national_id.check_digit", "national_id.prefix"}


@given(valid_ids(), st.sampled_from([ARABIC_INDIC, EASTERN_ARABIC_INDIC]))
def test_arabic_indic_spelling_validates_to_ascii(nid: str, table: dict[int, int]) -> None:
    assert validate_national_id(nid.translate(table)) == nid
    assert validate_national_id(f"  {nid.translate(table)}\u00a0") == nid


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_random_ten_digits_validate_iff_reference_luhn_holds(number: str) -> None:
    expected = number[0] in "12" and reference_luhn_ok(number)
    try:
        validate_national_id(number)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted == expected


def test_grouping_spaces_are_accepted() -> None:
    assert validate_national_id(" 1000 000 008 ") == "1000000008"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "national_id.empty"),
        ("   ", "national_id.empty"),
        ("10000a0008", "national_id.not_digits"),
        ("1000-000-008", "national_id.not_digits"),
        ("²000000008", "national_id.not_digits"),
        ("100000008", "national_id.length"),
        ("10000000080", "national_id.length"),
        ("3000000004", "national_id.prefix"),
        ("0000000000", "national_id.prefix"),
        ("1000000000", "national_id.check_digit"),
    ],
)
def test_errors_have_codes_and_both_languages(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_national_id(value)
    error = caught.value
    assert error.code == code
    assert error.message_ar.strip()
    assert ARABIC_LETTER.search(error.message_ar)
    assert "رقم الهوية الوطنية أو الإقامة" in error.message_ar
    assert error.message_en.strip()


def test_length_error_reports_length() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_national_id("١٢٣")
    assert caught.value.params == {"length": 3}


def test_id_kind_refuses_invalid() -> None:
    with pytest.raises(ValidationError):
        id_kind("1000000000")


@pytest.mark.parametrize("bad", ["123456789", "1234567", "1234567a", "١٢٣٤٥٦٧٨"])
def test_make_national_id_needs_eight_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        make_national_id("citizen", bad)


def test_make_national_id_refuses_unknown_kind() -> None:
    with pytest.raises(ValueError):
        make_national_id("visitor", "12345678")  # type: ignore[arg-type]


def test_check_digit_needs_nine_ascii_digits() -> None:
    with pytest.raises(ValueError):
        national_id_check_digit("12345678")


def test_mask() -> None:
    assert mask_national_id("1234567890") == "1•••••7890"
    assert mask_national_id("١٢٣٤٥٦٧٨٩٠") == "1•••••7890"
    assert mask_national_id("123") == "•••"
    assert mask_national_id("") == ""
