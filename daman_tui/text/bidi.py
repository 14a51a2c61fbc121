"""The Unicode Bidirectional Algorithm (UAX #9) for one paragraph, in plain Python.

python-bidi 0.6 applies neither L3 nor L4 and its old pure-Python module lacks N0 (see
``shared/ARABIC.md``), so "(SBIS)" in an Arabic line came out with its brackets backwards.
This module resolves embedding levels by the full algorithm and leaves shaping, widths and
caret positions to :mod:`daman_tui.text.layout`:

- :func:`embedding_levels`: P2-P3, X1-X10 (embeddings, overrides, isolates), W1-W7, N0
  (bracket pairs), N1-N2, I1-I2 and L1 for one paragraph (the caller splits on newlines).
- :func:`visual_order`: L2, with L3 (a combining mark stays after its base, because a
  terminal combines a mark with the cell drawn before it).
- :func:`mirror`: L4, the mirrored glyph of a character shown on an odd level.

Characters removed by X9 (BN and the embedding/override controls) take the level of the
character before them, so a layout can still place them; L1 resets them with trailing
whitespace. A paragraph separator inside the text (there should be none: the caller
splits) ends P2's search and, by X8, closes every embedding; the text after it keeps the
same paragraph level rather than starting a new paragraph.

Everything works on plain lists of bidi class names (``unicodedata.bidirectional``), no
per-character objects: display code calls this for every line it draws.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import Literal

__all__ = [
    "MAX_DEPTH",
    "MIRRORS",
    "embedding_levels",
    "mirror",
    "paired_bracket",
    "visual_order",
]

MAX_DEPTH = 125
"""The deepest explicit embedding level (BD2)."""

# Bidi_Mirroring_Glyph pairs (BidiMirroring.txt, Unicode 14, every pair with an exact
# mirror; the "best fit" characters that have none are left out, as the file leaves them
# out). Each pair maps both ways.
_MIRROR_PAIRS = (
    "0028:0029 003C:003E 005B:005D 007B:007D 00AB:00BB 0F3A:0F3B 0F3C:0F3D 169B:169C 2039:203A "
    "2045:2046 207D:207E 208D:208E 2208:220B 2209:220C 220A:220D 2215:29F5 221F:2BFE 2220:29A3 "
    "2221:299B 2222:29A0 2224:2AEE 223C:223D 2243:22CD 2245:224C 2252:2253 2254:2255 2264:2265 "
    "2266:2267 2268:2269 226A:226B 226E:226F 2270:2271 2272:2273 2274:2275 2276:2277 2278:2279 "
    "227A:227B 227C:227D 227E:227F 2280:2281 2282:2283 2284:2285 2286:2287 2288:2289 228A:228B "
    "228F:2290 2291:2292 2298:29B8 22A2:22A3 22A6:2ADE 22A8:2AE4 22A9:2AE3 22AB:2AE5 22B0:22B1 "
    "22B2:22B3 22B4:22B5 22B6:22B7 22B8:27DC 22C9:22CA 22CB:22CC 22D0:22D1 22D6:22D7 22D8:22D9 "
    "22DA:22DB 22DC:22DD 22DE:22DF 22E0:22E1 22E2:22E3 22E4:22E5 22E6:22E7 22E8:22E9 22EA:22EB "
    "22EC:22ED 22F0:22F1 22F2:22FA 22F3:22FB 22F4:22FC 22F6:22FD 22F7:22FE 2308:2309 230A:230B "
    "2329:232A 2768:2769 276A:276B 276C:276D 276E:276F 2770:2771 2772:2773 2774:2775 27C3:27C4 "
    "27C5:27C6 27C8:27C9 27CB:27CD 27D5:27D6 27DD:27DE 27E2:27E3 27E4:27E5 27E6:27E7 27E8:27E9 "
    "27EA:27EB 27EC:27ED 27EE:27EF 2983:2984 2985:2986 2987:2988 2989:298A 298B:298C 298D:2990 "
    "298E:298F 2991:2992 2993:2994 2995:2996 2997:2998 29A4:29A5 29A8:29A9 29AA:29AB 29AC:29AD "
    "29AE:29AF 29C0:29C1 29C4:29C5 29CF:29D0 29D1:29D2 29D4:29D5 29D8:29D9 29DA:29DB 29E8:29E9 "
    "29F8:29F9 29FC:29FD 2A2B:2A2C 2A2D:2A2E 2A34:2A35 2A3C:2A3D 2A64:2A65 2A79:2A7A 2A7B:2A7C "
    "2A7D:2A7E 2A7F:2A80 2A81:2A82 2A83:2A84 2A85:2A86 2A87:2A88 2A89:2A8A 2A8B:2A8C 2A8D:2A8E "
    "2A8F:2A90 2A91:2A92 2A93:2A94 2A95:2A96 2A97:2A98 2A99:2A9A 2A9B:2A9C 2A9D:2A9E 2A9F:2AA0 "
    "2AA1:2AA2 2AA6:2AA7 2AA8:2AA9 2AAA:2AAB 2AAC:2AAD 2AAF:2AB0 2AB1:2AB2 2AB3:2AB4 2AB5:2AB6 "
    "2AB7:2AB8 2AB9:2ABA 2ABB:2ABC 2ABD:2ABE 2ABF:2AC0 2AC1:2AC2 2AC3:2AC4 2AC5:2AC6 2AC7:2AC8 "
    "2AC9:2ACA 2ACB:2ACC 2ACD:2ACE 2ACF:2AD0 2AD1:2AD2 2AD3:2AD4 2AD5:2AD6 2AEC:2AED 2AF7:2AF8 "
    "2AF9:2AFA 2E02:2E03 2E04:2E05 2E09:2E0A 2E0C:2E0D 2E1C:2E1D 2E20:2E21 2E22:2E23 2E24:2E25 "
    "2E26:2E27 2E28:2E29 2E55:2E56 2E57:2E58 2E59:2E5A 2E5B:2E5C 3008:3009 300A:300B 300C:300D "
    "300E:300F 3010:3011 3014:3015 3016:3017 3018:3019 301A:301B FE59:FE5A FE5B:FE5C FE5D:FE5E "
    "FE64:FE65 FF08:FF09 FF1C:FF1E FF3B:FF3D FF5B:FF5D FF5F:FF60 FF62:FF63"
)

# Bidi_Paired_Bracket for the opening brackets (BidiBrackets.txt, Unicode 14: every pair,
# all in the BMP). Opening first, closing second.
_BRACKET_PAIRS = (
    "0028:0029 005B:005D 007B:007D 0F3A:0F3B 0F3C:0F3D 169B:169C 2045:2046 207D:207E 208D:208E "
    "2308:2309 230A:230B 2329:232A 2768:2769 276A:276B 276C:276D 276E:276F 2770:2771 2772:2773 "
    "2774:2775 27C5:27C6 27E6:27E7 27E8:27E9 27EA:27EB 27EC:27ED 27EE:27EF 2983:2984 2985:2986 "
    "2987:2988 2989:298A 298B:298C 298D:2990 298F:298E 2991:2992 2993:2994 2995:2996 2997:2998 "
    "29D8:29D9 29DA:29DB 29FC:29FD 2E22:2E23 2E24:2E25 2E26:2E27 2E28:2E29 2E55:2E56 2E57:2E58 "
    "2E59:2E5A 2E5B:2E5C 3008:3009 300A:300B 300C:300D 300E:300F 3010:3011 3014:3015 3016:3017 "
    "3018:3019 301A:301B FE59:FE5A FE5B:FE5C FE5D:FE5E FF08:FF09 FF3B:FF3D FF5B:FF5D FF5F:FF60 "
    "FF62:FF63"
)


def _pairs(table: str) -> list[tuple[str, str]]:
    return [
        (chr(int(first, 16)), chr(int(second, 16)))
        for first, second in (pair.split(":") for pair in table.split())
    ]


_MIRROR: dict[str, str] = {}
for _a, _b in _pairs(_MIRROR_PAIRS):
    _MIRROR[_a] = _b
    _MIRROR[_b] = _a

# Canonical equivalents (U+2329/U+232A decompose to U+3008/U+3009): N0 matches a bracket
# with its partner's canonical equivalent, so both spellings pair with each other.
_CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}
# An opening bracket -> the (canonical) closing bracket it waits for.
_OPENING: dict[str, str] = {}
# A closing bracket -> its canonical form, compared with what the openers wait for.
_CLOSING: dict[str, str] = {}
for _open, _close in _pairs(_BRACKET_PAIRS):
    _OPENING[_open] = _CANONICAL.get(_close, _close)
    _CLOSING[_close] = _CANONICAL.get(_close, _close)
del _a, _b, _open, _close

MIRRORS: Mapping[str, str] = MappingProxyType(_MIRROR)
"""Every character with a Bidi_Mirroring_Glyph -> that glyph (what :func:`mirror` reads)."""

_STRONG_OR_NUMBER = {"L": "L", "R": "R", "AL": "R", "EN": "R", "AN": "R"}
"""Direction a character counts as in N0 and N1 (numbers count as R)."""

_ISOLATE_INITIATORS = frozenset(("LRI", "RLI", "FSI"))
_ISOLATE_CONTROLS = frozenset(("LRI", "RLI", "FSI", "PDI"))
_REMOVED_BY_X9 = frozenset(("RLE", "LRE", "RLO", "LRO", "PDF", "BN"))
_NEUTRAL_OR_ISOLATE = frozenset(("B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"))
# L1 resets runs of these before a separator and at the end of the line (whitespace,
# isolate controls and, as UAX #9 section 5.2 says, the characters X9 removed).
_TRAILING = frozenset(("WS", "LRI", "RLI", "FSI", "PDI", "BN", "RLE", "LRE", "RLO", "LRO", "PDF"))
_EXPLICIT = ("RLE", "LRE", "RLO", "LRO", "PDF", "LRI", "RLI", "FSI", "PDI")
# Without any of these, a left-to-right paragraph resolves to level 0 everywhere: EN
# becomes L by W7 (sos is L), and neutrals sit between L on both sides.
_NOT_PLAIN_LTR = frozenset(("R", "AL", "AN", *_EXPLICIT))
# Likewise a right-to-left one without these is level 1 everywhere (most Arabic names
# and sentences): separators and terminators find no number and turn neutral (W6),
# and every neutral sits between R, sos and eos (all R).
_NOT_PLAIN_RTL = frozenset(("L", "EN", "AN", *_EXPLICIT))


def mirror(char: str) -> str:
    """The Bidi_Mirroring_Glyph of ``char`` (rule L4), or ``char`` if it has none.

    The layout applies it to characters resolved to an odd (right-to-left) level, so "("
    drawn inside Arabic faces the way the reader expects.
    """
    return _MIRROR.get(char, char)


def paired_bracket(char: str) -> tuple[str, bool] | None:
    """``(partner, is_opening)`` for a Bidi_Paired_Bracket character, else ``None``."""
    if char in _OPENING:
        return _MIRROR[char], True
    if char in _CLOSING:
        return _MIRROR[char], False
    return None


def _default_class(char: str) -> str:
    # unicodedata gives "" for unassigned code points; DerivedBidiClass.txt defaults them by
    # block: Hebrew-like blocks to R, Arabic-like blocks to AL, everything else to L.
    code = ord(char)
    if 0x0600 <= code <= 0x07BF or 0x0860 <= code <= 0x08FF or 0xFB50 <= code <= 0xFDFF:
        return "AL"
    if 0xFE70 <= code <= 0xFEFF:
        return "AL"
    if 0x0590 <= code <= 0x05FF or 0x07C0 <= code <= 0x085F or 0xFB1D <= code <= 0xFB4F:
        return "R"
    if 0x10800 <= code <= 0x10FFF or 0x1E800 <= code <= 0x1EFFF:
        return "R"
    return "L"


def _classes(text: str) -> list[str]:
    bidirectional = unicodedata.bidirectional
    types = [bidirectional(char) for char in text]
    if "" in types:
        types = [kind or _default_class(char) for kind, char in zip(types, text, strict=True)]
    return types


def _match_isolates(types: Sequence[str]) -> list[int]:
    """BD9: for an isolate initiator its matching PDI, for a PDI its initiator, else -1."""
    match = [-1] * len(types)
    open_initiators: list[int] = []
    for index, kind in enumerate(types):
        if kind in _ISOLATE_INITIATORS:
            open_initiators.append(index)
        elif kind == "PDI":
            if open_initiators:
                initiator = open_initiators.pop()
                match[initiator] = index
                match[index] = initiator
        elif kind == "B":
            open_initiators.clear()
    return match


def _first_strong(types: Sequence[str], start: int, end: int, match: Sequence[int]) -> str:
    """P2: "L" or "R" for the first strong character in ``[start, end)``, "" if none.

    Characters between an isolate initiator and its matching PDI are skipped (an
    initiator without one hides the rest of the paragraph); a paragraph separator stops.
    """
    index = start
    while index < end:
        kind = types[index]
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
        if kind == "B":
            return ""
        if kind in _ISOLATE_INITIATORS:
            if match[index] < 0:
                return ""
            index = match[index]
        index += 1
    return ""


@lru_cache(maxsize=8192)
def embedding_levels(
    text: str, base: Literal["auto", "L", "R"] = "auto"
) -> tuple[int, tuple[int, ...]]:
    """Resolve ``text`` as one paragraph: ``(paragraph level, level of each character)``.

    ``base`` is the paragraph direction: ``"auto"`` takes it from the first strong
    character outside isolates (P2-P3, left-to-right if there is none), ``"L"`` and ``"R"``
    force it (HL1). Odd levels are right-to-left. The levels are final: after I1-I2 and
    L1, and characters removed by X9 carry the level of the character before them.
    """
    if base not in ("auto", "L", "R"):
        raise ValueError(f"base must be 'auto', 'L' or 'R', not {base!r}")
    types = _classes(text)
    size = len(types)
    present = set(types)
    # Matching PDIs are only looked up for isolate initiators: none, no table.
    match: Sequence[int] = () if present.isdisjoint(_ISOLATE_CONTROLS) else _match_isolates(types)
    if base == "auto":
        paragraph = 1 if _first_strong(types, 0, size, match) == "R" else 0
    else:
        paragraph = 1 if base == "R" else 0
    if paragraph == 0 and present.isdisjoint(_NOT_PLAIN_LTR):
        return 0, (0,) * size
    if paragraph == 1 and present.isdisjoint(_NOT_PLAIN_RTL):
        return 1, (1,) * size
    levels, resolved = _explicit_levels(types, match, paragraph)
    _resolve_sequences(text, types, resolved, levels, match, paragraph)
    _reset_whitespace(types, levels, paragraph)
    return paragraph, tuple(levels)


class _DirectionalStatus:
    """The directional status stack of X1-X8 and its overflow counters (one a paragraph)."""

    __slots__ = (
        "isolates",
        "levels",
        "overflow_embeddings",
        "overflow_isolates",
        "overrides",
        "paragraph",
        "valid_isolates",
    )

    def __init__(self, paragraph: int) -> None:
        self.paragraph = paragraph
        self.reset()

    def reset(self) -> None:
        """X1, and X8 at a paragraph separator: only the paragraph's entry is left."""
        # Three parallel lists rather than a list of entries: level, override, isolate.
        self.levels = [self.paragraph]
        self.overrides = [""]
        self.isolates = [False]
        self.overflow_isolates = self.overflow_embeddings = self.valid_isolates = 0

    def push(self, rtl: bool, override: str, isolate: bool) -> None:
        """X2-X5c: enter an embedding, override or isolate, or count it as overflow."""
        level = self.levels[-1]
        # Least odd (right-to-left) or least even level above the current one.
        new = (level + 1) | 1 if rtl else (level + 2) & ~1
        if new <= MAX_DEPTH and self.overflow_isolates == 0 and self.overflow_embeddings == 0:
            self.levels.append(new)
            self.overrides.append(override)
            self.isolates.append(isolate)
            self.valid_isolates += isolate
        elif isolate:
            self.overflow_isolates += 1
        elif self.overflow_isolates == 0:
            self.overflow_embeddings += 1

    def close_isolate(self) -> None:
        """X6a: a PDI closes the innermost isolate and every embedding inside it."""
        if self.overflow_isolates > 0:
            self.overflow_isolates -= 1
        elif self.valid_isolates > 0:
            self.overflow_embeddings = 0
            while not self.isolates[-1]:
                self._pop()
            self._pop()
            self.valid_isolates -= 1

    def close_embedding(self) -> None:
        """X7: a PDF closes the innermost embedding or override, never an isolate."""
        if self.overflow_isolates > 0:
            return
        if self.overflow_embeddings > 0:
            self.overflow_embeddings -= 1
        elif not self.isolates[-1] and len(self.levels) >= 2:
            self._pop()

    def _pop(self) -> None:
        self.levels.pop()
        self.overrides.pop()
        self.isolates.pop()


