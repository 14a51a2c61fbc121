"""The header with the sync indicator: online or offline, what waits to be sent, the last
sync (Riyadh time) and, for a supervisor, the open conflicts.

The indicator draws the app's ``sync_status`` and ``sync_progress`` (daman_tui/app_sync.py)
and reads nothing itself. In Arabic the header is mirrored: the indicator sits on the left,
where an English header keeps its clock on the right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Header
from textual.widgets._header import HeaderIcon, HeaderTitle

from daman_tui.text.catalog import t
from daman_tui.text.display import styled
from daman_tui.widgets.case_table import format_local_time

if TYPE_CHECKING:
    from daman_tui.app_sync import SyncProgress, SyncStatus

__all__ = ["DamanHeader", "SyncIndicator", "indicator_parts", "state_key"]

SEPARATOR = " · "

# The style of each state's word; the rest of the indicator is plain.
_STATE_STYLE = {
    "not_configured": "dim",
    "signed_out": "bold yellow",
    "waiting": "",
    "running": "bold",
    "online": "bold green",
    "offline": "bold red",
    "failed": "bold red",
}
_CONFLICTS_STYLE = "bold yellow"


def state_key(status: SyncStatus, running: bool) -> str:
    """The catalogue key (under ``sync.state``) of what the sync is doing now."""
    state = status.state
    if not state.configured:
        return "not_configured"
    if running or state.running:
        return "running"
    if not state.signed_in:
        return "signed_out"
    if state.online is False or state.last_error == "sync.offline":
        return "offline"
    if state.last_error is not None:
        return "failed"
    return "waiting" if state.online is None else "online"


def indicator_parts(
    status: SyncStatus | None, progress: SyncProgress | None, lang: str
) -> list[tuple[str, str]]:
    """The indicator's pieces in reading order, each with its style."""
    if status is None:
        return []
    key = state_key(status, progress is not None)
    parts = [(t(f"sync.state.{key}", lang), _STATE_STYLE[key])]
    if key == "not_configured":
        return parts  # an outbox no server will take: nothing more to say
    state = status.state
    parts.append((t("sync.indicator.pending", lang, count=state.pending), ""))
    if state.last_sync is not None:
        last = t("sync.indicator.last", lang, time=format_local_time(state.last_sync))
    else:
        last = t("sync.indicator.never", lang)
    parts.append((last, ""))
    if status.resolves_conflicts and state.conflicts:
        parts.append((t("sync.indicator.conflicts", lang, count=state.conflicts), _CONFLICTS_STYLE))
    return parts


class SyncIndicator(Widget):
    """One line: the sync's state, what is pending, the last sync, the open conflicts."""

    DEFAULT_CSS = """
    SyncIndicator {
        dock: right;
        width: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._status: SyncStatus | None = None
        self._progress: SyncProgress | None = None
        self._lang = "ar"

    def on_mount(self) -> None:
        self.watch(self.app, "sync_status", self._status_changed)
        self.watch(self.app, "sync_progress", self._progress_changed)
        self.watch(self.app, "lang", self._lang_changed)

    def _status_changed(self, status: SyncStatus | None) -> None:
        self._status = status
        self.refresh(layout=True)

    def _progress_changed(self, progress: SyncProgress | None) -> None:
        # Only the start and the end of a round change what is drawn.
        if (progress is None) != (self._progress is None):
            self.refresh(layout=True)
        self._progress = progress

    def _lang_changed(self, lang: str) -> None:
        self._lang = lang
        self.refresh(layout=True)

    @property
    def plain(self) -> str:
        """What the indicator says, in logical order (tests read it)."""
        return SEPARATOR.join(text for text, _style in self._parts())

    def _parts(self) -> list[tuple[str, str]]:
        return indicator_parts(self._status, self._progress, self._lang)

    def render(self) -> RenderResult:
        parts = self._parts()
        text = SEPARATOR.join(piece for piece, _style in parts)
        spans: list[tuple[int, int, str | Style]] = []
        start = 0
        for piece, style in parts:
            if style:
                spans.append((start, start + len(piece), style))
            start += len(piece) + len(SEPARATOR)
        return styled(text, self._lang, spans) if text else Text("")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        rendered = self.render()
        return rendered.cell_len if isinstance(rendered, Text) else 0


class DamanHeader(Header):
    """Textual's header with the sync indicator in the place of the clock; mirrored in
    Arabic (the indicator on the left, beside the icon)."""

    DEFAULT_CSS = """
    DamanHeader.-rtl SyncIndicator {
        dock: left;
        margin-left: 8;
    }
    """

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield HeaderTitle()
        yield SyncIndicator(id="sync-indicator")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._lang_changed)

    def _lang_changed(self, lang: str) -> None:
        self.set_class(lang == "ar", "-rtl")
