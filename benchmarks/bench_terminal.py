"""Step changes in a real terminal (tmux), ours beside the naive wizard, same run.

    python -m benchmarks.bench_terminal [--cases 100000] [--db PATH] [--tours 2]

The headless benchmark (bench_wizard) leaves out what a terminal adds: drawing to it,
and the garbage collector's pauses in a process that lives all day. Here the app runs
in a 120×40 tmux pane on a store of ``--cases`` cases (``--db`` keeps it between runs);
the clerk's draft is resumed from the sign-in offer and F8/F7 walk the ten steps,
``--tours`` times there and back, one key every 1.2 s (a clerk reads a step before
moving on; the pause is when ours builds the next steps and collects garbage).
Measured inside the app: from the key's action starting to the end of the first frame
drawn after the new step is in. The naive wizard builds each step anew and keeps
CPython's garbage-collector defaults.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_wizard import _fresh_body, _store
from daman_tui.domain.enums import IdentityCheck
from daman_tui.domain.intake.steps import STEPS
from daman_tui.domain.national_id import make_national_id
from daman_tui.services import intake
from daman_tui.services.auth import authenticate
from daman_tui.services.seed.staff import DEMO_PASSWORD
from daman_tui.text.catalog import t
from daman_tui.text.display import visual

PAUSE = 1.2


def _tmux(socket: str, *args: str) -> str:
    command = ["tmux", "-L", socket, *args]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    return done.stdout


def _wait(socket: str, text: str, timeout: float = 120.0) -> None:
    drawn = visual(text)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if drawn in _tmux(socket, "capture-pane", "-p"):
            return
        time.sleep(0.2)
    raise SystemExit(f"never on screen: {text!r}\n{_tmux(socket, 'capture-pane', '-p')}")


def _run(db: Path, scratch: Path, *, naive: bool, tours: int) -> list[float]:
    log = scratch / ("naive.log" if naive else "ours.log")
    socket = f"daman-bench-{os.getpid()}-{int(naive)}"
    env = {
        "DAMAN_CONFIG": str(scratch / "none.toml"),
        "DAMAN_BIDI": "app",
        "DAMAN_PROBE_LOG": str(log),
        "DAMAN_PROBE_NAIVE": "1" if naive else "0",
        "HOME": str(scratch),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    command = shlex.join(
        [sys.executable, "-m", "benchmarks.terminal_probe", "--db", str(db), "demo"]
    )
    settings = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40",
         *settings, command],
        check=True,
    )  # fmt: skip
    try:
        _wait(socket, t("resume.title", "ar"))
        _tmux(socket, "send-keys", "Enter")
        _wait(socket, f"الخطوة 1 من {len(STEPS)}")
        time.sleep(PAUSE * 2)
        walk = ["F8"] * (len(STEPS) - 1) + ["F7"] * (len(STEPS) - 1)
        for key in walk * tours:
            _tmux(socket, "send-keys", key)
            time.sleep(PAUSE)
        _tmux(socket, "send-keys", "Escape")
        time.sleep(0.5)
        _tmux(socket, "send-keys", "C-q")
        time.sleep(1.0)
    finally:
        _tmux(socket, "kill-server")
    frames = []
    for line in log.read_text().splitlines():
        _step, start, _end, drawn = line.split()
        frames.append((float(drawn) - float(start)) * 1000)
    return frames


def _row(name: str, frames: list[float]) -> str:
    ordered = sorted(frames)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    over = sum(1 for f in frames if f > 100)
    return (
        f"| {name} | {len(frames)} | {statistics.median(frames):.0f} ms | {p95:.0f} ms |"
        f" {ordered[-1]:.0f} ms | {over} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--tours", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed (apt-get install tmux)")
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        db = args.db or scratch / "bench.db"
        store = _store(db, args.cases)
        clerk = authenticate(store, "clerk", DEMO_PASSWORD)
        for index in range(2):
            nid = make_national_id("citizen", f"{_fresh_body(index):08d}")
            intake.start_application(store, clerk, nid, IdentityCheck.ID_CARD)
        store.close()
        rows = [
            (name, _run(db, scratch, naive=naive, tours=args.tours))
            for name, naive in (("ours", False), ("naive", True))
        ]
    print(f"\n{args.cases:,} cases; 120×40 tmux; F8/F7 over {len(STEPS)} steps\n")
    print("| approach | step changes | key → frame median | p95 | slowest | over 100 ms |")
    print("|---|---|---|---|---|---|")
    for name, frames in rows:
        print(_row(name, frames))


if __name__ == "__main__":
    main()
