"""The case list: the branch's applications, a page at a time, filtered by status."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Label
from textual.worker import Worker, WorkerState, get_current_worker

from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.services.cases import list_cases
from daman_tui.services.store import Store
from daman_tui.services.views import CaseRow
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import localize_bindings, rtext, visual
from daman_tui.widgets.case_table import ALL_COLUMNS, CaseTable
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.line_table import LineTable

__all__ = ["PAGE_SIZE", "CaseListScreen"]

PAGE_SIZE = 50
"""Rows per page."""

# What `s` cycles through: every case, then each status in turn.
_FILTERS: tuple[ApplicationStatus | None, ...] = (None, *ApplicationStatus)

PageStart = tuple[datetime, str] | None
"""Where a page starts: the keyset ``(last_change_at, id)`` of the row before it."""


class CaseListScreen(Screen[None]):
    """One page of cases at a time, newest change first; keyset paging both ways."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_page", "next", id="daman.next_page"),
        Binding("p", "prev_page", "previous", id="daman.prev_page"),
        Binding("s", "cycle_status", "status", id="daman.filter_status"),
        Binding("escape", "back", "back", id="daman.back"),
    ]

    AUTO_FOCUS = "#cases"

    class PageLoaded(Message):
        """A page read by a worker; ``generation`` tells a stale page from the current one."""

        def __init__(self, generation: int, rows: list[CaseRow], has_more: bool) -> None:
            super().__init__()
            self.generation = generation
            self.rows = rows
            self.has_more = has_more

    def __init__(self, store: Store, actor: Actor) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._lang = "ar"
        self._status: ApplicationStatus | None = None
        # The start of every page up to the current one: `p` pops, `n` pushes.
        self._starts: list[PageStart] = [None]
        self._rows: list[CaseRow] = []
        self._has_more = False
        self._loading = False
        self._generation = 0

    @property
    def page(self) -> int:
        """The current page, from 1."""
        return len(self._starts)

    @property
    def status_filter(self) -> ApplicationStatus | None:
        """The status shown, or None for every case."""
        return self._status

    def _columns(self) -> tuple[str, ...]:
        # The queue's columns fit 120 cells; the branch column says something only to
        # those who see more than one branch. The kind is a filter, not a column.
        hidden = {"kind"} if can(self._actor, Permission.ALL_BRANCHES) else {"kind", "branch"}
        return tuple(c for c in ALL_COLUMNS if c not in hidden)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="cases-bar"):
            yield Label(id="cases-filter")
            yield Label(id="cases-page")
        yield CaseTable(id="cases", columns=self._columns())
        yield DamanFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)
        self._reload()

    def on_case_list_screen_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._loading = False
        self._rows = message.rows
        self._has_more = message.has_more
        self.query_one("#cases", CaseTable).show(self._rows, self._lang)
        self._render_bar()
        self.refresh_bindings()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self._loading = False
            self._render_bar()
            self.notify(visual(t("error.unexpected", self._lang)), severity="error", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out paging keys that lead nowhere."""
        if action == "next_page":
            return True if self._has_more and not self._loading else None
        if action == "prev_page":
            return True if self.page > 1 and not self._loading else None
        return True

    def action_next_page(self) -> None:
        """Show the page after this one."""
        if self._has_more and self._rows and not self._loading:
            last = self._rows[-1]
            self._starts.append((last.last_change_at, last.application_id))
            self._reload()

    def action_prev_page(self) -> None:
        """Show the page before this one."""
        if self.page > 1 and not self._loading:
            self._starts.pop()
            self._reload()

    def action_cycle_status(self) -> None:
        """Show the next status (after the last one, every case again), from page 1."""
        self._status = _FILTERS[(_FILTERS.index(self._status) + 1) % len(_FILTERS)]
        self._starts = [None]
        self._reload()

    @on(LineTable.RowSelected, "#cases")
    async def _open(self, event: LineTable.RowSelected) -> None:
        """Enter on a draft opens it in the wizard (the case file comes with the queue)."""
        row = next((r for r in self._rows if r.application_id == event.row_key), None)
        if row is not None and row.status is ApplicationStatus.DRAFT:
            event.stop()
            await self.run_action(f"app.open_draft({row.application_id!r})")

    def action_back(self) -> None:
        """Leave the case list."""
        self.app.pop_screen()

    def _reload(self) -> None:
        self._generation += 1
        self._loading = True
        self._render_bar()
        self.refresh_bindings()
        self._load(self._generation, self._status, self._starts[-1])

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self, generation: int, status: ApplicationStatus | None, after: PageStart) -> None:
        # One row more than a page tells whether a next page exists, without a count.
        rows = list_cases(self._store, self._actor, status=status, after=after, limit=PAGE_SIZE + 1)
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(generation, rows[:PAGE_SIZE], len(rows) > PAGE_SIZE))

    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        self.sub_title = t("cases.title", lang)
        localize_bindings(self, lang)
        self._render_bar()
        if not self._loading:
            self.query_one("#cases", CaseTable).show(self._rows, lang, keep_cursor=True)

    def _render_bar(self) -> None:
        lang = self._lang
        status = (
            t("cases.filter_all", lang) if self._status is None else enum_label(self._status, lang)
        )
        self.query_one("#cases-filter", Label).update(
            rtext(t("cases.filter", lang, status=status), lang)
        )
        if self._loading:
            page = t("cases.loading", lang)
        elif not self._rows:
            page = t("cases.empty", lang)
        else:
            page = t("cases.page", lang, page=self.page)
        self.query_one("#cases-page", Label).update(rtext(page, lang))
