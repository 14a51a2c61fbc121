"""The Arabic display pipeline: the one place logical text becomes what the terminal draws.

Text is stored and processed in logical order. Only drawing transforms it, and every widget
draws through :func:`visual` (or :func:`rtext`, which wraps it in a Rich ``Text``). Modes:

- ``app``: we shape (arabic-reshaper) and reorder (python-bidi) ourselves; the default,
  right for terminals that do no bidi of their own (xterm, tmux, Windows Terminal, ...).
- ``terminal``: the terminal shapes and reorders; doing it too would reverse twice.
- ``off``: nothing is done (logs, debugging).

Known gaps, to be closed here and nowhere else: python-bidi 0.6 applies neither rule L3
(marks after their base: we re-attach harakat below) nor L4 (mirroring), so "(SBIS)" in an
Arabic line still shows its brackets backwards.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text

from daman_tui.text.catalog import t

if TYPE_CHECKING:
    from textual.dom import DOMNode

__all__ = [
    "BINDING_PREFIX",
    "ELLIPSIS",
    "MODES",
    "clip",
    "current_mode",
    "is_rtl",
    "localize_bindings",
    "rtext",
    "set_mode",
    "visual",
    "warm_up",
]

MODES: tuple[str, ...] = ("app", "terminal", "off")
"""Who shapes and reorders Arabic: us, the terminal, or nobody."""

BINDING_PREFIX = "daman."
"""Bindings whose id starts with this get their footer text from ``key.<rest of id>``."""

# Right-to-left scripts: Hebrew, Arabic (+ supplements, extended) and the presentation forms.
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# Arabic combining marks (harakat, superscript alef, Quranic marks) that ride on a letter.
_ARABIC_MARK = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8]")
# Letters a mark can sit on once shaped: the Arabic block and the presentation forms.
_ARABIC_BASE = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\ufb50-\ufdff\ufe70-\ufefc]")

ELLIPSIS = "…"

_mode = "app"


def set_mode(mode: str) -> None:
    """Choose the pipeline for :func:`rtext` and the footer; ``auto`` means ``app`` for now.

    Detecting a reordering terminal (VTE and friends) comes with ``daman doctor``; until
    then the operator overrides with ``--bidi`` / ``DAMAN_BIDI``.
    """
    global _mode  # noqa: PLW0603 - one process-wide choice, made once at start
    chosen = "app" if mode == "auto" else mode
    if chosen not in MODES:
        raise ValueError(f"unknown bidi mode {mode!r}; expected auto or one of {MODES}")
    _mode = chosen


def current_mode() -> str:
    """The pipeline :func:`rtext` uses when not told otherwise."""
    return _mode


@cache
def _reshaper() -> ArabicReshaper:
    # Harakat kept (names are written with them); the ALLAH ligature off, or "عبدالله"
    # becomes four cells with U+FDF2 and no longer reads as the name the person gave.
    return ArabicReshaper(
        configuration={
            "delete_harakat": False,
            "support_ligatures": True,
            "ARABIC LIGATURE ALLAH": False,
        }
    )


def warm_up() -> None:
    """Build the reshaper and run it once, on the UI thread, before workers use it."""
    visual("مرحبًا")


def is_rtl(text: str) -> bool:
    """Whether ``text`` is a right-to-left paragraph: its first strong character is R or AL."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def visual(text: str, mode: str = "app") -> str:
    """``text`` as the terminal must draw it, each line its own paragraph.

    In ``app`` mode Arabic is shaped, then reordered with the paragraph direction taken
    from its first strong character; text without right-to-left letters comes back as it
    is. ``terminal`` and ``off`` return ``text`` unchanged.
    """
    if mode != "app" or not text:
        return text
    return _visual_app(text)


@lru_cache(maxsize=32768)
def _visual_app(text: str) -> str:
    if not _RTL_CHARS.search(text):
        return text
    # python-bidi moves a newline that sits inside the paragraph: split first.
    return "\n".join(_visual_line(line) for line in text.split("\n"))


def _visual_line(line: str) -> str:
    if not _RTL_CHARS.search(line):
        return line
    shaped = _reshaper().reshape(line)
    ordered = get_display(shaped, base_dir="R" if is_rtl(line) else "L")
    return _reattach_marks(ordered)


def _reattach_marks(ordered: str) -> str:
    """Put harakat back after their letter, where a terminal combines them.

    Reversing a right-to-left run leaves each mark before (left of) its letter, so the
    terminal would stack it on the neighbouring letter instead (rule L3, which python-bidi
    does not apply).
    """
    if not _ARABIC_MARK.search(ordered):
        return ordered
    out: list[str] = []
    pending: list[str] = []
    for char in ordered:
        if _ARABIC_MARK.match(char):
            pending.append(char)
            continue
        if pending and _ARABIC_BASE.match(char):
            out.append(char)
            out.extend(reversed(pending))
        else:
            out.extend(pending)
            out.append(char)
        pending.clear()
    out.extend(pending)
    return "".join(out)


def clip(text: str, width: int) -> str:
    """``text`` cut at its logical end to at most ``width`` cells, with an ellipsis if cut.

    Cut before display, never after: Rich crops the visual line from the right, which for
    Arabic is the *start* of the name, and it can strand a haraka away from its letter.
    The logical width is an upper bound of the shaped one (lam-alef only shrinks).
    """
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        size = get_character_cell_size(char)
        if size and used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + ELLIPSIS


def rtext(
    text: str, lang: str, style: str | Style | None = None, *, mode: str | None = None
) -> Text:
    """A Rich ``Text`` of the visual form of ``text``: never parsed as markup.

    Right-justified when the interface is Arabic, so table cells and labels line up on
    the right edge, as an Arabic reader scans them.
    """
    return Text(
        visual(text, _mode if mode is None else mode),
        style=style or "",
        justify="right" if lang == "ar" else "left",
        end="",
    )


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Give ``node``'s own bindings their footer text in ``lang``.

    Textual reads a binding's description once from ``BINDINGS``; a runtime language
    toggle needs new descriptions, so we replace the (frozen) bindings of this node's
    per-instance map. Only bindings with an id starting ``daman.`` are touched; their text
    is the catalogue's ``key.<id without the prefix>``, drawn through :func:`visual`.
    """
    # Textual is pinned exactly (pyproject): the per-instance map is ours to rewrite.
    bindings_map = node._bindings
    for key, bindings in list(bindings_map.key_to_bindings.items()):
        bindings_map.key_to_bindings[key] = [
            replace(
                binding,
                description=visual(t(f"key.{binding.id[len(BINDING_PREFIX) :]}", lang), _mode),
            )
            if binding.id and binding.id.startswith(BINDING_PREFIX)
            else binding
            for binding in bindings
        ]
    node.refresh_bindings()
