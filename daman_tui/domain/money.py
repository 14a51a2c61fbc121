"""Amounts of money in Saudi riyals, kept as whole halalas (1 SAR = 100 halalas).

Integers, never floats: a pension is the sum of many amounts, and 0.1 + 0.2 must be 0.3
to the halala. People type amounts in either digit family, with the Arabic decimal
separator (٫, U+066B) or a full stop, and with thousands grouped by a comma or the Arabic
thousands separator (٬, U+066C).

What is accepted, precisely (after the digits become ASCII and spaces are dropped):

* digits, optionally grouped in thousands; if grouped, every group after the first has
  exactly three digits (``1,250`` yes, ``1,25`` no: someone who writes ``1,25`` may mean
  one and a quarter, and guessing would move money);
* optionally a decimal separator followed by one or two digits; three or more are
  refused (``money.decimals``) even when they are zeros, because ``1.500`` is how much of
  the world writes fifteen hundred;
* optionally the currency, before or after: ``SAR``, ``ريال``, ``ر.س`` or ``﷼``, so that
  what :func:`format_money` writes parses back.
"""

from __future__ import annotations

import re

from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.errors import ValidationError

__all__ = ["HALALAS_PER_RIYAL", "MAX_MONTHLY_HALALAS", "format_money", "parse_money"]

HALALAS_PER_RIYAL = 100

MAX_MONTHLY_HALALAS = 10_000_000 * HALALAS_PER_RIYAL
"""Largest amount accepted (our choice): 10 million SAR, for a monthly amount.

Every amount this programme handles (income, rent, a pension) is monthly, and a household
with ten million riyals a month is not an applicant: above this the value is a slip (an
IBAN pasted into the income field, a few zeros too many), so it is refused rather than
allowed to skew an eligibility test.
"""

_ARABIC_DECIMAL = "\u066b"  # ٫
_ARABIC_THOUSANDS = "\u066c"  # ٬
_MINUS_SIGNS = "-\u2212\u2012\u2013\u2014"  # hyphen-minus, minus, figure/en/em dashes

# Currency words, longest first so "ر.س" is not read as a stray "ر".
_CURRENCIES = ("SAR", "ريال", "ر.س", "\ufdfc")
_NUMBER_RE = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?")

# A whole part longer than this is above the maximum whatever its digits; checking the
# length first also keeps a pasted wall of digits away from int(), which refuses strings
# beyond a few thousand digits with an unrelated error.
_MAX_WHOLE_DIGITS = len(str(MAX_MONTHLY_HALALAS // HALALAS_PER_RIYAL))


def _strip_currency(text: str) -> str:
    upper = text.upper() if text.isascii() else text
    for word in _CURRENCIES:
        if upper.startswith(word):
            return text[len(word) :]
        if upper.endswith(word):
            return text[: -len(word)]
    return text


def _format_error(value: str) -> ValidationError:
    return ValidationError(
        "money.format",
        "المبلغ غير صحيح؛ اكتبه بالأرقام مثل 1250 أو 1,250.50 (هللتان على الأكثر بعد الفاصلة).",
        "The amount is not valid; write it in digits, e.g. 1250 or 1,250.50.",
        value=value,
    )


def _too_large() -> ValidationError:
    return ValidationError(
        "money.too_large",
        "المبلغ أكبر من 10,000,000 ريال، وهو الحد الأعلى لمبلغ شهري؛ تحقّق من عدد الأرقام.",
        "The amount is above SAR 10,000,000, the most a monthly amount may be; check the"
        " number of digits.",
        max_halalas=MAX_MONTHLY_HALALAS,
    )


def parse_money(value: str) -> int:
    """The amount ``value`` names, in halalas (see the module docstring for the syntax).

    Raises ``ValidationError`` with code ``money.empty``, ``money.negative`` (any minus
    sign, even on zero: it shows the person meant a deduction, which is not entered
    here), ``money.format``, ``money.decimals`` (more than two decimal digits) or
    ``money.too_large`` (above :data:`MAX_MONTHLY_HALALAS`).
    """
    text = strip_spaces(to_ascii_digits(value))
    text = text.replace(_ARABIC_DECIMAL, ".").replace(_ARABIC_THOUSANDS, ",")
    if not text:
        raise ValidationError("money.empty", "أدخل المبلغ.", "Enter the amount.")
    text = _strip_currency(text)
    if text and (text[0] in _MINUS_SIGNS or text[-1] in _MINUS_SIGNS):
        raise ValidationError(
            "money.negative",
            "المبلغ لا يكون سالبًا؛ أدخل المبلغ دون إشارة الطرح.",
            "The amount cannot be negative; enter it without a minus sign.",
        )
    match = _NUMBER_RE.fullmatch(text)
    if match is None:
        raise _format_error(value)
    whole_text, fraction = match[1].replace(",", ""), match[2]
    if fraction is not None and len(fraction) > 2:
        raise ValidationError(
            "money.decimals",
            "المبلغ يقبل رقمين على الأكثر بعد الفاصلة العشرية (الهللات).",
            "An amount has at most two digits after the decimal point (halalas).",
            decimals=len(fraction),
        )
    if len(whole_text.lstrip("0")) > _MAX_WHOLE_DIGITS:
        raise _too_large()
    halalas = int(whole_text) * HALALAS_PER_RIYAL + int((fraction or "").ljust(2, "0"))
    if halalas > MAX_MONTHLY_HALALAS:
        raise _too_large()
    return halalas


def format_money(halalas: int, lang: str) -> str:
    """``halalas`` as riyals with grouped thousands: ``1,250.50 ريال`` or ``SAR 1,250.50``.

    ASCII digits in both languages, as on Saudi bank statements and the portal. A
    negative amount (a deduction in a ledger) keeps its sign: ``-1,250.50 ريال``.
    """
    sign = "-" if halalas < 0 else ""
    riyals, rest = divmod(abs(halalas), HALALAS_PER_RIYAL)
    number = f"{sign}{riyals:,}.{rest:02d}"
    return f"{number} ريال" if lang == "ar" else f"SAR {number}"