def _explicit_levels(
    types: Sequence[str], match: Sequence[int], paragraph: int
) -> tuple[list[int], list[str]]:
    """X1-X8: the explicit level of every character, and the types after overrides."""
    size = len(types)
    levels = [paragraph] * size
    resolved = list(types)
    status = _DirectionalStatus(paragraph)
    for index, kind in enumerate(types):
        # Embedding and isolate initiators take the level outside them, PDI and PDF the
        # level after closing; everything else the current one (X5a-X6a).
        if kind == "PDI":
            status.close_isolate()
        elif kind == "PDF":
            status.close_embedding()
        elif kind == "B":
            status.reset()
        levels[index] = status.levels[-1]
        override = status.overrides[-1]
        if override and kind not in _REMOVED_BY_X9 and kind != "B":
            resolved[index] = override  # X6: an override sets the type (X5a-c, X6a too)
        if kind in ("RLE", "LRE", "RLO", "LRO"):  # X2-X5
            forced = "R" if kind == "RLO" else "L" if kind == "LRO" else ""
            status.push(kind in ("RLE", "RLO"), forced, isolate=False)
        elif kind in _ISOLATE_INITIATORS:  # X5a-X5c
            if kind == "FSI":  # the direction of its content's first strong character
                end = match[index] if match[index] >= 0 else size
                rtl = _first_strong(types, index + 1, end, match) == "R"
            else:
                rtl = kind == "RLI"
            status.push(rtl, "", isolate=True)
    return levels, resolved


