"""Shaping: which ligatures apply, harakat kept, and the map back to logical indices."""

from __future__ import annotations

import logging

import pytest
from arabic_reshaper.letters import LETTERS_ARABIC
from hypothesis import given, settings
from hypothesis import strategies as st

from daman_tui.text import shaping
from daman_tui.text.shaping import LAM_ALEF_LIGATURES, shape, warm_up

LAM = "\u0644"


def _check_map(text: str, shaped: str, origin: tuple[int, ...]) -> None:
    """The invariants :func:`shape` promises, checked character by character."""
    assert len(shaped) == len(origin)
    assert list(origin) == sorted(set(origin)), "strictly increasing"
    assert not origin or origin[0] == 0
    for k, (glyph, first) in enumerate(zip(shaped, origin, strict=True)):
        end = origin[k + 1] if k + 1 < len(origin) else len(text)
        logical = text[first:end]
        if len(logical) == 2:  # a lam-alef ligature shows two letters
            assert glyph in LAM_ALEF_LIGATURES
            assert logical == LAM + LAM_ALEF_LIGATURES[glyph][0]
        else:
            assert len(logical) == 1
            forms = LETTERS_ARABIC.get(logical, ())
            assert glyph == logical or glyph in forms, (logical, glyph)


def test_names_keep_their_letters() -> None:
    shaped, origin = shape("عبدالله")
    assert "\ufdf2" not in shaped, "no ALLAH ligature"
    assert len(shaped) == 7
    assert origin == tuple(range(7))


@pytest.mark.parametrize(
    "phrase",
    [
        "صلى الله عليه وسلم",  # U+FDFA if sentence ligatures were on
        "بسم الله الرحمن الرحيم",  # U+FDFD
        "جل جلاله",  # U+FDFB
        "محمد رسول الله أكبر",  # word ligatures (MOHAMMAD, RASOUL, AKBAR)
        "ريال",  # RIAL SIGN
    ],
)
def test_no_word_or_sentence_ligature_applies(phrase: str) -> None:
    shaped, origin = shape(phrase)
    assert not any("\ufdf0" <= char <= "\ufdff" for char in shaped)
    ligatures = sum(char in LAM_ALEF_LIGATURES for char in shaped)  # "جلاله" has one
    assert len(shaped) == len(phrase) - ligatures
    _check_map(phrase, shaped, origin)


@pytest.mark.parametrize(
    ("word", "ligature"),
    [
        ("لا", "\ufefb"),  # isolated
        ("كلا", "\ufefc"),  # final: the lam joins the kaf
        ("لأن", "\ufef7"),
        ("إلى الإمام", "\ufef9"),
        ("الآن", "\ufef5"),
    ],
)
def test_the_four_lam_alef_ligatures_apply(word: str, ligature: str) -> None:
    shaped, origin = shape(word)
    assert ligature in shaped
    assert len(shaped) == len(word) - sum(char in LAM_ALEF_LIGATURES for char in shaped)
    _check_map(word, shaped, origin)


def test_lam_haraka_alef_is_not_a_ligature() -> None:
    shaped, origin = shape("فَلَا")
    assert not set(shaped) & set(LAM_ALEF_LIGATURES)
    assert shaped == "\ufed3\u064e\ufee0\u064e\ufe8e"  # medial lam, fatha, final alef
    assert origin == (0, 1, 2, 3, 4)
    shaped, _ = shape("لَا")
    assert shaped == "\ufedf\u064e\ufe8e"  # initial lam, fatha, final alef


def test_harakat_are_kept_after_their_letter() -> None:
    shaped, origin = shape("مُحَمَّد")
    assert shaped == "\ufee3\u064f\ufea4\u064e\ufee4\u064e\u0651\ufeaa"
    assert origin == tuple(range(8))
    shaped, origin = shape("لاَ")  # a haraka after the alef rides on the ligature
    assert shaped == "\ufefb\u064e"
    assert origin == (0, 2)


def test_zero_width_joiner_joins_and_survives() -> None:
    shaped, origin = shape("ب\u200d")
    assert shaped == "\ufe91\u200d", "initial form, as ZWJ asks"
    assert origin == (0, 1)
    # arabic-reshaper alone raises IndexError on this one.
    shaped, origin = shape("\u200dلا")
    assert shaped == "\u200d\ufefc"
    assert origin == (0, 1)
    shaped, _ = shape("ل\u200dا")
    assert "\ufefb" not in shaped, "a joiner between lam and alef keeps them apart"


def test_text_without_arabic_is_returned_as_is() -> None:
    assert shape("SBIS 2024 (x)") == ("SBIS 2024 (x)", tuple(range(13)))
    assert shape("") == ("", ())


def test_a_misaligned_reshaper_falls_back_to_unshaped_text(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        def reshape(self, text: str) -> str:
            return text[:-1]

    monkeypatch.setattr(shaping, "_reshaper", Broken)
    text = "نص لا يتشكل"
    shaping.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=shaping.__name__):
            assert shape(text) == (text, tuple(range(len(text))))
        assert "shaping failed" in caplog.text
    finally:
        shaping.cache_clear()


def test_warm_up_runs() -> None:
    warm_up()


# Arabic letters (lam and the alefs often), harakat, tatweel, joiners, a few others.
ARABIC_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from([*"لاأإآ", "\u064e", "\u0651", "\u0652", "\u0670", "\u0640"]),
        st.sampled_from(["\u200d", "\u200c", "\u200f", " ", "1", "a", "(", "،", "\u06d6"]),
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0x0750, max_codepoint=0x077F),
    ),
    max_size=24,
)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(ARABIC_TEXT)
def test_the_map_is_always_consistent(text: str) -> None:
    shaped, origin = shaping._shape_checked(text)  # raises rather than falling back
    _check_map(text, shaped, origin)
    # Shaping run by run (what shape() does, for its cache) is shaping the whole line.
    assert shape(text) == (shaped, origin)
