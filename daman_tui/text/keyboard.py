"""Letter keys on an Arabic keyboard: a binding on "a" should also answer the key that
types "ش" (the same key on the Saudi Arabic 101 layout), so a clerk need not switch
layouts to add an income line."""

from __future__ import annotations

__all__ = ["ARABIC_LAYOUT", "letter_keys"]

ARABIC_LAYOUT: dict[str, str] = {
    "a": "\u0634",  # ش
    "d": "\u064a",  # ي
    "e": "\u062b",  # ث
    "f": "\u0628",  # ب
    "n": "\u0649",  # ى
    "o": "\u062e",  # خ
    "p": "\u062d",  # ح
    "y": "\u063a",  # غ
}
"""A Latin letter → the Arabic letter the same key types (Arabic 101 layout)."""


def letter_keys(*letters: str, extra: tuple[str, ...] = ()) -> str:
    """A binding's key list: each letter, the Arabic letter on the same key, then ``extra``.

    ``letter_keys("a", extra=("insert",))`` → ``"a,ش,insert"``.
    """
    keys: list[str] = []
    for letter in letters:
        keys.append(letter)
        if letter in ARABIC_LAYOUT:
            keys.append(ARABIC_LAYOUT[letter])
    return ",".join([*keys, *extra])
