"""Amounts in riyals and halalas: parsing as people type them, and formatting."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daman_tui.domain.errors import ValidationError
from daman_tui.domain.money import MAX_MONTHLY_HALALAS, format_money, parse_money

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# The Arabic separators: "." becomes ٫ (decimal) and "," becomes ٬ (thousands).
ARABIC_SEPARATORS = str.maketrans({".": "\u066b", ",": "\u066c"})

amounts = st.integers(min_value=0, max_value=MAX_MONTHLY_HALALAS)


def refused(value: str, code: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_money(value)
    error = caught.value
    assert error.code == code, (value, error.code)
    assert ARABIC_LETTER.search(error.message_ar)
    assert error.message_en.strip()
    return error


@pytest.mark.parametrize(
    ("text", "halalas"),
    [
        ("0", 0),
        ("1250", 125_000),
        ("1250.5", 125_050),
        ("1250.50", 125_050),
        ("1,250.50", 125_050),
        ("1,250", 125_000),
        ("12,345,678.9", None),  # above the maximum: see the too_large test
        ("١٢٥٠٫٥٠", 125_050),
        ("١٬٢٥٠٫٥٠", 125_050),
        ("۱۲۵۰٫۵", 125_050),
        ("0.01", 1),
        ("000123", 12_300),
        (" 1 250.50 ", 125_050),  # a space as the thousands separator
        ("1\u00a0250", 125_000),
        ("SAR 1,250.50", 125_050),
        ("sar1250", 125_000),
        ("1,250.50 ريال", 125_050),
        ("1250 ر.س", 125_000),
        ("\ufdfc 99", 9_900),
        ("10,000,000", MAX_MONTHLY_HALALAS),
        ("10000000.00", MAX_MONTHLY_HALALAS),
    ],
)
def test_known_amounts(text: str, halalas: int | None) -> None:
    if halalas is None:
        refused(text, "money.too_large")
    else:
        assert parse_money(text) == halalas


@pytest.mark.parametrize("text", ["-1", "−5", "-0", "SAR -12.50", "12-", "–3"])
def test_negative(text: str) -> None:
    refused(text, "money.negative")


@pytest.mark.parametrize("text", ["1.005", "1.500", "0.125", "١٢٫٣٤٥", "1,250.000"])
def test_more_than_two_decimals(text: str) -> None:
    error = refused(text, "money.decimals")
    assert error.params["decimals"] == 3


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1,25",  # a decimal comma is not guessed at
        "12,50",
        "1,2345",
        ",250",
        "1,,250",
        "1250.",
        ".5",
        "1.2.3",
        "+5",
        "1e3",
        "١٢٥٠x",
        "SAR",
        "ريال",
        "5 دولار",
        "1 250.50.1",
    ],
)
def test_format(text: str) -> None:
    error = refused(text, "money.format")
    assert error.params["value"] == text


@pytest.mark.parametrize("text", ["", "  ", "\u200f"])
def test_empty(text: str) -> None:
    refused(text, "money.empty")


@pytest.mark.parametrize("text", ["10,000,000.01", "10000001", "9" * 5000, "1" + "0" * 20 + ".5"])
def test_too_large(text: str) -> None:
    error = refused(text, "money.too_large")
    assert error.params["max_halalas"] == MAX_MONTHLY_HALALAS


def test_format_money() -> None:
    assert format_money(125_050, "ar") == "1,250.50 ريال"
    assert format_money(125_050, "en") == "SAR 1,250.50"
    assert format_money(0, "en") == "SAR 0.00"
    assert format_money(5, "en") == "SAR 0.05"
    assert format_money(MAX_MONTHLY_HALALAS, "en") == "SAR 10,000,000.00"
    assert format_money(-125_050, "ar") == "-1,250.50 ريال"


@given(amounts, st.sampled_from(["ar", "en"]))
def test_parse_of_format_is_identity(halalas: int, lang: str) -> None:
    assert parse_money(format_money(halalas, lang)) == halalas


def _plain(halalas: int) -> str:
    return f"{halalas // 100}.{halalas % 100:02d}"


@given(amounts)
def test_arabic_spelling_equals_ascii(halalas: int) -> None:
    for ascii_text in (_plain(halalas), f"{halalas // 100:,}.{halalas % 100:02d}"):
        expected = parse_money(ascii_text)
        assert expected == halalas
        arabic = ascii_text.translate(ARABIC_SEPARATORS)
        assert parse_money(arabic.translate(ARABIC_INDIC)) == expected
        assert parse_money(arabic.translate(EASTERN_ARABIC_INDIC)) == expected
        assert parse_money(ascii_text.translate(ARABIC_INDIC)) == expected


@given(amounts)
def test_one_decimal_digit_means_tenths(halalas: int) -> None:
    if halalas % 10 == 0:
        assert parse_money(f"{halalas // 100}.{halalas % 100 // 10}") == halalas


@given(st.integers(min_value=MAX_MONTHLY_HALALAS + 1, max_value=10**15))
def test_everything_above_the_maximum_is_refused(halalas: int) -> None:
    refused(_plain(halalas), "money.too_large")


@given(amounts.filter(lambda h: h > 0))
def test_any_minus_sign_is_negative(halalas: int) -> None:
    refused("-" + _plain(halalas), "money.negative")


@given(st.text(max_size=20))
def test_any_text_is_an_amount_or_a_validation_error(text: str) -> None:
    try:
        halalas = parse_money(text)
    except ValidationError as err:
        assert err.code.startswith("money.")
        assert ARABIC_LETTER.search(err.message_ar) and err.message_en.strip()
    else:
        assert 0 <= halalas <= MAX_MONTHLY_HALALAS
