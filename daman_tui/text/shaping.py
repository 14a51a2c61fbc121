"""Arabic letter shaping (arabic-reshaper) with a map back to the logical text.

The reshaper turns letters into their joined presentation forms, one character for one,
except the lam-alef ligatures, where two letters become one cell. A caret, a selection or
a click needs to know which logical character each shaped one shows, and the reshaper
does not say: :func:`shape` aligns its output with the input and returns that map.

Configuration, and why:

- harakat are kept (names are written with them), after their letter;
- every ligature is off except the four lam-alef ones (لا لأ لإ لآ), which Arabic
  requires. The others (ALLAH, the ﷺ and basmala sentence ligatures, ...) would turn
  "عبدالله" into four cells, or a run of free text into one glyph;
- a haraka between lam and alef keeps them apart: the reshaper ligates "لَا" (it strips
  harakat before looking for ligatures), FriBidi does not, and neither do we, so the
  fatha keeps a letter to sit on and the map stays monotonic;
- ZWJ is handed to the reshaper as a tatweel (also joining on both sides, and a
  letter the ligature pass sees) and restored afterwards: the reshaper's own ZWJ handling
  drops it from the letters but not from the ligature pass, which misaligns or raises.

Speed: the reshaper costs ~50 µs a call before the first letter. Lines are cut into runs
of Arabic letters (a space or any other character the reshaper does not know ends a join,
so the runs shape independently); each run is shaped once and kept, and the new runs of
a line share one reshaper call. :func:`warm_up` builds the reshaper before threads use it.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.arabic_reshaper import HARAKAT_RE
from arabic_reshaper.letters import FINAL, INITIAL, LETTERS_ARABIC, MEDIAL, TATWEEL, ZWJ
from arabic_reshaper.ligatures import LIGATURES

__all__ = ["LAM_ALEF_LIGATURES", "cache_clear", "shape", "warm_up"]

_LOG = logging.getLogger(__name__)

_LAM = "\u0644"
_LAM_ALEF_KEYS = (
    "ARABIC LIGATURE LAM WITH ALEF",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW",
    "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE",
)


def _lam_alef_ligatures() -> dict[str, tuple[str, bool]]:
    # Read from the reshaper's own table so the glyphs are the ones it emits:
    # ligature glyph -> (the alef it swallows, whether it is the final (joined) form).
    table = dict(LIGATURES)
    found: dict[str, tuple[str, bool]] = {}
    for key in _LAM_ALEF_KEYS:
        letters, (isolated, _initial, _medial, final) = table[key]
        if len(letters) != 2 or letters[0] != _LAM:
            raise RuntimeError(f"unexpected arabic-reshaper ligature entry {key!r}")
        found[isolated] = (letters[1], False)
        found[final] = (letters[1], True)
    return found


LAM_ALEF_LIGATURES: dict[str, tuple[str, bool]] = _lam_alef_ligatures()
"""Each lam-alef ligature glyph -> (its alef, whether it is the joined final form)."""

# Every glyph a logical letter may become (its presentation forms and itself).
_FORMS: dict[str, frozenset[str]] = {
    letter: frozenset((letter, *(form for form in forms if form)))
    for letter, forms in LETTERS_ARABIC.items()
}
# Characters the reshaper changes; text without any is returned as it is.
_SHAPED = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u200d]")
# A run of characters the reshaper joins or carries: its letters, harakat, joiners.
_RUN = re.compile(
    "(?:[" + "".join(map(re.escape, sorted(LETTERS_ARABIC))) + "]|" + HARAKAT_RE.pattern + ")+"
)


class _MisalignedError(ValueError):
    """The reshaper's output does not line up with its input (a bug to report)."""


@cache
def _reshaper() -> ArabicReshaper:
    configuration: dict[str, bool | str] = {name: False for name, _ in LIGATURES}
    configuration.update(dict.fromkeys(_LAM_ALEF_KEYS, True))
    configuration.update(
        {
            "language": "Arabic",
            "delete_harakat": False,
            "shift_harakat_position": False,
            "delete_tatweel": False,
            "support_zwj": True,
            "use_unshaped_instead_of_isolated": False,
            "support_ligatures": True,
        }
    )
    return ArabicReshaper(configuration=configuration)


