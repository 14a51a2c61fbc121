"""Mobile numbers, e-mail addresses and national-address numbers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daman_tui.domain.errors import ValidationError
from daman_tui.domain.phone import (
    validate_additional_number,
    validate_building_number,
    validate_email,
    validate_mobile,
    validate_postal_code,
)

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

tails = st.text(alphabet="0123456789", min_size=8, max_size=8)


def assert_refused(call: object, value: str, code: str) -> ValidationError:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(value)
    error = caught.value
    assert error.code == code
    assert error.message_ar.strip()
    assert ARABIC_LETTER.search(error.message_ar)
    assert error.message_en.strip()
    return error


def spellings(tail: str) -> list[str]:
    national = "5" + tail
    return [
        "0" + national,
        national,
        "+966" + national,
        "966" + national,
        "00966" + national,
        "+9660" + national,
        "+966 (0) " + national,
        f"05{tail[:2]} {tail[2:5]} {tail[5:]}",
        f"05{tail[:2]}-{tail[2:5]}-{tail[5:]}",
        f"+966 5{tail[:2]} {tail[2:5]} {tail[5:]}",
        f"  00966-5{tail}\u00a0",
        ("0" + national).translate(ARABIC_INDIC),
        ("+966" + national).translate(EASTERN_ARABIC_INDIC),
    ]


@given(tails)
def test_all_spellings_canonicalise_identically(tail: str) -> None:
    canonical = {validate_mobile(spelling) for spelling in spellings(tail)}
    assert canonical == {"05" + tail}


@given(tails, st.sampled_from(["0", "", "+966", "966", "00966"]))
def test_a_missing_or_extra_digit_is_refused(tail: str, prefix: str) -> None:
    assert_refused(validate_mobile, prefix + "5" + tail[:7], "mobile.format")
    assert_refused(validate_mobile, prefix + "5" + tail + "1", "mobile.format")


@pytest.mark.parametrize(
    "value",
    [
        "0612345678",  # landline-like, not 05
        "0012345678",
        "005123456789",  # 00 without the country code
        "+971512345678",  # another country
        "9715123456789",
        "+96505123456",  # 966 0 followed by only 8 digits
        "05123456ab",
        "05123456٧a",
        "+",
        "05.12345678",
    ],
)
def test_bad_mobiles_refused(value: str) -> None:
    assert_refused(validate_mobile, value, "mobile.format")


@pytest.mark.parametrize("value", ["", "   ", " - "])
def test_empty_mobile(value: str) -> None:
    assert_refused(validate_mobile, value, "mobile.empty")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("name@example.com", "name@example.com"),
        ("  Name.Family@Example.COM.SA ", "Name.Family@example.com.sa"),
        ("a+tag@mail.gov.sa", "a+tag@mail.gov.sa"),
    ],
)
def test_good_emails(value: str, expected: str) -> None:
    assert validate_email(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "name.example.com",
        "@example.com",
        "name@",
        "name@localhost",
        "name@@example.com",
        "na@me@example.com",
        "name@example..com",
        "name@.example.com",
        "name@example.com.",
        "na me@example.com",
        "name@exa\u00a0mple.com",
        "a" * 250 + "@example.com",
    ],
)
def test_bad_emails(value: str) -> None:
    assert_refused(validate_email, value, "email.format")


@pytest.mark.parametrize(
    ("call", "good", "expected", "code", "bad"),
    [
        (validate_building_number, " ١٢٣٤ ", "1234", "address.building_number",
         ["", "123", "12345", "12a4", "12-34"]),
        (validate_postal_code, "۱۲۳۴۵", "12345", "address.postal_code",
         ["", "1234", "123456", "1234x"]),
        (validate_additional_number, "1234", "1234", "address.additional_number",
         ["", "123", "12345", "abcd"]),
    ],
)  # fmt: skip
def test_address_numbers(call: object, good: str, expected: str, code: str, bad: list[str]) -> None:
    assert callable(call)
    assert call(good) == expected
    for value in bad:
        assert_refused(call, value, code)


@given(st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_postal_code_accepts_any_five_digits_in_any_script(code: str) -> None:
    assert validate_postal_code(code.translate(ARABIC_INDIC)) == code
    assert validate_postal_code(code.translate(EASTERN_ARABIC_INDIC)) == code
