"""Every validator of a typed value under one name, for `daman validate KIND VALUE`.

Each entry takes the text as a person typed it and returns its canonical form as one
line of text, or raises :class:`~daman_tui.domain.errors.ValidationError`. The
validators themselves live in their own modules; this is only the index, plus the one
check that exists nowhere else (an iqama must belong to a resident).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from daman_tui.domain.arabic import validate_name_part
from daman_tui.domain.banking import validate_iban
from daman_tui.domain.dates import ParsedDate, age_on, parse_date, validate_birth_date
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.money import HALALAS_PER_RIYAL, parse_money
from daman_tui.domain.names import split_full_name
from daman_tui.domain.national_id import id_kind, validate_national_id
from daman_tui.domain.phone import (
    validate_additional_number,
    validate_building_number,
    validate_email,
    validate_mobile,
    validate_postal_code,
)

__all__ = ["KINDS", "VALIDATORS", "validate", "validate_iqama"]


def validate_iqama(value: str) -> str:
    """A valid ID number that is an iqama (a resident's, first digit 2).

    Raises the ``national_id.*`` codes of ``validate_national_id``, and
    ``national_id.not_resident`` for a valid citizen's national ID.
    """
    canonical = validate_national_id(value)
    if id_kind(canonical) != "resident":
        raise ValidationError(
            "national_id.not_resident",
            "هذا رقم هوية وطنية لمواطن، وليس رقم إقامة؛ رقم الإقامة يبدأ بالرقم 2.",
            "This is a citizen's national ID, not an iqama number; an iqama number starts with 2.",
        )
    return canonical


def _date_line(parsed: ParsedDate) -> str:
    if parsed.hijri is None:
        return f"{parsed.gregorian.isoformat()} (no hijri date)"
    year, month, day = parsed.hijri
    return f"{parsed.gregorian.isoformat()} (hijri {year:04d}-{month:02d}-{day:02d})"


def _date(value: str) -> str:
    return _date_line(parse_date(value))


def _birth_date(value: str) -> str:
    # The one validator that depends on the day it runs: a command-line check is about now.
    today = date.today()
    parsed = validate_birth_date(value, today=today)
    return f"{_date_line(parsed)}, age {age_on(parsed.gregorian, today)}"


def _money(value: str) -> str:
    riyals, halalas = divmod(parse_money(value), HALALAS_PER_RIYAL)
    return f"{riyals}.{halalas:02d}"


def _name(value: str) -> str:
    return validate_name_part(value)


def _full_name(value: str) -> str:
    return " | ".join(split_full_name(value))


VALIDATORS: dict[str, Callable[[str], str]] = {
    "national-id": validate_national_id,
    "iqama": validate_iqama,
    "iban": validate_iban,
    "mobile": validate_mobile,
    "email": validate_email,
    "building-number": validate_building_number,
    "postal-code": validate_postal_code,
    "additional-number": validate_additional_number,
    "name": _name,
    "full-name": _full_name,
    "date": _date,
    "birth-date": _birth_date,
    "money": _money,
}
"""Kind name → validator returning the canonical text. Canonical forms: IDs, IBAN,
mobile, address numbers as stored; ``full-name`` as ``first | father | grandfather |
family``; ``date`` as ``YYYY-MM-DD (hijri YYYY-MM-DD)``; ``birth-date`` the same plus
``, age N`` as of today; ``money`` as SAR with two decimals (``1250.50``)."""

KINDS: tuple[str, ...] = tuple(VALIDATORS)


def validate(kind: str, value: str) -> str:
    """The canonical form of ``value`` as a ``kind`` (one of :data:`KINDS`).

    Raises ``ValidationError`` when the value is refused, and ``ValueError`` naming the
    known kinds when ``kind`` is not one of them.
    """
    validator = VALIDATORS.get(kind)
    if validator is None:
        raise ValueError(f"unknown kind {kind!r}; known kinds: {', '.join(KINDS)}")
    return validator(value)
