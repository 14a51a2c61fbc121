"""Hijri (Umm al-Qura) and Gregorian dates: parsing, conversion, formatting, ages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daman_tui.domain.dates import (
    AUTO_HIJRI_BEFORE_YEAR,
    GREGORIAN_RANGE,
    HIJRI_RANGE,
    MAX_AGE_YEARS,
    ParsedDate,
    age_on,
    format_gregorian,
    format_hijri,
    from_hijri,
    parse_date,
    to_hijri,
    validate_birth_date,
)
from daman_tui.domain.enums import CalendarKind
from daman_tui.domain.errors import ValidationError

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

LOW, HIGH = GREGORIAN_RANGE
in_table = st.dates(min_value=LOW, max_value=HIGH)
any_day = st.dates(min_value=date(1600, 1, 1), max_value=date(9999, 12, 31))
hijri_years = st.integers(min_value=HIJRI_RANGE[0][0], max_value=HIJRI_RANGE[1][0])
TODAY = date(2026, 11, 21)


def refused(call: object, *args: object, code: str, **kwargs: object) -> ValidationError:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    error = caught.value
    assert error.code == code, (error.code, error.message_en)
    assert ARABIC_LETTER.search(error.message_ar)
    assert error.message_en.strip()
    return error


# --- known days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gregorian", "hijri", "calendar"),
    [
        ("1448-05-20", date(2026, 10, 31), (1448, 5, 20), CalendarKind.HIJRI),
        ("1448/05/20", date(2026, 10, 31), (1448, 5, 20), CalendarKind.HIJRI),
        ("20/05/1448", date(2026, 10, 31), (1448, 5, 20), CalendarKind.HIJRI),
        ("20-5-1448", date(2026, 10, 31), (1448, 5, 20), CalendarKind.HIJRI),
        ("1448-05-20هـ", date(2026, 10, 31), (1448, 5, 20), CalendarKind.HIJRI),
        ("١٤٤٨/٠٥/٢٠ هـ", date(2026, 10, 31), (1448, 5, 20), CalendarKind.HIJRI),
        ("1448/5/20ه", date(2026, 10, 31), (1448, 5, 20), CalendarKind.HIJRI),
        ("1448-05-20 ah", date(2026, 10, 31), (1448, 5, 20), CalendarKind.HIJRI),
        ("1343-01-01", date(1924, 8, 1), (1343, 1, 1), CalendarKind.HIJRI),
        ("1500-12-30", date(2077, 11, 16), (1500, 12, 30), CalendarKind.HIJRI),
        ("2026-11-01", date(2026, 11, 1), (1448, 5, 21), CalendarKind.GREGORIAN),
        ("01/11/2026", date(2026, 11, 1), (1448, 5, 21), CalendarKind.GREGORIAN),
        ("٢٠٢٦/١١/٠١م", date(2026, 11, 1), (1448, 5, 21), CalendarKind.GREGORIAN),
        (" 2026-11-01 AD ", date(2026, 11, 1), (1448, 5, 21), CalendarKind.GREGORIAN),
        ("\u200f2026-11-01", date(2026, 11, 1), (1448, 5, 21), CalendarKind.GREGORIAN),
    ],
)
def test_known_days(text: str, gregorian: date, hijri: tuple[int, int, int], calendar) -> None:
    parsed = parse_date(text)
    assert parsed == ParsedDate(gregorian=gregorian, hijri=hijri, calendar=calendar)


def test_the_calendar_given_is_a_stored_enum_value() -> None:
    assert parse_date("1448-05-20").calendar == "hijri"
    assert parse_date("2026-11-01").calendar == "gregorian"


def test_a_gregorian_day_outside_the_tables_has_no_hijri_date() -> None:
    parsed = parse_date("1920-03-01")
    assert parsed.gregorian == date(1920, 3, 1)
    assert parsed.hijri is None
    refused(to_hijri, date(1920, 3, 1), code="date.out_of_range")
    refused(format_hijri, date(1920, 3, 1), "ar", code="date.out_of_range")
    refused(to_hijri, HIGH + timedelta(days=1), code="date.out_of_range")


# --- the "auto" rule and explicit calendars ------------------------------------------------


@given(in_table)
def test_auto_reads_a_year_below_1600_as_hijri(day: date) -> None:
    year, month, dom = to_hijri(day)
    assert year < AUTO_HIJRI_BEFORE_YEAR <= day.year
    assert parse_date(f"{year}-{month}-{dom}").gregorian == day
    assert parse_date(day.isoformat()).gregorian == day


def test_explicit_calendar_overrides_the_auto_rule() -> None:
    # 1448 read as a Gregorian year is a real (if distant) day with no Hijri equivalent.
    parsed = parse_date("1448-05-20", "gregorian")
    assert parsed == ParsedDate(date(1448, 5, 20), None, CalendarKind.GREGORIAN)
    refused(parse_date, "2026-11-01", "hijri", code="date.out_of_range")
    assert parse_date("1448-05-20", "hijri").gregorian == date(2026, 10, 31)


@pytest.mark.parametrize(
    ("text", "calendar"),
    [("1448-05-20هـ", "gregorian"), ("2026-11-01م", "hijri"), ("2026-11-01 CE", "hijri")],
)
def test_a_marker_contradicting_the_calendar_asked_for_is_refused(text: str, calendar) -> None:
    error = refused(parse_date, text, calendar, code="date.calendar_mismatch")
    assert error.params["expected"] == calendar


def test_a_marker_decides_in_auto_mode() -> None:
    refused(parse_date, "2026-11-01هـ", code="date.out_of_range")
    assert parse_date("1448-05-20م").hijri is None  # Gregorian year 1448, as marked


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "2026",
        "26-11-01",
        "2026-11",
        "2026.11.01",
        "2026/11-01",  # mixed separators
        "2026-011-01",
        "01/11/26",
        "2026-11-01-01",
        "1448-05-20هـهـ",
        "٢٠٢٦-١١-٠١x",
        "2026-11-01 مساء",
    ],
)
def test_unrecognised_spellings_are_date_format(text: str) -> None:
    error = refused(parse_date, text, code="date.format")
    assert error.params["value"] == text


@pytest.mark.parametrize("text", ["", "   ", "\u200f"])
def test_empty_is_its_own_code(text: str) -> None:
    refused(parse_date, text, code="date.empty")


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "2025-02-29",  # not a leap year
        "31/04/2026",
        "2026-13-01",
        "2026-00-10",
        "2026-01-00",
        "1448-13-01",  # Hijri month 13
        "1448-00-01",
        "1448-01-30",  # Muharram 1448 has 29 days
        "1448-05-31",
        "1448-05-00",
        "1200-05-31",  # day 31 exists in no Hijri month, whatever the year
    ],
)
def test_days_that_do_not_exist_are_date_invalid(text: str) -> None:
    refused(parse_date, text, code="date.invalid")


def test_month_length_is_named_in_the_message() -> None:
    error = refused(from_hijri, 1448, 1, 30, code="date.invalid")
    assert error.params["month_length"] == 29
    assert "29" in error.message_ar and "29" in error.message_en


@pytest.mark.parametrize("text", ["1342-12-29", "1501-01-01", "0999-01-01", "1000-01-01هـ"])
def test_hijri_years_outside_the_tables_are_out_of_range(text: str) -> None:
    error = refused(parse_date, text, code="date.out_of_range")
    assert (error.params["low"], error.params["high"]) == (1343, 1500)


def test_gregorian_year_zero_is_out_of_range() -> None:
    refused(parse_date, "0000-01-01", "gregorian", code="date.out_of_range")


# --- conversion round trips -----------------------------------------------------------------


@given(in_table)
def test_gregorian_to_hijri_and_back_is_the_same_day(day: date) -> None:
    assert from_hijri(*to_hijri(day)) == day


@given(hijri_years, st.integers(1, 12), st.integers(1, 30))
def test_hijri_to_gregorian_and_back_is_the_same_date(year: int, month: int, dom: int) -> None:
    try:
        day = from_hijri(year, month, dom)
    except ValidationError as err:
        # Only day 30 of a 29-day month may be missing inside the tables.
        assert err.code == "date.invalid" and dom == 30
        assert from_hijri(year, month, 29) + timedelta(days=1) == from_hijri(*_next(year, month))
        return
    assert to_hijri(day) == (year, month, dom)
    assert type(day) is date  # not the library's subclass


def _next(year: int, month: int) -> tuple[int, int, int]:
    return (year + 1, 1, 1) if month == 12 else (year, month + 1, 1)


@given(in_table)
def test_consecutive_days_are_consecutive_in_hijri(day: date) -> None:
    if day == HIGH:
        return
    year, month, dom = to_hijri(day)
    following = to_hijri(day + timedelta(days=1))
    assert following in {(year, month, dom + 1), _next(year, month)}


# --- spellings: Arabic-Indic digits, orders, markers ---------------------------------------


def _spellings(year: int, month: int, dom: int) -> list[str]:
    return [
        f"{year:04d}-{month:02d}-{dom:02d}",
        f"{year}/{month}/{dom}",
        f"{dom:02d}/{month:02d}/{year}",
        f"{dom}-{month}-{year}",
    ]


@given(in_table)
def test_arabic_indic_spelling_equals_ascii(day: date) -> None:
    for year, month, dom in (day.timetuple()[:3], to_hijri(day)):
        for ascii_text in _spellings(year, month, dom):
            expected = parse_date(ascii_text)
            assert expected.gregorian == day
            assert parse_date(ascii_text.translate(ARABIC_INDIC)) == expected
            assert parse_date(ascii_text.translate(EASTERN_ARABIC_INDIC)) == expected


@given(in_table, st.sampled_from(["ar", "en"]))
def test_formatted_dates_parse_back(day: date, lang: str) -> None:
    hijri = parse_date(format_hijri(day, lang))
    assert hijri.gregorian == day and hijri.calendar is CalendarKind.HIJRI
    gregorian = parse_date(format_gregorian(day, lang))
    assert gregorian.gregorian == day and gregorian.calendar is CalendarKind.GREGORIAN


@given(any_day)
def test_gregorian_parse_of_isoformat_over_every_year(day: date) -> None:
    assert parse_date(day.isoformat()).gregorian == day


def test_formats() -> None:
    day = date(2026, 10, 31)
    assert format_hijri(day, "ar") == "١٤٤٨/٠٥/٢٠هـ"
    assert format_hijri(day, "en") == "1448-05-20 AH"
    assert format_gregorian(day, "ar") == "٢٠٢٦/١٠/٣١م"
    assert format_gregorian(day, "en") == "2026-10-31"


@given(st.text(max_size=30), st.sampled_from(["auto", "gregorian", "hijri"]))
def test_any_text_is_a_date_or_a_validation_error(text: str, calendar) -> None:
    try:
        parsed = parse_date(text, calendar)
    except ValidationError as err:
        assert err.code.startswith("date.")
        assert ARABIC_LETTER.search(err.message_ar) and err.message_en.strip()
    else:
        assert isinstance(parsed.gregorian, date)


# --- ages and dates of birth ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2000, 5, 10), date(2000, 5, 10), 0),
        (date(2000, 5, 10), date(2026, 5, 9), 25),
        (date(2000, 5, 10), date(2026, 5, 10), 26),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
        (date(2000, 2, 29), date(2028, 2, 29), 28),
        (date(1999, 12, 31), date(2000, 1, 1), 0),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@given(
    st.dates(min_value=date(1600, 1, 1), max_value=date(9700, 12, 31)),
    st.integers(min_value=0, max_value=200 * 366),
)
def test_age_is_the_number_of_birthdays_passed(birth: date, offset: int) -> None:
    # Births up to 9700 with 200 years after them stay inside what ``date`` can hold.
    on = birth + timedelta(days=offset)
    age = age_on(birth, on)
    assert age >= 0
    assert age_on(birth, on + timedelta(days=1)) in (age, age + 1)
    # Independent reference: count the years whose birthday (1 March for a 29 February
    # birth in a common year) is on or before ``on``.
    birthdays = 0
    for year in range(birth.year + 1, on.year + 1):
        try:
            anniversary = birth.replace(year=year)
        except ValueError:
            anniversary = date(year, 3, 1)
        birthdays += anniversary <= on
    assert age == birthdays


def test_age_before_birth_is_a_bug() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


def test_birth_date_accepts_today_and_both_calendars() -> None:
    assert validate_birth_date("2026-11-21", today=TODAY).gregorian == TODAY
    parsed = validate_birth_date("١٤١٠/٠١/٠١هـ", today=TODAY)
    assert parsed.gregorian == date(1989, 8, 2) and parsed.calendar is CalendarKind.HIJRI


def test_birth_date_in_the_future_is_refused() -> None:
    refused(validate_birth_date, "2026-11-22", today=TODAY, code="date.future")
    refused(validate_birth_date, "1449-01-01", today=TODAY, code="date.future")


def test_birth_date_age_limit() -> None:
    # Turning 131 tomorrow is still 130 today; turning 131 today is one year too many.
    turns_131_today = TODAY.replace(year=TODAY.year - MAX_AGE_YEARS - 1)
    oldest = turns_131_today + timedelta(days=1)
    assert validate_birth_date(oldest.isoformat(), today=TODAY).gregorian == oldest
    error = refused(
        validate_birth_date, turns_131_today.isoformat(), today=TODAY, code="date.too_old"
    )
    assert error.params == {"age": MAX_AGE_YEARS + 1, "max_age": MAX_AGE_YEARS}


def test_birth_date_passes_the_calendar_and_parse_errors_through() -> None:
    refused(
        validate_birth_date, "1448-05-20", today=TODAY, calendar="gregorian", code="date.too_old"
    )
    refused(validate_birth_date, "30/02/2000", today=TODAY, code="date.invalid")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), in_table)
def test_birth_date_is_accepted_exactly_when_not_future_and_not_too_old(
    birth: date, today: date
) -> None:
    try:
        parsed = validate_birth_date(birth.isoformat(), today=today)
    except ValidationError as err:
        if err.code == "date.future":
            assert birth > today
        else:
            assert err.code == "date.too_old"
            assert age_on(birth, today) > MAX_AGE_YEARS
    else:
        assert parsed.gregorian == birth <= today
        assert age_on(birth, today) <= MAX_AGE_YEARS
