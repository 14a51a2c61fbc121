"""A full-screen frame of a 40-row Arabic case table, beside the naive way.

    python -m benchmarks.bench_render

One frame = put 40 rows into the table and render every visible line (the work Textual
does for a full repaint). Measured three ways, in the same run:

- ours, cached: our line table, cells from the display pipeline (names shaped once);
- ours, cold: the same with every pipeline cache emptied before each frame;
- naive: Textual's DataTable with plain-string cells through ``arabic_reshaper.reshape``
  + ``get_display`` on every frame (which DataTable also parses as markup).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

import arabic_reshaper
from bidi import get_display
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from daman_tui.domain.enums import ApplicationKind, ApplicationStatus
from daman_tui.services.seed.generator import _names
from daman_tui.services.views import CaseRow
from daman_tui.text import display
from daman_tui.text.catalog import enum_label
from daman_tui.widgets.case_table import CaseTable
from daman_tui.widgets.line_table import LineTable

ROWS = 40
FRAMES = 40
SIZE = (120, 40)


def _rows(seed: int) -> list[CaseRow]:
    rng = random.Random(seed)
    names = _names()
    out = []
    for i in range(ROWS):
        first = rng.choice(names["male_first"] if i % 2 else names["female_first"])
        name = " ".join(
            [first, rng.choice(names["male_first"]), rng.choice(names["male_first"]),
             rng.choice(names["family"])]
        )  # fmt: skip
        out.append(
            CaseRow(
                application_id=f"app-{seed}-{i}",
                request_number=f"RYD01-261121-ABC-{i:05d}",
                head_name=name,
                national_id=f"10{rng.randrange(10**8):08d}",
                status=rng.choice(list(ApplicationStatus)),
                kind=ApplicationKind.NEW,
                branch_code="RYD01",
                assignee="خالد عبدالله الشهري",
                submitted_at=None,
                last_change_at=datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
            )
        )
    return out


class _Bench(App[None]):
    def compose(self) -> ComposeResult:
        yield CaseTable(id="ours")
        yield DataTable(id="naive")


def _naive_show(table: DataTable[str], rows: list[CaseRow]) -> None:
    def shaped(text: str) -> str:
        return str(get_display(arabic_reshaper.reshape(text)))

    table.clear(columns=True)
    for label in ("رقم الطلب", "اسم رب الأسرة", "رقم الهوية", "الحالة", "آخر تحديث"):
        table.add_column(shaped(label))
    for row in rows:
        table.add_row(
            row.request_number,
            shaped(row.head_name),
            row.national_id,
            shaped(enum_label(row.status, "ar")),
            row.last_change_at.isoformat(" ", "minutes"),
        )


def _frame_ms(table: LineTable | DataTable[str], fill: Callable[[], None]) -> float:
    started = time.perf_counter()
    fill()  # our table drops its line cache here; DataTable's we drop below
    if isinstance(table, DataTable):
        table._clear_caches()  # a full repaint: nothing reused from the last frame
    table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return (time.perf_counter() - started) * 1000


def _clear_pipeline() -> None:
    for cached in vars(display).values():
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    for module_name in ("layout", "shaping", "bidi"):
        module = getattr(__import__("daman_tui.text", fromlist=[module_name]), module_name, None)
        for cached in vars(module).values() if module else ():
            if hasattr(cached, "cache_clear"):
                cached.cache_clear()


async def _measure() -> dict[str, list[float]]:
    app = _Bench()
    results: dict[str, list[float]] = {"ours, cached": [], "ours, cold": [], "naive": []}
    async with app.run_test(size=SIZE) as pilot:
        ours = app.query_one("#ours", CaseTable)
        naive = app.query_one("#naive", DataTable)
        ours.styles.height = SIZE[1]
        naive.styles.height = SIZE[1]
        await pilot.pause()
        display.warm_up()
        for frame in range(FRAMES):
            rows = _rows(frame)
            _clear_pipeline()
            results["ours, cold"].append(_frame_ms(ours, lambda r=rows: ours.show(r, "ar")))
            results["ours, cached"].append(_frame_ms(ours, lambda r=rows: ours.show(r, "ar")))
            results["naive"].append(_frame_ms(naive, lambda r=rows: _naive_show(naive, r)))
    return results


def main() -> None:
    results = asyncio.run(_measure())
    print(
        f"\nFull frame of a {ROWS}-row Arabic case table at {SIZE[0]}x{SIZE[1]} ({FRAMES} frames)\n"
    )
    print(f"| {'approach':<14} | {'median ms':>9} | {'p95 ms':>7} |")
    print(f"|{'-' * 16}|{'-' * 11}|{'-' * 9}|")
    for name, samples in results.items():
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        print(f"| {name:<14} | {statistics.median(samples):>9.2f} | {p95:>7.2f} |")


if __name__ == "__main__":
    main()
