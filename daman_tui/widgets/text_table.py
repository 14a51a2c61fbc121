"""Filling a :class:`LineTable` from plain logical strings: small lists in forms."""

from __future__ import annotations

from collections.abc import Sequence

from daman_tui.text.display import clip, rtext
from daman_tui.widgets.line_table import Column, LineTable

__all__ = ["fill_table"]

MOST_CELLS = 30
"""Most cells a value takes before it is clipped at its logical end."""


def fill_table(
    table: LineTable,
    headers: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, Sequence[str]]],
    lang: str,
    *,
    keep_cursor: bool = False,
    most: int = MOST_CELLS,
) -> None:
    """Show ``rows`` (key, cells in reading order) under ``headers`` (key, label).

    In Arabic the columns run from the right, as :class:`CaseTable`'s do.
    """
    order = list(range(len(headers)))
    if lang == "ar":
        order.reverse()
    labels = [rtext(clip(headers[i][1], most), lang, "bold") for i in order]
    cells = [[rtext(clip(_one_line(cells[i]), most), lang) for i in order] for _key, cells in rows]
    widths = [
        max([label.cell_len, *(row[index].cell_len for row in cells)])
        for index, label in enumerate(labels)
    ]
    table.set_data(
        [
            Column(headers[i][0], label, width)
            for i, label, width in zip(order, labels, widths, strict=True)
        ],
        [(key, row) for (key, _cells), row in zip(rows, cells, strict=True)],
        rtl=lang == "ar",
        keep_cursor=keep_cursor,
    )


def _one_line(text: str) -> str:
    """A cell is one line: the lines of a multi-line value (a reason) run on, spaced."""
    return " ".join(text.split("\n")) if "\n" in text else text
