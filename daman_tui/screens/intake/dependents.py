"""The dependents step: the list with each one's completeness, and a dependent's own file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from daman_tui.domain.intake.checklist import person_national_id
from daman_tui.domain.intake.fields import SectionSpec
from daman_tui.domain.intake.form import DraftForm, completeness
from daman_tui.domain.intake.steps import DEPENDENT_SECTIONS, link_section
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import localize_bindings, rtext
from daman_tui.widgets.deck import Deck
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.group_panel import Action, GroupPanel, ListTable
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.section_form import SectionForm
from daman_tui.widgets.sections_view import SectionsView
from daman_tui.widgets.sync_indicator import DamanHeader
from daman_tui.widgets.text_table import fill_table

__all__ = ["DependentScreen", "DependentsPanel", "dependent_name"]


def dependent_name(form: DraftForm, who: str, lang: str) -> str:
    """The dependent's name as typed so far."""
    parts = (form.get(who, "personal", k) for k in ("first_name", "father_name", "family_name"))
    name = " ".join(p.strip() for p in parts if p.strip())
    return name or t("dependents.unnamed", lang)


class DependentsTable(ListTable):
    """The dependents; A adds, Enter opens, D deletes (also on an Arabic keyboard)."""


class DependentsPanel(Vertical):
    """Step 8's body."""

    DEFAULT_CSS = """
    DependentsPanel { height: 1fr; padding: 0 1; }
    DependentsPanel > DependentsTable { height: auto; max-height: 14; min-height: 3; }
    """

    class Requested(Message):
        def __init__(
            self, panel: DependentsPanel, action: Action, dependent_id: str | None
        ) -> None:
            super().__init__()
            self.panel = panel
            self.action = action
            self.dependent_id = dependent_id

        @property
        def control(self) -> DependentsPanel:
            return self.panel

    def __init__(self, form: DraftForm, *, lang: str, today: date) -> None:
        super().__init__(id="dependents")
        self.form = form
        self.lang = lang
        self.today = today
        self.claimed: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label(id="dependents-title", classes="section-title")
        yield DependentsTable(id="dependents-table")
        yield Label(id="dependents-keys")
        yield Label(id="dependents-claimed", classes="warning")

    def on_mount(self) -> None:
        self.relabel(self.lang)

    def focus_first(self) -> None:
        self.query_one(DependentsTable).focus()

    @on(LineTable.RowSelected)
    def _open(self, event: LineTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Requested(self, "edit", event.row_key))

    def request(self, action: Action) -> None:
        table = self.query_one(DependentsTable)
        dependent_id = None
        if action != "add":
            if not self.form.dependents:
                self.app.bell()
                return
            dependent_id = table.row_keys[table.cursor_row]
        self.post_message(self.Requested(self, action, dependent_id))

    def relabel(self, lang: str) -> None:
        self.lang = lang
        self.query_one("#dependents-title", Label).update(
            rtext(t("dependents.title", lang), lang, "bold")
        )
        keys = t("dependents.keys", lang)
        if not self.form.dependents:
            keys = t("dependents.none", lang)
        self.query_one("#dependents-keys", Label).update(rtext(keys, lang))
        headers = [
            (key, t(f"dependents.column.{key}", lang))
            for key in ("name", "kind", "national_id", "completeness", "state")
        ]
        rows = []
        for dep in self.form.dependents:
            who = dep["id"]
            state = self.form.member_state(who, self.today)
            rows.append(
                (
                    who,
                    [
                        dependent_name(self.form, who, lang),
                        enum_label(self.form.kind_of(who), lang),
                        person_national_id(self.form, who),
                        f"{completeness(self.form, who, self.today)}%",
                        t(f"intake.state.{state.value}", lang),
                    ],
                )
            )
        table = self.query_one(DependentsTable)
        localize_bindings(table, lang)
        fill_table(table, headers, rows, lang, keep_cursor=True)
        claimed = [
            t("dependents.claimed", lang, file=f"{nid} → {file}")
            for nid, file in self.claimed.items()
        ]
        self.query_one("#dependents-claimed", Label).update(rtext(" · ".join(claimed), lang))


