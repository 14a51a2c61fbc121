"""layout_line: the visual string, its maps, caret stops and caret columns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, get_character_cell_size

from daman_tui.text.bidi import mirror
from daman_tui.text.display import visual
from daman_tui.text.layout import VisualLine, layout_line
from daman_tui.text.shaping import shape

HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"

# ---------------------------------------------------------------------------------------
# What a reader must see


def test_brackets_around_latin_inside_arabic_face_the_right_way() -> None:
    line = layout_line("نظام (SBIS) للدعم")
    assert "(SBIS)" in line.visual
    assert line.base_rtl
    # Logical "(" is drawn mirrored as ")" at the right of SBIS... read right to left,
    # the Arabic reader meets "(" first, just as it was typed.
    opening = line.log_to_vis[5]
    assert line.visual[opening] == ")"
    assert line.visual.index(")") > line.visual.index("S")


def test_brackets_around_arabic_face_the_right_way() -> None:
    line = layout_line("(محمد)", shape=False)
    assert line.visual == "(دمحم)"
    line = layout_line("«الضمان» و [الدعم]", shape=False)
    assert line.visual == "[معدلا] و «نامضلا»"
    assert visual("رقم (SBIS)").startswith("(SBIS)")


def test_abdullah_stays_seven_letters() -> None:
    line = layout_line("عبدالله")
    assert len(line.visual) == 7
    assert line.width == 7
    assert "\ufdf2" not in line.visual
    assert line.vis_to_log == (6, 5, 4, 3, 2, 1, 0)


def test_digits_stay_left_to_right_inside_arabic() -> None:
    line = layout_line("في عام 2024 صدر النظام")
    assert "2024" in line.visual
    line = layout_line("رقم ٢٠٢٤ للطلب")
    assert "٢٠٢٤" in line.visual


def test_an_iban_in_an_arabic_sentence_stays_in_order() -> None:
    iban = "SA03 8000 0000 6080 1016 7519"
    line = layout_line(f"رقم الآيبان {iban} للمستفيد")
    assert iban in line.visual
    assert line.base_rtl
    # The IBAN sits left of the words before it: an Arabic reader meets them first.
    assert line.visual.index(iban) < line.log_to_vis[0]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2026-11-21", "2026-11-21"),
        ("2026-11-21 موعد الزيارة", "2026-11-21"),  # digits first: "-" joins them (W4)
        ("تاريخ الزيارة 2026/11/21", "2026/11/21"),  # "/" joins them after letters too
        ("تاريخ الزيارة \u20662026-11-21\u2069", "2026-11-21"),  # isolated: LRI ... PDI
        ("موعد (\u20662026-11-21\u2069)", "(2026-11-21)"),
    ],
)
def test_a_date_stays_intact(text: str, date: str) -> None:
    # The isolate controls take no cell; where they land among the cells does not show.
    shown = layout_line(text).visual.replace("\u2066", "").replace("\u2069", "")
    assert date in shown


def test_a_bare_hyphenated_date_after_arabic_letters_reorders_as_uax9_says() -> None:
    # After an Arabic letter the numbers are Arabic numbers (W2) and "-" does not join
    # those (W4 joins them only with "," "." "/" ":"), so each number is its own run:
    # FriBidi and every browser draw "21-11-2026" here. Text that puts a date inside an
    # Arabic sentence wraps it in LRI ... PDI (U+2066 ... U+2069), as above.
    assert layout_line("تاريخ الزيارة 2026-11-21").visual.startswith("21-11-2026 ")


def test_harakat_follow_their_letter() -> None:
    line = layout_line("مُحَمَّد")
    assert line.visual == "\ufeaa\ufee4\u064e\u0651\ufea4\u064e\ufee3\u064f"
    assert line.vis_to_log == (7, 4, 5, 6, 2, 3, 0, 1)
    assert line.cell_x == (0, 1, 2, 2, 2, 3, 3, 4)
    assert line.width == 4


def test_lam_alef_is_one_cell_shared_by_both_letters() -> None:
    line = layout_line("لا")
    assert line.visual == "\ufefb"
    assert line.vis_to_log == (0,)
    assert line.log_to_vis == (0, 0)
    assert line.caret_stops == (0, 2)


def test_odd_levels_are_mirrored_even_ones_not() -> None:
    line = layout_line("a < b", "R", shape=False)
    assert line.visual == "a < b", "left-to-right text keeps its <"
    line = layout_line("أ < ب", shape=False)
    assert line.visual == "ب > أ"


def test_newlines_are_refused() -> None:
    with pytest.raises(ValueError, match="one line"):
        layout_line("سطر\nسطر")


def test_empty_line() -> None:
    line = layout_line("", "R")
    assert line.visual == ""
    assert line.width == 0
    assert line.caret_stops == (0,)
    assert line.caret_x(0) == 0
    assert line.pos_at_x(5) == 0


def test_layout_is_cached() -> None:
    assert layout_line("محمد علي") is layout_line("محمد علي")


# ---------------------------------------------------------------------------------------
# Carets


def test_caret_columns_in_arabic() -> None:
    line = layout_line("محمد")  # drawn as دمحم in cells 0..3
    assert [line.caret_x(pos) for pos in range(5)] == [4, 3, 2, 1, 0]
    assert [line.pos_at_x(x) for x in range(5)] == [4, 3, 2, 1, 0]


def test_caret_columns_in_latin() -> None:
    line = layout_line("abc")
    assert [line.caret_x(pos) for pos in range(4)] == [0, 1, 2, 3]
    assert line.pos_at_x(-3) == 0
    assert line.pos_at_x(99) == 3


def test_caret_at_the_end_of_arabic_with_trailing_digits() -> None:
    # Drawn "12 ةحفصلا": after typing "12" the caret sits right of the 2, not at column 0.
    line = layout_line("الصفحة 12")
    assert line.visual.startswith("12 ")
    assert line.caret_x(7) == 0, "before the 1: its left edge"
    assert line.caret_x(8) == 1
    assert line.caret_x(9) == 2, "the end: after the last character typed"
    assert line.caret_x(0) == line.width, "the start of an RTL line: its right edge"
    xs = [line.caret_x(stop) for stop in line.caret_stops]
    assert len(set(xs)) == len(xs)


def test_caret_never_splits_harakat_or_lam_alef() -> None:
    line = layout_line("مُحَمَّد لا")
    assert line.caret_stops == (0, 2, 4, 7, 8, 9, 11)
    assert line.caret_x(1) == line.caret_x(0), "inside a letter's marks: the stop before"
    assert line.caret_x(10) == line.caret_x(9), "between lam and alef: the stop before"
    with pytest.raises(ValueError, match="outside"):
        line.caret_x(12)


def test_a_line_opening_with_marks_has_one_stop_before_its_first_letter() -> None:
    line = layout_line("\u064eمحمد")
    assert line.caret_stops == (0, 2, 3, 4, 5)


def test_at_a_direction_boundary_the_click_lands_on_a_stop_drawn_there() -> None:
    line = layout_line("محمد SBIS علي")
    # Logical 5 (before S) and 9 (before the space after SBIS) share column 4.
    assert line.caret_x(5) == line.caret_x(9) == 4
    assert line.pos_at_x(4) == 9, "ties go to the later position"


# ---------------------------------------------------------------------------------------
# Properties

ALPHABET = st.sampled_from(
    [
        *"ابتثجحخدذرزسشصضطظعغفقكلمنهويةىءأإآؤئ",
        *"لالالا",  # lam-alef often
        *HARAKAT,
        *"abcSBIZ",
        *"0123456789",
        *"٠١٢٣٤٥٦٧٨٩",
        *"    ",
        *"()[]{}«»<>%+-/:,،.؟!",
        "\u0640",
    ]
)
TEXT = st.text(alphabet=ALPHABET, max_size=30)
BASE = st.sampled_from(["auto", "L", "R"])


def _check(line: VisualLine) -> None:
    text = line.logical
    shaped, origin = shape(text)
    # vis_to_log is a permutation of the shaped characters' logical starts.
    assert sorted(line.vis_to_log) == list(origin)
    assert len(line.visual) == len(shaped) == len(line.cell_x)
    # Same characters as the shaped text, mirrored where drawn right to left.
    by_start = dict(zip(origin, shaped, strict=True))
    for vis, logical in enumerate(line.vis_to_log):
        glyph = by_start[logical]
        expected = mirror(glyph) if line.levels[logical] & 1 else glyph
        assert line.visual[vis] == expected
    # log_to_vis points every logical character at the cell that shows it.
    assert len(line.log_to_vis) == len(text) == len(line.levels)
    for logical, vis in enumerate(line.log_to_vis):
        start = line.vis_to_log[vis]
        assert start <= logical
        assert start == max(o for o in origin if o <= logical)
    for vis, logical in enumerate(line.vis_to_log):
        assert line.log_to_vis[logical] == vis
    # Columns.
    assert line.width == cell_len(line.visual)
    for vis in range(1, len(line.visual)):
        step = get_character_cell_size(line.visual[vis - 1])
        assert line.cell_x[vis] == line.cell_x[vis - 1] + step
    # Marks come right after their base letter (or another mark), never first.
    for vis, char in enumerate(line.visual):
        if char in HARAKAT and line.vis_to_log[vis] > 0:
            before = line.vis_to_log[vis - 1] if vis else -1
            assert before < line.vis_to_log[vis], f"mark at {vis} not after its letter"
    # Caret stops.
    stops = line.caret_stops
    assert list(stops) == sorted(set(stops))
    assert stops[0] == 0
    assert stops[-1] == len(text)
    for stop in stops:
        if 0 < stop < len(text):
            assert text[stop] not in HARAKAT, "a stop between a letter and its marks"
            assert line.log_to_vis[stop] != line.log_to_vis[stop - 1], "inside lam-alef"
    # Carets: every stop drawn inside the line; a click where it is drawn finds a stop
    # drawn there, the very same one unless two share the column.
    xs = [line.caret_x(stop) for stop in stops]
    assert all(0 <= x <= line.width for x in xs)
    for stop, x in zip(stops, xs, strict=True):
        found = line.pos_at_x(x)
        assert line.caret_x(found) == x
        if xs.count(x) == 1:
            assert found == stop
    # In a line of one direction no two stops share a column: the round trip is exact
    # (unless the line opens with a mark: it has no cell, so 0 and the end coincide).
    one_direction = len({level & 1 for level in line.levels}) <= 1
    if one_direction and text and get_character_cell_size(text[0]):
        assert len(set(xs)) == len(xs)


@settings(derandomize=True, max_examples=500, deadline=None)
@given(TEXT, BASE)
def test_layout_invariants(text: str, base: str) -> None:
    _check(layout_line(text, base))  # type: ignore[arg-type]


@settings(derandomize=True, max_examples=200, deadline=None)
@given(TEXT, BASE)
def test_layout_invariants_unshaped(text: str, base: str) -> None:
    line = layout_line(text, base, shape=False)  # type: ignore[arg-type]
    assert sorted(line.vis_to_log) == list(range(len(text)))
    assert line.log_to_vis == tuple(sorted(range(len(text)), key=line.vis_to_log.__getitem__))


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"محمدلاعبيس", *HARAKAT, " "]), max_size=20))
def test_arabic_only_lines_round_trip_exactly(text: str) -> None:
    line = layout_line(text.lstrip(HARAKAT), "R")
    for stop in line.caret_stops:
        assert line.pos_at_x(line.caret_x(stop)) == stop
