"""Saudi IBANs: validation, the bank behind an IBAN, masking, and demo construction.

Benefits are paid only into an account in the beneficiary's own name, identified by its
IBAN (رقم الآيبان). A Saudi IBAN is 24 characters::

    SA  03  80  000000608010167519
    |   |   |   └ 18 account characters (digits or capital letters, zero-padded)
    |   |   └ 2-digit bank code allocated by SAMA (see assets/reference/banks.toml)
    |   └ 2 check digits, ISO 7064 mod 97-10
    └ country

The generic mod-97 check is python-stdnum's; the Saudi structure and the bank list are
ours, so that each kind of mistake gets its own message.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from stdnum import iban as stdnum_iban

from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.errors import ValidationError
from daman_tui.paths import asset_path

__all__ = [
    "Bank",
    "bank_for_iban",
    "banks",
    "make_iban",
    "mask_iban",
    "validate_iban",
    "validate_iban_confirmation",
]

IBAN_LENGTH = 24
COUNTRY = "SA"
MASK_CHAR = "•"
# How many trailing characters mask_iban leaves readable (see its docstring).
MASK_KEEP_LAST = 6

_BANK_CODE_RE = re.compile(r"[0-9]{2}")
_ACCOUNT_RE = re.compile(r"[0-9A-Z]{18}")
# Upper-case ASCII letters and digits only; checked after normalisation.
_IBAN_CHARS_RE = re.compile(r"[0-9A-Z]*")

_IBAN_AR = "رقم الآيبان"


@dataclass(frozen=True, slots=True)
class Bank:
    """A bank that holds accounts in the Kingdom, as identified inside an IBAN."""

    code: str
    """The 2-digit identifier at characters 5–6 of the IBAN, e.g. ``"80"``."""
    name_ar: str
    name_en: str


@cache
def _load_banks() -> MappingProxyType[str, Bank]:
    path = asset_path("reference", "banks.toml")
    with path.open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    table = data.get("banks")
    if not isinstance(table, dict) or not table:
        raise ValueError(f"{path.name}: no [banks] tables")
    loaded: dict[str, Bank] = {}
    for code, entry in table.items():
        if not _BANK_CODE_RE.fullmatch(code):
            raise ValueError(f"{path.name}: bank code {code!r} is not two digits")
        if not isinstance(entry, dict):
            raise ValueError(f"{path.name}: banks.{code} is not a table")
        name_ar = entry.get("name_ar")
        name_en = entry.get("name_en")
        if not isinstance(name_ar, str) or not isinstance(name_en, str) or not name_ar:
            raise ValueError(f"{path.name}: banks.{code} needs name_ar and name_en")
        loaded[code] = Bank(code=code, name_ar=name_ar, name_en=name_en)
    # Read-only, because the same object is handed out for the life of the process.
    return MappingProxyType(loaded)


def banks() -> dict[str, Bank]:
    """The known banks by 2-digit code, read once from ``assets/reference/banks.toml``.

    Returns a fresh dict each call (the file itself is parsed only once), so a caller
    that sorts or filters it cannot change what everyone else sees.
    """
    return dict(_load_banks())


def _normalise(value: str) -> str:
    # Staff copy IBANs from statements printed in groups of four, often in lower case.
    text = strip_spaces(to_ascii_digits(value))
    # Upper-casing non-ASCII text could forge ASCII ("ſ" becomes "S"); leave such text
    # alone so that the character check refuses it.
    return text.upper() if text.isascii() else text


def _characters_error() -> ValidationError:
    return ValidationError(
        "iban.characters",
        f"{_IBAN_AR} يحتوي على رموز غير مقبولة: بعد SA رقمان للتحقق، ثم رمز البنك من رقمين،"
        " ثم 18 خانة من الأرقام أو الحروف الإنجليزية.",
        "The IBAN contains characters that are not allowed: after SA come 2 check digits,"
        " a 2-digit bank code, then 18 digits or English letters.",
    )


def validate_iban(value: str) -> str:
    """The canonical form (upper case, no spaces) of a Saudi IBAN typed by a person.

    Spaces, lower case and Arabic-Indic digits are accepted. Raises ``ValidationError``
    with one of the codes ``iban.empty``, ``iban.characters``, ``iban.country``,
    ``iban.length`` (param ``length``), ``iban.checksum`` or ``iban.unknown_bank``
    (param ``bank_code``). The checks run in that order, so a mistyped digit is reported
    as a checksum failure rather than as an unknown bank.
    """
    text = _normalise(value)
    if not text:
        raise ValidationError(
            "iban.empty",
            f"أدخل {_IBAN_AR} (رقم الحساب البنكي الدولي) كما يظهر في كشف الحساب.",
            "Enter the IBAN as it appears on the bank statement.",
        )
    if not _IBAN_CHARS_RE.fullmatch(text):
        raise _characters_error()
    if not text.startswith(COUNTRY):
        raise ValidationError(
            "iban.country",
            f"{_IBAN_AR} يجب أن يبدأ بالحرفين SA، أي حساب لدى بنك في المملكة.",
            "The IBAN must start with SA: the account must be held at a bank in Saudi Arabia.",
        )
    if len(text) != IBAN_LENGTH:
        raise ValidationError(
            "iban.length",
            f"{_IBAN_AR} السعودي يتكوّن من 24 خانة (عدد الخانات المُدخلة: {len(text)}).",
            f"A Saudi IBAN has 24 characters; {len(text)} were entered.",
            length=len(text),
        )
    if not text[2:6].isdigit():
        raise _characters_error()
    if not stdnum_iban.is_valid(text):
        raise ValidationError(
            "iban.checksum",
            f"{_IBAN_AR} غير صحيح؛ راجِع رقم الحساب البنكي كما يظهر في كشف الحساب.",
            "The IBAN is not valid (its check digits do not match); compare it with the"
            " bank statement.",
        )
    bank_code = text[4:6]
    if bank_code not in _load_banks():
        raise ValidationError(
            "iban.unknown_bank",
            f"رمز البنك {bank_code} في {_IBAN_AR} لا يطابق أي بنك معروف في المملكة.",
            f"Bank code {bank_code} in the IBAN does not belong to a known bank in Saudi Arabia.",
            bank_code=bank_code,
        )
    return text


def validate_iban_confirmation(first: str, second: str) -> str:
    """The canonical IBAN when ``first`` is valid and ``second`` spells the same IBAN.

    ``first`` raises its own ``iban.*`` errors; anything in ``second`` that does not
    normalise to the same IBAN (including a typo that also breaks the checksum) is
    ``iban.mismatch``, since that is what the person must fix in the second field.
    """
    canonical = validate_iban(first)
    if _normalise(second) != canonical:
        raise ValidationError(
            "iban.mismatch",
            f"{_IBAN_AR} وتأكيده غير متطابقين؛ أعِد كتابة رقم الحساب البنكي في حقل التأكيد.",
            "The IBAN and its confirmation do not match; type the IBAN again in the"
            " confirmation field.",
        )
    return canonical


def bank_for_iban(iban: str) -> Bank:
    """The bank that holds the account ``iban`` (validated first, any spelling)."""
    return _load_banks()[validate_iban(iban)[4:6]]


def _mod97_check_digits(bban: str) -> str:
    # ISO 13616: move the country code and "00" to the end, letters become 10..35, and the
    # check digits are 98 minus the remainder of that number divided by 97.
    rearranged = bban + COUNTRY + "00"
    numeric = "".join(str(int(char, 36)) for char in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def make_iban(bank_code: str, account18: str) -> str:
    """A Saudi IBAN with correct check digits for ``bank_code`` and ``account18``.

    For the demo-data generator and tests: real IBANs are issued only by the bank. The
    bank code must be two digits but need not be a known bank, so tests can build an
    otherwise valid IBAN for an unknown one. ``account18`` is 18 digits or capitals.
    """
    if not _BANK_CODE_RE.fullmatch(bank_code):
        raise ValueError(f"bank code must be two ASCII digits, got {bank_code!r}")
    if not _ACCOUNT_RE.fullmatch(account18):
        raise ValueError(f"account must be 18 digits or capital letters, got {account18!r}")
    bban = bank_code + account18
    return COUNTRY + _mod97_check_digits(bban) + bban


def mask_iban(iban: str) -> str:
    """``iban`` in print groups of four with all but "SA" and the last 6 hidden.

    ``SA0380000000608010167519`` becomes ``SA•• •••• •••• •••• ••16 7519``. Six rather
    than the card-style four trailing characters, so that staff can confirm "the account
    ending 167519" with a beneficiary who has several accounts, while 12 of the 18
    account characters and the check digits stay hidden. The bank code is hidden too:
    screens show the bank by name (``bank_for_iban``). Never raises; a value too short
    to mask partially is hidden entirely (keeping only a leading "SA").
    """
    text = _normalise(iban)
    keep_head = 2 if text.startswith(COUNTRY) else 0
    if len(text) - keep_head <= MASK_KEEP_LAST:
        masked = text[:keep_head] + MASK_CHAR * (len(text) - keep_head)
    else:
        hidden = len(text) - keep_head - MASK_KEEP_LAST
        masked = text[:keep_head] + MASK_CHAR * hidden + text[-MASK_KEEP_LAST:]
    return " ".join(masked[start : start + 4] for start in range(0, len(masked), 4))
