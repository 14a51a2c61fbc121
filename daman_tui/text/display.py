"""The Arabic display pipeline: the one place logical text becomes what the terminal draws.

Text is stored and processed in logical order. Only drawing transforms it, and every widget
draws through :func:`visual` (or :func:`rtext`, which wraps it in a Rich ``Text``). Modes:

- ``app``: we shape (arabic-reshaper) and reorder (python-bidi) ourselves; the default,
  right for terminals that do no bidi of their own (xterm, tmux, Windows Terminal, ...).
- ``terminal``: the terminal shapes and reorders; doing it too would reverse twice.
- ``off``: nothing is done (logs, debugging).

Each line goes through :func:`daman_tui.text.layout.layout_line`: shaping with a
lam-alef-only ligature set (:mod:`daman_tui.text.shaping`) and the full Unicode
Bidirectional Algorithm (:mod:`daman_tui.text.bidi`), brackets paired (N0) and mirrored
(L4), harakat kept after their letter (L3). Known gaps: none in ordering; the paragraph
direction is still taken per line from its first strong character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text

from daman_tui.text.catalog import t
from daman_tui.text.layout import layout_line

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
    "rtext_wrapped",
    "set_mode",
    "styled",
    "visual",
    "warm_up",
    "wrap",
]

MODES: tuple[str, ...] = ("app", "terminal", "off")
"""Who shapes and reorders Arabic: us, the terminal, or nobody."""

BINDING_PREFIX = "daman."
"""Bindings whose id starts with this get their footer text from the catalogue: an id
``daman.<name>`` from ``key.<name>``, an id ``daman.<section>.<…>`` (a dotted rest) from
the key it names in full, so a screen may keep its keys' words in its own section."""

# Right-to-left scripts: Hebrew, Arabic (+ supplements, extended) and the presentation forms.
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")

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
        return text.translate(_BIDI_FORMAT)
    # python-bidi moves a newline that sits inside the paragraph: split first.
    return "\n".join(_visual_line(line) for line in text.split("\n"))


# Direction marks and embeddings/isolates: they steer the ordering and are then
# invisible, but a terminal or Rich may still count one as a cell; never draw them.
_BIDI_FORMAT = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def _visual_line(line: str) -> str:
    if not _RTL_CHARS.search(line):
        return line.translate(_BIDI_FORMAT)
    return layout_line(line, "R" if is_rtl(line) else "L").visual.translate(_BIDI_FORMAT)


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


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells, in LOGICAL order.

    Wrap first, then draw each line: wrapping the visual string (what Rich would do)
    breaks an Arabic sentence from its end, so its first words land on the last line.
    Words longer than ``width`` are cut.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for whole in paragraph.split():
            word = whole
            while cell_len(word) > width > 0:
                if current:
                    lines.append(current)
                    current = ""
                head = clip(word, width + 1)[:-1] or word[:1]
                lines.append(head)
                word = word[len(head) :]
            candidate = f"{current} {word}" if current else word
            if cell_len(candidate) <= width or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


_RLM = "\u200f"


def rtext_wrapped(text: str, lang: str, width: int, style: str | Style | None = None) -> Text:
    """Like :func:`rtext`, for text that may be longer than ``width``: wrapped logically.

    A line broken out of a right-to-left paragraph keeps the paragraph's direction even
    when it starts with a reference or a number (a right-to-left mark before it; drawing
    drops the mark), instead of being laid out left to right on its own.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        pieces = wrap(paragraph, width)
        if len(pieces) > 1 and is_rtl(paragraph):
            pieces[1:] = [_RLM + piece for piece in pieces[1:]]
        lines += pieces
    return rtext("\n".join(lines), lang, style)


def styled(text: str, lang: str, spans: list[tuple[int, int, str | Style]]) -> Text:
    """:func:`rtext` with styles on LOGICAL ranges ``[start, end)`` of ``text``.

    Each styled logical character is found in the drawn line through the layout's
    index map, so a highlighted search match stays on the right letters after shaping
    and reordering (a lam-alef ligature is styled if either of its letters is).
    """
    out = rtext(text, lang)
    if _mode != "app" or "\n" in text or not text:
        for start, end, style in spans:
            out.stylize(style, start, end)
        return out
    line = layout_line(text, "R" if is_rtl(text) else "L")
    for start, end, style in spans:
        for position in sorted({line.log_to_vis[i] for i in range(start, min(end, len(text)))}):
            out.stylize(style, position, position + 1)
    return out


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Give ``node``'s own bindings their footer text in ``lang``.

    Textual reads a binding's description once from ``BINDINGS``; a runtime language
    toggle needs new descriptions, so we replace the (frozen) bindings of this node's
    per-instance map. Only bindings with an id starting ``daman.`` are touched; their text
    is the catalogue's (see :data:`BINDING_PREFIX`), drawn through :func:`visual`.
    """
    # Textual is pinned exactly (pyproject): the per-instance map is ours to rewrite.
    bindings_map = node._bindings
    for key, bindings in list(bindings_map.key_to_bindings.items()):
        bindings_map.key_to_bindings[key] = [
            replace(binding, description=visual(t(_binding_key(binding.id), lang), _mode))
            if binding.id and binding.id.startswith(BINDING_PREFIX)
            else binding
            for binding in bindings
        ]
    node.refresh_bindings()


def _binding_key(binding_id: str) -> str:
    """The catalogue key of a ``daman.`` binding's footer text."""
    rest = binding_id[len(BINDING_PREFIX) :]
    return rest if "." in rest else f"key.{rest}"