def _isolating_run_sequences(
    types: Sequence[str], levels: Sequence[int], match: Sequence[int]
) -> list[list[int]]:
    """X9-X10 (BD13): index lists of the isolating run sequences, removed characters out."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, kind in enumerate(types):
        if kind in _REMOVED_BY_X9:
            continue
        if current and levels[current[-1]] != levels[index]:
            runs.append(current)
            current = []
        current.append(index)
    if current:
        runs.append(current)
    run_starting_at = {run[0]: number for number, run in enumerate(runs)}
    taken = [False] * len(runs)
    sequences: list[list[int]] = []
    for number, run in enumerate(runs):
        if taken[number]:
            continue
        sequence = list(run)
        taken[number] = True
        # While the sequence ends with an isolate initiator whose matching PDI opens a
        # level run, that run continues the same sequence.
        while types[sequence[-1]] in _ISOLATE_INITIATORS and match[sequence[-1]] >= 0:
            following = run_starting_at.get(match[sequence[-1]])
            if following is None or taken[following]:
                break
            taken[following] = True
            sequence.extend(runs[following])
        sequences.append(sequence)
    return sequences


def _resolve_sequences(
    text: str,
    types: Sequence[str],
    resolved: list[str],
    levels: list[int],
    match: Sequence[int],
    paragraph: int,
) -> None:
    """W1-W7, N0-N2 and I1-I2 on each isolating run sequence; X9's removed get a level."""
    kept = [index for index, kind in enumerate(types) if kind not in _REMOVED_BY_X9]
    # Neighbours in the text without the removed characters, for sos and eos.
    previous_kept: dict[int, int] = {}
    next_kept: dict[int, int] = {}
    for before, after in pairwise(kept):
        next_kept[before] = after
        previous_kept[after] = before
    # sos and eos compare explicit levels: keep them apart from the resolved ones.
    explicit = list(levels)
    for sequence in _isolating_run_sequences(types, explicit, match):
        first, last = sequence[0], sequence[-1]
        level = explicit[first]
        preceding = previous_kept.get(first)
        before_level = explicit[preceding] if preceding is not None else paragraph
        following = next_kept.get(last)
        if types[last] in _ISOLATE_INITIATORS or following is None:
            after_level = paragraph
        else:
            after_level = explicit[following]
        sos = "R" if max(level, before_level) & 1 else "L"
        eos = "R" if max(level, after_level) & 1 else "L"
        kinds = [resolved[index] for index in sequence]
        _resolve_weak(kinds, sos)
        _resolve_brackets(text, sequence, types, kinds, level, sos)
        _resolve_neutral(kinds, level, sos, eos)
        for index, kind in zip(sequence, kinds, strict=True):  # I1-I2
            if level & 1:
                if kind in ("L", "EN", "AN"):
                    levels[index] = level + 1
            elif kind == "R":
                levels[index] = level + 1
            elif kind in ("AN", "EN"):
                levels[index] = level + 2
    # Removed characters sit with the character before them (or the paragraph's start).
    for index, kind in enumerate(types):
        if kind in _REMOVED_BY_X9:
            levels[index] = levels[index - 1] if index else paragraph


