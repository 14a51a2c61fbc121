"""The bidi algorithm alone: Unicode conformance rows, the data tables, L1, L3 and L4."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from daman_tui.text import bidi
from daman_tui.text.bidi import embedding_levels, mirror, paired_bracket, visual_order

CONFORMANCE = Path(__file__).with_name("BidiCharacterTest-subset.txt")
BASES = {"0": "L", "1": "R", "2": "auto"}


def _rows() -> list[tuple[str, str, int, list[str], list[int]]]:
    rows = []
    for line in CONFORMANCE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        points, direction, paragraph, levels, order = line.split(";")
        text = "".join(chr(int(point, 16)) for point in points.split())
        rows.append((text, BASES[direction], int(paragraph), levels.split(), order))
    return rows


ROWS = _rows()


def test_conformance_subset_is_loaded() -> None:
    assert len(ROWS) > 120


@pytest.mark.parametrize(("text", "base", "paragraph", "levels", "order"), ROWS)
def test_unicode_conformance_rows(
    text: str, base: str, paragraph: int, levels: list[str], order: str
) -> None:
    got_paragraph, got_levels = embedding_levels(text, base)  # type: ignore[arg-type]
    assert got_paragraph == paragraph
    kept = [index for index, level in enumerate(levels) if level != "x"]
    assert [got_levels[index] for index in kept] == [int(levels[index]) for index in kept]
    # The file's order is L2 alone, over the characters X9 keeps.
    reordered = visual_order([got_levels[index] for index in kept], [False] * len(kept))
    assert [kept[k] for k in reordered] == [int(n) for n in order.split()]


@pytest.mark.parametrize(("depth", "closing_level"), [(62, 2), (63, 2), (64, 1)])
def test_bracket_stack_holds_63_openers(depth: int, closing_level: int) -> None:
    # BidiCharacterTest's "a ( ( ... ( b ) ) ... )" rows: past 63 openers BD16 stops,
    # so the closing brackets of the 64-deep row are not paired and stay right-to-left.
    text = "a" + "(" * depth + "b" + ")" * depth
    _, levels = embedding_levels(text, "R")
    assert set(levels[: depth + 2]) == {2}
    assert set(levels[depth + 2 :]) == {closing_level}


def test_mirror_pairs_both_ways() -> None:
    for left, right in ["()", "[]", "{}", "<>", "«»", "‹›", "≤≥", "∈∋", "⟨⟩", "〈〉"]:
        assert mirror(left) == right
        assert mirror(right) == left
    assert mirror("a") == "a"
    assert mirror("∑") == "∑", "mirrored, but no mirror glyph: left as it is"
    assert mirror("\ufd3e") == "\ufd3e", "ornate parentheses do not mirror"


def test_mirror_table_is_symmetric_and_only_mirrored_characters() -> None:
    table = bidi._MIRROR
    assert len(table) >= 400
    for char, other in table.items():
        assert table[other] == char
        assert unicodedata.mirrored(char), f"U+{ord(char):04X} is not Bidi_Mirrored"


def test_bracket_table_follows_bidibrackets_derivation() -> None:
    # BidiBrackets.txt: A opens and B closes a pair when A is Ps, B is Pe, both are ON and
    # mirrored, and B is A's mirror glyph. All 64 pairs of Unicode 14 are in the BMP.
    openers = list(bidi._OPENING)
    assert len(openers) == 64
    for opener in openers:
        closer, is_opening = paired_bracket(opener) or ("", False)
        assert is_opening
        assert unicodedata.category(opener) == "Ps"
        assert unicodedata.category(closer) == "Pe"
        assert unicodedata.bidirectional(opener) == unicodedata.bidirectional(closer) == "ON"
        assert mirror(opener) == closer
        assert paired_bracket(closer) == (opener, False)
    assert paired_bracket("a") is None
    assert paired_bracket("«") is None, "quotation marks mirror but do not pair"


def test_angle_brackets_pair_with_their_canonical_equivalents() -> None:
    # U+2329/U+232A decompose to U+3008/U+3009: a pair may mix them (N0, BD16).
    for opening, closing in [("\u2329", "\u3009"), ("\u3008", "\u232a")]:
        _, levels = embedding_levels(f"a {opening}b.1{closing}", "R")
        assert levels == (2,) * 7


def test_base_direction() -> None:
    assert embedding_levels("محمد abc")[0] == 1
    assert embedding_levels("abc محمد")[0] == 0
    assert embedding_levels("123 ...")[0] == 0, "no strong character: left to right"
    assert embedding_levels("\u2067محمد\u2069 abc")[0] == 0, "P2 skips isolates"
    assert embedding_levels("abc", "R")[0] == 1
    assert embedding_levels("", "R") == (1, ())
    with pytest.raises(ValueError, match="base"):
        embedding_levels("abc", "rtl")  # type: ignore[arg-type]


def test_plain_left_to_right_text_is_all_level_zero() -> None:
    assert embedding_levels("RYD01-250301 (x) 12%")[1] == (0,) * 20


def test_l1_puts_trailing_spaces_and_tabs_at_paragraph_level() -> None:
    _, levels = embedding_levels("abc  ", "R")
    assert levels == (2, 2, 2, 1, 1)
    _, levels = embedding_levels("محمد \tabc", "L")
    assert levels[4:6] == (0, 0), "whitespace before a tab, and the tab"
    _, levels = embedding_levels("abc \u202b ", "R")
    assert levels[3:] == (1, 1, 1), "controls removed by X9 count with trailing spaces"


def test_characters_removed_by_x9_take_the_level_before_them() -> None:
    _, levels = embedding_levels("محمد\u200dعلي", "L")
    assert levels[4] == levels[3] == 1
    _, levels = embedding_levels("\u202bab", "L")
    assert levels[0] == 0, "nothing before it: the paragraph level"


def test_numbers_after_arabic_letters_are_arabic_numbers() -> None:
    # W2: "2024" after an Arabic letter resolves like an Arabic-Indic number (level 2).
    _, levels = embedding_levels("عام 2024", "R")
    assert levels == (1, 1, 1, 1, 2, 2, 2, 2)


def test_brackets_around_latin_in_arabic_take_the_arabic_direction() -> None:
    # N0: the pair encloses L text and sits in R context, so it resolves R (level 1)
    # and is then mirrored by the layout: "(SBIS)" reads the right way round.
    _, levels = embedding_levels("نظام (SBIS) الدعم", "R")
    assert levels[5] == levels[10] == 1
    assert set(levels[6:10]) == {2}


def test_visual_order_keeps_marks_after_their_base() -> None:
    # م ُ ح (all level 1): reversed by L2, then L3 puts each letter before its marks.
    assert visual_order([1, 1, 1, 1], [False, True, True, False]) == [3, 0, 1, 2]
    assert visual_order([0, 0, 0], [False, True, False]) == [0, 1, 2]
    # A mark on another level than the letter before it is not moved (as FriBidi).
    assert visual_order([1, 2, 1], [False, True, False]) == [2, 1, 0]
    # A mark with nothing before it stays put in its own run.
    assert visual_order([1, 1], [True, False]) == [1, 0]
    assert visual_order([], []) == []
    with pytest.raises(ValueError, match="length"):
        visual_order([0, 1], [False])


def test_visual_order_reverses_from_the_highest_level_down() -> None:
    # Levels 1 2 2 1: the inner pair keeps its order, the whole run is reversed.
    assert visual_order([1, 2, 2, 1], [False] * 4) == [3, 1, 2, 0]
    assert visual_order([0, 1, 1, 0, 2], [False] * 5) == [0, 2, 1, 3, 4]
