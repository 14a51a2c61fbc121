"""The four-part name: all parts required, the part at fault named, one-line splitting."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daman_tui.domain.errors import ValidationError
from daman_tui.domain.names import NAME_PARTS, split_full_name, validate_full_name

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")

# Plain given and family names: none of them is one of the words that bind or connect.
plain_words = st.sampled_from(
    ["محمد", "أحمد", "فاطمة", "نورة", "سعد", "خالد", "الغامدي", "القحطاني", "عبدالله", "Sara"]
)


def refused(call: object, *args: str, code: str) -> ValidationError:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(*args)
    error = caught.value
    assert error.code == code, (error.code, error.message_en)
    assert ARABIC_LETTER.search(error.message_ar)
    assert error.message_en.strip()
    return error


def test_four_parts_are_cleaned_and_returned() -> None:
    assert validate_full_name(" محمد ", "عبد  الله", "أحمد", "آل سعود") == (
        "محمد",
        "عبد الله",
        "أحمد",
        "آل سعود",
    )


@pytest.mark.parametrize("missing", range(4))
def test_a_missing_part_is_named(missing: int) -> None:
    parts = ["محمد", "عبدالله", "أحمد", "الغامدي"]
    parts[missing] = "  "
    error = refused(validate_full_name, *parts, code="name.parts")
    assert error.params == {"part": NAME_PARTS[missing]}
    assert ["الاسم الأول", "اسم الأب", "اسم الجد", "اسم العائلة"][missing] in error.message_ar


def test_the_first_missing_part_is_reported() -> None:
    error = refused(validate_full_name, "محمد", "", "", "الغامدي", code="name.parts")
    assert error.params["part"] == "father"


@pytest.mark.parametrize(
    ("bad", "code"),
    [("محمد1", "name.characters"), ("م" * 61, "name.too_long"), ("أح\u200fمد", "name.invisible")],
)
def test_a_part_error_keeps_its_code_and_says_which_part(bad: str, code: str) -> None:
    error = refused(validate_full_name, "محمد", "عبدالله", bad, "الغامدي", code=code)
    assert error.params["part"] == "grandfather"
    assert error.message_ar.startswith("اسم الجد: ")
    assert error.message_en.startswith("Grandfather's name: ")


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("محمد عبدالله أحمد الغامدي", ("محمد", "عبدالله", "أحمد", "الغامدي")),
        ("  محمد   عبدالله أحمد  الغامدي ", ("محمد", "عبدالله", "أحمد", "الغامدي")),
        ("محمد عبد الله أحمد الغامدي", ("محمد", "عبد الله", "أحمد", "الغامدي")),
        (
            "عبد الرحمن عبد العزيز عبد الله آل سعود",
            ("عبد الرحمن", "عبد العزيز", "عبد الله", "آل سعود"),
        ),
        ("محمد بن عبدالله بن أحمد الغامدي", ("محمد", "عبدالله", "أحمد", "الغامدي")),
        ("فاطمة بنت محمد بن علي الزهراني", ("فاطمة", "محمد", "علي", "الزهراني")),
        ("محمد عوض سالم بن لادن", ("محمد", "عوض", "سالم", "بن لادن")),
        ("أبو بكر سالم أحمد أبو داود", ("أبو بكر", "سالم", "أحمد", "أبو داود")),
        ("نور الدين جاد الله فتح الله الشيخ", ("نور الدين", "جاد الله", "فتح الله", "الشيخ")),
        ("سعد محمد علي آل الشيخ", ("سعد", "محمد", "علي", "آل الشيخ")),
        ("سعد محمد علي آل-الشيخ", ("سعد", "محمد", "علي", "آل-الشيخ")),
        ("Abdul Rahman bin Saad Ali Al Ghamdi", ("Abdul Rahman", "Saad", "Ali", "Al Ghamdi")),
    ],
)
def test_split(line: str, parts: tuple[str, str, str, str]) -> None:
    assert split_full_name(line) == parts


@pytest.mark.parametrize(
    ("line", "part"),
    [
        ("محمد", "father"),
        ("محمد الغامدي", "father"),  # the last word is the family name
        ("محمد عبدالله أحمد", "grandfather"),
        ("محمد بن عبدالله الغامدي", "grandfather"),
        ("محمد عبد الله", "father"),
        ("محمد عوض بن لادن", "grandfather"),
    ],
)
def test_split_too_few_names_the_missing_part(line: str, part: str) -> None:
    error = refused(split_full_name, line, code="name.parts")
    assert error.params == {"part": part}


def test_split_too_many() -> None:
    error = refused(split_full_name, "محمد عبدالله أحمد سعد الغامدي", code="name.too_many_parts")
    assert error.params == {"count": 5}


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("", "name.empty"),
        ("محمد 2 أحمد الغامدي", "name.characters"),
        ("محمد\u202e عبدالله أحمد الغامدي", "name.invisible"),
    ],
)
def test_split_checks_the_line_first(line: str, code: str) -> None:
    refused(split_full_name, line, code=code)


def test_a_split_part_too_long_is_named() -> None:
    error = refused(split_full_name, "محمد عبدالله أحمد " + "غ" * 61, code="name.too_long")
    assert error.params["part"] == "family"


@given(
    st.tuples(plain_words, plain_words, plain_words, plain_words),
    st.sampled_from([" ", "  ", "\u00a0"]),
)
def test_split_of_four_plain_words_is_those_words(parts: tuple[str, ...], gap: str) -> None:
    assert split_full_name(gap.join(parts)) == parts


@given(st.tuples(plain_words, plain_words, plain_words, plain_words))
def test_connectors_between_given_names_are_dropped(parts: tuple[str, ...]) -> None:
    first, father, grandfather, family = parts
    line = f"{first} بن {father} بن {grandfather} {family}"
    assert split_full_name(line) == parts


@given(st.tuples(plain_words, plain_words, plain_words, plain_words))
def test_split_agrees_with_validate_full_name(parts: tuple[str, ...]) -> None:
    assert split_full_name(" ".join(parts)) == validate_full_name(*parts)


@given(st.text(max_size=40))
def test_any_line_splits_or_raises_a_name_error(line: str) -> None:
    try:
        parts = split_full_name(line)
    except ValidationError as err:
        assert err.code.startswith("name.")
        assert ARABIC_LETTER.search(err.message_ar) and err.message_en.strip()
    else:
        assert len(parts) == 4 and all(parts)
