"""Dates as people give them: Hijri (Umm al-Qura) or Gregorian, in either digit family.

Saudis commonly give a date of birth in Hijri, as printed on the national ID; the store
keeps Gregorian and screens show both (DOMAIN.md). The conversion is hijridate's, which
implements the official Umm al-Qura tables; those tables cover only a limited span
(Hijri 1343-01-01 to 1500-12-30, i.e. Gregorian 1924-08-01 to 2077-11-16), and a Hijri
date outside it cannot be converted at all, so it is refused with ``date.out_of_range``.
A *Gregorian* date outside the span is still a perfectly good date (an applicant born in
1920 exists); it simply has no Hijri equivalent here, and :class:`ParsedDate` says so with
``hijri=None``.

Accepted spellings (after Arabic-Indic digits become ASCII and spaces are dropped):

* ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``DD/MM/YYYY`` and ``DD-MM-YYYY``; month and day may
  have one or two digits; the year always has four, which is what keeps the two orders
  apart. One separator throughout.
* An optional calendar marker at the end: ``هـ`` (also ``ه`` without the tatweel, as it
  is often typed, or ``AH``) for Hijri; ``م`` (or ``AD``/``CE``) for Gregorian. The
  formats written by :func:`format_hijri` and :func:`format_gregorian` therefore parse
  back to the same day.

Calendar "auto" rule: a marker decides; without one, a year below 1600 is Hijri and any
other year Gregorian. Hijri years in use run from the 1300s to the 1400s (the
convertible range stops at 1500) and Gregorian dates of living people start in the late
1800s, so the two never come near 1600, and a typing slip in the year cannot move a date
across the line unnoticed: it lands outside every range and is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from typing import Literal

from hijridate import Gregorian, Hijri
from hijridate import ummalqura as _ummalqura

from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.enums import CalendarKind
from daman_tui.domain.errors import ValidationError

__all__ = [
    "AUTO_HIJRI_BEFORE_YEAR",
    "GREGORIAN_RANGE",
    "HIJRI_RANGE",
    "MAX_AGE_YEARS",
    "CalendarChoice",
    "ParsedDate",
    "age_on",
    "format_gregorian",
    "format_hijri",
    "from_hijri",
    "parse_date",
    "to_hijri",
    "validate_birth_date",
]

CalendarChoice = Literal["auto", "gregorian", "hijri"]
HijriTuple = tuple[int, int, int]

AUTO_HIJRI_BEFORE_YEAR = 1600
"""With calendar "auto" and no marker, a year below this is read as Hijri."""

MAX_AGE_YEARS = 130
"""Oldest accepted age (our choice): older than any living person, so only a slip."""


def _triple(values: tuple[int, ...]) -> HijriTuple:
    year, month, day = values
    return (year, month, day)


# The span the Umm al-Qura tables cover, taken from the library rather than copied, so an
# upgrade that extends the tables extends what we accept.
HIJRI_RANGE: tuple[HijriTuple, HijriTuple] = (
    _triple(_ummalqura.HIJRI_RANGE[0]),
    _triple(_ummalqura.HIJRI_RANGE[1]),
)
GREGORIAN_RANGE: tuple[date, date] = (
    date(*_ummalqura.GREGORIAN_RANGE[0]),
    date(*_ummalqura.GREGORIAN_RANGE[1]),
)

_HIJRI_MARKERS = ("هـ", "ه", "AH")
_GREGORIAN_MARKERS = ("م", "AD", "CE")
_YMD_RE = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})")
_DMY_RE = re.compile(r"([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4})")

_TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

_EXAMPLES = "1448-05-20 AH, 20/05/1448, 2026-11-01"


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A day as a person gave it, in both calendars.

    ``calendar`` is the calendar the value was *given* in (worth storing next to the
    Gregorian day, so a screen can echo the applicant's own spelling). ``hijri`` is
    ``None`` only for a Gregorian day outside the Umm al-Qura tables (see
    :data:`GREGORIAN_RANGE`); a Hijri input always has it.
    """

    gregorian: date
    hijri: HijriTuple | None
    calendar: CalendarKind


def _format_error(value: str) -> ValidationError:
    return ValidationError(
        "date.format",
        "صيغة التاريخ غير صحيحة؛ اكتب السنة بأربعة أرقام، مثل 1448-05-20هـ أو 20/05/1448"
        " أو 2026-11-01.",
        f"The date is not in a recognised form; write the year with four digits, e.g. {_EXAMPLES}.",
        value=value,
    )


def _hijri_out_of_range(year: int, month: int, day: int) -> ValidationError:
    (low_y, _, _), (high_y, _, _) = HIJRI_RANGE
    return ValidationError(
        "date.out_of_range",
        f"لا يمكن تحويل التاريخ الهجري {year:04d}/{month:02d}/{day:02d}هـ؛ التقويم (أم القرى)"
        f" متاح من سنة {low_y} إلى سنة {high_y}هـ. أدخل التاريخ الميلادي بدلًا منه.",
        f"The Hijri date {year:04d}-{month:02d}-{day:02d} cannot be converted: the Umm"
        f" al-Qura calendar is available for the years {low_y} to {high_y} AH. Enter the"
        " Gregorian date instead.",
        year=year,
        low=low_y,
        high=high_y,
    )


