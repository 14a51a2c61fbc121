"""Choose a document's file: type or paste its path, or walk to it in a folder tree.

The tree shows folders and the accepted document formats only, so a clerk looking for a
scan is not shown everything else in the folder. The file is only picked here; whether it
is accepted (its content, its size) is the documents service's decision.
"""

from __future__ import annotations

import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from rich.text import Text, TextType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Label

from daman_tui.services.documents import ACCEPTED_EXTENSIONS
from daman_tui.text.catalog import t
from daman_tui.text.display import current_mode, localize_bindings, rtext
from daman_tui.text.layout import layout_line
from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["DocumentTree", "FilePickerScreen", "typed_path"]

_QUOTES = ("'", '"')


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


class DocumentTree(DirectoryTree):
    """A folder tree of folders and PDF, JPEG and PNG files; hidden entries left out.

    Names are drawn through the bidi pipeline, so an Arabic file name reads joined and in
    order, yet laid out left to right like the path it is part of.
    """

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        # Runs in the tree's loading thread: the is_dir stat never holds up the screen.
        return [
            path
            for path in paths
            if not path.name.startswith(".")
            and (path.suffix.lower() in ACCEPTED_EXTENSIONS or self._safe_is_dir(path))
        ]

    def process_label(self, label: TextType) -> Text:
        if isinstance(label, str) and current_mode() == "app" and _has_rtl(label):
            label = layout_line(label.split("\n")[0], "L").visual
        return super().process_label(label)


def typed_path(text: str, base: Path) -> Path | None:
    """The path a person typed or pasted, relative ones taken from ``base``; None if blank.

    File managers paste quoted paths or ``file://`` addresses; both are understood.
    """
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in _QUOTES:
        text = text[1:-1].strip()
    if text.startswith("file://"):
        text = unquote(urlsplit(text).path)
    if not text:
        return None
    path = Path(text).expanduser()
    return path if path.is_absolute() else base / path


class FilePickerScreen(ModalScreen[Path | None]):
    """Dismissed with the chosen file's path, or None when Escape is pressed.

    Enter in the path field takes a file (or moves the tree to a folder); Enter or a
    click on a file in the tree takes it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        # Only reaches the screen from the path field: the tree handles its own arrows.
        Binding("down", "focus_tree", show=False),
    ]

    DEFAULT_CSS = """
    FilePickerScreen {
        align: center middle;
        background: $background 60%;
    }
    FilePickerScreen > #picker-box {
        width: 90;
        max-width: 100%;
        height: 80%;
        padding: 0 1;
        background: $surface;
        border: tall $primary;
    }
    FilePickerScreen #picker-tree { height: 1fr; }
    FilePickerScreen #picker-hint { color: $text-muted; }
    """

    def __init__(self, start: Path) -> None:
        super().__init__()
        self._start = start
        self._lang = "ar"
        self._message: str | None = None  # catalogue key of what the last Enter met

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(id="picker-title", classes="title")
            yield Label(id="picker-path-label", classes="field-label")
            yield BidiInput(id="picker-path", direction="ltr")
            yield Label(id="picker-message", classes="error")
            yield DocumentTree(self._start, id="picker-tree")
            yield Label(id="picker-hint")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)
        self.set_focus(self.query_one("#picker-path", BidiInput))

    @property
    def folder(self) -> Path:
        """The folder the tree shows now."""
        return Path(self.query_one(DocumentTree).path)

    @on(BidiInput.Submitted, "#picker-path")
    def _path_entered(self, event: BidiInput.Submitted) -> None:
        event.stop()
        path = typed_path(event.value, self.folder)
        if path is None:
            self._show("picker.empty")
            return
        try:
            mode = path.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            self._show("picker.not_found")
            return
        except OSError:
            self._show("picker.unreadable")
            return
        if stat.S_ISDIR(mode):
            self._show(None)
            tree = self.query_one(DocumentTree)
            tree.path = path
            self.set_focus(tree)
        elif not stat.S_ISREG(mode):
            self._show("picker.not_file")
        elif path.suffix.lower() not in ACCEPTED_EXTENSIONS:
            self._show("picker.not_accepted")
        else:
            self.dismiss(path)

    @on(DirectoryTree.FileSelected, "#picker-tree")
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_focus_tree(self) -> None:
        self.set_focus(self.query_one(DocumentTree))

    def _show(self, key: str | None) -> None:
        self._message = key
        self._render_message()

    def _render_message(self) -> None:
        text = t(self._message, self._lang) if self._message else ""
        self.query_one("#picker-message", Label).update(rtext(text, self._lang))

    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        localize_bindings(self, lang)
        for selector, key in (
            ("#picker-title", "picker.title"),
            ("#picker-path-label", "picker.path"),
            ("#picker-hint", "picker.hint"),
        ):
            self.query_one(selector, Label).update(rtext(t(key, lang), lang))
        self.query_one("#picker-path", BidiInput).placeholder = t("picker.placeholder", lang)
        self._render_message()
