"""Where a caret may stand in a laid-out line, and where it is drawn.

Pure geometry over a :class:`~daman_tui.text.layout.VisualLine` (or, when the terminal
does bidi itself, over the logical line): the cells a line draws, the cell a block caret
covers at each caret stop, and the order the arrow keys walk the stops in. The input
widget draws and moves by this; nothing here knows about Textual.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from rich.cells import get_character_cell_size

__all__ = [
    "CaretGeometry",
    "CaretLine",
    "DrawnCell",
    "LogicalLine",
    "build_geometry",
    "is_mark",
    "logical_line",
]


def is_mark(char: str) -> bool:
    """A combining mark (a haraka): it rides on the character before it."""
    return unicodedata.category(char) in ("Mn", "Me")


class CaretLine(Protocol):
    """What the widget needs of a laid-out line (a ``VisualLine`` or a logical one).

    Carets are at *columns*, the boundaries between cells: column ``x`` is the left edge
    of cell ``x``.
    """

    @property
    def logical(self) -> str: ...

    @property
    def visual(self) -> str: ...

    @property
    def levels(self) -> tuple[int, ...]: ...

    @property
    def vis_to_log(self) -> tuple[int, ...]: ...

    @property
    def cell_x(self) -> tuple[int, ...]: ...

    @property
    def width(self) -> int: ...

    @property
    def caret_stops(self) -> tuple[int, ...]: ...

    def caret_x(self, pos: int) -> int: ...

    def pos_at_x(self, x: int) -> int: ...


@dataclass(frozen=True, slots=True)
class LogicalLine:
    """The line as stored, left to right: for the ``terminal`` and ``off`` bidi modes.

    The terminal (or nobody) shapes and reorders, so carets are counted in logical cells;
    they still never stop between a letter and its marks.
    """

    logical: str
    visual: str
    levels: tuple[int, ...]
    vis_to_log: tuple[int, ...]
    cell_x: tuple[int, ...]
    width: int
    caret_stops: tuple[int, ...]
    offsets: tuple[int, ...]
    """The column before each logical position, ``len(visual) + 1`` of them."""

    def caret_x(self, pos: int) -> int:
        return self.offsets[min(max(pos, 0), len(self.visual))]

    def pos_at_x(self, x: int) -> int:
        return min(self.caret_stops, key=lambda stop: (abs(self.offsets[stop] - x), stop))


def logical_line(text: str) -> LogicalLine:
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + get_character_cell_size(char))
    stops = tuple(pos for pos in range(len(text) + 1) if pos == len(text) or not is_mark(text[pos]))
    return LogicalLine(
        logical=text,
        visual=text,
        levels=(0,) * len(text),
        vis_to_log=tuple(range(len(text))),
        cell_x=tuple(offsets[:-1]),
        width=offsets[-1],
        caret_stops=stops,
        offsets=tuple(offsets),
    )


class DrawnCell(NamedTuple):
    """One drawn cell group: a character with the marks that ride on it."""

    x: int
    width: int
    text: str
    logical: int


@dataclass(frozen=True, slots=True)
class CaretGeometry:
    """A laid-out line in the terms the widget draws and moves by."""

    line: CaretLine
    rtl: bool
    cells: tuple[DrawnCell, ...]
    stop_x: dict[int, int]
    """Column (cell boundary) of the caret at each caret stop, from the layout."""
    stop_cell: dict[int, int]
    """The cell the block caret covers at each caret stop."""
    ranked: tuple[int, ...]
    """The caret stops from left to right on screen (see :meth:`neighbour`)."""
    order: dict[int, int]
    """Each caret stop's index in ``ranked``."""
    lo: int
    """Leftmost cell used by the text or the caret."""
    hi: int
    """One past the rightmost cell used by the text or the caret."""

    def snap(self, pos: int) -> int:
        """The first caret stop at or after ``pos`` (the last stop if none)."""
        stops = self.line.caret_stops
        index = bisect_left(stops, pos)
        return stops[min(index, len(stops) - 1)]

    def cell_of(self, pos: int) -> int:
        """The cell the caret at ``pos`` is drawn on, snapped to a caret stop."""
        return self.stop_cell[self.snap(pos)]

    def position_at(self, cell: int) -> int:
        """The caret stop for a click on ``cell``: just before the character drawn there.

        So the caret lands on the letter clicked (a lam-alef: before the lam). Beside
        the text, the layout's nearest stop to that side.
        """
        for drawn in self.cells:
            if drawn.x <= cell < drawn.x + drawn.width:
                stops = self.line.caret_stops
                return stops[max(bisect_right(stops, drawn.logical) - 1, 0)]
        return self.line.pos_at_x(cell)

    def neighbour(self, pos: int, step: int) -> int | None:
        """The caret stop next to ``pos`` on screen, to the left (``step`` -1) or right (+1).

        Stops are ranked by the cell their caret covers, then by their column, then in
        logical order. The column alone would leave a stop that shares its column with
        another (at a direction boundary: the ")" after a Latin word in Arabic text)
        out of reach of the arrows; the ranking reaches every stop, moves the drawn caret
        monotonically, and makes Left and Right exact inverses.
        """
        rank = self.order[self.snap(pos)] + step
        return self.ranked[rank] if 0 <= rank < len(self.ranked) else None


def build_geometry(line: CaretLine, rtl: bool) -> CaretGeometry:
    cells: list[DrawnCell] = []
    for index, char in enumerate(line.visual):
        width = get_character_cell_size(char)
        if width == 0:
            if cells:  # a mark (or a zero-width control) rides on the cell before it
                last = cells[-1]
                cells[-1] = last._replace(text=last.text + char)
            continue
        cells.append(DrawnCell(line.cell_x[index], width, char, line.vis_to_log[index]))
    stop_x = {stop: line.caret_x(stop) for stop in line.caret_stops}
    stop_cell = {stop: _caret_cell(line, stop, x, rtl) for stop, x in stop_x.items()}
    ranked = tuple(sorted(line.caret_stops, key=lambda stop: (stop_cell[stop], stop_x[stop], stop)))
    order = {stop: rank for rank, stop in enumerate(ranked)}
    lo = min(0, *stop_cell.values())
    hi = max(line.width, *(x + 1 for x in stop_cell.values()))
    return CaretGeometry(line, rtl, tuple(cells), stop_x, stop_cell, ranked, order, lo, hi)


def _caret_cell(line: CaretLine, pos: int, column: int, rtl: bool) -> int:
    """The cell a block caret at ``pos`` (drawn at ``column``) covers.

    The caret covers the character it stands before: the cell left of the column for a
    right-to-left character (the column is its right edge), right of it for a
    left-to-right one. At the end it covers the free cell past the last character, on
    the side that character's direction continues to; in an empty field, the side the
    field starts from.
    """
    text = line.logical
    if not text:
        return column - 1 if rtl else column
    index = pos if pos < len(text) else _last_drawn(text)
    return column - 1 if line.levels[index] & 1 else column


def _last_drawn(text: str) -> int:
    """Index of the last character of ``text`` that takes cells (marks do not)."""
    for index in range(len(text) - 1, -1, -1):
        if get_character_cell_size(text[index]):
            return index
    return len(text) - 1
