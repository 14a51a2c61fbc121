"""The sync conflicts of a supervisor's branch: the open ones listed, the highlighted one's
three values side by side (the base both changes started from, mine: the change a device
sent, theirs: what the central store holds), and a key for each choice.

The list is read and each choice carried out by the service (services/conflicts.py) in a
worker; a refusal (a duplicate cannot be taken as mine) is said on the screen in the
service's words. Mine is written here and sent with the next sync, like any change.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label
from textual.worker import Worker, WorkerState

from daman_tui.app_sync import SyncStatus
from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.errors import DomainError
from daman_tui.domain.permissions import Actor
from daman_tui.services.conflicts import ConflictView, list_conflicts, resolve_conflict
from daman_tui.services.store import Store
from daman_tui.text.catalog import enum_label, error_text, keys, t
from daman_tui.text.display import localize_bindings, rtext, rtext_wrapped, visual
from daman_tui.widgets.case_table import format_local_time
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.sync_indicator import DamanHeader
from daman_tui.widgets.text_table import fill_table

__all__ = ["SIDES", "ConflictsScreen", "side_text"]

SIDES = ("base", "mine", "theirs")
"""The three values of a conflict, in reading order."""

COLUMNS = ("kind", "request_number", "entity", "field", "author", "detected")

SIDE_WRAP = 36
"""Cells a line of a value may take in its third of the screen."""

EMPTY = "—"


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_STATUSES = frozenset(s.value for s in ApplicationStatus)


def _shown(key: str, item: Any, lang: str) -> str:
    """A stored value as a person reads it: a moment on a Riyadh clock, a status by name."""
    if item is None:
        return EMPTY
    if isinstance(item, str) and _MOMENT.match(item):
        try:
            return format_local_time(datetime.fromisoformat(item))
        except ValueError:
            return item
    if key == "status" and item in _STATUSES:
        return enum_label(ApplicationStatus(item), lang)
    return str(item)


def side_text(value: Any, lang: str) -> str:
    """One of a conflict's values as lines: each field with its value."""
    if isinstance(value, dict):
        if not value:
            return EMPTY
        return "\n".join(f"{key}: {_shown(key, item, lang)}" for key, item in sorted(value.items()))
    return _shown("", value, lang)


def _fields(c: ConflictView) -> str:
    if c.field:
        return c.field
    changed = c.mine if isinstance(c.mine, dict) else None
    return ", ".join(sorted(changed)) if changed else EMPTY


def _entity(entity: str, lang: str) -> str:
    key = f"case.entity.{entity}"
    return t(key, lang) if key in keys(lang) else entity


