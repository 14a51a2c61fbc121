"""A light, read-only table drawn line by line: what our queues and lists are built on.

Textual's DataTable renders every cell through Rich's layout machinery on each repaint
(measured ~70-90 ms for a full 40-row frame); our cells are already visual strings from
the display pipeline, so a line is just padded segments. Each line's ``Strip`` is cached
until the data, the width or the cursor changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["Column", "LineTable"]

CELL_PAD = 1
"""Blank cells on each side of a value."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its key, its header (visual text) and its width in cells."""

    key: str
    label: Text
    width: int


class LineTable(ScrollView, can_focus=True):
    """Rows of visual ``Text`` cells with a row cursor, a fixed header and RTL alignment.

    In right-to-left mode the columns are given in display order (the caller reverses
    them), cells are right-justified and a table narrower than the widget hugs the
    right edge.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
        Binding("enter", "select", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--header",
        "line-table--cursor",
        "line-table--even",
    }

    DEFAULT_CSS = """
    LineTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .line-table--header { text-style: bold; background: $panel; }
        & > .line-table--even { background: $surface-lighten-1; }
        & > .line-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .line-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False)
    """Index of the highlighted row."""

    class RowHighlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, table: LineTable, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.row_key = row_key

        @property
        def control(self) -> LineTable:
            return self.table

    class RowSelected(Message):
        """Enter (or a click on the highlighted row) chose a row."""

        def __init__(self, table: LineTable, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.row_key = row_key

        @property
        def control(self) -> LineTable:
            return self.table

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns: tuple[Column, ...] = ()
        self._keys: list[str] = []
        self._cells: list[Sequence[Text]] = []
        self._rtl = False
        self._line_cache: dict[tuple[int, bool, int], Strip] = {}
        self._styles: dict[str, Style] | None = None

    # ---- data --------------------------------------------------------------------------
    def set_data(
        self,
        columns: Sequence[Column],
        rows: Sequence[tuple[str, Sequence[Text]]],
        *,
        rtl: bool,
        keep_cursor: bool = False,
    ) -> None:
        """Replace columns and rows (cells in display order, as the columns)."""
        previous = self.cursor_row if keep_cursor else 0
        self._columns = tuple(columns)
        self._keys = [key for key, _ in rows]
        self._cells = [cells for _, cells in rows]
        self._rtl = rtl
        self._invalidate()
        self.virtual_size = Size(self._table_width(), len(self._keys) + 1)
        self.set_reactive(LineTable.cursor_row, min(previous, max(0, len(self._keys) - 1)))
        if rtl:
            self.scroll_to(x=self.max_scroll_x, animate=False, immediate=True)
        self._scroll_cursor_into_view()
        self.refresh()

    @property
    def row_count(self) -> int:
        """How many rows the table holds."""
        return len(self._keys)

    @property
    def row_keys(self) -> list[str]:
        """The row keys, top to bottom."""
        return list(self._keys)

    @property
    def column_keys(self) -> list[str]:
        """The column keys in display order, left to right."""
        return [c.key for c in self._columns]

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of row ``index`` in display order."""
        return list(self._cells[index])

    def move_cursor(self, row: int) -> None:
        """Highlight row ``row`` (clamped)."""
        if self._keys:
            self.cursor_row = max(0, min(row, len(self._keys) - 1))

    # ---- rendering ---------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        # Without the scrollbars: a vertical one would otherwise hide the right edge.
        width = self.scrollable_content_region.width
        # Line 0 is the header: it stays put while the rows scroll under it.
        row = -1 if y == 0 else self.scroll_offset.y + y - 1
        if row >= len(self._keys):
            return Strip.blank(width, self.rich_style)
        is_cursor = row == self.cursor_row and row >= 0
        key = (row, is_cursor, width)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(row, is_cursor)
            if len(self._line_cache) > 4096:
                self._line_cache.clear()
            self._line_cache[key] = strip
        scroll_x = self.scroll_offset.x
        if scroll_x == 0 and strip.cell_length == width:
            return strip  # the common case: no copy
        return strip.crop(scroll_x, scroll_x + width)

    def _render_row(self, row: int, is_cursor: bool) -> Strip:
        styles = self._row_styles()
        if row < 0:
            style = styles["header"]
            cells: Sequence[Text] = [c.label for c in self._columns]
        else:
            style = styles["cursor" if is_cursor else "even" if row % 2 else "base"]
            cells = self._cells[row]
        segments: list[Segment] = []
        pad = " " * CELL_PAD
        for column, cell in zip(self._columns, cells, strict=True):
            plain = cell.plain
            gap = max(0, column.width - cell_len(plain))
            body = " " * gap + plain if self._rtl else plain + " " * gap
            cell_style = style + Style.parse(str(cell.style)) if cell.style else style
            segments.append(Segment(pad + body + pad, cell_style))
        table_width = self._table_width()
        spare = max(0, self.scrollable_content_region.width - table_width)
        if spare:
            filler = Segment(" " * spare, style)
            segments = [filler, *segments] if self._rtl else [*segments, filler]
        return Strip(segments, table_width + spare)

    def _row_styles(self) -> dict[str, Style]:
        # Resolving component styles walks the CSS; once per data/focus/theme change is
        # enough (it was a fifth of a frame when done per line).
        if self._styles is None:
            base = self.rich_style
            self._styles = {
                "base": base,
                "even": base + self.get_component_rich_style("line-table--even"),
                "cursor": base + self.get_component_rich_style("line-table--cursor"),
                "header": self.get_component_rich_style("line-table--header"),
            }
        return self._styles

    def _invalidate(self) -> None:
        self._line_cache.clear()
        self._styles = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._invalidate()

    def on_focus(self) -> None:
        self._invalidate()
        self.refresh()

    def on_blur(self) -> None:
        self._invalidate()
        self.refresh()

    def _table_width(self) -> int:
        return sum(c.width + 2 * CELL_PAD for c in self._columns)

    # ---- cursor ------------------------------------------------------------------------
    def watch_cursor_row(self, old: int, new: int) -> None:
        self._line_cache = {k: v for k, v in self._line_cache.items() if k[0] not in (old, new)}
        self._scroll_cursor_into_view()
        self.refresh()
        if self._keys:
            self.post_message(self.RowHighlighted(self, self._keys[new]))

    def _scroll_cursor_into_view(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def on_resize(self, _event: events.Resize) -> None:
        self._invalidate()
        if self._rtl:
            self.scroll_to(x=self.max_scroll_x, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y - 1
        if 0 <= row < len(self._keys):
            if row == self.cursor_row and event.chain >= 2:
                self.action_select()
            self.cursor_row = row

    # ---- actions -----------------------------------------------------------------------
    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(
            self.cursor_row + direction * max(1, self.scrollable_content_region.height - 2)
        )

    def action_edge(self, end: int) -> None:
        self.move_cursor(len(self._keys) - 1 if end else 0)

    def action_select(self) -> None:
        if self._keys:
            self.post_message(self.RowSelected(self, self._keys[self.cursor_row]))
