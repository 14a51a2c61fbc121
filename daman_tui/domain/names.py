"""The applicant's four-part name: first, father's, grandfather's and family name.

The unified file records a person as الاسم الأول، اسم الأب، اسم الجد، اسم العائلة
(DOMAIN.md). Each part is checked by :func:`~daman_tui.domain.arabic.validate_name_part`;
this module adds the rule that all four are present, names the part at fault, and splits
a name typed on one line.

Splitting a one-line name (:func:`split_full_name`) has to know which words belong
together; the rules, chosen to match how Saudi names are written:

* Spelling is never changed. "عبد الله" stays two words with a space inside one part, and
  "عبدالله" stays one word: the stored name must match the ID record letter for letter,
  so whether to write it joined is the applicant's document's decision, not ours.
* A word that cannot stand alone binds to the *next* word: عبد (عبد الله، عبد الرحمن),
  أبو/ابو/أبا/ابا (أبو بكر), آل (آل سعود), and their Latin spellings Abd, Abdul, Abu, Al.
* الله and الدين bind to the *previous* word: جاد الله، فتح الله، نور الدين، عز الدين.
* The connectors بن/بنت/ابن/ابنة ("son/daughter of", Latin bin/bint/ibn) between given
  names are dropped: "محمد بن عبدالله بن أحمد الغامدي" is محمد | عبدالله | أحمد | الغامدي.
  Directly before the last word, a connector is part of the family name instead
  ("بن لادن", "بن باز").

Anything that does not come out as exactly four parts is refused with a message asking
for the parts in separate fields; a split is a proposal the clerk sees before saving.
"""

from __future__ import annotations

from typing import Final

from daman_tui.domain.arabic import validate_name_part
from daman_tui.domain.errors import ValidationError

__all__ = ["NAME_PARTS", "split_full_name", "validate_full_name"]

NAME_PARTS: Final = ("first", "father", "grandfather", "family")
"""The parts in order, as used in ``params["part"]`` of the errors."""

_PART_AR: Final = {
    "first": "الاسم الأول",
    "father": "اسم الأب",
    "grandfather": "اسم الجد",
    "family": "اسم العائلة",
}
_PART_EN: Final = {
    "first": "first name",
    "father": "father's name",
    "grandfather": "grandfather's name",
    "family": "family name",
}

# Words are compared after lower-casing (for the Latin spellings).
_BIND_NEXT: Final = frozenset(
    {"عبد", "أبو", "ابو", "أبا", "ابا", "آل", "abd", "abdul", "abu", "al"}
)
_BIND_PREVIOUS: Final = frozenset({"الله", "الدين"})
_CONNECTORS: Final = frozenset({"بن", "بنت", "ابن", "ابنة", "bin", "bint", "ibn"})

# One part is at most validate_name_part's default; the whole line may hold four of them
# plus connectors and spaces.
_LINE_MAX_LEN: Final = 300

FullName = tuple[str, str, str, str]


def _in_part(part: str, err: ValidationError) -> ValidationError:
    """``err`` again, its messages saying which of the four parts it is about."""
    return ValidationError(
        err.code,
        f"{_PART_AR[part]}: {err.message_ar}",
        f"{_PART_EN[part].capitalize()}: {err.message_en}",
        **{**err.params, "part": part},
    )


def _missing(part: str) -> ValidationError:
    return ValidationError(
        "name.parts",
        f"الاسم الرباعي مطلوب كاملًا؛ أدخل {_PART_AR[part]}.",
        f"The full four-part name is required; enter the {_PART_EN[part]}.",
        part=part,
    )


def validate_full_name(first: str, father: str, grandfather: str, family: str) -> FullName:
    """The four parts, each cleaned by ``validate_name_part`` (spaces collapsed).

    Raises ``ValidationError``: ``name.parts`` with ``params["part"]`` the first empty
    part (one of :data:`NAME_PARTS`), or the part's own error (``name.characters``,
    ``name.too_long``, ``name.invisible``) with ``params["part"]`` added and the part
    named at the start of both messages.
    """
    cleaned: list[str] = []
    for part, value in zip(NAME_PARTS, (first, father, grandfather, family), strict=True):
        try:
            text = validate_name_part(value, required=False)
        except ValidationError as err:
            raise _in_part(part, err) from err
        if not text:
            raise _missing(part)
        cleaned.append(text)
    return (cleaned[0], cleaned[1], cleaned[2], cleaned[3])


def _group(words: list[str]) -> list[str]:
    """The words of a one-line name grouped into parts (rules in the module docstring)."""
    last = len(words) - 1
    parts: list[list[str]] = []
    bind_next = False
    for index, word in enumerate(words):
        key = word.lower()
        if key in _CONNECTORS and 0 < index < last and not bind_next:
            if index == last - 1:
                bind_next = True  # "بن لادن": the connector starts the family name
                parts.append([word])
            continue  # "son of" between given names is not part of any name
        if bind_next or (key in _BIND_PREVIOUS and parts):
            parts[-1].append(word)
        else:
            parts.append([word])
        bind_next = key in _BIND_NEXT and index < last
    return [" ".join(part) for part in parts]


def split_full_name(text: str) -> FullName:
    """The four parts of a name typed on one line (rules in the module docstring).

    The line is first checked as a whole by ``validate_name_part`` (so its codes apply,
    without a part), then grouped into parts. Fewer than four parts is ``name.parts``
    naming the missing one, the last word being the family name (one word: "father";
    two: "father"; three: "grandfather"); more is ``name.too_many_parts`` with
    ``params["count"]``.
    The parts then go through :func:`validate_full_name`.
    """
    line = validate_name_part(text, max_len=_LINE_MAX_LEN)
    parts = _group(line.split(" "))
    if len(parts) < len(NAME_PARTS):
        # A Saudi name ends with the family name, so with two or three parts the last one
        # is taken as that and the gap is before it: "محمد بن عبدالله الغامدي" lacks the
        # grandfather, not the family name.
        raise _missing(NAME_PARTS[max(len(parts) - 1, 1)])
    if len(parts) > len(NAME_PARTS):
        raise ValidationError(
            "name.too_many_parts",
            f"الاسم المكتوب فيه {len(parts)} أجزاء، والاسم الرباعي أربعة: الاسم الأول واسم الأب"
            " واسم الجد واسم العائلة؛ أدخل كل جزء في حقله.",
            f"The name has {len(parts)} parts; a full name has four (first, father's,"
            " grandfather's and family name). Enter each part in its own field.",
            count=len(parts),
        )
    return validate_full_name(*parts)
