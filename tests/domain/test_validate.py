"""The validator registry behind `daman validate`: kinds, canonical forms, refusals."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daman_tui.domain.banking import make_iban
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.validate import KINDS, VALIDATORS, validate, validate_iqama

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

CITIZEN = make_national_id("citizen", "02345678")
RESIDENT = make_national_id("resident", "02345678")
IBAN = make_iban("80", "000000608010167519")

# Kinds whose values are numbers (or hold numbers): typed in either digit family.
NUMERIC_KINDS = tuple(k for k in KINDS if k not in ("email", "name", "full-name"))


def outcome(kind: str, value: str) -> tuple[str, str]:
    """("ok", canonical) or ("error", code), to compare two spellings' fates."""
    try:
        return ("ok", validate(kind, value))
    except ValidationError as err:
        return ("error", err.code)


def test_the_kinds() -> None:
    assert set(KINDS) == {
        "national-id",
        "iqama",
        "iban",
        "mobile",
        "email",
        "building-number",
        "postal-code",
        "additional-number",
        "name",
        "full-name",
        "date",
        "birth-date",
        "money",
    }
    assert tuple(VALIDATORS) == KINDS


@pytest.mark.parametrize(
    ("kind", "value", "canonical"),
    [
        ("national-id", f" {CITIZEN[:5]} {CITIZEN[5:]} ", CITIZEN),
        ("national-id", RESIDENT.translate(ARABIC_INDIC), RESIDENT),
        ("iqama", RESIDENT.translate(EASTERN_ARABIC_INDIC), RESIDENT),
        ("iban", "sa03 8000 0000 6080 1016 7519", IBAN),
        ("mobile", "+966 51 234 5678", "0512345678"),
        ("email", "Name@Example.COM", "Name@example.com"),
        ("building-number", "١٢٣٤", "1234"),
        ("postal-code", "12345", "12345"),
        ("additional-number", "٤٥٦٧", "4567"),
        ("name", "  عبد   الله ", "عبد الله"),
        ("full-name", "محمد بن عبدالله بن أحمد الغامدي", "محمد | عبدالله | أحمد | الغامدي"),
        ("date", "١٤٤٨/٠٥/٢٠هـ", "2026-10-31 (hijri 1448-05-20)"),
        ("date", "01/11/2026", "2026-11-01 (hijri 1448-05-21)"),
        ("date", "1920-01-01", "1920-01-01 (no hijri date)"),
        ("money", "١٬٢٥٠٫٥", "1250.50"),
        ("money", "0", "0.00"),
        ("money", "SAR 7", "7.00"),
    ],
)
def test_canonical_forms(kind: str, value: str, canonical: str) -> None:
    assert validate(kind, value) == canonical
    assert VALIDATORS[kind](value) == canonical


def test_birth_date_adds_the_age_today() -> None:
    result = validate("birth-date", "1410-01-01")
    assert result.startswith("1989-08-02 (hijri 1410-01-01), age ")
    assert int(result.rsplit(" ", 1)[1]) == date.today().year - 1989 - (
        (date.today().month, date.today().day) < (8, 2)
    )


@pytest.mark.parametrize(
    ("kind", "value", "code"),
    [
        ("national-id", "123", "national_id.length"),
        ("iqama", CITIZEN, "national_id.not_resident"),
        ("iqama", "2000000000", "national_id.check_digit"),
        ("iban", "SA00", "iban.length"),
        ("mobile", "0612345678", "mobile.format"),
        ("email", "no-at-sign", "email.format"),
        ("building-number", "123", "address.building_number"),
        ("postal-code", "1234", "address.postal_code"),
        ("additional-number", "12345", "address.additional_number"),
        ("name", "محمد1", "name.characters"),
        ("full-name", "محمد أحمد", "name.parts"),
        ("date", "1448-13-01", "date.invalid"),
        ("birth-date", "2999-01-01", "date.future"),
        ("birth-date", "1800-01-01", "date.too_old"),
        ("money", "1.005", "money.decimals"),
        ("money", "-1", "money.negative"),
    ],
)
def test_refusals(kind: str, value: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate(kind, value)
    assert caught.value.code == code


def test_iqama_is_a_resident_id() -> None:
    assert validate_iqama(RESIDENT) == RESIDENT
    with pytest.raises(ValidationError) as caught:
        validate_iqama(CITIZEN)
    assert ARABIC_LETTER.search(caught.value.message_ar)
    assert "iqama" in caught.value.message_en


def test_an_unknown_kind_is_a_value_error_listing_the_kinds() -> None:
    with pytest.raises(ValueError, match="unknown kind 'passport'") as caught:
        validate("passport", "x")
    for kind in KINDS:
        assert kind in str(caught.value)


# --- properties over every kind ------------------------------------------------------------

number_like = st.text(alphabet="0123456789 -/.,+SAهـم", max_size=26)


@given(st.sampled_from(NUMERIC_KINDS), number_like)
def test_arabic_indic_spelling_has_the_same_fate_as_ascii(kind: str, ascii_text: str) -> None:
    expected = outcome(kind, ascii_text)
    assert outcome(kind, ascii_text.translate(ARABIC_INDIC)) == expected
    assert outcome(kind, ascii_text.translate(EASTERN_ARABIC_INDIC)) == expected


@given(
    st.sampled_from(["citizen", "resident"]), st.text(alphabet="0123456789", min_size=8, max_size=8)
)
def test_valid_ids_in_arabic_digits(kind, body: str) -> None:
    nid = make_national_id(kind, body)
    assert validate("national-id", nid.translate(ARABIC_INDIC)) == nid
    assert outcome("iqama", nid.translate(ARABIC_INDIC)) == (
        ("ok", nid) if kind == "resident" else ("error", "national_id.not_resident")
    )


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_valid_ibans_in_arabic_digits(account: str) -> None:
    iban = make_iban("80", account)
    assert validate("iban", iban.translate(ARABIC_INDIC).lower()) == iban


@given(st.sampled_from(KINDS), st.text(max_size=40))
def test_every_refusal_is_bilingual_with_a_code(kind: str, text: str) -> None:
    try:
        canonical = validate(kind, text)
    except ValidationError as err:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", err.code)
        assert err.message_ar.strip() and ARABIC_LETTER.search(err.message_ar)
        assert err.message_en.strip() and err.message_en.isascii()
    else:
        assert canonical and canonical == canonical.strip()