def to_hijri(day: date) -> HijriTuple:
    """The Umm al-Qura ``(year, month, day)`` of the Gregorian ``day``.

    Raises ``ValidationError`` ``date.out_of_range`` outside :data:`GREGORIAN_RANGE`.
    """
    low, high = GREGORIAN_RANGE
    if not low <= day <= high:
        raise ValidationError(
            "date.out_of_range",
            f"لا يوجد تاريخ هجري (أم القرى) لليوم {day.isoformat()}م؛ التقويم متاح من"
            f" {low.isoformat()}م إلى {high.isoformat()}م.",
            f"There is no Umm al-Qura Hijri date for {day.isoformat()}; the calendar covers"
            f" {low.isoformat()} to {high.isoformat()}.",
            low=low.isoformat(),
            high=high.isoformat(),
        )
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return (int(hijri.year), int(hijri.month), int(hijri.day))


def _hijri_or_none(day: date) -> HijriTuple | None:
    low, high = GREGORIAN_RANGE
    return to_hijri(day) if low <= day <= high else None


def from_hijri(year: int, month: int, day: int) -> date:
    """The Gregorian day of the Umm al-Qura date ``year/month/day``.

    Raises ``ValidationError``: ``date.invalid`` for a month outside 1–12 or a day the
    month does not have (Hijri months have 29 or 30 days, by the tables), and
    ``date.out_of_range`` for a year outside :data:`HIJRI_RANGE`. A day that exists in
    no month (31 and up) is ``date.invalid`` even when the year is out of range too:
    that is the mistake to fix first.
    """
    if not 1 <= month <= 12:
        raise ValidationError(
            "date.invalid",
            f"الشهر الهجري {month} غير موجود؛ الأشهر من 1 (محرم) إلى 12 (ذو الحجة).",
            f"There is no Hijri month {month}; months run from 1 (Muharram) to 12 (Dhu al-Hijjah).",
            month=month,
        )
    if not 1 <= day <= 30:
        raise ValidationError(
            "date.invalid",
            f"اليوم {day} غير موجود؛ الشهر الهجري 29 أو 30 يومًا.",
            f"There is no day {day}: a Hijri month has 29 or 30 days.",
            day=day,
        )
    (low_y, _, _), (high_y, _, _) = HIJRI_RANGE
    if not low_y <= year <= high_y:
        raise _hijri_out_of_range(year, month, day)
    try:
        converted = Hijri(year, month, day).to_gregorian()
    except OverflowError as err:  # the library's own range check, should ours drift
        raise _hijri_out_of_range(year, month, day) from err
    except ValueError as err:
        # The only check left is the month's length, which only the tables know.
        length = int(Hijri(year, month, 1).month_length())
        raise ValidationError(
            "date.invalid",
            f"الشهر {month} من سنة {year}هـ عدد أيامه {length} يومًا فقط، فلا يوجد اليوم {day}.",
            f"Month {month} of {year} AH has only {length} days, so there is no day {day}.",
            year=year,
            month=month,
            day=day,
            month_length=length,
        ) from err
    return date(converted.year, converted.month, converted.day)


def _gregorian_day(year: int, month: int, day: int) -> date:
    if not MINYEAR <= year <= MAXYEAR:
        raise ValidationError(
            "date.out_of_range",
            f"السنة الميلادية {year} غير مقبولة.",
            f"The Gregorian year {year} is not accepted.",
            year=year,
        )
    try:
        return date(year, month, day)
    except ValueError as err:
        raise ValidationError(
            "date.invalid",
            f"التاريخ الميلادي {year:04d}-{month:02d}-{day:02d} غير موجود في التقويم"
            " (تحقّق من اليوم والشهر).",
            f"The Gregorian date {year:04d}-{month:02d}-{day:02d} does not exist; check the"
            " day and the month.",
            year=year,
            month=month,
            day=day,
        ) from err


def _split_marker(text: str) -> tuple[str, CalendarKind | None]:
    """``text`` without a trailing calendar marker, and the calendar the marker names."""
    upper = text.upper() if text.isascii() else text
    for markers, kind in (
        (_HIJRI_MARKERS, CalendarKind.HIJRI),
        (_GREGORIAN_MARKERS, CalendarKind.GREGORIAN),
    ):
        for marker in markers:  # "هـ" is tried before its prefix-free spelling "ه"
            if upper.endswith(marker):
                return text[: -len(marker)], kind
    return text, None


