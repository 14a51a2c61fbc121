"""Opening a stored document with the system's viewer (a PDF reader, an image viewer)."""

from __future__ import annotations

from textual.widget import Widget

from daman_tui.domain.errors import DomainError
from daman_tui.services.documents import document_file
from daman_tui.services.store import Store
from daman_tui.services.views import DocumentView
from daman_tui.text.catalog import t
from daman_tui.text.display import visual

__all__ = ["open_document"]


def open_document(node: Widget, store: Store, doc: DocumentView, lang: str) -> None:
    """Open ``doc``'s stored copy and say where it is (or why it cannot be opened)."""
    try:
        path = document_file(store, doc)
    except DomainError as exc:
        node.notify(visual(exc.message(lang)), severity="error", markup=False)
        return
    node.app.open_url(path.as_uri())
    node.notify(visual(t("case.document_opened", lang, path=str(path))), markup=False)