class DependentScreen(Screen[None]):
    """A dependent's own file, a page at a time (the link and personal data, income,
    education, licences, assets), with its completeness; F8/F7 turn the pages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "page(1)", "next page", id="daman.next_page"),
        Binding("f7", "page(-1)", "previous page", id="daman.prev_page"),
        Binding("escape", "back", "back", id="daman.back"),
    ]

    def __init__(
        self,
        form: DraftForm,
        who: str,
        *,
        lang: str,
        today: date,
        changed: Callable[[str], None],
        edit_entry: Callable[[GroupPanel, str, str | None], None],
    ) -> None:
        super().__init__(classes="rtl" if lang == "ar" else "ltr")
        self.form = form
        self.who = who
        self.lang = lang
        self.today = today
        self._changed = changed
        self._edit_entry = edit_entry
        link = link_section(form.kind_of(who))
        first, *rest = DEPENDENT_SECTIONS
        # The link to the head opens the first page: it is what makes this person a
        # dependent of this kind.
        self.pages: tuple[tuple[str, tuple[SectionSpec, ...]], ...] = (
            (first[0], (link, *first[1])),
            *rest,
        )
        self.page = 0
        self._title_text = ""

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        yield Label(id="dependent-title", classes="title")
        yield Deck(ahead=self._pages_ahead, id="dependent-page")
        yield DamanFooter()

    async def on_mount(self) -> None:
        localize_bindings(self, self.lang)
        await self._show(0)

    async def _show(self, page: int) -> None:
        self.page = page
        key = self.pages[page][0]
        view, fresh = await self.query_one(Deck).show(key, partial(self._view, page))
        assert isinstance(view, SectionsView)
        if not fresh and self._visited(key):
            view.reveal_all()
        self._title()
        view.focus_first()

    def _visited(self, key: str) -> bool:
        return f"dependent:{self.who}:{key}" in self.form.visited

    def _view(self, page: int) -> SectionsView:
        key, sections = self.pages[page]
        return SectionsView(
            self.form,
            self.who,
            sections,
            lang=self.lang,
            today=self.today,
            prefix="dep-",
            reveal=self._visited(key),
            id=f"dependent-{key}",
        )

    def _pages_ahead(self) -> list[tuple[str, Callable[[], Widget]]]:
        """The pages after this one, then those before."""
        order = sorted(range(len(self.pages)), key=lambda n: (n < self.page, abs(n - self.page)))
        return [(self.pages[n][0], partial(self._view, n)) for n in order]

    def _title(self) -> None:
        key = self.pages[self.page][0]
        text = t(
            "dependents.editor_title",
            self.lang,
            name=dependent_name(self.form, self.who, self.lang),
            percent=completeness(self.form, self.who, self.today),
        )
        text = f"{text} — {self.page + 1}/{len(self.pages)}: {t(f'step.{key}', self.lang)}"
        # Updating a label relays out the screen: only when the words change.
        if text != self._title_text:
            self._title_text = text
            self.query_one("#dependent-title", Label).update(rtext(text, self.lang, "bold"))

    def on_section_form_edited(self, event: SectionForm.Edited) -> None:
        event.stop()
        self._title()
        self.query_one(Deck).postpone()
        self._changed(self.who)

    def on_group_panel_requested(self, event: GroupPanel.Requested) -> None:
        event.stop()
        self._edit_entry(event.panel, event.action, event.item_id)

    def entry_changed(self) -> None:
        """An entry of one of this dependent's groups was saved or deleted."""
        self._title()

    async def action_page(self, delta: int) -> None:
        target = self.page + delta
        if not 0 <= target < len(self.pages):
            self.app.bell()
            return
        self.form.mark_visited(f"dependent:{self.who}:{self.pages[self.page][0]}")
        await self._show(target)

    def action_back(self) -> None:
        self.form.mark_visited(f"dependent:{self.who}:{self.pages[self.page][0]}")
        self._changed(self.who)
        self.dismiss(None)
