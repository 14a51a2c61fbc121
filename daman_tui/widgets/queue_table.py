"""The queue's table: a window of exactly the rows that fit, never the whole queue.

The widget holds only what is on screen. Moving past an edge (a row, a page, home, end)
does not scroll: it asks its screen for another window (``QueueTable.Edge``), which the
screen reads from the store by keyset and hands back with :meth:`QueueTable.show`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.national_id import mask_national_id
from daman_tui.domain.sla import DUE_SOON_DAYS
from daman_tui.services.queue import QueueItem
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import clip, rtext
from daman_tui.widgets.case_table import ASSIGNEE_WIDTH, NAME_WIDTH, format_local_time
from daman_tui.widgets.line_table import CELL_PAD, Column, LineTable

__all__ = ["QUEUE_COLUMNS", "QueueTable", "days_left_cell"]

QUEUE_COLUMNS = (
    "request_number",
    "name",
    "national_id",
    "status",
    "branch",
    "assignee",
    "days_left",
    "last_change",
)
"""Column keys in reading order."""

# The sort column behind each column key (the queue sorts by the normalised name).
SORT_OF = {
    "request_number": "request_number",
    "name": "name_key",
    "national_id": "national_id",
    "status": "status",
    "branch": "branch_code",
    "assignee": "assignee_name",
    "days_left": "due_on",
    "last_change": "last_change_at",
}

MIN_NAME = 14
"""Fewest cells the name keeps when the terminal is narrow."""

MIN_ASSIGNEE = 6

_OVERDUE = "bold red"
_DUE_SOON = "dark_orange"


def days_left_cell(item: QueueItem, today: date, lang: str) -> tuple[str, str | None]:
    """The days-left text of ``item`` and its style: red when overdue, amber when due
    within ``DUE_SOON_DAYS``."""
    if item.clock == "paused":
        return t("queue.clock_paused", lang), None
    left = item.days_left(today)
    if left is None:
        return "—", None
    if left < 0:
        return t("queue.overdue_by", lang, days=-left), _OVERDUE
    return str(left), _DUE_SOON if left <= DUE_SOON_DAYS else None


def _widths(lang: str) -> dict[str, int]:
    """Fixed widths, so the columns stay put while windows come and go."""
    status = max(len(enum_label(s, lang)) for s in ApplicationStatus)
    return {
        "request_number": 22,
        "name": NAME_WIDTH,
        "national_id": 10,
        "status": status,
        "branch": 6,
        "assignee": ASSIGNEE_WIDTH,
        "days_left": max(
            len(t("queue.clock_paused", lang)), len(t("queue.overdue_by", lang, days=99))
        ),
        "last_change": 10,
    }


class QueueTable(LineTable):
    """A window of :class:`QueueItem` rows, keyed by application id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "step(-1)", show=False),
        Binding("down", "step(1)", show=False),
        Binding("pageup", "page_edge(-1)", show=False),
        Binding("pagedown", "page_edge(1)", show=False),
        Binding("home", "far(-1)", show=False),
        Binding("end", "far(1)", show=False),
        Binding("enter", "select", "open", id="daman.queue_open"),
    ]

    class Edge(Message):
        """The cursor tried to leave the window: ``move`` is "down", "up", "page_down",
        "page_up", "home" or "end"."""

        def __init__(self, table: QueueTable, move: str) -> None:
            super().__init__()
            self.table = table
            self.move = move

        @property
        def control(self) -> QueueTable:
            return self.table

    def __init__(
        self,
        *,
        columns: Sequence[str] = QUEUE_COLUMNS,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._keys_shown = tuple(columns)
        self.items: list[QueueItem] = []
        self._lang = "ar"
        self._today = date.today()

    @property
    def capacity(self) -> int:
        """How many rows fit under the header: the most a window ever holds."""
        return max(1, self.scrollable_content_region.height - 1)

    def _fitted(self, lang: str, items: Sequence[QueueItem]) -> dict[str, int]:
        """Column widths for ``lang`` that fit the table's width: the name, then the
        assignee, give up cells first (down to ``MIN_NAME``), so no row ever needs a
        horizontal scroll bar (which would also take a row away from the window)."""
        widths = {
            key: max(width, len(t(f"queue.column.{key}", lang)))
            for key, width in _widths(lang).items()
            if key in self._keys_shown
        }
        # A node's counter can outgrow its five digits: never clip a request number.
        longest = max((len(i.request_number) for i in items), default=0)
        widths["request_number"] = max(widths["request_number"], longest)
        room = self.scrollable_content_region.width or self.size.width
        excess = sum(widths.values()) + 2 * CELL_PAD * len(widths) - room
        for key, least in (("name", MIN_NAME), ("assignee", MIN_ASSIGNEE)):
            if excess > 0 and key in widths:
                give = min(excess, widths[key] - least)
                widths[key] -= give
                excess -= give
        return widths

    def show(self, items: Sequence[QueueItem], lang: str, today: date, *, cursor: int) -> None:
        """Show ``items`` (at most a window's worth) with the cursor on row ``cursor``."""
        self._lang, self._today = lang, today
        self.items = list(items)[: self.capacity]
        widths = self._fitted(lang, self.items)
        keys = self._keys_shown[::-1] if lang == "ar" else self._keys_shown
        columns = [
            Column(
                key,
                rtext(clip(t(f"queue.column.{key}", lang), widths[key]), lang, "bold"),
                widths[key],
            )
            for key in keys
        ]
        rows = [
            (item.application_id, [self._cell(item, key, lang, today, widths) for key in keys])
            for item in self.items
        ]
        self.set_data(columns, rows, rtl=lang == "ar")
        self.move_cursor(cursor)

    def _cell(
        self, item: QueueItem, key: str, lang: str, today: date, widths: dict[str, int]
    ) -> Text:
        style: str | None = None
        if key == "request_number":
            text = item.request_number
        elif key == "name":
            text = clip(item.name, widths[key])
        elif key == "national_id":
            text = mask_national_id(item.national_id)
        elif key == "status":
            text = enum_label(item.status, lang)
        elif key == "branch":
            text = item.branch_code
        elif key == "assignee":
            text = clip(item.assignee_name, widths[key]) if item.assignee_name else "—"
        elif key == "days_left":
            text, style = days_left_cell(item, today, lang)
        else:
            text = format_local_time(item.last_change_at)[:10]
        return rtext(text, lang, style)

    class Resized(Message):
        """The table has a new size: its window may now hold more (or fewer) rows."""

        def __init__(self, table: QueueTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> QueueTable:
            return self.table

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        # Columns fitted to the old width, rows to the old height: fit them again (a
        # table shown again after being hidden has its first real size only now).
        if self.items:
            self.show(self.items, self._lang, self._today, cursor=self.cursor_row)
        self.post_message(self.Resized(self))

    @property
    def current(self) -> QueueItem | None:
        """The highlighted row's item."""
        if not self.items:
            return None
        return self.items[min(self.cursor_row, len(self.items) - 1)]

    # ---- movement: inside the window, or ask for another --------------------------
    def action_step(self, step: int) -> None:
        target = self.cursor_row + step
        if 0 <= target < len(self.items):
            self.move_cursor(target)
        elif self.items:
            self.post_message(self.Edge(self, "down" if step > 0 else "up"))

    def action_page_edge(self, direction: int) -> None:
        self.post_message(self.Edge(self, "page_down" if direction > 0 else "page_up"))

    def action_far(self, direction: int) -> None:
        self.post_message(self.Edge(self, "end" if direction > 0 else "home"))
