"""The case queue: search as you type, filters, sort by any column, a count — and a
table that only ever holds the rows on screen.

Typing, filtering and sorting read a new first window in a worker (the newest request
wins); moving past the window's edge reads the next one at once, on this thread — a
keyset window costs a few milliseconds at any depth (services/queue.py), less than a
worker's round trip. The count comes from its own worker and shows when it is ready.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label
from textual.worker import Worker, WorkerState, get_current_worker

from daman_tui.domain.errors import DomainError
from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.screens.case_file import CasePanel
from daman_tui.screens.searched_list import SearchedList
from daman_tui.services.queue import (
    Cancelled,
    QueueFilter,
    QueueItem,
    QueueQuery,
    QueueSort,
    queue_count,
    queue_page,
)
from daman_tui.services.saved_filters import SavedView
from daman_tui.services.store import Store, StoreWatch
from daman_tui.text.catalog import t
from daman_tui.text.display import localize_bindings, rtext, visual
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.queue_table import QUEUE_COLUMNS, SORT_OF, QueueTable
from daman_tui.widgets.sync_indicator import DamanHeader

__all__ = ["COUNT_AFTER", "WATCH_EVERY", "QueueScreen"]

COUNT_AFTER = 0.3
"""Seconds of quiet after a window is shown before the matches are counted."""

WATCH_EVERY = 1.0

REVEAL_AFTER = 0.15
"""Seconds a case file may take to read before its panel shows "loading" instead."""
"""Seconds between looks for changes made elsewhere (a sync, another terminal)."""

_SORTABLE = tuple(key for key in QUEUE_COLUMNS if key in SORT_OF)

_Moved = tuple[list[QueueItem] | None, int]

_QUEUE_ACTIONS = frozenset({"search", "filters", "mine", "sort", "direction", "views", "back"})


class QueueScreen(SearchedList):
    """The branch's cases (or every branch's, for those who may see them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "search", id="daman.queue_search"),
        Binding("f", "filters", "filters", id="daman.queue_filters"),
        Binding("m", "mine", "mine", id="daman.queue_mine"),
        Binding("s", "sort", "sort", id="daman.queue_sort"),
        Binding("d", "direction", "direction", id="daman.queue_direction"),
        Binding("v", "views", "views", id="daman.queue_views"),
        Binding("f5", "app.open_sync", "sync", id="daman.sync.key.open"),
        Binding("escape", "back", "back", id="daman.back"),
    ]

    AUTO_FOCUS = "#queue"
    SEARCH_ID = "queue-search"
    LIST_ID = "queue"

    class Window(Message):
        """A first window read by a worker for request ``generation``."""

        def __init__(
            self, generation: int, items: list[QueueItem], cursor: int, capacity: int
        ) -> None:
            super().__init__()
            self.generation = generation
            self.items = items
            self.cursor = cursor
            self.capacity = capacity

    class Counted(Message):
        """How many cases match request ``generation``."""

        def __init__(self, generation: int, count: int) -> None:
            super().__init__()
            self.generation = generation
            self.count = count

    def __init__(self, store: Store, actor: Actor, query: QueueQuery | None = None) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._lang = "ar"
        self.query_state = query or QueueQuery()
        self._generation = 0
        self._count: int | None = None
        self._loading = False
        self._watch: StoreWatch | None = None
        self._count_timer: Timer | None = None
        self._at_top = True
        """Whether the window starts at the queue's first row."""
        self._stale = False
        self._opening: str | None = None
        """The case being read before its panel is revealed."""
        self.windows_read: list[int] = []
        """The ``limit`` of every window read (tests check none exceeds the screen)."""

    # ---- layout --------------------------------------------------------------------
    def _columns(self) -> tuple[str, ...]:
        # The branch column says something only to those who see more than one branch.
        if can(self._actor, Permission.ALL_BRANCHES):
            return QUEUE_COLUMNS
        return tuple(c for c in QUEUE_COLUMNS if c != "branch")

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with Vertical(id="queue-view"):
            with Horizontal(id="queue-bar"):
                yield BidiInput(self.query_state.search, id="queue-search", select_on_focus=False)
                yield Label(id="queue-state")
                yield Label(id="queue-count")
            yield QueueTable(id="queue", columns=self._columns())
        # The case file opens here, over the queue, by a display toggle: no new screen
        # to build and restyle, and the queue is as it was on Escape.
        yield CasePanel(self._store, self._actor, None, id="case-panel")
        yield DamanFooter()

    @property
    def case_open(self) -> bool:
        """Whether the case panel is showing."""
        return self.query_one("#case-panel").display

    def show_case(self, application_id: str) -> None:
        """Open ``application_id`` in the case panel once its first read is drawn.

        The read runs beside an idle screen and the panel is revealed in one frame with
        the case in it: a panel revealed first, with the read then competing with its
        layout for the interpreter, took twice as long to show the case.
        """
        self._opening = application_id
        self.query_one("#case-panel", CasePanel).show_case(application_id)
        self.set_timer(REVEAL_AFTER, self._reveal_case)

    def on_case_panel_ready(self, message: CasePanel.Ready) -> None:
        message.stop()
        self._reveal_case()

    def _reveal_case(self) -> None:
        panel = self.query_one("#case-panel", CasePanel)
        if self._opening is None or self._opening != panel.application_id:
            return  # closed already, or the timer of an earlier case
        self._opening = None
        self.query_one("#queue-view").display = False
        panel.display = True
        self.sub_title = t("case.title", self._lang)
        self.query_one("#case-sections").focus()
        self.refresh_bindings()

    def on_case_panel_closed(self, message: CasePanel.Closed) -> None:
        message.stop()
        self._opening = None
        self.query_one("#case-panel").display = False
        self.query_one("#queue-view").display = True
        self.sub_title = t("queue.title", self._lang)
        self.table.focus()
        self.refresh_bindings()
        if self._stale:
            self._stale = False
            self.reload(keep=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The queue's keys rest while a case is open over it."""
        return not (action in _QUEUE_ACTIONS and self.is_mounted and self.case_open)

    def on_mount(self) -> None:
        self._watch = self._store.watch()
        self.set_interval(WATCH_EVERY, self._look_for_changes)
        self.watch(self.app, "lang", self._set_lang)

    def on_unmount(self) -> None:
        if self._watch is not None:
            self._watch.close()

    @property
    def table(self) -> QueueTable:
        return self.query_one("#queue", QueueTable)

    @on(QueueTable.Resized, "#queue")
    def _resized(self, event: QueueTable.Resized) -> None:
        # The window is as tall as the table: a taller table reads a fuller window.
        event.stop()
        if not self._loading and len(self.table.items) < self.table.capacity:
            self.reload(keep=True)

    # ---- reading -------------------------------------------------------------------
    def reload(self, *, keep: bool = False) -> None:
        """Read the window again: from the top, or (``keep``) from the row at the top
        of the current one, keeping the cursor's case if it is still there."""
        self._generation += 1
        self._loading = True
        self._count = None
        # A count of the last query would only take the processor from this one's window.
        self.workers.cancel_group(self, "queue-count")
        if self._count_timer is not None:
            self._count_timer.stop()
        table = self.table
        # At the top, a case that changed comes in above the old first row: read from
        # the top again. Further down, stay where the reader was.
        anchor = table.items[0] if keep and table.items and not self._at_top else None
        if anchor is None:
            self._at_top = True
        cursor_id = table.current.application_id if keep and table.current else None
        self._render_bar()
        # The count waits for the window, and for a pause in the typing (COUNT_AFTER):
        # run beside the next keystroke's window it would take the processor from it.
        self._read_window(self._generation, self.query_state, table.capacity, anchor, cursor_id)

    def _page(
        self, capacity: int, *, after: QueueItem | None = None, backward: bool = False
    ) -> list[QueueItem]:
        self.windows_read.append(capacity)
        return queue_page(
            self._store,
            self._actor,
            self.query_state,
            after=after,
            backward=backward,
            limit=capacity,
        )

    @work(thread=True, exclusive=True, group="queue-window", exit_on_error=False)
    def _read_window(
        self,
        generation: int,
        query: QueueQuery,
        capacity: int,
        anchor: QueueItem | None,
        cursor_id: str | None,
    ) -> None:
        self.windows_read.append(capacity)
        # The next keystroke's read cancels this one, inside SQLite too.
        worker = get_current_worker()

        def page(
            limit: int, after: QueueItem | None = None, backward: bool = False
        ) -> list[QueueItem]:
            return queue_page(
                self._store,
                self._actor,
                query,
                after=after,
                backward=backward,
                limit=limit,
                cancelled=lambda: worker.is_cancelled,
            )

        try:
            if anchor is None:
                items = page(limit=capacity)
            else:
                # Start where the window started, even if that row itself has left the
                # queue or moved: from the nearest other row before its old place.
                before = page(after=anchor, backward=True, limit=2)
                others = [r for r in before if r.application_id != anchor.application_id]
                items = page(after=others[-1] if others else None, limit=capacity)
        except Cancelled:
            return
        if worker.is_cancelled:
            return
        ids = [i.application_id for i in items]
        cursor = ids.index(cursor_id) if cursor_id in ids else 0
        self.post_message(self.Window(generation, items, cursor, capacity))

    @work(thread=True, exclusive=True, group="queue-count", exit_on_error=False)
    def _read_count(self, generation: int, query: QueueQuery) -> None:
        worker = get_current_worker()
        try:
            count = queue_count(
                self._store, self._actor, query, cancelled=lambda: worker.is_cancelled
            )
        except Cancelled:
            return
        if not worker.is_cancelled:
            self.post_message(self.Counted(generation, count))

    def on_queue_screen_window(self, message: Window) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._loading = False
        self.table.show(message.items, self._lang, date.today(), cursor=message.cursor)
        self._render_bar()
        if len(message.items) == message.capacity < self.table.capacity:
            # Read for a smaller table than the one it lands in (it grew meanwhile).
            self.reload(keep=True)
            return
        if self._count_timer is not None:
            self._count_timer.stop()
        generation, query = self._generation, self.query_state
        self._count_timer = self.set_timer(COUNT_AFTER, lambda: self._read_count(generation, query))

    def on_queue_screen_counted(self, message: Counted) -> None:
        message.stop()
        if message.generation == self._generation:
            self._count = message.count
            self._render_bar()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self._loading = False
            self._render_bar()
            error = event.worker.error
            text = (
                error.message(self._lang)
                if isinstance(error, DomainError)
                else t("error.unexpected", self._lang)
            )
            self.notify(visual(text), severity="error", markup=False)

    # ---- moving past the window's edges ---------------------------------------------
    @on(QueueTable.Edge, "#queue")
    def _edge(self, event: QueueTable.Edge) -> None:
        event.stop()
        table = self.table
        if not table.items and event.move not in ("home", "end"):
            return
        move = getattr(self, f"_to_{event.move}")
        shown, cursor = move(table.items, table.capacity, table.cursor_row)
        if shown is not None:
            table.show(shown, self._lang, date.today(), cursor=cursor)
        else:
            table.move_cursor(cursor)

    # Each ``_to_<move>`` gives the new window (None: keep this one) and the cursor row.
    def _to_home(self, _items: list[QueueItem], cap: int, _cursor: int) -> _Moved:
        self._at_top = True
        return self._page(cap), 0

    def _to_end(self, _items: list[QueueItem], cap: int, _cursor: int) -> _Moved:
        rows = self._page(cap, backward=True)
        self._at_top = len(rows) < cap
        return rows, len(rows) - 1

    def _to_down(self, items: list[QueueItem], cap: int, cursor: int) -> _Moved:
        # One row on: the window after its own first row.
        rows = self._page(cap, after=items[0])
        if rows and rows[-1].application_id != items[-1].application_id:
            self._at_top = False
            return rows, len(rows) - 1
        return None, cursor

    def _to_up(self, items: list[QueueItem], cap: int, cursor: int) -> _Moved:
        rows = self._page(cap, after=items[-1], backward=True)
        # Fewer rows before the window's last than a window holds: this is the top.
        self._at_top = len(rows) < cap
        if rows and rows[0].application_id != items[0].application_id:
            return rows, 0
        return None, cursor

    def _to_page_down(self, items: list[QueueItem], cap: int, cursor: int) -> _Moved:
        rows = self._page(cap, after=items[-1])
        self._at_top = self._at_top and not rows
        if len(rows) == cap:
            return rows, cursor
        # Fewer than a window left: the last window, on its last row.
        last = self._page(cap, backward=True) if rows else items
        return last, len(last) - 1

    def _to_page_up(self, items: list[QueueItem], cap: int, cursor: int) -> _Moved:
        rows = self._page(cap, after=items[0], backward=True)
        if len(rows) == cap:
            return rows, cursor
        self._at_top = True
        return (self._page(cap) if rows else items), 0

    # ---- changes made elsewhere ----------------------------------------------------
    def _look_for_changes(self) -> None:
        if self._watch is None or not self._watch.changed():
            return
        if self.is_current and not self.case_open:
            self.reload(keep=True)
        else:
            self._stale = True  # read again when the queue is in sight

    def on_screen_resume(self) -> None:
        if self._stale and not self.case_open:
            self._stale = False
            self.reload(keep=True)

    # ---- keys ----------------------------------------------------------------------
    def searched(self, text: str) -> None:
        if text != self.query_state.search:
            self.query_state = replace(self.query_state, search=text)
            self.reload()

    def action_mine(self) -> None:
        """Only the cases assigned to me, or all again."""
        f = self.query_state.filter
        self.apply(replace(self.query_state, filter=replace(f, mine=not f.mine)))

    def action_sort(self) -> None:
        """Sort by the next column (in reading order)."""
        keys = [k for k in _SORTABLE if k in self._columns()]
        current = next(k for k, v in SORT_OF.items() if v == self.query_state.sort.column)
        nxt = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.apply(replace(self.query_state, sort=QueueSort(SORT_OF[nxt], False)))

    def action_direction(self) -> None:
        """Reverse the order."""
        sort = self.query_state.sort
        self.apply(replace(self.query_state, sort=QueueSort(sort.column, not sort.descending)))

    def action_filters(self) -> None:
        """Choose the filters."""
        from daman_tui.screens.dialogs.queue_filter import QueueFilterDialog

        self.app.push_screen(
            QueueFilterDialog(self._store, self._actor, self.query_state.filter, self._lang),
            self._filters_chosen,
        )

    def _filters_chosen(self, chosen: QueueFilter | None) -> None:
        if chosen is not None:
            self.apply(replace(self.query_state, filter=chosen))

    def action_views(self) -> None:
        """Open, save or delete saved views."""
        from daman_tui.screens.dialogs.saved_views import SavedViewsDialog

        self.app.push_screen(
            SavedViewsDialog(self._store, self._actor, self.query_state, self._lang),
            self._view_chosen,
        )

    def _view_chosen(self, view: SavedView | None) -> None:
        if view is not None:
            self.apply(view.query)

    def apply(self, query: QueueQuery) -> None:
        """Show ``query`` from its first row."""
        # The query first: the box's own change message then finds nothing new.
        self.query_state = query
        search = self.query_one("#queue-search", BidiInput)
        if search.value != query.search:
            search.value = query.search
        self.reload()

    @on(LineTable.RowSelected, "#queue")
    async def _open(self, event: LineTable.RowSelected) -> None:
        event.stop()
        await self.app.run_action(f"open_case({event.row_key!r})")

    # ---- words ---------------------------------------------------------------------
    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        self.sub_title = t("case.title" if self.case_open else "queue.title", lang)
        localize_bindings(self, lang)
        localize_bindings(self.table, lang)
        self.query_one("#queue-search", BidiInput).placeholder = t("queue.search_hint", lang)
        table = self.table
        if table.items:
            table.show(table.items, lang, date.today(), cursor=table.cursor_row)
        self._render_bar()

    def _render_bar(self) -> None:
        lang = self._lang
        q = self.query_state
        column = next(k for k, v in SORT_OF.items() if v == q.sort.column)
        arrow = "↓" if q.sort.descending else "↑"
        parts = [t("queue.sorted_by", lang, column=t(f"queue.column.{column}", lang)) + f" {arrow}"]
        if q.filter.active:
            parts.append(t("queue.filters_on", lang, count=q.filter.active))
        if q.filter.mine:
            parts.append(t("queue.mine_on", lang))
        # Fixed widths (app.tcss): a new text is a repaint of the label, not a new layout.
        self.query_one("#queue-state", Label).update(rtext(" · ".join(parts), lang), layout=False)
        if self._count is None:
            count = t("queue.counting", lang)
        else:
            count = t("queue.count", lang, count=f"{self._count:,}")
        self.query_one("#queue-count", Label).update(rtext(count, lang), layout=False)
