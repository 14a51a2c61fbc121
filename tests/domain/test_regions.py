"""Reference data: administrative regions, their cities, and generic address parts."""

from __future__ import annotations

import re

import pytest

from daman_tui.domain.regions import City, Region, districts, region, regions, streets

ARABIC_ONLY = re.compile(r"[\u0621-\u064A][\u0621-\u064A ]*")

OFFICIAL_NAMES_AR = {
    "الرياض",
    "مكة المكرمة",
    "المدينة المنورة",
    "القصيم",
    "الشرقية",
    "عسير",
    "تبوك",
    "حائل",
    "الحدود الشمالية",
    "جازان",
    "نجران",
    "الباحة",
    "الجوف",
}


def test_thirteen_regions_with_unique_codes() -> None:
    items = regions()
    assert len(items) == 13
    codes = [item.code for item in items]
    assert len(set(codes)) == 13
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)
    assert {item.name_ar for item in items} == OFFICIAL_NAMES_AR


@pytest.mark.parametrize("item", regions(), ids=lambda item: item.code)
def test_each_region_is_complete(item: Region) -> None:
    assert ARABIC_ONLY.fullmatch(item.name_ar)
    assert item.name_en.strip()
    assert 4 <= len(item.cities) <= 8
    assert len({city.name_ar for city in item.cities}) == len(item.cities)
    for city in item.cities:
        assert isinstance(city, City)
        assert ARABIC_ONLY.fullmatch(city.name_ar), city
        assert city.name_en.strip()
    assert item.capital == item.cities[0]


@pytest.mark.parametrize(
    ("code", "capital"),
    [("RIY", "الرياض"), ("MAK", "مكة المكرمة"), ("EAS", "الدمام"), ("QAS", "بريدة"),
     ("ASR", "أبها"), ("NBR", "عرعر"), ("JOF", "سكاكا"), ("BAH", "الباحة")],
)  # fmt: skip
def test_capitals_come_first(code: str, capital: str) -> None:
    assert region(code).capital.name_ar == capital


def test_region_lookup() -> None:
    assert region("RIY").name_en == "Riyadh"
    with pytest.raises(KeyError, match="unknown region code 'XXX'"):
        region("XXX")


def test_cached() -> None:
    assert regions() is regions()


@pytest.mark.parametrize("names", [districts(), streets()], ids=["districts", "streets"])
def test_generic_address_parts(names: tuple[str, ...]) -> None:
    assert len(names) >= 25
    assert len(set(names)) == len(names)
    assert all(ARABIC_ONLY.fullmatch(name) for name in names)


def test_districts_are_districts() -> None:
    assert all(name.startswith("حي ") for name in districts())
