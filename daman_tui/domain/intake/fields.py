"""What a field of the unified file is, and how the text a clerk typed becomes a stored value.

A draft keeps every value exactly as typed (a half-typed IBAN is still the clerk's work);
:func:`parse_field` turns one into the typed value its column stores, or raises the
domain's :class:`~daman_tui.domain.errors.ValidationError` with the message the screen
shows under the field. The same function checks a field as it is left, a step before it
is marked complete, and the whole file at submission: one rule, one place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from daman_tui.domain.arabic import validate_free_text, validate_name_part
from daman_tui.domain.banking import validate_iban, validate_iban_confirmation
from daman_tui.domain.dates import parse_date, validate_birth_date
from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.money import parse_money
from daman_tui.domain.national_id import validate_national_id
from daman_tui.domain.phone import (
    validate_additional_number,
    validate_building_number,
    validate_email,
    validate_mobile,
    validate_postal_code,
)
from daman_tui.domain.regions import region, regions

__all__ = [
    "NATIONALITIES",
    "NO",
    "YES",
    "Context",
    "FieldKind",
    "FieldSpec",
    "GroupSpec",
    "SectionSpec",
    "choice_values",
    "parse_field",
    "raw_value",
    "required_error",
]

YES, NO = "yes", "no"

NATIONALITIES: tuple[str, ...] = (
    "SAU",
    "YEM",
    "EGY",
    "SYR",
    "JOR",
    "SDN",
    "PAK",
    "IND",
    "BGD",
    "PHL",
    "IDN",
    "PSE",
    "OTH",
)
"""The nationalities offered at the counter (ISO 3166-1 alpha-3; ``OTH`` for any other)."""

MAX_COUNT = 99
MIN_VEHICLE_YEAR = 1950


class FieldKind(StrEnum):
    """The kind of a field: which widget shows it and which check it passes."""

    NATIONAL_ID = "national_id"
    BIRTH_DATE = "birth_date"
    DATE = "date"
    NAME = "name"
    TEXT = "text"
    MOBILE = "mobile"
    EMAIL = "email"
    IBAN = "iban"
    IBAN_CONFIRM = "iban_confirm"
    MONEY = "money"
    COUNT = "count"
    YEAR = "year"
    DIGITS = "digits"
    BUILDING = "building"
    POSTAL = "postal"
    ADDITIONAL = "additional"
    CHOICE = "choice"
    YESNO = "yesno"
    REGION = "region"
    CITY = "city"
    NATIONALITY = "nationality"


@dataclass(frozen=True)
class FieldSpec:
    """One question of the file.

    ``key`` is the stored column's name (the service writes the parsed value under it);
    ``column=False`` marks a field that is checked but not stored (the IBAN typed again).
    ``when`` shows the field only while another field of the same section has a given
    value (``("has_workers", "yes")``); a hidden field is neither asked nor stored.
    """

    key: str
    kind: FieldKind
    required: bool = True
    choices: type[StrEnum] | None = None
    when: tuple[str, str] | None = None
    max_length: int = 120
    column: bool = True

    @property
    def numeric(self) -> bool:
        """Whether the field takes digits only (the widget refuses other keys)."""
        return self.kind in _NUMERIC

    @property
    def left_to_right(self) -> bool:
        """Whether the value is a code or a number, typed left to right in any language."""
        return self.kind in _NUMERIC or self.kind in _CODES

    @property
    def is_choice(self) -> bool:
        """Whether the value is picked from a list rather than typed."""
        return self.kind in _CHOICES


_NUMERIC = frozenset(
    {
        FieldKind.NATIONAL_ID,
        FieldKind.COUNT,
        FieldKind.YEAR,
        FieldKind.DIGITS,
        FieldKind.BUILDING,
        FieldKind.POSTAL,
        FieldKind.ADDITIONAL,
    }
)
_CODES = frozenset(
    {
        FieldKind.BIRTH_DATE,
        FieldKind.DATE,
        FieldKind.MOBILE,
        FieldKind.EMAIL,
        FieldKind.IBAN,
        FieldKind.IBAN_CONFIRM,
        FieldKind.MONEY,
    }
)
_CHOICES = frozenset(
    {FieldKind.CHOICE, FieldKind.YESNO, FieldKind.REGION, FieldKind.CITY, FieldKind.NATIONALITY}
)


@dataclass(frozen=True)
class GroupSpec:
    """A repeatable section: any number of entries (income lines, licences, vehicles)."""

    key: str
    fields: tuple[FieldSpec, ...]
    summary: tuple[str, ...]
    """The fields a list of entries shows, one column each."""


@dataclass(frozen=True)
class SectionSpec:
    """A part of a step: single questions and repeatable groups, about one person or the
    household."""

    key: str
    fields: tuple[FieldSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a check needs beyond the value: today, and the other values of its section."""

    today: date
    values: Mapping[str, str] = field(default_factory=dict)


def required_error() -> ValidationError:
    """The message of an empty required field."""
    return ValidationError("field.required", "هذا الحقل مطلوب.", "This field is required.")


