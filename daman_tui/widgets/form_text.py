"""What the wizard shows for a field: its label, its choices, its value read back, and the
hint under it (the other calendar, the bank, the amount)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from daman_tui.domain.banking import bank_for_iban
from daman_tui.domain.dates import age_on, format_gregorian, format_hijri, parse_date
from daman_tui.domain.enums import CalendarKind
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.intake.fields import (
    Context,
    FieldKind,
    FieldSpec,
    choice_values,
    parse_field,
)
from daman_tui.domain.money import format_money
from daman_tui.domain.national_id import id_kind
from daman_tui.domain.regions import region, regions
from daman_tui.text.catalog import t

__all__ = ["display_value", "field_label", "hint", "options"]


def field_label(spec: FieldSpec, lang: str) -> str:
    """The question, with a mark on the required ones."""
    label = t(f"field.{spec.key}", lang)
    return f"{label} *" if spec.required else label


def options(  # noqa: PLR0911 - one return per kind of choice
    spec: FieldSpec, values: dict[str, str], lang: str
) -> list[tuple[str, str]]:
    """The (value, label) pairs a choice field offers, labelled in ``lang``."""
    ctx = Context(date.today(), values)
    offered = choice_values(spec, ctx)
    if spec.kind is FieldKind.YESNO:
        return [(v, t(f"answer.{v}", lang)) for v in offered]
    if spec.kind is FieldKind.REGION:
        return [(r.code, r.name_ar if lang == "ar" else r.name_en) for r in regions()]
    if spec.kind is FieldKind.CITY:
        code = values.get("region_code", "")
        if not offered:
            return []
        return [(c.name_ar, c.name_ar if lang == "ar" else c.name_en) for c in region(code).cities]
    if spec.kind is FieldKind.NATIONALITY:
        return [(v, t(f"nationality.{v}", lang)) for v in offered]
    if spec.choices is not None:
        return [(m.value, t(f"enum.{spec.choices.__name__}.{m.value}", lang)) for m in spec.choices]
    return []


def display_value(  # noqa: PLR0911 - one return per kind of value
    spec: FieldSpec, values: dict[str, str], lang: str, today: date
) -> str:
    """The value as the review step reads it back: a choice by its label, money in riyals."""
    raw = values.get(spec.key, "")
    if not raw:
        return "—"
    if spec.is_choice:
        return dict(options(spec, values, lang)).get(raw, raw)
    try:
        parsed = parse_field(spec, raw, Context(today, values))
    except ValidationError:
        return raw
    if spec.kind is FieldKind.MONEY and isinstance(parsed, int):
        return format_money(parsed, lang)
    if isinstance(parsed, date):
        return _both_calendars(parsed, raw, lang)
    if isinstance(parsed, StrEnum):
        return parsed.value
    return str(parsed)


def _both_calendars(day: date, raw: str, lang: str) -> str:
    try:
        hijri = format_hijri(day, lang)
    except ValidationError:
        return format_gregorian(day, lang)
    given = parse_date(raw).calendar
    first, second = (
        (hijri, format_gregorian(day, lang))
        if given is CalendarKind.HIJRI
        else (format_gregorian(day, lang), hijri)
    )
    return f"{first} — {second}"


def hint(  # noqa: PLR0911 - one return per kind of hint
    spec: FieldSpec, values: dict[str, str], lang: str, today: date
) -> str:
    """A line under a valid value that confirms what was understood; "" when none."""
    raw = values.get(spec.key, "")
    if not raw.strip():
        return ""
    try:
        parsed = parse_field(spec, raw, Context(today, values))
    except ValidationError:
        return ""
    if spec.kind in (FieldKind.DATE, FieldKind.BIRTH_DATE) and isinstance(parsed, date):
        other = _other_calendar(parsed, raw, lang)
        if spec.kind is FieldKind.BIRTH_DATE:
            age = t("intake.hint.age", lang, age=age_on(parsed, today))
            return f"{other} — {age}" if other else age
        return other
    if spec.kind is FieldKind.IBAN and isinstance(parsed, str):
        bank = bank_for_iban(parsed)
        return t("intake.hint.bank", lang, bank=bank.name_ar if lang == "ar" else bank.name_en)
    if spec.kind is FieldKind.MONEY and isinstance(parsed, int):
        return t("intake.hint.money", lang, amount=format_money(parsed, lang))
    if spec.kind is FieldKind.NATIONAL_ID and isinstance(parsed, str):
        return t(f"intake.hint.{id_kind(parsed)}", lang)
    return ""


def _other_calendar(day: date, raw: str, lang: str) -> str:
    """The date in the calendar it was not typed in."""
    if parse_date(raw).calendar is CalendarKind.HIJRI:
        return t("intake.hint.hijri_given", lang, date=format_gregorian(day, lang))
    try:
        return t("intake.hint.gregorian_given", lang, date=format_hijri(day, lang))
    except ValidationError:
        return ""
