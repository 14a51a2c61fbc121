"""The documents step: the checklist the case calls for, and what was received for it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label

from daman_tui.domain.documents import DocumentNeed
from daman_tui.domain.enums import DocumentType
from daman_tui.services.intake import DocumentStatus
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import localize_bindings, rtext
from daman_tui.text.keyboard import letter_keys
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.text_table import fill_table

__all__ = ["DocumentsPanel"]


class ChecklistTable(LineTable):
    """Enter attaches a file to the highlighted need; D removes what was attached; O
    attaches a document of another kind (the same keys on an Arabic keyboard)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(letter_keys("d", extra=("delete",)), "remove", "delete", id="daman.delete"),
        Binding(letter_keys("o"), "other", "other document", id="daman.other_document"),
    ]

    def action_remove(self) -> None:
        panel = self.parent
        if isinstance(panel, DocumentsPanel):
            panel.remove_highlighted()

    def action_other(self) -> None:
        panel = self.parent
        if isinstance(panel, DocumentsPanel):
            panel.post_message(DocumentsPanel.AttachRequested(panel, DocumentType.OTHER, None))


class DocumentsPanel(Vertical):
    """Step 9's body: one row per document needed, then any other document received."""

    DEFAULT_CSS = """
    DocumentsPanel { height: 1fr; padding: 0 1; }
    DocumentsPanel > ChecklistTable { height: auto; max-height: 16; min-height: 3; }
    """

    class AttachRequested(Message):
        """Pick a file for a ``doc_type`` document about ``national_id`` (None: household)."""

        def __init__(
            self, panel: DocumentsPanel, doc_type: DocumentType, national_id: str | None
        ) -> None:
            super().__init__()
            self.panel = panel
            self.doc_type = doc_type
            self.national_id = national_id

        @property
        def control(self) -> DocumentsPanel:
            return self.panel

    class RemoveRequested(Message):
        def __init__(self, panel: DocumentsPanel, document_id: str) -> None:
            super().__init__()
            self.panel = panel
            self.document_id = document_id

        @property
        def control(self) -> DocumentsPanel:
            return self.panel

    def __init__(self, *, lang: str, names: dict[str, str]) -> None:
        """``names``: national ID → the person's name, for the "for whom" column."""
        super().__init__(id="documents")
        self.lang = lang
        self.names = names
        self.status: DocumentStatus | None = None
        self._rows: dict[str, tuple[DocumentNeed | None, str | None]] = {}

    def compose(self) -> ComposeResult:
        yield Label(id="documents-title", classes="section-title")
        yield ChecklistTable(id="documents-table")
        yield Label(id="documents-keys")
        yield Label(id="documents-summary")

    def on_mount(self) -> None:
        self.relabel(self.lang)

    def focus_first(self) -> None:
        self.query_one(ChecklistTable).focus()

    def show(self, status: DocumentStatus) -> None:
        self.status = status
        self.relabel(self.lang)

    def relabel(self, lang: str) -> None:
        self.lang = lang
        self.query_one("#documents-title", Label).update(
            rtext(t("documents.title", lang), lang, "bold")
        )
        self.query_one("#documents-keys", Label).update(rtext(t("documents.keys", lang), lang))
        headers = [
            (key, t(f"documents.column.{key}", lang)) for key in ("document", "person", "state")
        ]
        rows: list[tuple[str, list[str]]] = []
        self._rows = {}
        status = self.status
        if status is not None:
            used: set[str] = set()
            for index, need in enumerate(status.needs):
                doc = status.received_for(need)
                if doc is not None:
                    used.add(doc.id)
                    state = t("documents.received", lang, file=doc.file_name)
                else:
                    state = t("documents.missing" if need.required else "documents.optional", lang)
                key = f"need-{index}"
                self._rows[key] = (need, doc.id if doc else None)
                rows.append(
                    (key, [enum_label(need.doc_type, lang), self._whom(need.national_id), state])
                )
            for doc in status.received:
                if doc.id in used:
                    continue
                key = f"doc-{doc.id}"
                self._rows[key] = (None, doc.id)
                rows.append(
                    (
                        key,
                        [
                            enum_label(doc.doc_type, lang),
                            self._whom(doc.subject_national_id),
                            t("documents.received", lang, file=doc.file_name),
                        ],
                    )
                )
            summary = (
                t("documents.missing_count", lang, count=status.missing_required)
                if status.missing_required
                else t("documents.all_received", lang)
            )
            self.query_one("#documents-summary", Label).update(rtext(summary, lang))
        table = self.query_one(ChecklistTable)
        localize_bindings(table, lang)
        fill_table(table, headers, rows, lang, keep_cursor=True)

    def _whom(self, national_id: str | None) -> str:
        if national_id is None:
            return t("documents.for_household", self.lang)
        return self.names.get(national_id) or national_id

    @on(LineTable.RowSelected)
    def _attach_need(self, event: LineTable.RowSelected) -> None:
        event.stop()
        need, _doc = self._rows.get(event.row_key, (None, None))
        if need is not None:
            self.post_message(self.AttachRequested(self, need.doc_type, need.national_id))

    def remove_highlighted(self) -> None:
        table = self.query_one(ChecklistTable)
        if table.row_count == 0:
            self.app.bell()
            return
        _need, doc_id = self._rows.get(table.row_keys[table.cursor_row], (None, None))
        if doc_id is None:
            self.app.bell()
            return
        self.post_message(self.RemoveRequested(self, doc_id))