def choice_values(spec: FieldSpec, ctx: Context) -> tuple[str, ...]:
    """The values a choice field offers (a city's depend on the region chosen)."""
    if spec.kind is FieldKind.YESNO:
        return (YES, NO)
    if spec.kind is FieldKind.REGION:
        return tuple(r.code for r in regions())
    if spec.kind is FieldKind.CITY:
        code = ctx.values.get("region_code", "")
        known = {r.code for r in regions()}
        return tuple(c.name_ar for c in region(code).cities) if code in known else ()
    if spec.kind is FieldKind.NATIONALITY:
        return NATIONALITIES
    if spec.choices is not None:
        return tuple(m.value for m in spec.choices)
    return ()


def _choice(spec: FieldSpec, raw: str, ctx: Context) -> Any:
    offered = choice_values(spec, ctx)
    if raw not in offered:
        if spec.kind is FieldKind.CITY and not offered:
            raise ValidationError(
                "city.no_region",
                "اختر المنطقة أولًا ثم المدينة.",
                "Choose the region first, then the city.",
            )
        raise ValidationError(
            "choice.unknown",
            "اختر قيمة من القائمة.",
            "Choose a value from the list.",
            value=raw,
        )
    if spec.kind is FieldKind.YESNO:
        return raw == YES
    if spec.choices is not None:
        return spec.choices(raw)
    return raw


def _digits(raw: str, low: int, high: int, code: str, ar: str, en: str) -> int:
    text = strip_spaces(to_ascii_digits(raw))
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValidationError(code, ar, en, low=low, high=high, value=raw)
    return int(text)


def _count(raw: str, _ctx: Context) -> int:
    return _digits(
        raw,
        0,
        MAX_COUNT,
        "count.range",
        f"اكتب عددًا من 0 إلى {MAX_COUNT}.",
        f"Enter a number from 0 to {MAX_COUNT}.",
    )


def _year(raw: str, ctx: Context) -> int:
    high = ctx.today.year + 1
    return _digits(
        raw,
        MIN_VEHICLE_YEAR,
        high,
        "year.range",
        f"اكتب سنة الصنع بأربعة أرقام، من {MIN_VEHICLE_YEAR} إلى {high}.",
        f"Enter the year of manufacture in four digits, from {MIN_VEHICLE_YEAR} to {high}.",
    )


def _plain_digits(raw: str, _ctx: Context) -> str:
    text = strip_spaces(to_ascii_digits(raw))
    if not text.isdigit() or len(text) > 12:
        raise ValidationError(
            "digits.only",
            "هذا الحقل يقبل الأرقام فقط (حتى 12 رقمًا).",
            "This field takes digits only (up to 12).",
        )
    return text


def _birth(raw: str, ctx: Context) -> date:
    return validate_birth_date(raw, today=ctx.today).gregorian


def _iban_confirm(raw: str, ctx: Context) -> str:
    first = ctx.values.get("iban", "")
    try:
        validate_iban(first)
    except ValidationError:
        # The first field carries its own error; this one can only be judged against a
        # valid IBAN.
        raise ValidationError(
            "iban.confirm_first",
            "صحّح رقم الحساب البنكي أولًا، ثم أعد كتابته هنا.",
            "Correct the IBAN first, then type it again here.",
        ) from None
    return validate_iban_confirmation(first, raw)


_PARSERS: dict[FieldKind, Callable[[str, Context], Any]] = {
    FieldKind.NATIONAL_ID: lambda raw, _c: validate_national_id(raw),
    FieldKind.BIRTH_DATE: _birth,
    FieldKind.DATE: lambda raw, _c: parse_date(raw).gregorian,
    FieldKind.MOBILE: lambda raw, _c: validate_mobile(raw),
    FieldKind.EMAIL: lambda raw, _c: validate_email(raw),
    FieldKind.IBAN: lambda raw, _c: validate_iban(raw),
    FieldKind.IBAN_CONFIRM: _iban_confirm,
    FieldKind.MONEY: lambda raw, _c: parse_money(raw),
    FieldKind.COUNT: _count,
    FieldKind.YEAR: _year,
    FieldKind.DIGITS: _plain_digits,
    FieldKind.BUILDING: lambda raw, _c: validate_building_number(raw),
    FieldKind.POSTAL: lambda raw, _c: validate_postal_code(raw),
    FieldKind.ADDITIONAL: lambda raw, _c: validate_additional_number(raw),
}


def parse_field(spec: FieldSpec, raw: str, ctx: Context) -> Any:
    """The stored value of ``raw`` for ``spec``; raises ``ValidationError`` when refused.

    An empty value is ``None`` for an optional field and ``field.required`` for a
    required one; the caller decides whether a hidden field is asked at all.
    """
    if not raw.strip():
        if spec.required:
            raise required_error()
        return None
    if spec.kind is FieldKind.NAME:
        return validate_name_part(raw, max_len=spec.max_length)
    if spec.kind is FieldKind.TEXT:
        return validate_free_text(raw, max_len=spec.max_length, required=spec.required)
    if spec.is_choice:
        return _choice(spec, raw, ctx)
    return _PARSERS[spec.kind](raw, ctx)


def raw_value(spec: FieldSpec, value: Any) -> str:
    """A stored value as the text its field shows (the inverse of :func:`parse_field`),
    for opening a stored file to update it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if spec.kind is FieldKind.MONEY:
        riyals, halalas = divmod(int(value), 100)
        return f"{riyals}.{halalas:02d}" if halalas else str(riyals)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return str(value)
