"""Our command palette: the commands of the current user, found by typing in either language.

Textual's own palette has a plain ``Input`` (Arabic unjoined, in logical order); this one
types into a :class:`~daman_tui.widgets.BidiInput` and draws its entries through the
display pipeline. Arabic is matched after search normalisation (alef forms, ya, ta
marbuta, harakat), Latin with Textual's fuzzy matcher.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from daman_tui.domain.arabic import normalize_for_search
from daman_tui.text.catalog import other_lang, t
from daman_tui.text.display import rtext
from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["PaletteCommand", "PaletteScreen", "rank_commands"]


@dataclass(frozen=True)
class PaletteCommand:
    """An entry: its label's catalogue key (or, for an entry found from what was typed,
    its ``label`` as is) and what it runs."""

    key: str
    run: Callable[[], Awaitable[None] | None]
    label: str | None = None

    def text(self, lang: str) -> str:
        return self.label if self.label is not None else t(self.key, lang)


Finder = Callable[[str], list[PaletteCommand]]
"""Entries made from what was typed (a case by its request number or ID)."""


def rank_commands(commands: list[PaletteCommand], query: str, lang: str) -> list[PaletteCommand]:
    """The commands matching ``query`` (in either language), best first; all when empty."""
    query = query.strip()
    if not query:
        return list(commands)
    folded = normalize_for_search(query)
    matcher = Matcher(query)
    scored: list[tuple[float, int, PaletteCommand]] = []
    for index, command in enumerate(commands):
        labels = (t(command.key, lang), t(command.key, other_lang(lang)))
        # A plain substring of the folded label beats any fuzzy score (at most 1).
        substring = any(folded in normalize_for_search(label) for label in labels)
        score = 2.0 if substring else max(matcher.match(label) for label in labels)
        if score > 0:
            scored.append((-score, index, command))
    return [command for _score, _index, command in sorted(scored)]


class PaletteScreen(ModalScreen[None]):
    """Type to filter, arrows to choose, Enter to run, Escape to close."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_palette", show=False),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    PaletteScreen {
        align: center top;
        background: $background 60%;
    }
    PaletteScreen > Vertical {
        width: 70;
        height: auto;
        max-height: 20;
        margin-top: 3;
        background: $surface;
        border: tall $primary;
    }
    PaletteScreen OptionList { height: auto; max-height: 14; border: none; }
    """

    def __init__(
        self, commands: list[PaletteCommand], lang: str, finder: Finder | None = None
    ) -> None:
        super().__init__()
        self._commands = commands
        self._lang = lang
        self._finder = finder
        self._shown: list[PaletteCommand] = list(commands)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield BidiInput(placeholder=t("palette.placeholder", self._lang), id="palette-input")
            yield OptionList(id="palette-options")

    def on_mount(self) -> None:
        self._fill("")
        self.set_focus(self.query_one("#palette-input", BidiInput))

    @on(BidiInput.Changed, "#palette-input")
    def _typed(self, event: BidiInput.Changed) -> None:
        self._fill(event.value)

    @on(BidiInput.Submitted, "#palette-input")
    def _submitted(self) -> None:
        options = self.query_one("#palette-options", OptionList)
        if options.highlighted is not None and self._shown:
            self._run(self._shown[options.highlighted])

    @on(OptionList.OptionSelected, "#palette-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._run(self._shown[event.option_index])

    def action_move(self, step: int) -> None:
        options = self.query_one("#palette-options", OptionList)
        if not self._shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._shown) - 1, current + step))

    def action_dismiss_palette(self) -> None:
        self.dismiss(None)

    def _fill(self, query: str) -> None:
        found = self._finder(query) if self._finder and query.strip() else []
        self._shown = found + rank_commands(self._commands, query, self._lang)
        options = self.query_one("#palette-options", OptionList)
        options.clear_options()
        options.add_options([Option(rtext(c.text(self._lang), self._lang)) for c in self._shown])
        if self._shown:
            options.highlighted = 0

    def _run(self, command: PaletteCommand) -> None:
        self.dismiss(None)
        # After the palette is gone, so a command that pushes a screen pushes it on top.
        self.app.call_later(command.run)
