"""The administrative regions of Saudi Arabia and their main cities, as reference data.

Read once from ``assets/reference/regions.toml``: the pickers of the national-address
step and the demo-data generator both use it, and a region is stored by its short code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from daman_tui.paths import asset_path

__all__ = ["City", "Region", "districts", "region", "regions", "streets"]

_FILE = ("reference", "regions.toml")


@dataclass(frozen=True, slots=True)
class City:
    """A city (or governorate seat) of a region."""

    name_ar: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Region:
    """One of the 13 administrative regions, its main cities with the capital first."""

    code: str
    """Our short ASCII key, e.g. ``"RIY"``; what the database stores."""
    name_ar: str
    name_en: str
    cities: tuple[City, ...]

    @property
    def capital(self) -> City:
        """The region's seat: by convention the first city in the reference file."""
        return self.cities[0]


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{_FILE[-1]}: {where} needs a non-empty {key}")
    return value


def _text_list(table: dict[str, Any], key: str) -> tuple[str, ...]:
    values = table.get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ValueError(f"{_FILE[-1]}: addresses.{key} must be a list of names")
    return tuple(values)


@cache
def _load() -> dict[str, Any]:
    with asset_path(*_FILE).open("rb") as handle:
        return tomllib.load(handle)


@cache
def regions() -> tuple[Region, ...]:
    """All regions, in the order of the reference file (the usual official order)."""
    loaded: list[Region] = []
    for entry in _load().get("regions", []):
        code = _text(entry, "code", "a region")
        cities = entry.get("cities")
        if not isinstance(cities, list) or not cities:
            raise ValueError(f"{_FILE[-1]}: region {code} has no cities")
        loaded.append(
            Region(
                code=code,
                name_ar=_text(entry, "name_ar", code),
                name_en=_text(entry, "name_en", code),
                cities=tuple(
                    City(
                        name_ar=_text(city, "name_ar", f"a city of {code}"),
                        name_en=_text(city, "name_en", f"a city of {code}"),
                    )
                    for city in cities
                ),
            )
        )
    codes = [item.code for item in loaded]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{_FILE[-1]}: region codes repeat: {codes}")
    return tuple(loaded)


@cache
def _by_code() -> dict[str, Region]:
    return {item.code: item for item in regions()}


def region(code: str) -> Region:
    """The region with ``code``; ``KeyError`` naming the known codes if there is none."""
    try:
        return _by_code()[code]
    except KeyError:
        known = ", ".join(_by_code())
        raise KeyError(f"unknown region code {code!r}; known codes: {known}") from None


@cache
def districts() -> tuple[str, ...]:
    """Common district names (``حي …``) that the demo generator uses with any city."""
    return _text_list(_load().get("addresses", {}), "districts")


@cache
def streets() -> tuple[str, ...]:
    """Common street names that the demo generator uses with any city."""
    return _text_list(_load().get("addresses", {}), "streets")
