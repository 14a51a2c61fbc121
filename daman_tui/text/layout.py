"""One line of text laid out for the terminal: shaped, reordered, mirrored, with maps.

:func:`layout_line` composes :mod:`daman_tui.text.shaping` (letters joined, lam-alef as
one cell) and :mod:`daman_tui.text.bidi` (levels by UAX #9, L2 reversal with marks kept
after their letter, L4 mirroring). The :class:`VisualLine` it returns is what a widget
draws (``visual``) and what an editor needs to put a caret on it: which logical
character each cell shows, where each logical character is drawn, and where a caret may
stop.

Terms. A *logical position* ``p`` (0..len) is the gap before logical character ``p``;
``len`` is the end. A *column* ``x`` (0..width) is the boundary to the left of cell
``x``; column ``width`` is the right edge. A *mark* is a character of zero cells
(harakat and other combining marks, joiners, bidi controls): it is drawn in the cell of
the character before it, never on its own.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Literal

from rich.cells import get_character_cell_size

from daman_tui.text.bidi import MIRRORS as _MIRRORS
from daman_tui.text.bidi import embedding_levels, visual_order
from daman_tui.text.shaping import shape as shape_text

__all__ = ["VisualLine", "layout_line"]


@dataclass(frozen=True, slots=True)
class VisualLine:
    """A line as drawn: the visual string and the maps between it and the logical one."""

    logical: str
    """The text as stored."""
    visual: str
    """What the terminal draws left to right: shaped, reordered, mirrored."""
    base_rtl: bool
    """The paragraph direction."""
    vis_to_log: tuple[int, ...]
    """For each index of ``visual``, the logical index it shows (a lam-alef -> the lam)."""
    log_to_vis: tuple[int, ...]
    """For each logical index, the index of ``visual`` showing it (lam and alef -> the
    ligature)."""
    levels: tuple[int, ...]
    """Resolved embedding level of each logical character (odd = right-to-left)."""
    cell_x: tuple[int, ...]
    """For each index of ``visual``, its column; a mark, having no cell of its own, has the
    column just after its base's cell."""
    width: int
    """Total cells of ``visual``."""
    caret_stops: tuple[int, ...]
    """Sorted logical positions a caret may take: 0, ``len(logical)``, and every gap that
    neither separates a character from the marks after it, nor the lam and alef of a
    ligature, nor marks that open the line from the first letter (same place as 0)."""

    def caret_x(self, pos: int) -> int:
        """The column at which a caret at logical position ``pos`` is drawn.

        - ``pos < len``: at the *leading* edge of logical character ``pos`` (where typing
          in its direction starts): the right edge (``x + cells``) of a right-to-left
          character, the left edge (``x``) of a left-to-right one. The cell is the one
          showing ``pos``: a lam-alef ligature for its lam.
        - ``pos == len``: at the *trailing* edge of the last character that takes cells
          (where the text typed last ended): the left edge of a right-to-left character,
          the right edge of a left-to-right one. For a line ending in text of the
          paragraph's direction (every unidirectional line; trailing spaces go to the
          paragraph's side by L1) this is the paragraph's end, column 0 of a
          right-to-left paragraph and ``width`` of a left-to-right one; after
          "... 2024" ending an Arabic line it is just right of the digits. A line with
          no cells: 0.
        - A position that is not a caret stop is drawn at the stop before it.

        At a boundary between directions two logical positions can share a column and a
        column can have none; that is bidi text, not a bug (see :meth:`pos_at_x`).
        """
        size = len(self.logical)
        if not 0 <= pos <= size:
            raise ValueError(f"caret position {pos} outside 0..{size}")
        stops = self.caret_stops
        pos = stops[bisect_right(stops, pos) - 1]
        if pos < size:
            vis = self.log_to_vis[pos]
            left = self.cell_x[vis]
            if self.levels[pos] & 1:
                return left + self._cells(vis)
            return left
        for index in range(size - 1, -1, -1):
            vis = self.log_to_vis[index]
            cells = self._cells(vis)
            if cells:
                left = self.cell_x[vis]
                return left if self.levels[index] & 1 else left + cells
        return 0

    def pos_at_x(self, x: int) -> int:
        """The caret stop drawn nearest to column ``x`` (clamped to 0..width).

        For a click on a cell, pass the column of the cell edge nearer the click. When two
        stops are drawn at the same column (a direction boundary), the later logical
        position wins. ``caret_x(pos_at_x(caret_x(s))) == caret_x(s)`` for every stop
        ``s``, and ``pos_at_x(caret_x(s)) == s`` wherever no other stop shares that
        column (always, in a line whose characters all resolve to one direction).
        """
        x = min(max(x, 0), self.width)
        best, best_distance = 0, self.width + 1
        for stop in self.caret_stops:
            distance = abs(self.caret_x(stop) - x)
            if distance <= best_distance:
                best, best_distance = stop, distance
        return best

    def _cells(self, vis: int) -> int:
        """Cells of visual character ``vis`` (its marks after it add none)."""
        following = self.cell_x[vis + 1] if vis + 1 < len(self.cell_x) else self.width
        return following - self.cell_x[vis]


