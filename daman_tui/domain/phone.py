"""Contact details: Saudi mobile numbers, e-mail addresses, national address numbers.

Each validator takes what a person typed (Arabic-Indic digits, spaces, dashes) and
returns the one canonical form that is stored, so that searching and de-duplicating
beneficiaries by phone compares like with like.
"""

from __future__ import annotations

import re

from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.errors import ValidationError

__all__ = [
    "validate_additional_number",
    "validate_building_number",
    "validate_email",
    "validate_mobile",
    "validate_postal_code",
]

# Separators people put in phone numbers: dashes of every width (word processors turn
# "-" into "–"), and the parentheses of "+966 (0) 5…" on business cards.
_PHONE_SEPARATORS: dict[int, None] = dict.fromkeys(map(ord, "-‐‑‒–—−()"))

# The national number is 5 followed by 8 digits. It may be written with the trunk prefix
# 0, with the country code 966 (bare, "+" or "00"), or with both ("+966 05…"), a common
# slip we accept because it is unambiguous.
_MOBILE_RE = re.compile(r"(?:(?:\+|00)?9660?|0)?5([0-9]{8})")

_BUILDING_RE = re.compile(r"[0-9]{4}")
_POSTAL_RE = re.compile(r"[0-9]{5}")
_ADDITIONAL_RE = re.compile(r"[0-9]{4}")

# Longest address SMTP allows in a forward path (RFC 5321); longer ones cannot be mailed.
_EMAIL_MAX_LENGTH = 254


def validate_mobile(value: str) -> str:
    """The canonical ``05XXXXXXXX`` form of a Saudi mobile number.

    Accepts ``05XXXXXXXX``, ``5XXXXXXXX``, ``+9665XXXXXXXX``, ``9665XXXXXXXX`` and
    ``009665XXXXXXXX``, with spaces, dashes and Arabic-Indic digits anywhere. Raises
    ``ValidationError`` with code ``mobile.empty`` or ``mobile.format``.
    """
    text = strip_spaces(to_ascii_digits(value)).translate(_PHONE_SEPARATORS)
    if not text:
        raise ValidationError(
            "mobile.empty",
            "أدخل رقم الجوال.",
            "Enter the mobile number.",
        )
    match = _MOBILE_RE.fullmatch(text)
    if match is None:
        raise ValidationError(
            "mobile.format",
            "رقم الجوال غير صحيح؛ يتكوّن رقم الجوال السعودي من 10 أرقام تبدأ بـ 05، مثل 0512345678.",
            "The mobile number is not valid: a Saudi mobile number has 10 digits starting"
            " with 05, e.g. 0512345678.",
        )
    return "05" + match.group(1)


def _email_error() -> ValidationError:
    return ValidationError(
        "email.format",
        "البريد الإلكتروني غير صحيح؛ اكتبه بالصيغة name@example.com.",
        "The e-mail address is not valid; write it as name@example.com.",
    )


def validate_email(value: str) -> str:
    """A practical check of an e-mail address; returns it with the domain in lower case.

    Deliberately not RFC 5322: one ``@``, a non-empty local part, a domain with at least
    one dot and no empty labels, no spaces inside. Delivery is the only real proof, so
    the aim is to catch typing slips, not to judge exotic but legal addresses. The local
    part keeps its case because, strictly, the receiving server decides what it means.
    An empty value is ``email.format`` too: whether the field is optional is the
    caller's decision.
    """
    text = value.strip()
    if not text or len(text) > _EMAIL_MAX_LENGTH or any(char.isspace() for char in text):
        raise _email_error()
    local, at, domain = text.partition("@")
    if not at or not local or "@" in domain:
        raise _email_error()
    labels = domain.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        raise _email_error()
    return f"{local}@{domain.lower()}"


def _address_digits(value: str, pattern: re.Pattern[str], error: ValidationError) -> str:
    text = strip_spaces(to_ascii_digits(value))
    if not pattern.fullmatch(text):
        raise error
    return text


def validate_building_number(value: str) -> str:
    """The 4-digit building number of a national address (رقم المبنى), as ASCII digits.

    Raises ``ValidationError`` with code ``address.building_number``.
    """
    return _address_digits(
        value,
        _BUILDING_RE,
        ValidationError(
            "address.building_number",
            "رقم المبنى في العنوان الوطني يتكوّن من 4 أرقام.",
            "The building number of the national address has 4 digits.",
        ),
    )


def validate_postal_code(value: str) -> str:
    """The 5-digit postal code of a national address (الرمز البريدي), as ASCII digits.

    Raises ``ValidationError`` with code ``address.postal_code``.
    """
    return _address_digits(
        value,
        _POSTAL_RE,
        ValidationError(
            "address.postal_code",
            "الرمز البريدي في العنوان الوطني يتكوّن من 5 أرقام.",
            "The postal code of the national address has 5 digits.",
        ),
    )


def validate_additional_number(value: str) -> str:
    """The 4-digit additional number of a national address (الرقم الإضافي), as ASCII digits.

    Raises ``ValidationError`` with code ``address.additional_number``.
    """
    return _address_digits(
        value,
        _ADDITIONAL_RE,
        ValidationError(
            "address.additional_number",
            "الرقم الإضافي في العنوان الوطني يتكوّن من 4 أرقام.",
            "The additional number of the national address has 4 digits.",
        ),
    )