class ConflictsScreen(Screen[None]):
    """The open conflicts, oldest first: M takes mine, T keeps theirs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "resolve('mine')", "mine", id="daman.sync.key.mine"),
        Binding("t", "resolve('theirs')", "theirs", id="daman.sync.key.theirs"),
        Binding("escape", "back", "back", id="daman.back"),
    ]

    AUTO_FOCUS = "#conflicts"

    class Loaded(Message):
        """The open conflicts, read by a worker."""

        def __init__(self, rows: list[ConflictView]) -> None:
            super().__init__()
            self.rows = rows

    class Resolved(Message):
        """The service closed a conflict with ``choice``."""

        def __init__(self, choice: str) -> None:
            super().__init__()
            self.choice = choice

    class Refused(Message):
        """The service refused the choice: ``error`` says why."""

        def __init__(self, error: DomainError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, store: Store, actor: Actor) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._lang = "ar"
        self.rows: list[ConflictView] = []
        self.reading = True
        self._said: str | DomainError | None = None
        """What the screen last said: a catalogue key, or the service's refusal."""
        self._open_count: int | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with Vertical(id="conflicts-view"):
            yield Label(id="conflicts-count")
            yield LineTable(id="conflicts")
            with Horizontal(id="conflict-sides"):
                for index in range(len(SIDES)):
                    with VerticalScroll(classes="conflict-side"):
                        yield Label(id=f"side-title-{index}", classes="section-title")
                        yield Label(id=f"side-text-{index}")
            yield Label(id="conflicts-said")
        yield DamanFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)
        self.watch(self.app, "sync_status", self._status_changed)
        self.reload()

    # ---- reading ---------------------------------------------------------------------
    def reload(self) -> None:
        """Read the open conflicts again."""
        self.reading = True
        self._render_count()
        self._read()

    @work(thread=True, exclusive=True, group="conflicts-read", exit_on_error=False)
    def _read(self) -> None:
        self.post_message(self.Loaded(list_conflicts(self._store, self._actor)))

    def on_conflicts_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        self.reading = False
        current = self.current
        self.rows = message.rows
        self._render_table(keep=current.id if current else None)

    def _status_changed(self, status: SyncStatus | None) -> None:
        # A sync brought new conflicts (or another supervisor's resolutions): read again.
        count = status.state.conflicts if status is not None else None
        if self._open_count is not None and count != self._open_count:
            self.reload()
        self._open_count = count

    @property
    def current(self) -> ConflictView | None:
        """The highlighted conflict."""
        table = self.query_one("#conflicts", LineTable)
        if not self.rows or table.row_count != len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(LineTable.RowHighlighted, "#conflicts")
    def _highlighted(self, event: LineTable.RowHighlighted) -> None:
        event.stop()
        self._render_sides()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        self.busy = False
        self.notify(
            visual(error_text(event.worker.error, self._lang)), severity="error", markup=False
        )
        if event.worker.group == "conflicts-read" and self.reading:
            self.app.pop_screen()  # refused (not a supervisor) or unreadable: nothing to show

    # ---- choosing ----------------------------------------------------------------------
    def action_resolve(self, choice: str) -> None:
        """Close the highlighted conflict with ``choice`` (mine or theirs)."""
        conflict = self.current
        if conflict is None or self.busy:
            self.app.bell()
            return
        self.busy = True
        self._resolve(conflict.id, choice)

    @work(thread=True, exclusive=True, group="conflicts-resolve", exit_on_error=False)
    def _resolve(self, conflict_id: str, choice: str) -> None:
        try:
            resolve_conflict(self._store, self._actor, conflict_id, choice)
        except DomainError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Resolved(choice))

    def on_conflicts_screen_resolved(self, message: Resolved) -> None:
        message.stop()
        self.busy = False
        self._say(f"sync.conflicts.resolved_{message.choice}")
        self.reload()

    def on_conflicts_screen_refused(self, message: Refused) -> None:
        message.stop()
        self.busy = False
        self._say(message.error)

    def action_back(self) -> None:
        self.app.pop_screen()

    # ---- words -----------------------------------------------------------------------
    def _say(self, said: str | DomainError | None) -> None:
        self._said = said
        self._render_said()

    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        self.sub_title = t("sync.conflicts.title", lang)
        localize_bindings(self, lang)
        current = self.current
        self._render_table(keep=current.id if current else None)
        self._render_said()

    def _render_count(self) -> None:
        lang = self._lang
        if self.reading:
            text = t("queue.counting", lang)
        elif self.rows:
            text = t("sync.conflicts.count", lang, count=len(self.rows))
        else:
            text = t("sync.conflicts.none", lang)
        self.query_one("#conflicts-count", Label).update(rtext(text, lang, "bold"))

    def _render_table(self, keep: str | None) -> None:
        lang = self._lang
        table = self.query_one("#conflicts", LineTable)
        fill_table(
            table,
            [(key, t(f"sync.conflicts.column.{key}", lang)) for key in COLUMNS],
            [
                (
                    c.id,
                    [
                        t(f"sync.conflicts.kind.{c.kind}", lang),
                        c.request_number or EMPTY,
                        _entity(c.entity, lang),
                        _fields(c),
                        c.author or EMPTY,
                        format_local_time(c.detected_at),
                    ],
                )
                for c in self.rows
            ],
            lang,
        )
        ids = [c.id for c in self.rows]
        if keep in ids:
            table.move_cursor(ids.index(keep))
        self._render_count()
        self._render_sides()

    def _render_sides(self) -> None:
        lang, conflict = self._lang, self.current
        # Arabic reads the three from the right: the base rightmost.
        order = list(SIDES) if lang == "en" else list(reversed(SIDES))
        for index, side in enumerate(order):
            title = t(f"sync.conflicts.{side}", lang)
            self.query_one(f"#side-title-{index}", Label).update(rtext(title, lang, "bold"))
            value = side_text(getattr(conflict, side), lang) if conflict is not None else ""
            self.query_one(f"#side-text-{index}", Label).update(
                rtext_wrapped(value, lang, SIDE_WRAP)
            )

    def _render_said(self) -> None:
        said, lang = self._said, self._lang
        if said is None:
            text, style = "", ""
        elif isinstance(said, DomainError):
            text, style = said.message(lang), "bold red"
        else:
            text, style = t(said, lang), "bold"
        self.query_one("#conflicts-said", Label).update(rtext_wrapped(text, lang, 100, style))
