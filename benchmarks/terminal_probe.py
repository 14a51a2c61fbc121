"""The app, with clocks on a step change: what bench_terminal runs inside tmux.

    DAMAN_PROBE_LOG=FILE [DAMAN_PROBE_NAIVE=1] python -m benchmarks.terminal_probe <daman args>

Writes one line per step change: when the key's action started, when it ended, and when
the first frame after it had been drawn (perf_counter seconds). With DAMAN_PROBE_NAIVE,
every step is built anew (the old step removed, the new one mounted) and the garbage
collector keeps CPython's defaults: the way a Textual wizard is usually written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widget import Widget

from daman_tui import heap
from daman_tui.cli import main
from daman_tui.screens.intake import wizard
from daman_tui.widgets.deck import Deck


def _install(log_path: str, naive: bool) -> None:
    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the process's life
    pending: list[tuple[float, float]] = []
    move = wizard.WizardScreen.action_move
    refresh = Screen._compositor_refresh

    async def timed_move(self: wizard.WizardScreen, delta: int) -> None:
        start = time.perf_counter()
        await move(self, delta)
        pending.append((start, time.perf_counter()))

    def timed_refresh(self: Screen[Any]) -> None:
        refresh(self)
        if pending:
            start, end = pending.pop()
            step = getattr(self, "step", 0)
            log.write(f"{step} {start:.6f} {end:.6f} {time.perf_counter():.6f}\n")

    wizard.WizardScreen.action_move = timed_move  # type: ignore[method-assign]
    Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
    if naive:

        async def rebuild(self: Deck, key: str, build: Callable[[], Widget]) -> tuple[Widget, bool]:
            await self.remove_children()
            page = build()
            await self.mount(page)
            self._pages = {key: page}
            self.current = key
            return page, True

        Deck.show = rebuild  # type: ignore[method-assign]
        Deck.postpone = lambda self: None  # type: ignore[method-assign]
        heap.QuietCollector.start = lambda self: None  # type: ignore[method-assign]


if __name__ == "__main__":
    _install(os.environ["DAMAN_PROBE_LOG"], os.environ.get("DAMAN_PROBE_NAIVE") == "1")
    main()
