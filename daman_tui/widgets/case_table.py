"""The case table: one page of case rows, read right to left in Arabic."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.text import Text

from daman_tui.domain.national_id import mask_national_id
from daman_tui.services.views import CaseRow
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import clip, rtext
from daman_tui.widgets.line_table import Column, LineTable

__all__ = ["ALL_COLUMNS", "CaseTable", "format_local_time"]


@cache
def _riyadh() -> timezone | ZoneInfo:
    try:
        return ZoneInfo("Asia/Riyadh")
    except ZoneInfoNotFoundError:
        # No tz database (Windows without tzdata): Riyadh has kept UTC+3, without DST,
        # for decades, so a fixed offset shows the same clock.
        return timezone(timedelta(hours=3), "AST")


def format_local_time(moment: datetime) -> str:
    """``moment`` on a Riyadh wall clock, ``YYYY-MM-DD HH:MM``."""
    return moment.astimezone(_riyadh()).strftime("%Y-%m-%d %H:%M")


_Cell = Callable[[CaseRow, str], str]

NAME_WIDTH = 24
"""Most cells a name column takes; longer names are clipped at their logical end."""

ASSIGNEE_WIDTH = 12
"""Most cells the assignee's name takes."""

# (column key, most cells a value may take or None, cell text), in reading order;
# Arabic reverses it for display.
_COLUMNS: tuple[tuple[str, int | None, _Cell], ...] = (
    ("request_number", None, lambda row, lang: row.request_number),
    ("name", NAME_WIDTH, lambda row, lang: row.head_name),
    ("national_id", None, lambda row, lang: mask_national_id(row.national_id)),
    ("status", None, lambda row, lang: enum_label(row.status, lang)),
    ("kind", None, lambda row, lang: enum_label(row.kind, lang)),
    ("branch", None, lambda row, lang: row.branch_code),
    ("assignee", ASSIGNEE_WIDTH, lambda row, lang: row.assignee or t("cases.unassigned", lang)),
    ("last_change", None, lambda row, lang: format_local_time(row.last_change_at)),
)


ALL_COLUMNS = tuple(spec[0] for spec in _COLUMNS)


def _cell_text(text: str, most: int | None, lang: str, style: str | None = None) -> Text:
    return rtext(text if most is None else clip(text, most), lang, style)


class CaseTable(LineTable):
    """A table of :class:`CaseRow`, one row per application, keyed by application id.

    Every cell is a ``Text`` from the display pipeline, never a markup string, so a
    name such as ``[bold]`` shows as typed. In Arabic the columns run from the right:
    the first column (request number) is the rightmost.
    """

    def __init__(
        self,
        *,
        columns: Sequence[str] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``columns`` picks and orders the column keys; default: all of them."""
        super().__init__(name=name, id=id, classes=classes)
        by_key = {spec[0]: spec for spec in _COLUMNS}
        self._specs = tuple(by_key[key] for key in columns) if columns else _COLUMNS

    def show(self, rows: Sequence[CaseRow], lang: str, *, keep_cursor: bool = False) -> None:
        """Replace the table's content with ``rows``, labelled in ``lang``.

        ``keep_cursor`` keeps the highlighted row (a language toggle redraws the same
        rows); otherwise the cursor starts at the top (a new page).
        """
        columns = self._specs[::-1] if lang == "ar" else self._specs
        labels = [
            _cell_text(t(f"cases.column.{key}", lang), most, lang, "bold")
            for key, most, _ in columns
        ]
        cells = [
            [_cell_text(cell(row, lang), most, lang) for _key, most, cell in columns]
            for row in rows
        ]
        widths = [
            max([label.cell_len, *(row_cells[index].cell_len for row_cells in cells)])
            for index, label in enumerate(labels)
        ]
        self.set_data(
            [
                Column(key, label, width)
                for (key, _most, _cell), label, width in zip(columns, labels, widths, strict=True)
            ],
            [(row.application_id, row_cells) for row, row_cells in zip(rows, cells, strict=True)],
            rtl=lang == "ar",
            keep_cursor=keep_cursor,
        )