def _resolve_weak(kinds: list[str], sos: str) -> None:
    """W1-W7 in place on the types of one isolating run sequence."""
    _resolve_marks_and_arabic(kinds, sos)
    _resolve_separators(kinds)
    last_strong = sos
    for k, kind in enumerate(kinds):  # W7: European numbers after L text are L
        if kind in ("L", "R"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            kinds[k] = "L"


def _resolve_marks_and_arabic(kinds: list[str], sos: str) -> None:
    """W1-W3: marks take the type before them; numbers after Arabic letters are AN."""
    previous = sos
    for k, kind in enumerate(kinds):  # W1 (ON after an isolate initiator or PDI)
        if kind == "NSM":
            kinds[k] = "ON" if previous in _ISOLATE_CONTROLS else previous
        previous = kinds[k]
    last_strong = sos
    for k, kind in enumerate(kinds):  # W2
        if kind in ("L", "R", "AL"):
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            kinds[k] = "AN"
    for k, kind in enumerate(kinds):  # W3
        if kind == "AL":
            kinds[k] = "R"


def _resolve_separators(kinds: list[str]) -> None:
    """W4-W6: separators and terminators join numbers or become neutral."""
    size = len(kinds)
    for k in range(1, size - 1):  # W4: one separator between two numbers of a kind
        kind, before = kinds[k], kinds[k - 1]
        if kind == "ES" and before == "EN" and kinds[k + 1] == "EN":
            kinds[k] = "EN"
        elif kind == "CS" and before == kinds[k + 1] and before in ("EN", "AN"):
            kinds[k] = before
    k = 0
    while k < size:  # W5: terminators next to European numbers join them
        if kinds[k] != "ET":
            k += 1
            continue
        end = k
        while end < size and kinds[end] == "ET":
            end += 1
        if (k > 0 and kinds[k - 1] == "EN") or (end < size and kinds[end] == "EN"):
            kinds[k:end] = ["EN"] * (end - k)
        k = end
    for k, kind in enumerate(kinds):  # W6
        if kind in ("ES", "ET", "CS"):
            kinds[k] = "ON"


def _resolve_brackets(
    text: str,
    sequence: Sequence[int],
    types: Sequence[str],
    kinds: list[str],
    level: int,
    sos: str,
) -> None:
    """N0: bracket pairs take the direction of what they enclose (BD16 pairs them)."""
    embedding = "R" if level & 1 else "L"
    for opening, closing in _bracket_pairs(text, sequence, kinds):
        direction = _pair_direction(kinds, opening, closing, embedding, sos)
        if not direction:  # N0 d: nothing strong inside, leave the pair to N1-N2
            continue
        for position in (opening, closing):
            kinds[position] = direction
            # Marks that followed the bracket (NSM before W1) follow it here too.
            k = position + 1
            while k < len(kinds) and types[sequence[k]] == "NSM":
                kinds[k] = direction
                k += 1


def _bracket_pairs(
    text: str, sequence: Sequence[int], kinds: Sequence[str]
) -> list[tuple[int, int]]:
    """BD16: the bracket pairs of a sequence, as positions in it, by opening bracket."""
    pairs: list[tuple[int, int]] = []
    openers: list[tuple[str, int]] = []  # (canonical closing bracket awaited, position)
    for k, index in enumerate(sequence):
        char = text[index]
        if kinds[k] != "ON":  # only brackets still ON (not overridden) pair
            continue
        if char in _OPENING:
            if len(openers) == 63:  # BD16: stack full, stop looking in this sequence
                break
            openers.append((_OPENING[char], k))
        elif char in _CLOSING:
            awaited = _CLOSING[char]
            for depth in range(len(openers) - 1, -1, -1):
                if openers[depth][0] == awaited:
                    pairs.append((openers[depth][1], k))
                    del openers[depth:]
                    break
    pairs.sort()
    return pairs


def _pair_direction(
    kinds: Sequence[str], opening: int, closing: int, embedding: str, sos: str
) -> str:
    """N0 b-d: the direction a bracket pair takes, "" to leave it alone."""
    found_opposite = False
    for k in range(opening + 1, closing):
        direction = _STRONG_OR_NUMBER.get(kinds[k])
        if direction == embedding:  # N0 b: the embedding direction inside
            return embedding
        if direction is not None:
            found_opposite = True
    if not found_opposite:
        return ""
    # N0 c: only the opposite direction inside. The first strong type before the pair
    # (or sos) decides: the opposite direction again (c1), or the embedding one (c2);
    # either way, the pair takes that direction.
    for k in range(opening - 1, -1, -1):
        strong = _STRONG_OR_NUMBER.get(kinds[k])
        if strong is not None:
            return strong
    return sos


def _resolve_neutral(kinds: list[str], level: int, sos: str, eos: str) -> None:
    """N1-N2: neutrals between text of one direction take it, the rest the embedding's."""
    size = len(kinds)
    embedding = "R" if level & 1 else "L"
    k = 0
    while k < size:
        if kinds[k] not in _NEUTRAL_OR_ISOLATE:
            k += 1
            continue
        end = k
        while end < size and kinds[end] in _NEUTRAL_OR_ISOLATE:
            end += 1
        before = _STRONG_OR_NUMBER[kinds[k - 1]] if k > 0 else sos
        after = _STRONG_OR_NUMBER[kinds[end]] if end < size else eos
        direction = before if before == after else embedding
        kinds[k:end] = [direction] * (end - k)
        k = end


def _reset_whitespace(types: Sequence[str], levels: list[int], paragraph: int) -> None:
    """L1: separators, and whitespace before them or at the end, go to paragraph level."""
    trailing = True
    for index in range(len(types) - 1, -1, -1):
        kind = types[index]
        if kind in ("S", "B"):
            levels[index] = paragraph
            trailing = True
        elif kind in _TRAILING:
            if trailing:
                levels[index] = paragraph
        else:
            trailing = False


def visual_order(levels: Sequence[int], marks: Sequence[bool]) -> list[int]:
    """L2 with L3: logical indices in the order they are drawn, left to right.

    ``marks[i]`` says character ``i`` takes no cell of its own (a combining mark, or a
    joiner or control between a letter and its marks): a terminal draws it in the cell
    of the character before it. L2 reverses every character by its own level (an
    invisible control's level still separates runs); then L3 puts each base character
    back in front of the marks that follow it at the same level, since a right-to-left
    run would otherwise leave them left of (before) it, stuck to the wrong letter.
    Marks at another level than the character before them stay where L2 put them, as
    FriBidi leaves them.
    """
    size = len(levels)
    if len(marks) != size:
        raise ValueError("levels and marks differ in length")
    order = list(range(size))
    odd = [level for level in levels if level & 1]
    if not odd:
        return order
    for level in range(max(levels), min(odd) - 1, -1):
        k = 0
        while k < size:
            if levels[order[k]] < level:
                k += 1
                continue
            end = k
            while end < size and levels[order[end]] >= level:
                end += 1
            order[k:end] = order[k:end][::-1]
            k = end
    if not any(marks):
        return order
    position = [0] * size
    for vis, index in enumerate(order):
        position[index] = vis
    start = 0
    while start < size:
        level = levels[start]
        end = start + 1
        while end < size and marks[end] and levels[end] == level:
            end += 1
        if level & 1 and end - start > 1:
            # Reversed as a block: it occupies position[end - 1]..position[start].
            first = position[end - 1]
            order[first : first + end - start] = range(start, end)
        start = end
    return order
