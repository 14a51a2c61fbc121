"""Terminal bidi modes: detection, the explicit-mode sequence, restoring it on every exit."""

from __future__ import annotations

import io
import tomllib

import pytest
from typer.testing import CliRunner

from daman_tui.cli import app
from daman_tui.text.pattern import TEST_PATTERN, pattern_lines
from daman_tui.text.terminal import (
    EXPLICIT_MODE_OFF,
    EXPLICIT_MODE_ON,
    TerminalBidi,
    detect_mode,
    explicit_mode,
    resolve_mode,
)


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "app"),
        ({"VTE_VERSION": "7200"}, "app"),  # VTE obeys ESC[8l: we do the work
        ({"KONSOLE_VERSION": "230805"}, "terminal"),
        ({"MLTERM": "3.9.3"}, "terminal"),
        ({"TERM_PROGRAM": "Apple_Terminal"}, "terminal"),
    ],
)
def test_detection(env, expected):
    assert detect_mode(env) == expected
    assert resolve_mode("auto", env) == expected


def test_explicit_settings_win_over_detection():
    assert resolve_mode("terminal", {}) == "terminal"
    assert resolve_mode("off", {"KONSOLE_VERSION": "1"}) == "off"
    with pytest.raises(ValueError):
        resolve_mode("sideways", {})


def test_sequences_plain_and_through_tmux():
    assert explicit_mode(True, {}) == EXPLICIT_MODE_ON == "\x1b[8l"
    assert explicit_mode(False, {}) == EXPLICIT_MODE_OFF == "\x1b[8h"
    wrapped = explicit_mode(True, {"TMUX": "/tmp/tmux-0/default,1,0"})
    assert wrapped == "\x1bPtmux;\x1b\x1b[8l\x1b\\"


def test_app_mode_switches_off_and_restores_even_after_a_crash():
    tty = FakeTty()
    with pytest.raises(RuntimeError), TerminalBidi("app", tty, {}):
        assert tty.getvalue() == EXPLICIT_MODE_ON
        raise RuntimeError("the app crashed")
    assert tty.getvalue() == EXPLICIT_MODE_ON + EXPLICIT_MODE_OFF


def test_restore_is_idempotent_and_terminal_mode_sends_nothing():
    tty = FakeTty()
    guard = TerminalBidi("app", tty, {})
    with guard:
        guard.restore()
    assert tty.getvalue().count(EXPLICIT_MODE_OFF) == 1
    quiet = FakeTty()
    with TerminalBidi("terminal", quiet, {}):
        pass
    assert quiet.getvalue() == ""
    piped = io.StringIO()  # not a terminal: no escape sequences in a pipe or a log
    with TerminalBidi("app", piped, {}):
        pass
    assert piped.getvalue() == ""


def test_pattern_is_visual_in_app_mode_and_logical_otherwise():
    assert pattern_lines("terminal") == list(TEST_PATTERN)
    assert pattern_lines("off") == list(TEST_PATTERN)
    shaped = pattern_lines("app")
    assert shaped != list(TEST_PATTERN)
    assert "SA03 8000 0000 6080 1016 7519" in shaped[1]


def test_doctor_saves_the_choice_and_keeps_other_settings(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('lang = "en"\n', encoding="utf-8")
    monkeypatch.setenv("DAMAN_CONFIG", str(config))
    runner = CliRunner()
    result = runner.invoke(app, ["doctor"], input="2\n")
    assert result.exit_code == 0, result.output
    for line in TEST_PATTERN:
        assert line in result.output  # the terminal block is logical text
    saved = tomllib.loads(config.read_text(encoding="utf-8"))
    assert saved == {"lang": "en", "bidi": "terminal"}
    result = runner.invoke(app, ["doctor", "--choose", "app"])
    assert tomllib.loads(config.read_text(encoding="utf-8"))["bidi"] == "app"
    bad = runner.invoke(app, ["doctor"], input="7\n")
    assert bad.exit_code == 2
    assert tomllib.loads(config.read_text(encoding="utf-8"))["bidi"] == "app"


def test_bidi_option_reaches_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("DAMAN_CONFIG", str(tmp_path / "none.toml"))
    result = CliRunner().invoke(app, ["--bidi", "sideways", "version"])
    assert result.exit_code == 2 and "bidi" in result.output
