"""What a clerk typed in the queue's search box, understood.

One box takes three kinds of input, told apart by their characters so that nobody has
to pick a mode: digits are the start of a national ID (Arabic-Indic digits count),
anything with a hyphen or Latin letters and digits is the start of a request number,
and the rest is a name — any part of the four-part name, spelled any of the ways
:func:`normalize_for_search` folds together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from daman_tui.domain.arabic import normalize_for_search
from daman_tui.domain.digits import strip_spaces, to_ascii_digits

__all__ = ["MIN_TRIGRAM", "SearchTerms", "parse_search"]

MIN_TRIGRAM = 3
"""A trigram index finds nothing for a word shorter than this; shorter words are
matched at the start of a name part instead."""

_REQUEST = re.compile(r"^[A-Z0-9][A-Z0-9\-]*$")

SearchKind = Literal["none", "national_id", "request_number", "name"]


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """``kind`` says which column is searched; ``prefix`` is the ID or request-number
    prefix; ``long_words`` are name fragments matched anywhere (trigram index),
    ``short_words`` name fragments matched at the start of a name part."""

    kind: SearchKind
    prefix: str = ""
    long_words: tuple[str, ...] = ()
    short_words: tuple[str, ...] = ()


def parse_search(text: str) -> SearchTerms:
    """The search the box's ``text`` asks for."""
    compact = strip_spaces(to_ascii_digits(text)).upper()
    if not compact:
        return SearchTerms("none")
    if compact.isdigit() and compact.isascii():
        return SearchTerms("national_id", prefix=compact[:10])
    if compact.isascii() and _REQUEST.match(compact) and any(c.isdigit() for c in compact):
        return SearchTerms("request_number", prefix=compact)
    words = normalize_for_search(text).split()
    # A word inside another word adds nothing to an AND of substrings.
    unique = tuple(dict.fromkeys(words))
    return SearchTerms(
        "name",
        long_words=tuple(w for w in unique if len(w) >= MIN_TRIGRAM),
        short_words=tuple(w for w in unique if len(w) < MIN_TRIGRAM),
    )
