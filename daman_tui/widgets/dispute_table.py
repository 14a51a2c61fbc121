"""The review panel's table: open objections and financial complaints, marked for triage.

A branch has hundreds of these open, not a million (services/disputes.py), so the table
holds the whole list the service returns and scrolls it; the columns are fitted to the
width once per list, the long ones (name, subject, assignee) giving up cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingType

from daman_tui.domain.disputes import OPEN_COMPLAINT, OPEN_OBJECTION
from daman_tui.domain.enums import ComplaintStatus, ObjectionStatus
from daman_tui.domain.national_id import mask_national_id
from daman_tui.services.disputes import DisputeRef, DisputeRow
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import clip, rtext
from daman_tui.widgets.case_table import ASSIGNEE_WIDTH, NAME_WIDTH
from daman_tui.widgets.line_table import CELL_PAD, Column, LineTable
from daman_tui.widgets.review_text import (
    days_left_cell,
    priority_label,
    subject_label,
)

__all__ = ["DISPUTE_COLUMNS", "DisputeTable", "is_open", "row_key"]

DISPUTE_COLUMNS = (
    "reference",
    "subject",
    "name",
    "national_id",
    "branch",
    "filed",
    "age",
    "days_left",
    "priority",
    "assignee",
)
"""Column keys in reading order."""

MOST = {"subject": 24, "name": NAME_WIDTH, "assignee": ASSIGNEE_WIDTH}
"""Most cells a long column takes."""

LEAST = (("name", 14), ("subject", 14), ("assignee", 6), ("name", 10), ("subject", 10))
"""Who gives up cells first when the table is too wide, and down to how many."""

MARK = "✓"
"""Before the reference of a row marked for triage."""


def row_key(ref: DisputeRef) -> str:
    """The table's key of a record: its kind and id."""
    return f"{ref.kind}:{ref.id}"


def is_open(row: DisputeRow) -> bool:
    """Whether ``row`` still awaits a decision."""
    if row.ref.kind == "objection":
        return row.status in {s.value for s in OPEN_OBJECTION}
    return row.status in {s.value for s in OPEN_COMPLAINT}


def _status(row: DisputeRow, lang: str) -> str:
    if row.ref.kind == "objection":
        return enum_label(ObjectionStatus(row.status), lang)
    return enum_label(ComplaintStatus(row.status), lang)


class DisputeTable(LineTable):
    """:class:`DisputeRow` rows keyed by :func:`row_key`, the marked ones ticked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "open", id="daman.review.key.open"),
    ]

    def __init__(
        self,
        *,
        columns: Sequence[str] = DISPUTE_COLUMNS,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._keys_shown = tuple(columns)
        self.rows: list[DisputeRow] = []
        self.marked: set[DisputeRef] = set()
        self._lang = "ar"

    @property
    def current(self) -> DisputeRow | None:
        """The highlighted row."""
        if not self.rows:
            return None
        return self.rows[min(self.cursor_row, len(self.rows) - 1)]

    def show(
        self, rows: Sequence[DisputeRow], lang: str, *, cursor: DisputeRef | None = None
    ) -> None:
        """Show ``rows``, the cursor on ``cursor``'s row if it is still there."""
        self._lang = lang
        self.rows = list(rows)
        refs = [r.ref for r in self.rows]
        self.marked &= set(refs)
        texts = [self._texts(r, lang) for r in self.rows]
        widths = self._fitted(lang, texts)
        keys = self._keys_shown[::-1] if lang == "ar" else self._keys_shown
        columns = [
            Column(
                key, rtext(clip(self._header(key, lang), widths[key]), lang, "bold"), widths[key]
            )
            for key in keys
        ]
        table_rows = [
            (
                row_key(r.ref),
                [rtext(clip(cells[k][0], widths[k]), lang, cells[k][1]) for k in keys],
            )
            for r, cells in zip(self.rows, texts, strict=True)
        ]
        self.set_data(columns, table_rows, rtl=lang == "ar")
        self.move_cursor(refs.index(cursor) if cursor in refs else 0)

    def toggle_mark(self) -> None:
        """Mark the highlighted row, or unmark it."""
        row = self.current
        if row is None:
            return
        self.marked ^= {row.ref}
        self.show(self.rows, self._lang, cursor=row.ref)

    def chosen(self) -> list[DisputeRow]:
        """The marked rows, or the highlighted one when none is marked."""
        marked = [r for r in self.rows if r.ref in self.marked]
        if marked:
            return marked
        return [self.current] if self.current is not None else []

    # ---- cells -------------------------------------------------------------------------
    @staticmethod
    def _header(key: str, lang: str) -> str:
        return t(f"review.column.{key}", lang)

    def _texts(self, r: DisputeRow, lang: str) -> dict[str, tuple[str, str | None]]:
        days, style = days_left_cell(r.days_left, is_open(r), _status(r, lang), lang, compact=True)
        mark = MARK if r.ref in self.marked else " "
        return {
            "reference": (f"{mark} {r.reference}", "bold" if r.ref in self.marked else None),
            "subject": (subject_label(r, lang), None),
            "name": (r.head_name or "—", None),
            "national_id": (mask_national_id(r.national_id) if r.national_id else "—", None),
            "branch": (r.branch_code, None),
            "filed": (r.filed_on.isoformat(), None),
            "age": (str(r.age_days), None),
            "days_left": (days, style),
            "priority": (priority_label(r.priority, lang), "bold" if r.priority else None),
            "assignee": (r.assignee_name or "—", None),
        }

    def _fitted(self, lang: str, texts: list[dict[str, tuple[str, str | None]]]) -> dict[str, int]:
        widths = {
            key: min(
                MOST.get(key, 10**6),
                max([cell_len(self._header(key, lang)), *(cell_len(c[key][0]) for c in texts)]),
            )
            for key in self._keys_shown
        }
        room = self.size.width
        if len(texts) + 1 > self.size.height:
            # The rows will not all fit: the vertical scroll bar takes its cells.
            room -= self.styles.scrollbar_size_vertical
        excess = sum(widths.values()) + 2 * CELL_PAD * len(widths) - room
        for key, least in LEAST:
            if excess > 0 and key in widths:
                give = max(0, min(excess, widths[key] - least))
                widths[key] -= give
                excess -= give
        return widths

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        # Columns fitted to the old width: fit them again.
        if self.rows:
            current = self.current
            self.show(self.rows, self._lang, cursor=current.ref if current else None)
