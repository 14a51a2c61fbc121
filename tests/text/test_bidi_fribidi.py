"""Differential test: our bidi layout against GNU FriBidi, the oracle (shared/ARABIC.md).

Every non-empty line of the five seed articles and a few thousand generated strings go
through ``fribidi --nopad --nobreak --vtol --levels`` (one subprocess per batch: it reads
lines from stdin and prints, per line, the visual string, the visual-to-logical map and
the levels, each on its own line) and through :func:`layout_line`. Compared:

- the visual order: our ``vis_to_log`` of the unshaped layout against FriBidi's map;
- the levels;
- the mirrored characters (L4): at every position showing a mirrorable character;
- the shaped text: ours against FriBidi's (it always shapes), after the normalisation of
  ARABIC.md (drop U+FEFF, the filler FriBidi leaves where a ligature swallowed a letter;
  U+FE80 -> U+0621 on both sides). Lam + haraka + alef is included: our shaping does not
  ligate it, and neither does FriBidi.

A second set mixes in the explicit controls (LRE RLE LRO RLO PDF, LRM RLM ALM). There the
zero-width characters themselves are left out of the order comparison, with a reason: a
terminal draws a zero-width character in the cell before it, so our L3 keeps such a
control with the letter before it (at the same level) while FriBidi places it by L2
alone; and a mark that follows a control stays with the visible letter before the
control, where FriBidi takes the control as its base. The order of every visible
character must still agree, and all levels. Shaped text is not compared in that set:
FriBidi treats the controls as transparent to joining and shapes Arabic under LRO in
visual direction; arabic-reshaper does neither (controls break a join), which only
changes letter forms next to a control.

Isolates (LRI RLI FSI PDI) are not generated: FriBidi 1.0.8, the Debian version, has
known isolate bugs fixed later upstream (FSI direction read past its PDI; wrong levels
for nested and adjacent isolates, fribidi issues 130 and 141). They are checked against
the official BidiCharacterTest cases in ``test_bidi.py`` instead.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from bidi import get_display

from daman_tui.text.bidi import embedding_levels, mirror, visual_order
from daman_tui.text.layout import layout_line

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
GENERATED = 2400
CONTROLLED = 1200

ARABIC_WORDS = [
    "محمد", "عبدالله", "الضمان", "الاجتماعي", "المطور", "لا", "إلى", "لأن", "آلاف", "فلا",
    "مُحَمَّد", "كِتَابٌ", "فَلَا", "السَّلام", "لِلأُسرة", "وزارة", "الموارد", "ة", "ـ",
    "ب", "ي", "ءامن", "هيئة", "صلى الله عليه وسلم",
]  # fmt: skip
LATIN_WORDS = ["SBIS", "IBAN", "SA03", "Hello", "abc", "x", "OK", "info@hrsd.gov.sa", "v2"]
NUMBERS = ["2024", "12", "0", "3.5", "1,000", "19911", "٢٠٢٤", "١٢", "٣٫٥", "٠٥٥"]
PUNCTUATION = [
    " ", " ", " ", "  ", "(", ")", "[", "]", "{", "}", "«", "»", "%", "+", "-", "/", ":",
    ",", "،", ".", "؟", "!", "؛", "<", ">", "=", "\"", "#", "$", "@", "*", "_",
]  # fmt: skip
HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u064c", "\u0670"]
CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u200e", "\u200f", "\u061c"]


PAIRS = [("(", ")"), ("[", "]"), ("{", "}"), ("«", "»")]


def _generate(rng: random.Random, *, controls: bool, depth: int = 0) -> str:
    """A random mix of words, numbers, punctuation and marks, often with bracket pairs."""
    parts: list[str] = []
    for _ in range(rng.randint(1, 10 if depth == 0 else 4)):
        roll = rng.random()
        if roll < 0.15 and depth < 2:  # a bracket pair around more of the same (N0)
            opening, closing = rng.choice(PAIRS)
            inner = _generate(rng, controls=controls, depth=depth + 1)
            parts.append(opening + inner + closing)
        elif roll < 0.42:
            parts.append(rng.choice(ARABIC_WORDS))
        elif roll < 0.55:
            parts.append(rng.choice(LATIN_WORDS))
        elif roll < 0.68:
            parts.append(rng.choice(NUMBERS))
        elif roll < 0.93:
            parts.append(rng.choice(PUNCTUATION))
        else:
            parts.append(rng.choice(HARAKAT))
        if controls and rng.random() < 0.3:
            parts.append(rng.choice(CONTROLS))
        parts.append(" " if rng.random() < 0.6 else "")
    return "".join(parts)


def _seed_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").split("\n") if line)
    return lines


@dataclass(frozen=True)
class Oracle:
    visual: str
    vis_to_log: list[int]
    levels: list[int]


def _fribidi(lines: list[str], direction: str) -> list[Oracle]:
    """FriBidi's view of each line, from one subprocess for the whole batch."""
    binary = shutil.which("fribidi")
    # The oracle is not optional: scripts/test installs it, so its absence is a failure.
    assert binary is not None, "fribidi (Debian libfribidi-bin) is missing; run scripts/test"
    assert all("\n" not in line and "\r" not in line for line in lines)
    run = subprocess.run(
        [binary, "--nopad", "--nobreak", direction, "--vtol", "--levels"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    out = run.stdout.split("\n")
    assert len(out) >= 3 * len(lines), "fribidi printed fewer lines than expected"
    return [
        Oracle(
            visual=out[3 * k],
            vis_to_log=[int(n) for n in out[3 * k + 1].split()],
            levels=[int(n) for n in out[3 * k + 2].split()],
        )
        for k in range(len(lines))
    ]


def _zero_width_control(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def _visible(text: str, order: list[int] | tuple[int, ...]) -> list[int]:
    """``order`` without controls, and without marks whose base is a control (see top)."""

    def keep(index: int) -> bool:
        if _zero_width_control(text[index]):
            return False
        base = index
        while base > 0 and unicodedata.category(text[base]) == "Mn":
            base -= 1
        return base == index or not _zero_width_control(text[base])

    return [index for index in order if keep(index)]


def _normalise(shaped: str) -> str:
    return shaped.replace("\ufeff", "").replace("\ufe80", "\u0621")


Base = Literal["auto", "L", "R"]
# name -> (corpus, fribidi's direction flag, our base direction)
CASES: dict[str, tuple[str, str, Base]] = {
    "seeds-rtl": ("seeds", "--rtl", "R"),
    "seeds-auto": ("seeds", "--wltr", "auto"),
    "generated-rtl": ("generated", "--rtl", "R"),
    "generated-ltr": ("generated", "--ltr", "L"),
    "generated-auto": ("generated", "--wltr", "auto"),
    "controls-rtl": ("controls", "--rtl", "R"),
    "controls-ltr": ("controls", "--ltr", "L"),
}


@pytest.fixture(scope="module")
def corpora() -> dict[str, list[str]]:
    rng = random.Random(20261121)
    return {
        "seeds": _seed_lines(),
        "generated": [_generate(rng, controls=False) for _ in range(GENERATED)],
        "controls": [_generate(rng, controls=True) for _ in range(CONTROLLED)],
    }


@pytest.fixture(scope="module")
def oracle(corpora: dict[str, list[str]]) -> dict[str, list[Oracle]]:
    return {name: _fribidi(corpora[kind], flag) for name, (kind, flag, _) in CASES.items()}


def _second_opinion(text: str, base: Base) -> bool:
    """Whether python-bidi 0.6 (Rust unicode-bidi) orders ``text`` as our L2 does.

    It applies neither L3 nor L4, so we compare with our levels reversed by L2 alone,
    controls left out (it keeps some of them where FriBidi drops or moves them).
    """
    _, levels = embedding_levels(text, base)
    ours = "".join(text[index] for index in visual_order(levels, [False] * len(text)))
    theirs = get_display(text, base_dir=None if base == "auto" else base)
    return _drop_controls(ours) == _drop_controls(theirs)


def _drop_controls(text: str) -> str:
    return "".join(char for char in text if not _zero_width_control(char))


@dataclass(frozen=True)
class Comparison:
    total: int
    failures: list[str]
    deviations: list[str]  # FriBidi differs, a second implementation agrees with us
    matched: list[tuple[str, Oracle]]  # lines whose order and levels agree


@pytest.fixture(scope="module")
def compared(
    corpora: dict[str, list[str]], oracle: dict[str, list[Oracle]]
) -> dict[str, Comparison]:
    """Every case's lines sorted into agreeing, FriBidi bugs (see the top) and failures.

    FriBidi 1.0.8 gets a few lines wrong where UAX #9 is clear; python-bidi 0.6, which
    passes the Unicode conformance tests for these rules, then has to agree with us.
    Seen so far: an NSM next to a bracket (FriBidi merges the mark, turned ON by W1, with
    the bracket and stops pairing it; and it lacks N0's rule for marks after a bracket,
    UAX #9 8.0), and N0's look back for context running past the start of an isolating
    run sequence opened by an embedding, instead of stopping at sos.
    """
    results: dict[str, Comparison] = {}
    for case, (kind, _, base) in CASES.items():
        controls = kind == "controls"
        failures: list[str] = []
        deviations: list[str] = []
        matched: list[tuple[str, Oracle]] = []
        for text, expected in zip(corpora[kind], oracle[case], strict=True):
            line = layout_line(text, base, shape=False)
            if controls:
                same_order = _visible(text, line.vis_to_log) == _visible(text, expected.vis_to_log)
            else:
                same_order = list(line.vis_to_log) == expected.vis_to_log
            if same_order and list(line.levels) == expected.levels:
                matched.append((text, expected))
                continue
            detail = f"{text!r}: {line.vis_to_log} levels {line.levels}, fribidi "
            detail += f"{expected.vis_to_log} levels {expected.levels}"
            (deviations if _second_opinion(text, base) else failures).append(detail)
        results[case] = Comparison(len(corpora[kind]), failures, deviations, matched)
    return results


def _report(failures: list[str], total: int) -> str:
    return f"{len(failures)} of {total} lines differ from FriBidi:\n" + "\n".join(failures[:5])


def test_the_corpora_are_big_enough(corpora: dict[str, list[str]]) -> None:
    assert len(corpora["seeds"]) > 300
    assert len(corpora["generated"]) >= 2000
    mixed = corpora["generated"]
    assert sum(any("\u0600" <= c <= "\u06ff" for c in s) for s in mixed) > len(mixed) // 2
    paired = sum(any(a in s and b in s for a, b in PAIRS) for s in mixed)
    assert paired > len(mixed) // 3


@pytest.mark.parametrize("case", list(CASES))
def test_visual_order_and_levels_match_fribidi(case: str, compared: dict[str, Comparison]) -> None:
    result = compared[case]
    assert not result.failures, _report(result.failures, result.total)
    # FriBidi's own bugs stay rare; many would mean we are the ones who are wrong.
    assert len(result.deviations) <= result.total // 100, _report(result.deviations, result.total)


@pytest.mark.parametrize("case", [name for name in CASES if not name.startswith("controls")])
def test_mirrored_brackets_match_fribidi(case: str, compared: dict[str, Comparison]) -> None:
    failures: list[str] = []
    checked = 0
    for text, expected in compared[case].matched:
        line = layout_line(text, CASES[case][2], shape=False)
        for position, logical in enumerate(line.vis_to_log):
            if mirror(text[logical]) != text[logical]:
                checked += 1
                if line.visual[position] != expected.visual[position]:
                    failures.append(f"{text!r} at {position}: {line.visual!r}")
                    break
    assert not failures, _report(failures, compared[case].total)
    assert checked >= 20  # the seeds have 22 mirrorable characters, generated lines more


@pytest.mark.parametrize("case", [name for name in CASES if not name.startswith("controls")])
def test_shaped_text_matches_fribidi(case: str, compared: dict[str, Comparison]) -> None:
    base = CASES[case][2]
    failures = [
        f"{text!r}: {layout_line(text, base).visual!r} != {expected.visual!r}"
        for text, expected in compared[case].matched
        if _normalise(layout_line(text, base).visual) != _normalise(expected.visual)
    ]
    assert not failures, _report(failures, compared[case].total)


def test_the_control_corpus_has_controls(corpora: dict[str, list[str]]) -> None:
    lines = corpora["controls"]
    assert sum(any(char in CONTROLS for char in line) for line in lines) > len(lines) // 2
