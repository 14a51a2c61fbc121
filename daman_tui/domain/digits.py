"""Normalising numbers as staff type them: Arabic-Indic digits and stray spaces.

Branch staff switch between Arabic and English keyboard layouts all day, so a national ID
or an IBAN may arrive as ``١٠٢٣…`` (Arabic-Indic, U+0660–0669), ``۱۰۲۳…`` (Eastern
Arabic-Indic, U+06F0–06F9, from Persian/Urdu layouts) or a mixture. Every validator runs
its input through these helpers first, so the rest of the code only ever sees ASCII.
"""

from __future__ import annotations

__all__ = ["strip_spaces", "to_ascii_digits"]

_ARABIC_INDIC_ZERO = 0x0660
_EASTERN_ARABIC_INDIC_ZERO = 0x06F0

# One table for both digit families, built once: str.translate is a single C-level pass,
# far cheaper than per-character lookups when a whole table of rows is re-validated.
_DIGITS_TABLE: dict[int, int] = {
    zero + offset: ord("0") + offset
    for zero in (_ARABIC_INDIC_ZERO, _EASTERN_ARABIC_INDIC_ZERO)
    for offset in range(10)
}

# Spaces a person can type or paste without seeing them. Beyond ASCII space and tab, the
# no-break spaces (U+00A0, U+202F) come from numbers copied out of Word documents and web
# pages that group digits with them. The zero-width characters and the directional marks
# (LRM, RLM, ALM) are invisible too; they ride along when a number is copied out of
# right-to-left text and would otherwise make "1234" fail a digits-only check.
_SPACE_CODEPOINTS: tuple[int, ...] = (
    0x0009,  # tab
    0x000A,  # line feed
    0x000D,  # carriage return
    0x0020,  # space
    0x00A0,  # no-break space
    *range(0x2000, 0x200B),  # en quad … hair space
    0x200B,  # zero-width space
    0x200C,  # zero-width non-joiner
    0x200D,  # zero-width joiner
    0x200E,  # left-to-right mark
    0x200F,  # right-to-left mark
    0x061C,  # Arabic letter mark
    0x202F,  # narrow no-break space
    0x205F,  # medium mathematical space
    0x3000,  # ideographic space
    0xFEFF,  # zero-width no-break space (BOM)
)
_SPACES_TABLE: dict[int, None] = dict.fromkeys(_SPACE_CODEPOINTS)


def to_ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Eastern Arabic-Indic digits replaced by ASCII 0-9.

    Everything else is left as it is, so the caller still sees letters and punctuation
    and can refuse them with a precise message.

    >>> to_ascii_digits("١٠٢٣ ۴۵")
    '1023 45'
    """
    return text.translate(_DIGITS_TABLE)


def strip_spaces(text: str) -> str:
    """``text`` without any ASCII or common Unicode space, anywhere in it.

    Meant for typed numbers (IDs, IBANs, phone numbers), where a space is only ever
    grouping; never apply it to names or free text.

    >>> strip_spaces("SA03\\u00a08000 0000")
    'SA0380000000'
    """
    return text.translate(_SPACES_TABLE)