@lru_cache(maxsize=8192)
def layout_line(
    text: str, base: Literal["auto", "L", "R"] = "auto", *, shape: bool = True
) -> VisualLine:
    """Lay out one line (no newline) as the terminal must draw it.

    ``base`` is the paragraph direction: ``"auto"`` from the first strong character,
    or forced. ``shape=False`` skips letter joining (tests compare the pure bidi order
    with FriBidi's). Characters on odd levels are mirrored (L4); marks follow their base
    letter (L3).
    """
    if "\n" in text:
        raise ValueError("layout_line takes one line; split the text on newlines first")
    paragraph, levels = embedding_levels(text, base)
    if shape:
        shaped, origin = shape_text(text)
    else:
        shaped, origin = text, tuple(range(len(text)))
    widths = [get_character_cell_size(char) for char in shaped]
    # Without a ligature the shaped text is the logical one, character for character.
    one_for_one = len(shaped) == len(text)
    shaped_levels = levels if one_for_one else [levels[index] for index in origin]
    order = visual_order(shaped_levels, [cells == 0 for cells in widths])
    mirrored = _MIRRORS.get
    visual = "".join(
        [mirrored(shaped[i], shaped[i]) if shaped_levels[i] & 1 else shaped[i] for i in order]
    )
    cell_x = tuple(accumulate([widths[index] for index in order], initial=0))
    shaped_to_vis = [0] * len(order)
    for vis, index in enumerate(order):
        shaped_to_vis[index] = vis
    if one_for_one:
        log_to_vis = shaped_to_vis
    else:
        # A logical character is shown by the last shaped character starting at or
        # before it: itself, or the ligature that swallowed it.
        log_to_vis = [0] * len(text)
        for index, first in enumerate(origin):
            end = origin[index + 1] if index + 1 < len(origin) else len(text)
            for logical in range(first, end):
                log_to_vis[logical] = shaped_to_vis[index]
    return VisualLine(
        logical=text,
        visual=visual,
        base_rtl=paragraph == 1,
        vis_to_log=tuple([origin[index] for index in order]),
        log_to_vis=tuple(log_to_vis),
        levels=levels,
        cell_x=cell_x[:-1],
        width=cell_x[-1],
        caret_stops=_caret_stops(len(text), origin, widths),
    )


def _caret_stops(size: int, origin: tuple[int, ...], widths: list[int]) -> tuple[int, ...]:
    """0, the end, and the start of every shaped character that takes a cell.

    That leaves out the gap before a mark (zero cells) and the one between lam and alef
    (the alef starts no shaped character). Marks with no letter before them are drawn at
    the line's edge, where 0 is: the first stop after 0 is past the first letter.
    """
    stops = [0]
    seen_cell = False
    for first, cells in zip(origin, widths, strict=True):
        if cells:
            if seen_cell:
                stops.append(first)
            seen_cell = True
    if size:
        stops.append(size)
    return tuple(stops)
