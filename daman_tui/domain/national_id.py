"""Saudi national ID and iqama numbers: validation, kind, masking, and demo construction.

Both are 10 digits. The first digit says who holds it: 1 for a citizen (national ID,
الهوية الوطنية), 2 for a resident (iqama, الإقامة). The last digit is a Luhn check digit
over the other nine: walking left to right, the digits in odd positions (1st, 3rd, …, 9th)
are doubled and their digits summed, the even ones are added as they are, and the check
digit brings the total to a multiple of 10. With ten digits that is exactly the usual
right-to-left Luhn, so it catches every single mistyped digit and most swaps of
neighbours.
"""

from __future__ import annotations

from typing import Literal

from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.errors import ValidationError

__all__ = [
    "IdKind",
    "id_kind",
    "make_national_id",
    "mask_national_id",
    "national_id_check_digit",
    "validate_national_id",
]

IdKind = Literal["citizen", "resident"]

NATIONAL_ID_LENGTH = 10
MASK_CHAR = "•"

_PREFIX_BY_KIND: dict[IdKind, str] = {"citizen": "1", "resident": "2"}
_KIND_BY_PREFIX: dict[str, IdKind] = {prefix: kind for kind, prefix in _PREFIX_BY_KIND.items()}

_TERM_AR = "رقم الهوية الوطنية أو الإقامة"


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit alone would also accept superscripts and other scripts' digits.
    return text.isascii() and text.isdigit()


def _luhn_sum(digits: str) -> int:
    """The Luhn sum with the 1st, 3rd, 5th… digits (counting from the left) doubled."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9  # same as adding the two digits of a number from 10 to 18
        total += value
    return total


def national_id_check_digit(first9: str) -> str:
    """The check digit that completes the nine ASCII digits ``first9`` to a valid ID.

    Raises ``ValueError`` for anything but nine ASCII digits: this is a building block
    for code, not for people's input (that goes through ``validate_national_id``).
    """
    if len(first9) != NATIONAL_ID_LENGTH - 1 or not _is_ascii_digits(first9):
        raise ValueError(f"expected 9 ASCII digits, got {first9!r}")
    # The 10th position is even, so the check digit itself is added undoubled.
    return str(-_luhn_sum(first9) % 10)


def validate_national_id(value: str) -> str:
    """The canonical 10 ASCII digits of a national ID or iqama number typed by a person.

    Arabic-Indic digits and spaces (surrounding or grouping) are accepted. Raises
    ``ValidationError`` with one of the codes ``national_id.empty``,
    ``national_id.not_digits``, ``national_id.length`` (param ``length``),
    ``national_id.prefix`` or ``national_id.check_digit``.
    """
    text = strip_spaces(to_ascii_digits(value))
    if not text:
        raise ValidationError(
            "national_id.empty",
            f"أدخل {_TERM_AR}.",
            "Enter the national ID or iqama number.",
        )
    if not _is_ascii_digits(text):
        raise ValidationError(
            "national_id.not_digits",
            f"{_TERM_AR} يتكوّن من أرقام فقط، دون حروف أو رموز.",
            "The national ID or iqama number must contain digits only.",
        )
    if len(text) != NATIONAL_ID_LENGTH:
        raise ValidationError(
            "national_id.length",
            f"{_TERM_AR} يتكوّن من 10 أرقام (عدد الأرقام المُدخلة: {len(text)}).",
            f"The national ID or iqama number has 10 digits; {len(text)} were entered.",
            length=len(text),
        )
    if text[0] not in _KIND_BY_PREFIX:
        raise ValidationError(
            "national_id.prefix",
            f"{_TERM_AR} يبدأ بالرقم 1 للمواطن أو بالرقم 2 للمقيم.",
            "The national ID or iqama number starts with 1 (citizen) or 2 (resident).",
        )
    if national_id_check_digit(text[:9]) != text[9]:
        raise ValidationError(
            "national_id.check_digit",
            f"{_TERM_AR} غير صحيح؛ تحقّق من الأرقام كما هي في الهوية.",
            "The national ID or iqama number is not valid (the check digit does not match);"
            " check for a mistyped digit.",
        )
    return text


def id_kind(national_id: str) -> IdKind:
    """Whether a valid ID belongs to a citizen or a resident, from its first digit.

    The value is validated first, so a malformed ID raises ``ValidationError`` rather
    than being classified by accident.
    """
    return _KIND_BY_PREFIX[validate_national_id(national_id)[0]]


def make_national_id(kind: IdKind, body8: str) -> str:
    """A valid ID of ``kind`` whose digits 2–9 are ``body8`` (eight ASCII digits).

    For the demo-data generator and tests; real IDs only ever come from the person.
    """
    if kind not in _PREFIX_BY_KIND:
        raise ValueError(f"unknown ID kind {kind!r}")
    if len(body8) != 8 or not _is_ascii_digits(body8):
        raise ValueError(f"expected 8 ASCII digits, got {body8!r}")
    first9 = _PREFIX_BY_KIND[kind] + body8
    return first9 + national_id_check_digit(first9)


def mask_national_id(nid: str) -> str:
    """``nid`` with all but its first digit and last four hidden, e.g. ``1•••••1234``.

    The first digit (citizen or resident) and the last four are what staff read back to
    a caller to confirm identity; the rest stays off screens and printouts. Never
    raises: a value too short to mask partially is hidden entirely.
    """
    text = strip_spaces(to_ascii_digits(nid))
    if len(text) <= 5:
        return MASK_CHAR * len(text)
    return text[0] + MASK_CHAR * (len(text) - 5) + text[-4:]
