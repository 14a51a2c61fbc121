"""The real app in a real terminal (tmux on a private socket): type Arabic, read the screen.

Pilot tests drive Textual headless; this one goes through a terminal emulator, so what
is checked is what a clerk would actually see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from daman_tui.text.catalog import t
from daman_tui.text.display import visual
from daman_tui.text.layout import layout_line

pytestmark = pytest.mark.tmux

TYPED = "محمد 123"


def _tmux(socket: str, *args: str) -> str:
    out = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True)
    return out.stdout


def _wait_for(socket: str, needle: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux(socket, "capture-pane", "-p")
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


@pytest.fixture
def tmux_app(tmp_path: Path) -> Iterator[str]:
    assert shutil.which("tmux"), "tmux is installed by scripts/test"
    env = {**os.environ, "DAMAN_CONFIG": str(tmp_path / "config.toml"), "DAMAN_BIDI": "app"}
    db = tmp_path / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "daman_tui", "--db", str(db), "demo", "--cases", "20", "--no-tui"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    socket = f"daman-test-{os.getpid()}"
    command = f"{sys.executable} -m daman_tui --db {db} demo --login"
    subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40",
         "-e", f"DAMAN_CONFIG={env['DAMAN_CONFIG']}", "-e", "DAMAN_BIDI=app", command],
        check=True, env=env,
    )  # fmt: skip
    try:
        yield socket
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)


def test_arabic_typed_in_a_real_terminal_reads_right(tmux_app: str) -> None:
    socket = tmux_app
    _wait_for(socket, visual(t("login.title", "ar")))
    _tmux(socket, "send-keys", "-l", TYPED)
    # The user-name field is left-to-right: the Arabic run is shaped and reversed inside it.
    drawn = layout_line(TYPED, "L").visual
    screen = _wait_for(socket, drawn)
    assert "ﻣ" in drawn and "ﺪ" in drawn  # joined letters (presentation forms), not isolated
    assert TYPED not in screen  # the logical string is never what the terminal shows
    _tmux(socket, "send-keys", "Enter")
    _tmux(socket, "send-keys", "-l", "wrong-password")
    _tmux(socket, "send-keys", "Enter")
    screen = _wait_for(socket, visual("اسم المستخدم أو كلمة المرور غير صحيحة."))
    assert drawn in screen  # the typed name is kept after a refusal
    _tmux(socket, "send-keys", "C-q")
