"""The home screen: who is signed in, the branch's figures, the menu and the latest cases."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.services.branches import BranchView, list_branches
from daman_tui.services.cases import list_cases, status_counts
from daman_tui.services.store import Store
from daman_tui.services.views import CaseRow
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import localize_bindings, rtext, visual
from daman_tui.widgets.case_table import CaseTable
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.sync_indicator import DamanHeader

__all__ = ["RECENT_CASES", "HomeScreen"]

RECENT_CASES = 20
"""How many of the latest cases the home screen lists."""

FIGURE_COLUMNS = 3
"""Status figures per row of the figures grid."""

# Menu entries: option id = the app action it runs, label = catalogue key.
_MENU: tuple[tuple[str, str], ...] = (
    ("new_application", "home.menu.new_application"),
    ("open_drafts", "home.menu.drafts"),
    ("open_cases", "home.menu.cases"),
    ("open_disputes", "review.panel.menu"),
    ("sign_out", "home.menu.sign_out"),
)
# Entries only for those who enter applications.
_INTAKE = frozenset({"new_application", "open_drafts"})
# Entries only for those who decide objections and complaints.
_REVIEW = frozenset({"open_disputes"})


class HomeScreen(Screen[None]):
    """Where a signed-in user lands: greeting, figures per status, menu, latest cases."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "app.open_sync", "sync", id="daman.sync.key.open"),
    ]

    AUTO_FOCUS = "#home-menu"

    class Loaded(Message):
        """The figures and the latest cases, read by a worker."""

        def __init__(
            self,
            counts: dict[ApplicationStatus, int],
            recent: list[CaseRow],
            branch: BranchView | None,
        ) -> None:
            super().__init__()
            self.counts = counts
            self.recent = recent
            self.branch = branch

    def __init__(self, store: Store, actor: Actor) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._lang = "ar"
        self._data: HomeScreen.Loaded | None = None

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with Vertical(id="home-body"):
            yield Label(id="greeting", classes="title")
            yield Label(id="role-branch")
            with Horizontal(id="home-top"):
                yield OptionList(
                    *(Option("", id=action) for action, _key in self._menu()), id="home-menu"
                )
                with Vertical(id="figures-box"):
                    yield Label(id="figures-title", classes="section-title")
                    with Grid(id="figures"):
                        for index in range(len(ApplicationStatus)):
                            yield Label(id=f"figure-{index}", classes="figure")
            yield Label(id="recent-title", classes="section-title")
            # A glance, not the queue: the columns a clerk reads at the counter.
            yield CaseTable(
                id="recent",
                columns=("request_number", "name", "national_id", "status", "last_change"),
            )
        yield DamanFooter()

    def on_mount(self) -> None:
        # The docked menu does not count towards the row's height: room for its entries
        # (a border above and below, a margin on top).
        self.query_one("#home-top").styles.min_height = len(self._menu()) + 3
        self.watch(self.app, "lang", self._set_lang)

    def on_screen_resume(self) -> None:
        # Every return to home (from the case list, say) shows fresh figures.
        self._load()

    def on_home_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        self._data = message
        self._render_data()
        self.query_one("#recent", CaseTable).show(message.recent, self._lang)

    @on(OptionList.OptionSelected, "#home-menu")
    async def _menu_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            await self.run_action(f"app.{event.option_id}")

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(visual(t("error.unexpected", self._lang)), severity="error", markup=False)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        counts = status_counts(self._store, self._actor)
        recent = list_cases(self._store, self._actor, limit=RECENT_CASES)
        branch = next(
            (b for b in list_branches(self._store) if b.id == self._actor.branch_id), None
        )
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(counts, recent, branch))

    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        localize_bindings(self, lang)
        menu = self.query_one("#home-menu", OptionList)
        for action, key in self._menu():
            menu.replace_option_prompt(action, rtext(t(key, lang), lang))
        self.query_one("#figures-title", Label).update(rtext(t("home.figures", lang), lang))
        self.query_one("#recent-title", Label).update(rtext(t("home.recent", lang), lang))
        self._render_data()
        if self._data is not None:
            self.query_one("#recent", CaseTable).show(self._data.recent, lang, keep_cursor=True)

    def _menu(self) -> tuple[tuple[str, str], ...]:
        enters = can(self._actor, Permission.EDIT_APPLICATION, self._actor.branch_id)
        reviews = can(self._actor, Permission.DECIDE_OBJECTION, self._actor.branch_id)
        return tuple(
            (action, key)
            for action, key in _MENU
            if (enters or action not in _INTAKE) and (reviews or action not in _REVIEW)
        )

    def _render_data(self) -> None:
        lang, actor, data = self._lang, self._actor, self._data
        self.query_one("#greeting", Label).update(
            rtext(t("home.greeting", lang, name=actor.full_name), lang)
        )
        branch = "…"
        if data is not None:
            branch = _branch_name(data.branch, lang) if data.branch else ""
        role_branch = t("home.role_branch", lang, role=enum_label(actor.role, lang), branch=branch)
        self.query_one("#role-branch", Label).update(rtext(role_branch, lang))
        for index, status in enumerate(_figure_order(lang)):
            count = "…" if data is None else str(data.counts.get(status, 0))
            text = t("home.figure", lang, label=enum_label(status, lang), count=count)
            self.query_one(f"#figure-{index}", Label).update(rtext(text, lang))


def _branch_name(branch: BranchView, lang: str) -> str:
    return branch.name_ar if lang == "ar" else branch.name_en


def _figure_order(lang: str) -> list[ApplicationStatus]:
    """The statuses in grid order: in Arabic each row reads from the right."""
    statuses = list(ApplicationStatus)
    rows = [statuses[i : i + FIGURE_COLUMNS] for i in range(0, len(statuses), FIGURE_COLUMNS)]
    if lang == "ar":
        rows = [row[::-1] for row in rows]
    return [status for row in rows for status in row]
