"""Who does bidi: us or the terminal. Detection, and the escape sequences that settle it.

Some terminals reorder (and shape) right-to-left text themselves; if we reorder too, the
text is reversed twice. VTE terminals (GNOME Terminal, Tilix, xfce4-terminal) do it by
default but obey the terminal-wg BiDi "explicit mode" sequence ``ESC [ 8 l`` (stop: the
application does it) and ``ESC [ 8 h`` (resume). Konsole (with its option on), mlterm,
PuTTY and macOS Terminal reorder and ignore the sequence: there the terminal must do it
and we send logical text. xterm, alacritty, kitty, Windows Terminal and tmux itself do
no reordering: we do it.

Detection from the environment is a guess (``VTE_VERSION`` does not survive ssh or
sudo), so the operator can always override: ``--bidi``, ``DAMAN_BIDI``, the config file,
or ``daman doctor``, which shows a test pattern in each mode and saves the choice.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Mapping
from typing import Literal, TextIO

__all__ = [
    "EXPLICIT_MODE_OFF",
    "EXPLICIT_MODE_ON",
    "TerminalBidi",
    "detect_mode",
    "explicit_mode",
    "resolve_mode",
]

Mode = Literal["app", "terminal", "off"]

EXPLICIT_MODE_ON = "\x1b[8l"
"""The terminal must not reorder: the application sends visual text (BDSM reset)."""
EXPLICIT_MODE_OFF = "\x1b[8h"
"""The terminal may reorder again (implicit mode, its default)."""

# Terminals that reorder by themselves and ignore the explicit-mode sequence.
_SELF_REORDERING = ("KONSOLE_VERSION", "MLTERM")


def detect_mode(env: Mapping[str, str] | None = None) -> Mode:
    """The mode the environment suggests.

    A VTE terminal is ``app`` (we send visual text and switch its own bidi off with the
    explicit-mode sequence); Konsole and mlterm are ``terminal``; the rest ``app``.
    """
    env = os.environ if env is None else env
    if any(name in env for name in _SELF_REORDERING):
        return "terminal"
    if env.get("TERM_PROGRAM") == "Apple_Terminal":
        return "terminal"
    return "app"


def resolve_mode(setting: str, env: Mapping[str, str] | None = None) -> Mode:
    """``auto`` resolved by :func:`detect_mode`; an explicit setting is taken as it is."""
    if setting == "auto":
        return detect_mode(env)
    if setting not in ("app", "terminal", "off"):
        raise ValueError(f"unknown bidi mode {setting!r}")
    return setting  # type: ignore[return-value]


def explicit_mode(on: bool, env: Mapping[str, str] | None = None) -> str:
    """The sequence that switches the terminal's own bidi off (``on``) or back on.

    Inside tmux the sequence is wrapped in tmux's passthrough, so it reaches the outer
    terminal (tmux needs ``allow-passthrough on``; without it the wrapper is dropped
    harmlessly and tmux, which does no bidi of its own, shows our visual text as is).
    """
    env = os.environ if env is None else env
    sequence = EXPLICIT_MODE_ON if on else EXPLICIT_MODE_OFF
    if env.get("TMUX"):
        return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence


class TerminalBidi:
    """Sends explicit mode on entry (``app`` mode only) and restores it on every way out.

    Restoring also runs from ``atexit``, so a crash that unwinds the interpreter does not
    leave the user's terminal with its bidi switched off.
    """

    def __init__(self, mode: Mode, stream: TextIO | None, env: Mapping[str, str] | None = None):
        self.mode = mode
        self.stream = stream
        self.env = os.environ if env is None else env
        self._active = False

    def __enter__(self) -> TerminalBidi:
        if self.mode == "app" and self.stream is not None and self.stream.isatty():
            self._write(explicit_mode(True, self.env))
            self._active = True
            atexit.register(self.restore)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.restore()

    def restore(self) -> None:
        """Give the terminal its own bidi back (idempotent)."""
        if self._active:
            self._active = False
            self._write(explicit_mode(False, self.env))
            atexit.unregister(self.restore)

    def _write(self, sequence: str) -> None:
        assert self.stream is not None
        try:
            self.stream.write(sequence)
            self.stream.flush()
        except OSError:
            # The terminal is gone (closed window, broken ssh): nothing left to restore.
            pass
