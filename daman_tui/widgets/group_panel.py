"""A repeatable section (income lines, licences, vehicles…) as a list with add, edit, delete.

The panel shows the entries; what adding or editing means (a dialog, a save) is the
screen's: the panel posts :class:`GroupPanel.Requested`.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal, Protocol, runtime_checkable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label

from daman_tui.domain.intake.fields import GroupSpec
from daman_tui.domain.intake.form import field_error
from daman_tui.text.catalog import t
from daman_tui.text.display import localize_bindings, rtext
from daman_tui.text.keyboard import letter_keys
from daman_tui.widgets.form_text import display_value
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.text_table import fill_table

__all__ = ["LIST_BINDINGS", "Action", "GroupPanel", "GroupTable", "ListOwner", "ListTable"]

Action = Literal["add", "edit", "delete"]

LIST_BINDINGS: tuple[BindingType, ...] = (
    Binding(letter_keys("a", extra=("insert",)), "request('add')", "add", id="daman.add"),
    Binding(letter_keys("e"), "request('edit')", "edit", id="daman.edit"),
    Binding(letter_keys("d", extra=("delete",)), "request('delete')", "delete", id="daman.delete"),
)
"""A list's keys: A adds, E edits, D deletes; the table's owner acts on ``request``."""


@runtime_checkable
class ListOwner(Protocol):
    """What holds a :class:`ListTable`: it decides what adding, editing, deleting mean."""

    def request(self, action: Action) -> None: ...


class ListTable(LineTable):
    """A table of entries whose keys act on the highlighted one through its owner.

    Each letter key is bound with the Arabic letter its key types on an Arabic keyboard
    (see :mod:`daman_tui.text.keyboard`).
    """

    BINDINGS: ClassVar[list[BindingType]] = list(LIST_BINDINGS)

    def action_request(self, action: Action) -> None:
        owner = self.parent
        if isinstance(owner, ListOwner):
            owner.request(action)


class GroupTable(ListTable):
    """A group's entries (income lines, licences, vehicles…)."""


class GroupPanel(Vertical):
    """One group's entries for one person."""

    DEFAULT_CSS = """
    GroupPanel { height: auto; margin-bottom: 1; }
    GroupPanel > GroupTable { height: auto; max-height: 8; min-height: 2; }
    GroupPanel > .group-keys { color: $text-muted; height: 1; }
    """

    class Requested(Message):
        """Add an entry, or edit or delete the one highlighted (``item_id``)."""

        def __init__(self, panel: GroupPanel, action: Action, item_id: str | None) -> None:
            super().__init__()
            self.panel = panel
            self.action = action
            self.item_id = item_id

        @property
        def control(self) -> GroupPanel:
            return self.panel

    def __init__(
        self,
        group: GroupSpec,
        items: list[dict[str, str]],
        *,
        lang: str,
        today: date,
        prefix: str = "",
    ) -> None:
        super().__init__(id=f"{prefix}group--{group.key}", classes="group-panel")
        self.group = group
        self.items = items
        self.lang = lang
        self.today = today

    def compose(self) -> ComposeResult:
        yield Label(classes="group-title")
        yield GroupTable(id=f"{self.id}--table")
        yield Label(classes="group-keys")

    def on_mount(self) -> None:
        self.relabel(self.lang)

    @on(LineTable.RowSelected)
    def _selected(self, event: LineTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Requested(self, "edit", event.row_key))

    def request(self, action: Action) -> None:
        table = self.query_one(GroupTable)
        item_id = None
        if action != "add":
            if table.row_count == 0 or not self.items:
                self.app.bell()
                return
            item_id = table.row_keys[table.cursor_row]
        self.post_message(self.Requested(self, action, item_id))

    def relabel(self, lang: str, *, keep_cursor: bool = True) -> None:
        """Title, columns and rows in ``lang`` (also after an entry changed)."""
        self.lang = lang
        title = t(f"group.{self.group.key}", lang)
        self.query_one(".group-title", Label).update(rtext(title, lang, "bold"))
        self.query_one(".group-keys", Label).update(rtext(t("group.keys", lang), lang))
        specs = {s.key: s for s in self.group.fields}
        headers = [(key, t(f"field.{key}", lang)) for key in self.group.summary]
        headers.append(("state", ""))
        rows = []
        for item in self.items:
            cells = [
                display_value(specs[key], item, lang, self.today) for key in self.group.summary
            ]
            broken = any(field_error(s, item, self.today) for s in self.group.fields)
            cells.append(t("group.has_errors", lang) if broken else "")
            rows.append((item["id"], cells))
        table = self.query_one(GroupTable)
        localize_bindings(table, lang)
        fill_table(table, headers, rows, lang, keep_cursor=keep_cursor)
        if not rows:
            self.query_one(".group-keys", Label).update(
                rtext(f"{t('group.empty', lang)} {t('group.keys', lang)}", lang)
            )

    def focus_table(self) -> None:
        self.query_one(GroupTable).focus()
