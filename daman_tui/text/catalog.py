"""The UI string catalogues: every word the interface shows, in Arabic and English.

The catalogues are TOML files in ``assets/i18n`` (``ar.toml``, ``en.toml``) whose tables
flatten to dotted keys: ``[login] title = "..."`` is ``login.title``. Labels of the stored
vocabularies live under ``enum.<EnumName>.<value>``. Text here is in logical order; the
display pipeline (:mod:`daman_tui.text.display`) turns it into what the terminal draws.
"""

from __future__ import annotations

import os
import tomllib
from enum import StrEnum
from functools import cache
from typing import Any

from daman_tui.domain.errors import DomainError
from daman_tui.paths import asset_path

__all__ = ["LANGS", "enum_label", "error_text", "keys", "other_lang", "t"]

LANGS: tuple[str, ...] = ("ar", "en")
"""The interface languages, the first being the default."""

_STRICT_ENV = "DAMAN_I18N_STRICT"


def _strict() -> bool:
    """Whether a missing key or parameter must raise instead of showing the key.

    Tests (pytest sets ``PYTEST_CURRENT_TEST``) and developers (``DAMAN_I18N_STRICT=1``)
    want the failure; a clerk at the counter would rather read a key than lose the screen.
    """
    return os.environ.get(_STRICT_ENV) == "1" or "PYTEST_CURRENT_TEST" in os.environ


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{key}."))
        elif isinstance(value, str):
            flat[key] = value
        else:
            raise ValueError(f"catalogue entry {key!r} is not a string")
    return flat


@cache
def _catalogue(lang: str) -> dict[str, str]:
    """The flattened catalogue of ``lang``, read once."""
    if lang not in LANGS:
        raise ValueError(f"unknown interface language {lang!r}; expected one of {LANGS}")
    with asset_path("i18n", f"{lang}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def keys(lang: str) -> set[str]:
    """Every key of the ``lang`` catalogue."""
    return set(_catalogue(lang))


def t(key: str, lang: str, **params: object) -> str:
    """The text of ``key`` in ``lang``, with ``params`` filled in by :meth:`str.format`.

    A missing key or parameter raises (:class:`KeyError`) under tests and in strict mode;
    otherwise the key itself is returned so a gap shows up on screen instead of a crash.
    """
    try:
        template = _catalogue(lang)[key]
    except KeyError:
        if _strict():
            raise KeyError(f"no catalogue entry {key!r} for language {lang!r}") from None
        return key
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        if _strict():
            raise
        return template


def enum_label(member: StrEnum, lang: str) -> str:
    """What a person reads for a stored enum value, e.g. ``مسودة`` for ``draft``."""
    return t(f"enum.{type(member).__name__}.{member.value}", lang)


def other_lang(lang: str) -> str:
    """The language the toggle switches to from ``lang``."""
    return "en" if lang == "ar" else "ar"


def error_text(error: BaseException | None, lang: str) -> str:
    """What a person reads about ``error``: a refusal's own words, else that something
    unexpected went wrong."""
    if isinstance(error, DomainError):
        return error.message(lang)
    return t("error.unexpected", lang)
