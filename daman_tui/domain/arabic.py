"""Arabic text hygiene: the search normaliser and the refusal of invisible characters.

Search compares normalised stored text with normalised typed text, so "احمد", "أحمد" and
"أحْمَد" find the same person. Names refuse bidi controls and zero-width characters: they
can make a supervisor read something other than what is stored.
"""

from __future__ import annotations

import re
import unicodedata

from daman_tui.domain.errors import ValidationError

__all__ = [
    "INVISIBLE_CHARS",
    "find_invisible",
    "normalize_for_search",
    "validate_free_text",
    "validate_name_part",
]

_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
    }
)

# Bidi embeddings/overrides/isolates and marks, zero-width characters and the BOM.
INVISIBLE_CHARS = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u061c\u00ad"
)
_NAME_OK = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670A-Za-z' \-]+$")


def normalize_for_search(text: str) -> str:
    """Fold the spellings people use interchangeably; collapse spaces.

    Alef forms (أ إ آ ٱ) → ا, ى → ي, ة → ه, ئ → ي, ؤ → و; harakat and tatweel removed;
    Latin letters lower-cased; runs of spaces become one.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _HARAKAT.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_FOLD).lower()
    return " ".join(text.split())


def find_invisible(text: str) -> str | None:
    """The first invisible control character in ``text``, or None."""
    for ch in text:
        if ch in INVISIBLE_CHARS or (unicodedata.category(ch) == "Cc"):
            return ch
    return None


def validate_name_part(value: str, *, required: bool = True, max_len: int = 60) -> str:
    """A part of a four-part name: letters (Arabic or Latin), spaces, hyphen, apostrophe."""
    bad = find_invisible(value)
    if bad is not None:
        raise ValidationError(
            "name.invisible",
            "الاسم يحتوي على رموز تحكم غير مرئية؛ أعد كتابته بدون لصق.",
            "The name contains invisible control characters; type it again without pasting.",
            codepoint=f"U+{ord(bad):04X}",
        )
    cleaned = " ".join(value.split())
    if not cleaned:
        if required:
            raise ValidationError("name.empty", "الاسم مطلوب.", "The name is required.")
        return ""
    if len(cleaned) > max_len:
        raise ValidationError(
            "name.too_long",
            f"الاسم أطول من {max_len} حرفًا.",
            f"The name is longer than {max_len} characters.",
            max_len=max_len,
        )
    if not _NAME_OK.match(cleaned):
        raise ValidationError(
            "name.characters",
            "الاسم يقبل الحروف والمسافة والشرطة فقط.",
            "A name may contain only letters, spaces and hyphens.",
        )
    return cleaned


def validate_free_text(value: str, *, max_len: int = 4000, required: bool = False) -> str:
    """Free text (a reason, a note, a justification): any script, but nothing invisible.

    Bidi controls can make a supervisor read a justification other than the one stored,
    so they are refused, not silently removed; line breaks and tabs are allowed.
    """
    for ch in value:
        if ch in INVISIBLE_CHARS or (unicodedata.category(ch) == "Cc" and ch not in "\n\t"):
            raise ValidationError(
                "text.invisible",
                "النص يحتوي على رموز تحكم غير مرئية؛ أعد كتابته بدون لصق.",
                "The text contains invisible control characters; type it again without pasting.",
                codepoint=f"U+{ord(ch):04X}",
            )
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError("text.empty", "هذا الحقل مطلوب.", "This field is required.")
    if len(cleaned) > max_len:
        raise ValidationError(
            "text.too_long",
            f"النص أطول من {max_len} حرفًا.",
            f"The text is longer than {max_len} characters.",
            max_len=max_len,
        )
    return cleaned
