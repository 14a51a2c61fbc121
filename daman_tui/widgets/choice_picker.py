"""The list a :class:`~daman_tui.widgets.choice_field.ChoiceField` opens to pick a value.

A modal box beside the field: a :class:`~daman_tui.widgets.BidiInput` filter over a list
of the matching options, drawn through the display pipeline. Filtering folds the
spellings clerks use interchangeably (alef forms, ى/ي, ة/ه, harakat), so "ابها" finds
"أبها"; options where the typed text starts a word (or the word after its article ال)
come first, so "ر" puts الرياض before الشرقية, otherwise the caller's order is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from daman_tui.domain.arabic import normalize_for_search
from daman_tui.text.catalog import t
from daman_tui.text.display import clip, rtext
from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["MAX_ROWS", "ChoicePicker", "filter_options"]

MAX_ROWS = 10
"""Most options the list shows at once; more scroll."""

_ARTICLE = "ال"
_MIN_WIDTH = 24
# The box's tall border (one cell a side) and its padding (one cell a side).
_FRAME = 4
# The filter line and the rule under it.
_FILTER_ROWS = 2


def filter_options(options: Sequence[tuple[str, str]], query: str) -> list[int]:
    """Indexes of the ``(value, label)`` options matching ``query``, best first.

    A match is the folded query inside the folded label or value. Options where it starts
    a word come before options where it is only inside one; each group keeps the given
    order. An empty query matches everything, in order.
    """
    folded = normalize_for_search(query)
    if not folded:
        return list(range(len(options)))
    starting: list[int] = []
    inside: list[int] = []
    for index, (value, label) in enumerate(options):
        texts = (normalize_for_search(label), normalize_for_search(value))
        if any(_starts_a_word(text, folded) for text in texts):
            starting.append(index)
        elif any(folded in text for text in texts):
            inside.append(index)
    return starting + inside


def _starts_a_word(text: str, query: str) -> bool:
    """Whether ``query`` begins a word of ``text``, or the word after its article."""
    starts = [0, *(i + 1 for i, char in enumerate(text) if char == " ")]
    return any(
        text.startswith(query, at)
        or (text.startswith(_ARTICLE, at) and text.startswith(query, at + len(_ARTICLE)))
        for at in starts
    )


class _Filter(BidiInput):
    """The picker's filter. Enter picks at once, in the order the keys came: a Submitted
    message would be handled after keys already queued behind it (Tab, the next
    answer), and those would land in the list that is closing."""

    def action_submit(self) -> None:
        screen = self.screen
        if isinstance(screen, ChoicePicker):
            screen.pick_highlighted()

    def _pass_on(self, event: events.Key) -> bool:
        screen = self.screen
        if isinstance(screen, ChoicePicker) and screen.answered:
            # Typed after the pick, before the list had gone: the form's keys, kept for
            # the field to replay once the form has taken the pick.
            screen.late_keys.append(events.Key(event.key, event.character))
            return True
        return super()._pass_on(event)


class ChoicePicker(ModalScreen[str | None]):
    """Type to narrow, Up/Down to move, Enter to pick, Escape (or a click outside) to cancel.

    Dismissed with the value picked, or ``None`` when cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False, id="choice_picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="choice_picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="choice_picker.up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="choice_picker.page_down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="choice_picker.page_up"),
    ]

    DEFAULT_CSS = """
    ChoicePicker {
        align: left top;
        background: $background 40%;
    }
    ChoicePicker > #choice-box {
        height: auto;
        padding: 0 1;
        background: $surface;
        border: tall $primary;
    }
    ChoicePicker #choice-filter, ChoicePicker #choice-filter:focus {
        height: 2;
        padding: 0;
        border: none;
        border-bottom: solid $border-blurred;
    }
    ChoicePicker #choice-options {
        scrollbar-size-vertical: 1;
        & > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    ChoicePicker.-rtl #choice-options {
        text-align: right;
    }
    """

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        value: str = "",
        *,
        query: str = "",
        lang: str = "ar",
        anchor: Region | None = None,
    ) -> None:
        """A picker over ``options``, ``(value, label)`` pairs with labels in logical order.

        Args:
            options: What may be picked, in the order to show them.
            value: The current value, highlighted while the filter is empty.
            query: Text already typed into the filter (the key that opened the picker).
            lang: The interface language: "ar" lays the box out right to left.
            anchor: The screen region of the field: the box opens under it (above when
                there is no room), on its right edge in Arabic; centred without one.
        """
        super().__init__(classes="-rtl" if lang == "ar" else None)
        self._answered = False
        self._options = tuple(options)
        self._value = value
        self._query = query
        self._lang = lang
        self._anchor = anchor
        self._shown: list[int] = []
        self._filled: str | None = None  # the query the list shows
        self._label_width = _MIN_WIDTH  # cells a label may take; set by _place
        # Keys typed for the field before the filter could take them, replayed in order.
        self._early_keys: list[events.Key] | None = []
        self.late_keys: list[events.Key] = []
        """Keys typed after the pick that were still queued for the filter."""

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield _Filter(
                self._query,
                placeholder=t("choice.filter_placeholder", self._lang),
                select_on_focus=False,  # a letter typed next must add to the first one
                id="choice-filter",
            )
            options = OptionList(id="choice-options", markup=False, compact=True)
            # The filter keeps the focus, so typing always narrows the list.
            options.can_focus = False
            yield options

    def on_mount(self) -> None:
        self._place()
        self._fill(self._query)
        field = self.query_one("#choice-filter", BidiInput)
        self.set_focus(field)
        early, self._early_keys = self._early_keys or [], None
        for key in early:
            field.post_message(events.Key(key.key, key.character))

    @property
    def answered(self) -> bool:
        """Picked or cancelled: the list is going."""
        return self._answered

    def take_key(self, key: str, character: str | None) -> None:
        """Handle a key that was typed for the field after it opened this picker."""
        if self._early_keys is not None:
            self._early_keys.append(events.Key(key, character))
        else:
            target = self.focused or self.query_one("#choice-filter", BidiInput)
            target.post_message(events.Key(key, character))

    def on_key(self, event: events.Key) -> None:
        # Keys the app forwards while nothing here has the focus yet come to the screen;
        # the filter takes every printable key, so one seen here was never typed into it.
        if self._early_keys is not None or event.is_printable:
            event.stop()
            event.prevent_default()
            self.take_key(event.key, event.character)

    def on_click(self, event: events.Click) -> None:
        # Clicks inside the box (on an option, on the filter) bubble here too.
        box = self.query_one("#choice-box", Vertical).region
        if not box.contains(event.screen_x, event.screen_y):
            self._close(None)

    @on(BidiInput.Changed, "#choice-filter")
    def _typed(self, event: BidiInput.Changed) -> None:
        if not self._answered and event.value != self._filled:
            self._fill(event.value)

    def pick_highlighted(self) -> None:
        """Enter: the highlighted option, or a bell when nothing matches."""
        query = self.query_one("#choice-filter", BidiInput).value
        if query != self._filled:
            # Enter comes straight from the filter; the Changed messages of the letters
            # typed before it may still be queued: the list must be for all of them.
            self._fill(query)
        highlighted = self.query_one("#choice-options", OptionList).highlighted
        if highlighted is None or not self._shown:
            self.app.bell()
        else:
            self._pick(highlighted)

    @on(OptionList.OptionSelected, "#choice-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if self._shown:
            self._pick(event.option_index)

    def action_move(self, step: int) -> None:
        """Move the highlight ``step`` options down (up when negative), within the list."""
        options = self.query_one("#choice-options", OptionList)
        if self._shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self._shown) - 1, current + step))

    def action_cancel(self) -> None:
        """Close without picking: the field keeps its value."""
        self._close(None)

    def _pick(self, row: int) -> None:
        self._close(self._options[self._shown[row]][0])

    def _close(self, value: str | None) -> None:
        # Once only: a second Enter typed before the list has gone would dismiss the
        # screen underneath (dismiss pops whatever screen is on top).
        if self._answered:
            return
        self._answered = True
        # The screen stack changes at once: keys still queued for the filter follow the
        # focus back to the form (FieldBase._pass_on).
        self.dismiss(value)

    def _fill(self, query: str) -> None:
        """Show the options matching ``query``: the current value highlighted, else the best."""
        self._filled = query
        self._shown = filter_options(self._options, query)
        options = self.query_one("#choice-options", OptionList)
        width = self._label_width
        if self._shown:
            options.set_options(
                Option(rtext(clip(self._options[i][1], width), self._lang)) for i in self._shown
            )
            values = [self._options[i][0] for i in self._shown]
            typed = bool(normalize_for_search(query))
            options.highlighted = (
                values.index(self._value) if not typed and self._value in values else 0
            )
        else:
            empty = rtext(clip(t("choice.no_matches", self._lang), width), self._lang)
            options.set_options([Option(empty, disabled=True)])
            options.highlighted = None

    def _place(self) -> None:
        """Size the box and put it under its field, else above it, else where most fits.

        As wide as the field or the longest label; as many rows as options, up to
        ``MAX_ROWS`` and what the screen has room for.
        """
        screen_width, screen_height = self.app.size
        widest = max((cell_len(label) for _value, label in self._options), default=0)
        width = max(widest + _FRAME + 1, _MIN_WIDTH)
        if self._anchor is not None:
            width = max(width, self._anchor.width)
        width = min(width, screen_width)
        frame = 2 + _FILTER_ROWS
        rows = max(1, min(len(self._options), MAX_ROWS))
        anchor = self._anchor
        if anchor is None:
            rows = max(1, min(rows, screen_height - frame))
            x, y = (screen_width - width) // 2, (screen_height - rows - frame) // 2
        else:
            x = anchor.right - width if self._lang == "ar" else anchor.x
            below, above = screen_height - anchor.bottom, anchor.y
            if rows + frame > below and (rows + frame <= above or above > below):
                rows = max(1, min(rows, above - frame))
                y = anchor.y - rows - frame
            else:
                rows = max(1, min(rows, below - frame))
                y = anchor.bottom
        # A fixed height: the box does not jump about while the list narrows.
        self.query_one("#choice-options", OptionList).styles.height = rows
        box = self.query_one("#choice-box", Vertical)
        box.styles.width = width
        box.styles.offset = (
            max(0, min(x, screen_width - width)),
            max(0, min(y, screen_height - rows - frame)),
        )
        scrollbar = 1 if len(self._options) > rows else 0
        self._label_width = max(1, width - _FRAME - scrollbar)