def shape(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` shaped, and for each shaped character the first logical index it shows.

    Every character maps to itself or one of its presentation forms, one for one, except
    a lam-alef ligature, which shows the lam (its index in the map) and the alef after
    it. The map is strictly increasing. Text with nothing to shape comes back unchanged.
    """
    if not _SHAPED.search(text):
        return text, tuple(range(len(text)))
    return _shape_line(text)


@lru_cache(maxsize=16384)
def _shape_line(text: str) -> tuple[str, tuple[int, ...]]:
    # A character the reshaper does not know (space, digit, punctuation, Latin) ends a
    # join and cannot be part of a lam-alef: the runs between such characters shape
    # independently. Each run is shaped once and kept (names and labels repeat their
    # words a great deal); the runs a line brings that are not known yet go to the
    # reshaper in one call, since most of its cost is fixed per call.
    runs = [(match.start(), match.group()) for match in _RUN.finditer(text)]
    # Look each run up once, into a dict of our own: another thread may empty _RUNS.
    known: dict[str, tuple[str, tuple[int, ...]]] = {}
    missing: list[str] = []
    for run in dict.fromkeys(run for _, run in runs):
        hit = _RUNS.get(run)
        if hit is None:
            missing.append(run)
        else:
            known[run] = hit
    if missing:
        known.update(_shape_runs(missing))
    pieces: list[str] = []
    origin: list[int] = []
    done = 0
    for start, run in runs:
        pieces.append(text[done:start])
        origin.extend(range(done, start))
        shaped, run_origin = known[run]
        pieces.append(shaped)
        origin.extend(start + index for index in run_origin)
        done = start + len(run)
    pieces.append(text[done:])
    origin.extend(range(done, len(text)))
    return "".join(pieces), tuple(origin)


_RUNS: dict[str, tuple[str, tuple[int, ...]]] = {}
_MAX_RUNS = 65536


def _shape_runs(runs: list[str]) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Shape ``runs`` with one reshaper call (joined by spaces); remember and return them."""
    joined = " ".join(runs)
    try:
        shaped, origin = _shape_checked(joined)
    except (_MisalignedError, IndexError, KeyError):
        # Find the run at fault, one by one; the others still shape.
        found = {run: _shape_run(run) for run in runs}
    else:
        found = {}
        k = offset = 0
        for run in runs:
            end = offset + len(run)
            while origin[k] < offset:  # the space before this run
                k += 1
            first = k
            while k < len(origin) and origin[k] < end:
                k += 1
            found[run] = (shaped[first:k], tuple(index - offset for index in origin[first:k]))
            offset = end + 1
    if len(_RUNS) + len(found) > _MAX_RUNS:
        _RUNS.clear()
    _RUNS.update(found)
    return found


def _shape_run(run: str) -> tuple[str, tuple[int, ...]]:
    try:
        return _shape_checked(run)
    except (_MisalignedError, IndexError, KeyError):
        # A reshaper bug must not take the screen down: show the letters unjoined, in
        # the right order, and leave a trace to report.
        _LOG.warning("arabic shaping failed, showing unshaped text: %r", run)
        return run, tuple(range(len(run)))


def cache_clear() -> None:
    """Forget every shaped line and run (benchmarks measure the cold path with it)."""
    _shape_line.cache_clear()
    _RUNS.clear()


def _shape_checked(text: str) -> tuple[str, tuple[int, ...]]:
    """:func:`shape` without the fallback: raises if the output cannot be aligned."""
    source = text.replace(ZWJ, TATWEEL)
    shaped = _reshaper().reshape(source)
    out: list[str] = []
    origin: list[int] = []
    size, shaped_size = len(text), len(shaped)
    i = j = 0
    while i < size:
        if j >= shaped_size:
            raise _MisalignedError(f"shaped text ends early at logical {i}")
        char, glyph = source[i], shaped[j]
        if char == _LAM and glyph in LAM_ALEF_LIGATURES:
            alef, joined = LAM_ALEF_LIGATURES[glyph]
            k = i + 1
            while k < size and HARAKAT_RE.match(source[k]):
                k += 1
            if k >= size or source[k] != alef:
                raise _MisalignedError(f"ligature at {j} without its alef")
            if k == i + 1:  # lam then alef: one cell showing both
                out.append(glyph)
                origin.append(i)
                i, j = i + 2, j + 1
                continue
            # Lam, harakat, alef: the reshaper ligated across the harakat (they follow
            # the ligature in its output); draw lam and alef apart with the harakat on
            # the lam, as FriBidi does.
            harakat = source[i + 1 : k]
            if shaped[j + 1 : j + 1 + len(harakat)] != harakat:
                raise _MisalignedError(f"harakat after ligature at {j} out of place")
            out.append(LETTERS_ARABIC[_LAM][MEDIAL if joined else INITIAL])
            origin.append(i)
            out.extend(harakat)
            origin.extend(range(i + 1, k))
            out.append(LETTERS_ARABIC[alef][FINAL])
            origin.append(k)
            i, j = k + 1, j + 1 + len(harakat)
            continue
        if glyph != char and glyph not in _FORMS.get(char, ()):
            raise _MisalignedError(f"logical {i} {char!r} shaped as {glyph!r}")
        out.append(ZWJ if text[i] == ZWJ else glyph)
        origin.append(i)
        i, j = i + 1, j + 1
    if j != shaped_size:
        raise _MisalignedError(f"{shaped_size - j} shaped characters left over")
    return "".join(out), tuple(origin)


def warm_up() -> None:
    """Build the reshaper and its ligature pattern once, before worker threads use it."""
    shape("لا إله؛ مُحَمَّد")
