"""The intake wizard on a large store: opening each step, and a keystroke's echo.

    python -m benchmarks.bench_wizard --cases 100000 [--db PATH]

``--db`` keeps the seeded store between runs (seeding 100,000 cases takes minutes); the
store is topped up to ``--cases``. Measured in the same run, in a headless app at 120×40:

- step open: from the key (F8 / a step picked on the rail) until the first frame drawn
  after the new step is in. Ours keeps each step's page once built (a display toggle)
  and builds the next ones while the clerk pauses; the naive way builds a new wizard
  screen for every step (header, rail, footer and all).
- keystroke echo: from a key typed into the first-name field until the frame that shows
  it is drawn. Ours saves the draft in a worker thread (the newest state, one write at a
  time); the naive way saves it on the UI thread inside the key's handler.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from daman_tui.app import make_app
from daman_tui.domain.enums import IdentityCheck
from daman_tui.domain.intake.steps import STEPS
from daman_tui.domain.national_id import make_national_id
from daman_tui.screens.intake import WizardScreen
from daman_tui.services import intake
from daman_tui.services.auth import authenticate
from daman_tui.services.cases import store_case_count
from daman_tui.services.seed.run import seed_cases
from daman_tui.services.seed.staff import DEMO_PASSWORD, ensure_demo_staff
from daman_tui.services.store import Store
from daman_tui.settings import Settings

SIZE = (120, 40)
VERBOSE = False
KEYS = "عبدالرحمنبنمحمدالقحطاني"


class FrameClock:
    """When each frame finished drawing (Screen._compositor_refresh)."""

    def __init__(self) -> None:
        self.frames: list[float] = []
        self._original: Callable[..., Any] = Screen._compositor_refresh

    def __enter__(self) -> FrameClock:
        original = self._original
        frames = self.frames

        def timed(screen: Screen[Any]) -> None:
            original(screen)
            frames.append(time.perf_counter())

        Screen._compositor_refresh = timed  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *_exc: object) -> None:
        Screen._compositor_refresh = self._original  # type: ignore[method-assign]

    def first_after(self, start: float) -> float:
        return next(t for t in self.frames if t > start) - start


def _percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return statistics.median(values) * 1000, p95 * 1000


def _fresh_body(index: int) -> int:
    """Eight digits for a national ID no earlier run used (a kept store has their drafts)."""
    return 90_000_000 + (time.time_ns() // 1000 % 4_000_000) * 2 + index


def _store(db: Path, cases: int) -> Store:
    store = Store.open(Settings(db=db))
    ensure_demo_staff(store, "RYD01")
    have = store_case_count(store)
    if have < cases:
        started = time.perf_counter()
        print(f"seeding {cases - have} cases…", flush=True)
        seed_cases(store, cases=cases - have, seed=have + 1)
        print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return store


async def _measure(store: Store, *, naive: bool, body: int) -> tuple[list[float], list[float]]:
    clerk = authenticate(store, "clerk", DEMO_PASSWORD)
    nid = make_national_id("citizen", f"{body:08d}")
    ref = intake.start_application(store, clerk, nid, IdentityCheck.ID_CARD)
    app = make_app(store, lang="ar", actor=clerk)
    opens: list[float] = []
    echoes: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        wizard = WizardScreen(store, clerk, ref)
        await app.push_screen(wizard)
        await pilot.pause()
        if naive:
            wizard.saver.request = wizard._save  # type: ignore[method-assign]
        with FrameClock() as clock:
            # Twice round: the first visit of a kind of widget pays Textual's one-time
            # styling; the second is every visit after.
            tour = [*range(2, len(STEPS) + 1), 1]
            for number in tour + tour:
                start = time.perf_counter()
                if naive:
                    fresh = WizardScreen(store, clerk, ref)
                    fresh.step = number
                    await app.switch_screen(fresh)
                    wizard = fresh
                else:
                    await wizard._show(number)
                shown = time.perf_counter()
                await pilot.pause()
                # The first frame drawn once the step is in: frames drawn while it was
                # being built show the old step, or none.
                opens.append(shown - start + clock.first_after(shown))
                if VERBOSE:
                    print(f"  step {number}: {opens[-1] * 1000:.1f} ms", flush=True)
            if naive:
                wizard.saver.request = wizard._save  # type: ignore[method-assign]
            app.set_focus(app.screen.query_one("#personal--first_name"))
            await pilot.pause()
            for key in KEYS:
                start = time.perf_counter()
                await pilot.press(key)
                echoes.append(clock.first_after(start))
        await app.workers.wait_for_complete()
    return opens, echoes


def _row(name: str, opens: list[float], echoes: list[float]) -> str:
    half = len(opens) // 2
    cold = max(opens[:half]) * 1000
    o_med, o_p95 = _percentiles(opens[half:])
    e_med, e_p95 = _percentiles(echoes)
    return (
        f"| {name} | {cold:.1f} ms | {o_med:.1f} ms | {o_p95:.1f} ms |"
        f" {e_med:.1f} ms | {e_p95:.1f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true", help="print each step's time")
    args = parser.parse_args()
    global VERBOSE  # noqa: PLW0603 - a flag for this script's own printing
    VERBOSE = args.verbose
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "bench.db"
        store = _store(db, args.cases)
        count = store_case_count(store)
        rows = []
        for index, naive in enumerate((False, True)):
            opens, echoes = asyncio.run(_measure(store, naive=naive, body=_fresh_body(index)))
            rows.append(("naive" if naive else "ours", opens, echoes))
        store.close()
    print(f"\n{count:,} cases in the store; {len(KEYS)} Arabic keystrokes; 10 steps\n")
    print(
        "| approach | slowest first open | step open median | p95 | keystroke echo median | p95 |"
    )
    print("|---|---|---|---|---|---|")
    for name, opens, echoes in rows:
        print(_row(name, opens, echoes))


if __name__ == "__main__":
    main()