def parse_date(value: str, calendar: CalendarChoice = "auto") -> ParsedDate:
    """The day that ``value`` names, in both calendars (see the module docstring).

    ``calendar`` "hijri" or "gregorian" fixes how an unmarked date is read; a marker
    contradicting it is ``date.calendar_mismatch``. Other codes: ``date.empty``,
    ``date.format``, ``date.invalid`` (30 February, Hijri month 13, day 30 of a 29-day
    Hijri month) and ``date.out_of_range`` (a Hijri year outside :data:`HIJRI_RANGE`).
    """
    text = strip_spaces(to_ascii_digits(value))
    if not text:
        raise ValidationError("date.empty", "أدخل التاريخ.", "Enter the date.")
    body, marked = _split_marker(text)
    match = _YMD_RE.fullmatch(body)
    if match is not None:
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    else:
        match = _DMY_RE.fullmatch(body)
        if match is None:
            raise _format_error(value)
        day, month, year = int(match[1]), int(match[3]), int(match[4])

    if calendar == "auto":
        if marked is not None:
            kind = marked
        else:
            kind = CalendarKind.HIJRI if year < AUTO_HIJRI_BEFORE_YEAR else CalendarKind.GREGORIAN
    else:
        kind = CalendarKind(calendar)
        if marked is not None and marked != kind:
            given_ar = "هجري" if marked is CalendarKind.HIJRI else "ميلادي"
            wanted_ar = "هجري" if kind is CalendarKind.HIJRI else "ميلادي"
            raise ValidationError(
                "date.calendar_mismatch",
                f"التاريخ مكتوب بعلامة تقويم {given_ar}، والمطلوب هنا تاريخ {wanted_ar}.",
                f"The date is marked as {marked.value}, but a {kind.value} date is asked for.",
                given=marked.value,
                expected=kind.value,
            )

    if kind is CalendarKind.HIJRI:
        gregorian = from_hijri(year, month, day)
        return ParsedDate(gregorian=gregorian, hijri=(year, month, day), calendar=kind)
    gregorian = _gregorian_day(year, month, day)
    return ParsedDate(gregorian=gregorian, hijri=_hijri_or_none(gregorian), calendar=kind)


def format_hijri(day: date, lang: str) -> str:
    """The Hijri date of ``day`` for display: ``١٤٤٨/٠٥/٢٠هـ`` (ar) or ``1448-05-20 AH``.

    Raises ``ValidationError`` ``date.out_of_range`` when ``day`` has no Hijri date.
    """
    year, month, dom = to_hijri(day)
    if lang == "ar":
        return f"{year:04d}/{month:02d}/{dom:02d}هـ".translate(_TO_ARABIC_INDIC)
    return f"{year:04d}-{month:02d}-{dom:02d} AH"


def format_gregorian(day: date, lang: str) -> str:
    """The Gregorian date for display: ``٢٠٢٦/١١/٠١م`` (ar) or ``2026-11-01`` (en).

    The Arabic form mirrors :func:`format_hijri` (same order, digits and separator) with
    the Gregorian marker م, so the two read alike side by side.
    """
    if lang == "ar":
        return f"{day.year:04d}/{day.month:02d}/{day.day:02d}م".translate(_TO_ARABIC_INDIC)
    return day.isoformat()


def age_on(birth: date, on: date) -> int:
    """Completed Gregorian years from ``birth`` to ``on``.

    The age goes up on the birthday; someone born on 29 February gains a year on 1 March
    in common years (the birthday has not come until the day after 28 February). Raises
    ``ValueError`` when ``on`` is before ``birth``: that is a caller's bug, people's
    input goes through :func:`validate_birth_date`.
    """
    if on < birth:
        raise ValueError(f"{on.isoformat()} is before the birth date {birth.isoformat()}")
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def validate_birth_date(
    value: str, *, today: date, calendar: CalendarChoice = "auto"
) -> ParsedDate:
    """A date of birth typed by a person, checked against ``today``.

    Any code of :func:`parse_date`, then ``date.future`` for a day after ``today`` and
    ``date.too_old`` for an age above :data:`MAX_AGE_YEARS`. Born today is accepted
    (age 0): a newborn can be registered as a dependant. ``today`` is a parameter so
    that the check is reproducible (tests, and a case reviewed as of its own day).
    """
    parsed = parse_date(value, calendar)
    if parsed.gregorian > today:
        raise ValidationError(
            "date.future",
            "تاريخ الميلاد بعد تاريخ اليوم؛ تحقّق من السنة ومن نوع التقويم (هجري أو ميلادي).",
            "The date of birth is after today; check the year and the calendar (Hijri or"
            " Gregorian).",
            birth=parsed.gregorian.isoformat(),
            today=today.isoformat(),
        )
    age = age_on(parsed.gregorian, today)
    if age > MAX_AGE_YEARS:
        raise ValidationError(
            "date.too_old",
            f"تاريخ الميلاد يعني أن العمر {age} سنة، وهو أكبر من {MAX_AGE_YEARS}؛ تحقّق من السنة"
            " ومن نوع التقويم.",
            f"The date of birth gives an age of {age}, above {MAX_AGE_YEARS}; check the year"
            " and the calendar.",
            age=age,
            max_age=MAX_AGE_YEARS,
        )
    return parsed
