"""The display pipeline: shaping, reordering, marks, clipping, and Text without markup."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from daman_tui.text.display import ELLIPSIS, clip, is_rtl, rtext, set_mode, visual


@pytest.fixture(autouse=True)
def _app_mode():
    set_mode("app")
    yield
    set_mode("app")


def test_latin_text_is_left_alone():
    assert visual("RYD01-250301-TST-00001") == "RYD01-250301-TST-00001"
    assert visual("") == ""


def test_arabic_is_shaped_and_reads_from_the_right():
    shown = visual("محمد")
    # Presentation forms (joined letters), last letter drawn first (leftmost).
    assert shown == "\ufeaa\ufee4\ufea4\ufee3"


def test_allah_ligature_stays_off_so_names_keep_their_letters():
    shown = visual("عبدالله")
    assert "\ufdf2" not in shown
    assert cell_len(shown) == 7


def test_lam_alef_joins_into_one_cell():
    assert cell_len(visual("الاجتماعي")) == cell_len("الاجتماعي") - 1


def test_harakat_are_kept_and_follow_their_letter():
    shown = visual("مُحَمَّد")
    marks = {"\u064f", "\u064e", "\u0651"}
    assert sum(ch in marks for ch in shown) == 4
    assert shown[0] not in marks, "a mark never opens the line"
    for index, char in enumerate(shown):
        if char in marks:
            assert shown[index - 1] in marks or "\ufe70" <= shown[index - 1] <= "\ufefc"
    # ـمَّـ: the medial meem carries shadda and fatha, drawn after it.
    meem = shown.index("\ufee4")
    assert set(shown[meem + 1 : meem + 3]) == {"\u0651", "\u064e"}


def test_each_line_is_its_own_paragraph():
    assert visual("مرحبا\nHello") == visual("مرحبا") + "\nHello"


def test_numbers_keep_their_order_inside_arabic():
    assert visual("الصفحة 12").startswith("12 ")


def test_terminal_and_off_modes_change_nothing():
    assert visual("محمد", "terminal") == "محمد"
    assert visual("محمد", "off") == "محمد"
    set_mode("terminal")
    assert rtext("محمد", "ar").plain == "محمد"


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown bidi mode"):
        set_mode("sideways")


def test_is_rtl_follows_the_first_strong_character():
    assert is_rtl("محمد")
    assert is_rtl("12 محمد")
    assert not is_rtl("RYD01 فرع")
    assert not is_rtl("123")


def test_clip_cuts_the_logical_end():
    name = "عبدالرحمن خالد فهد العتيبي"
    clipped = clip(name, 12)
    assert clipped.endswith(ELLIPSIS)
    assert cell_len(clipped) <= 12
    assert name.startswith(clipped[:-1])
    assert clip("قصير", 12) == "قصير"


def test_clip_never_strands_a_haraka():
    clipped = clip("مُحَمَّد سعد", 4)
    assert clipped == "مُحَمَّ" + ELLIPSIS


def test_rtext_never_parses_markup():
    text = rtext("[bold]محمد[/bold]", "ar")
    assert text.spans == []
    assert "[bold]" in text.plain or "]bold[" in text.plain
    assert text.justify == "right"
    assert rtext("Name", "en").justify == "left"
