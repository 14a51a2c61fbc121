"""The review panel of objections and financial complaints: the ones open in a
supervisor's branch, searched, filtered and triaged many at once.

``/`` searches as you type (a request number or a reference, the start of a national ID,
any part of the head's name), ``f`` filters, ``m`` keeps only mine; Space marks rows and
``a`` assigns, ``p`` sets the priority of, ``d`` closes as duplicates the marked rows (or
the highlighted one). Enter opens the review. The list is read in a worker; triage is
carried out from its dialog, which says a refusal and stays open.
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
from textual.widgets import Label
from textual.worker import Worker, WorkerState

from daman_tui.domain.enums import Role
from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.screens.dialogs.review_dialogs import DisputeFilterDialog, PickDialog
from daman_tui.screens.searched_list import SearchedList
from daman_tui.services import disputes
from daman_tui.services.auth import branch_staff
from daman_tui.services.disputes import PRIORITIES, DisputeFilter, DisputeRow
from daman_tui.services.store import Store
from daman_tui.text.catalog import error_text, t
from daman_tui.text.display import localize_bindings, rtext, visual
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.dispute_table import DISPUTE_COLUMNS, DisputeTable, row_key
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.review_text import priority_label
from daman_tui.widgets.sync_indicator import DamanHeader

__all__ = ["DisputesScreen"]


def _active(f: DisputeFilter) -> int:
    """How many filters narrow the list beyond the default (open records, any kind)."""
    return sum(
        (
            bool(f.kinds),
            f.state != "open",
            f.mine,
            f.unassigned,
            f.overdue,
            bool(f.branches),
            bool(f.priorities),
        )
    )


class DisputesScreen(SearchedList):
    """The open objections and complaints of the supervisor's branch, oldest first within
    priority."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "search", id="daman.queue_search"),
        Binding("f", "filters", "filters", id="daman.queue_filters"),
        Binding("m", "mine", "mine", id="daman.review.key.mine"),
        Binding("space", "mark", "mark", id="daman.review.key.mark"),
        Binding("a", "assign", "assign", id="daman.review.key.assign"),
        Binding("p", "priority", "priority", id="daman.review.key.priority"),
        Binding("d", "duplicate", "duplicate", id="daman.review.key.duplicate"),
        Binding("escape", "back", "back", id="daman.back"),
    ]

    AUTO_FOCUS = "#disputes"
    SEARCH_ID = "disputes-search"
    LIST_ID = "disputes"

    class Loaded(Message):
        """The list read by a worker for request ``generation``."""

        def __init__(
            self, generation: int, rows: list[DisputeRow], supervisors: dict[str, str]
        ) -> None:
            super().__init__()
            self.generation = generation
            self.rows = rows
            self.supervisors = supervisors

    def __init__(
        self,
        store: Store,
        actor: Actor,
        flt: DisputeFilter | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._lang = "ar"
        self._today = today
        self.filter = flt or DisputeFilter()
        self._generation = 0
        self.reading = False
        self._supervisors: dict[str, str] = {}
        """The branch's supervisors (id → name), whom records are assigned to: read with
        the list, in the worker, so the assign dialog opens without a read."""

    # ---- layout --------------------------------------------------------------------
    def _columns(self) -> tuple[str, ...]:
        # The branch says something only to those who see more than one.
        if can(self._actor, Permission.ALL_BRANCHES):
            return DISPUTE_COLUMNS
        return tuple(c for c in DISPUTE_COLUMNS if c != "branch")

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with Vertical(id="disputes-view"):
            with Horizontal(id="disputes-bar"):
                yield BidiInput(self.filter.search, id="disputes-search", select_on_focus=False)
                yield Label(id="disputes-state")
                yield Label(id="disputes-count")
            yield DisputeTable(id="disputes", columns=self._columns())
        yield DamanFooter()

    @property
    def table(self) -> DisputeTable:
        return self.query_one("#disputes", DisputeTable)

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)

    def on_screen_resume(self) -> None:
        # Every return from a review shows the list as it now is.
        self.reload()

    # ---- reading -------------------------------------------------------------------
    def reload(self) -> None:
        """Read the list again, keeping the cursor's record if it is still there."""
        self._generation += 1
        self.reading = True
        self._render_bar()
        self._read(self._generation, self.filter)

    @work(thread=True, exclusive=True, group="disputes", exit_on_error=False)
    def _read(self, generation: int, flt: DisputeFilter) -> None:
        rows = disputes.dispute_queue(self._store, self._actor, flt, today=self._today)
        people = branch_staff(self._store, self._actor, self._actor.branch_id, [Role.SUPERVISOR])
        self.post_message(self.Loaded(generation, rows, {u.id: u.full_name for u in people}))

    def on_disputes_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.reading = False
        self._supervisors = message.supervisors
        current = self.table.current
        self.table.show(message.rows, self._lang, cursor=current.ref if current else None)
        self._render_bar()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.reading = False
            self._render_bar()
            text = error_text(event.worker.error, self._lang)
            self.notify(visual(text), severity="error", markup=False)

    # ---- search, filters, mine -----------------------------------------------------
    def searched(self, text: str) -> None:
        if text != self.filter.search:
            self.filter = replace(self.filter, search=text)
            self.reload()

    def action_filters(self) -> None:
        """Choose the filters."""
        self.app.push_screen(DisputeFilterDialog(self.filter, self._lang), self._filtered)

    def _filtered(self, chosen: DisputeFilter | None) -> None:
        if chosen is not None:
            self.filter = chosen
            self.reload()

    def action_mine(self) -> None:
        """Only the records assigned to me, or all again."""
        self.filter = replace(self.filter, mine=not self.filter.mine)
        self.reload()

    # ---- triage --------------------------------------------------------------------
    def action_mark(self) -> None:
        """Mark the highlighted row for triage, or unmark it."""
        self.table.toggle_mark()
        self._render_bar()

    def action_assign(self) -> None:
        """Give the marked records (or the highlighted one) to a supervisor of the branch."""
        refs = [r.ref for r in self.table.chosen()]
        if not refs:
            return
        names = self._supervisors
        store, actor, lang = self._store, self._actor, self._lang

        def assign(user_id: str) -> str:
            count = disputes.assign_disputes(store, actor, refs, user_id)
            return t("review.triage.assigned", lang, count=count, name=names[user_id])

        current = self.table.current
        self._ask(
            PickDialog(
                t("review.triage.assign_title", lang, count=len(refs)),
                t("review.triage.assign_help", lang),
                list(names.items()),
                lang,
                assign,
                current=current.assigned_to if current and len(refs) == 1 else None,
            ),
        )

    def action_priority(self) -> None:
        """Set the priority of the marked records (or the highlighted one)."""
        refs = [r.ref for r in self.table.chosen()]
        if not refs:
            return
        store, actor, lang = self._store, self._actor, self._lang

        def prioritise(key: str) -> str:
            count = disputes.prioritise_disputes(store, actor, refs, int(key))
            return t(
                "review.triage.prioritised",
                lang,
                count=count,
                priority=priority_label(int(key), lang),
            )

        current = self.table.current
        self._ask(
            PickDialog(
                t("review.triage.priority_title", lang, count=len(refs)),
                t("review.triage.priority_help", lang),
                [(str(p), priority_label(p, lang)) for p in reversed(PRIORITIES)],
                lang,
                prioritise,
                current=str(current.priority) if current and len(refs) == 1 else None,
            ),
        )

    def action_duplicate(self) -> None:
        """Close the marked records as duplicates of the one kept (the highlighted row
        unless another is chosen)."""
        table, lang = self.table, self._lang
        current = table.current
        rows = [r for r in table.rows if r.ref in table.marked or r is current]
        if len(rows) < 2:
            self.notify(visual(t("review.triage.duplicate_needs_two", lang)), markup=False)
            return
        store, actor = self._store, self._actor
        by_key = {row_key(r.ref): r for r in rows}

        def close(key: str) -> str:
            kept = by_key[key]
            others = [r.ref for r in rows if r is not kept]
            count = disputes.close_as_duplicates(store, actor, others, of=kept.ref)
            return t("review.triage.duplicated", lang, count=count, reference=kept.reference)

        self._ask(
            PickDialog(
                t("review.triage.duplicate_title", lang, count=len(rows) - 1),
                t("review.triage.duplicate_help", lang),
                [(key, f"{r.reference} — {r.head_name}") for key, r in by_key.items()],
                lang,
                close,
                current=row_key(current.ref) if current else None,
            ),
            unmark=True,
        )

    def _ask(self, dialog: PickDialog, *, unmark: bool = False) -> None:
        """Show ``dialog``; once carried out, say what was done and read the list again.

        The marks stay for the next step (assign, then set the priority) unless
        ``unmark``: closing duplicates uses them up.
        """

        def done(said: object) -> None:
            if said is None:
                return
            if unmark:
                self.table.marked.clear()
            self.notify(visual(str(said)), markup=False)
            self.reload()

        self.app.push_screen(dialog, done)

    # ---- opening -------------------------------------------------------------------
    @on(LineTable.RowSelected, "#disputes")
    def _open(self, event: LineTable.RowSelected) -> None:
        event.stop()
        row = self.table.current
        if row is None:
            return
        from daman_tui.screens.dispute_review import review_screen

        self.app.push_screen(review_screen(self._store, self._actor, row.ref, today=self._today))

    # ---- words ---------------------------------------------------------------------
    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        self.sub_title = t("review.panel.title", lang)
        localize_bindings(self, lang)
        localize_bindings(self.table, lang)
        self.query_one("#disputes-search", BidiInput).placeholder = t(
            "review.panel.search_hint", lang
        )
        table = self.table
        current = table.current
        table.show(table.rows, lang, cursor=current.ref if current else None)
        self._render_bar()

    def _render_bar(self) -> None:
        lang, f = self._lang, self.filter
        parts = [t(f"review.state.{f.state}", lang)]
        if _active(f):
            parts.append(t("queue.filters_on", lang, count=_active(f)))
        if f.mine:
            parts.append(t("review.panel.mine_on", lang))
        if self.table.marked:
            parts.append(t("review.panel.marked", lang, count=len(self.table.marked)))
        self.query_one("#disputes-state", Label).update(rtext(" · ".join(parts), lang))
        count = (
            t("queue.counting", lang)
            if self.reading
            else t("review.panel.count", lang, count=len(self.table.rows))
        )
        self.query_one("#disputes-count", Label).update(rtext(count, lang))
