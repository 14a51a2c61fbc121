"""The case queue on a large store: keystroke to updated rows, opening a case, memory.

    python -m benchmarks.bench_queue --db PATH [--naive-keys 3]

The store must be seeded already (``daman --db PATH seed --cases 1000000``). Each
approach runs in its own process (so its memory is its own), headless at 120×40, as a
supervisor of the seeded branch:

- ours: the queue screen (a window of the rows on screen, keyset reads, the trigram
  index), keys posted to the app as a terminal would send them; a key's time runs from
  posting it to the first frame drawn after the table holds the new rows.
- naive: every queue row read into a Textual ``DataTable`` once, and each keystroke
  filtered in Python, then ``clear()`` and ``add_rows()`` with the matches — the way a
  small list is usually built. ``--naive-keys`` limits its keystrokes per scenario (at a
  million rows each one takes seconds).

Scenarios: a status filter applied; a national-ID prefix typed digit by digit; part of
a name typed letter by letter with another alef spelling than the stored one; the
cursor moved down past the window's edge; a case file opened (ours only: the naive list
has none).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from benchmarks.bench_wizard import FrameClock
from daman_tui.domain.arabic import normalize_for_search
from daman_tui.domain.enums import Role
from daman_tui.domain.permissions import Actor
from daman_tui.settings import Settings

SIZE = (120, 40)
NAME_TYPED = "احمد"  # stored mostly as أحمد: the alef folds
STATUS = "visit_done"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _supervisor(store: Any) -> Actor:
    from sqlmodel import select

    from daman_tui.db.models import AppUser

    with store.read() as session:
        user = session.exec(select(AppUser).where(AppUser.role == Role.SUPERVISOR)).first()
    assert user is not None, "seed the store first"
    return Actor(user.id, user.username, user.full_name, Role.SUPERVISOR, user.branch_id)


def _id_prefix(store: Any) -> str:
    with store.engine.connect() as conn:
        nid = conn.execute(sa.text("SELECT national_id FROM queue_row LIMIT 1 OFFSET 777")).scalar()
    return str(nid)[:6]


async def _wait(predicate: Any, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen did not update")
        # Not much finer: a poll this loop runs takes the interpreter from the worker
        # reading the rows. Times come from the app's own hooks, not from the poll.
        await asyncio.sleep(0.002)


# ---- ours -------------------------------------------------------------------------------
class Ours:
    """The queue screen under a FrameClock; ``shown`` holds when the table got new rows."""

    def __init__(
        self, app: Any, pilot: Any, clock: FrameClock, shown: list[float], opened: list[float]
    ) -> None:
        self.app = app
        self.pilot = pilot
        self.clock = clock
        self.shown = shown
        self.opened = opened
        self.screen = app.screen

    async def _painted(self, start: float, before: int) -> float:
        shown = self.shown
        await _wait(lambda: len(shown) > before and not self.screen._loading)
        at = shown[-1]
        await _wait(lambda: any(t > at for t in self.clock.frames))
        return self.clock.first_after(at) + at - start

    async def key(self, name: str, char: str | None = None) -> float:
        before = len(self.shown)
        start = time.perf_counter()
        self.app.post_message(events.Key(name, char))
        return await self._painted(start, before)

    async def applied(self, query: Any) -> float:
        before = len(self.shown)
        start = time.perf_counter()
        self.screen.apply(query)
        return await self._painted(start, before)

    async def typed(self, text: str, rounds: int = 3) -> list[float]:
        """``text`` typed and erased key by key, ``rounds`` times."""
        times = []
        for _ in range(rounds):
            for char in text:
                times.append(await self.key("space" if char == " " else char, char))
            for _char in text:
                times.append(await self.key("backspace"))
        return times

    async def open_case(self) -> float:
        """Enter on the highlighted case until its file is drawn; Escape back."""
        app, screen = self.app, self.screen
        panel = screen.query_one("#case-panel")
        before = len(self.opened)
        start = time.perf_counter()
        app.post_message(events.Key("enter", None))
        await _wait(lambda: screen.case_open and panel.loaded)
        # The later of the two: the case drawn in the panel, and the panel revealed.
        ready = max(self.opened[before:])
        await _wait(lambda: any(t > ready for t in self.clock.frames))
        elapsed = self.clock.first_after(ready) + ready - start
        app.post_message(events.Key("escape", None))
        await _wait(lambda: not screen.case_open)
        app.post_message(events.Key("down", None))  # the next case
        await self.pilot.pause()
        return elapsed


def _stamped(method: Any, stamps: list[float]) -> Any:
    """``method``, noting when each call ended."""

    def stamped(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        stamps.append(time.perf_counter())
        return result

    return stamped


async def _ours(db: Path) -> dict[str, Any]:
    from daman_tui.app import make_app
    from daman_tui.screens.case_file import CasePanel
    from daman_tui.screens.queue import QueueScreen
    from daman_tui.services.queue import QueueFilter, QueueQuery
    from daman_tui.services.store import Store
    from daman_tui.widgets.queue_table import QueueTable

    store = Store.open(Settings(db=db, bidi="app"))
    actor = _supervisor(store)
    prefix = _id_prefix(store)
    shown: list[float] = []
    original = QueueTable.show

    def timed_show(self: QueueTable, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        shown.append(time.perf_counter())

    QueueTable.show = timed_show  # type: ignore[method-assign]
    opened: list[float] = []
    for cls, method in ((CasePanel, "on_case_panel_loaded"), (QueueScreen, "_reveal_case")):
        setattr(cls, method, _stamped(getattr(cls, method), opened))
    results: dict[str, list[float]] = {}
    app = make_app(store, lang="ar", actor=actor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await app.run_action("open_cases")
        await _wait(lambda: bool(shown))
        first_window = shown[-1] - started
        with FrameClock() as clock:
            run = Ours(app, pilot, clock, shown, opened)
            status = QueueQuery(QueueFilter(statuses=frozenset({STATUS})))
            results["status filter"] = [await run.applied(q) for q in [status, QueueQuery()] * 10]
            run.screen.query_one("#queue-search").focus()
            await pilot.pause()
            results["ID prefix, per digit"] = await run.typed(prefix)
            results["Arabic name, per letter"] = await run.typed(NAME_TYPED + " ال")
            await run.applied(status)  # cases that open in their file, not the wizard
            run.screen.table.focus()
            await pilot.pause()
            for _ in range(run.screen.table.capacity - 1):
                app.post_message(events.Key("down", None))
            await pilot.pause()
            results["cursor past the window's edge"] = [await run.key("down") for _ in range(40)]
            results["open a case file"] = [await run.open_case() for _ in range(20)]
        rss = _rss_mb()
        held = run.screen.table.row_count
    store.close()
    return {"results": results, "first_window": first_window, "rss_mb": rss, "rows_held": held}


# ---- naive ------------------------------------------------------------------------------
class NaiveQueue(App[None]):
    """Every row in a DataTable; each keystroke filters in Python and reloads it."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.rows = rows
        self.status: str | None = None
        self.loaded_at = 0.0

    def compose(self) -> ComposeResult:
        yield Input(id="search")
        yield DataTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("request", "name", "national id", "status", "assignee", "due", "change")
        self.show(self.rows)

    def show(self, rows: list[tuple[Any, ...]]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows([r[1:] for r in rows])
        self.loaded_at = time.perf_counter()

    def matches(self, text: str) -> list[tuple[Any, ...]]:
        rows = self.rows
        if self.status:
            rows = [r for r in rows if r[4] == self.status]
        text = text.strip()
        if not text:
            return rows
        if text.isdigit():
            return [r for r in rows if r[3].startswith(text)]
        key = normalize_for_search(text)
        return [r for r in rows if key in r[0]]

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(self.matches(event.value))


async def _naive(db: Path, keys: int) -> dict[str, Any]:
    from daman_tui.services.store import Store

    store = Store.open(Settings(db=db, bidi="app"), migrate=False)
    prefix = _id_prefix(store)
    started = time.perf_counter()
    with store.engine.connect() as conn:
        rows = [
            tuple(r)
            for r in conn.execute(
                sa.text(
                    "SELECT name_key, request_number, name, national_id, status, assignee_name,"
                    " due_on, last_change_at FROM queue_row ORDER BY last_change_at DESC"
                )
            )
        ]
    store.close()
    results: dict[str, list[float]] = {}
    app = NaiveQueue(rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first_window = time.perf_counter() - started
        with FrameClock() as clock:

            async def after(action: Any) -> float:
                before = app.loaded_at
                start = time.perf_counter()
                action()
                await _wait(lambda: app.loaded_at > before, timeout=600)
                await _wait(lambda: any(t > app.loaded_at for t in clock.frames), timeout=600)
                return clock.first_after(app.loaded_at) + app.loaded_at - start

            def set_status(status: str | None) -> None:
                app.status = status
                app.show(app.matches(""))

            results["status filter"] = [
                await after(lambda s=s: set_status(s)) for s in [STATUS, None][: max(2, keys)]
            ]
            app.query_one(Input).focus()
            await pilot.pause()
            results["ID prefix, per digit"] = [
                await after(lambda d=d: app.post_message(events.Key(d, d))) for d in prefix[:keys]
            ]
            app.query_one(Input).value = ""
            await pilot.pause()
            await _wait(lambda: True)
            results["Arabic name, per letter"] = [
                await after(lambda ch=ch: app.post_message(events.Key(ch, ch)))
                for ch in NAME_TYPED[:keys]
            ]
        rss = _rss_mb()
        held = app.query_one(DataTable).row_count
    return {"results": results, "first_window": first_window, "rss_mb": rss, "rows_held": held}


# ---- the table --------------------------------------------------------------------------
def _stats(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered) * 1000:,.1f} / {p95 * 1000:,.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--naive-keys", type=int, default=3)
    parser.add_argument("--one", choices=("ours", "naive"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        outcome = (
            asyncio.run(_ours(args.db))
            if args.one == "ours"
            else asyncio.run(_naive(args.db, args.naive_keys))
        )
        print(json.dumps(outcome))
        return
    runs = {}
    for one in ("ours", "naive"):
        print(f"running {one}…", flush=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_queue",
                "--db",
                str(args.db),
                "--naive-keys",
                str(args.naive_keys),
                "--one",
                one,
            ],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ,
        )
        runs[one] = json.loads(done.stdout.strip().splitlines()[-1])
    with sa.create_engine(f"sqlite:///{args.db}").connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM queue_row")).scalar()
    print(f"\n{count:,} cases in the store; median / p95 per action\n")
    scenarios = list(runs["ours"]["results"])
    print("| | " + " | ".join(runs) + " |")
    print("|---|" + "---|" * len(runs))
    print(
        "| queue open (first rows shown) | "
        + " | ".join(f"{r['first_window'] * 1000:,.0f} ms" for r in runs.values())
        + " |"
    )
    for scenario in scenarios:
        cells = [_stats(r["results"].get(scenario, [])) for r in runs.values()]
        print(f"| {scenario} | " + " | ".join(cells) + " |")
    print(
        "| rows held by the table | "
        + " | ".join(f"{r['rows_held']:,}" for r in runs.values())
        + " |"
    )
    print(
        "| process memory (RSS) | "
        + " | ".join(f"{r['rss_mb']:,.0f} MB" for r in runs.values())
        + " |"
    )


if __name__ == "__main__":
    main()
