"""Text of several lines (a reason, a justification), each line a :class:`BidiInput`.

Textual's ``TextArea`` draws Arabic unjoined and in logical order, like its ``Input``. Here
every line is our own one-line field, so each reads joined and from the right, with the
caret rules of :class:`BidiInput`; the lines are kept together as one value joined by
line breaks. Enter breaks the line at the caret, Backspace at a line's start joins it to
the line above (Delete at its end, the line below to it), Up and Down move between the
lines, a paste keeps its line breaks, and Tab leaves the text for the next field.
"""

from __future__ import annotations

import re
from typing import ClassVar, Self

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["LinesInput", "TextLine"]

_LINE_BREAKS = re.compile("\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


class TextLine(BidiInput):
    """One line of a :class:`LinesInput`; its editor does what crosses a line's edge."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "break_line", "New line", show=False, id="lines_input.break"),
        Binding("backspace", "backspace", "Delete before", show=False, id="lines_input.back"),
        Binding("delete", "delete", "Delete after", show=False, id="lines_input.delete"),
        Binding("up", "line(-1)", "Line above", show=False, id="lines_input.up"),
        Binding("down", "line(1)", "Line below", show=False, id="lines_input.down"),
        Binding("tab", "leave(1)", "Next field", show=False, id="lines_input.next"),
        Binding("shift+tab", "leave(-1)", "Previous field", show=False, id="lines_input.previous"),
    ]

    @property
    def editor(self) -> LinesInput:
        """The text this line is part of."""
        parent = self.parent
        assert isinstance(parent, LinesInput)
        return parent

    async def action_break_line(self) -> None:
        """Enter: the text after the caret starts a new line below."""
        await self.editor.break_line(self)

    def action_backspace(self) -> None:
        """Backspace: at the start of a line (nothing selected), join it to the one above."""
        if self.selection.start == self.selection.end == 0 and self.editor.join_up(self):
            return
        self.action_delete_left()

    def action_delete(self) -> None:
        """Delete: at the end of a line (nothing selected), join the one below to it."""
        end = len(self.value)
        if self.selection.start == self.selection.end == end and self.editor.join_down(self):
            return
        self.action_delete_right()

    def action_line(self, step: int) -> None:
        """Up or Down: the caret to the line above or below, at the same logical place."""
        self.editor.move(self, step)

    def action_leave(self, step: int) -> None:
        """Tab or Shift+Tab: the field after or before the whole text."""
        self.editor.leave(step)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        # Next in this line's own queue: keys typed after the paste wait for its lines.
        self.call_next(self.editor.paste, self, event.text)


class LinesInput(VerticalScroll, can_focus=False):
    """Free text over several lines; ``value`` is the lines joined by ``\\n``."""

    DEFAULT_CSS = """
    LinesInput {
        height: 7;
        border: tall $border-blurred;
        background: $surface;
        &:focus-within { border: tall $border; }
        & > TextLine {
            border: none;
            height: 1;
            padding: 0 1;
            &:focus { border: none; }
        }
    }
    """

    def __init__(
        self,
        value: str = "",
        *,
        max_length: int = 0,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``max_length``: the most characters of one line (0: no limit); the whole text
        is measured by whoever takes it (a service)."""
        super().__init__(id=id, classes=classes)
        self.max_length = max_length
        self._placeholder = placeholder
        self._lines = [self._line(text) for text in _LINE_BREAKS.split(value)]
        self._show_placeholder()

    def compose(self) -> ComposeResult:
        yield from self._lines

    @property
    def value(self) -> str:
        """The text, its lines joined by line breaks (logical order, as typed)."""
        return "\n".join(line.value for line in self._lines)

    @property
    def lines(self) -> tuple[TextLine, ...]:
        """The line fields, top to bottom."""
        return tuple(self._lines)

    @property
    def placeholder(self) -> str:
        """Shown dimmed in the first line while the whole text is empty."""
        return self._placeholder

    @placeholder.setter
    def placeholder(self, text: str) -> None:
        self._placeholder = text
        self._show_placeholder()

    def focus(self, scroll_visible: bool = True) -> Self:
        """Focus the last line, the caret at its end (where typing goes on)."""
        last = self._lines[-1]
        last.cursor_position = len(last.value)
        last.focus(scroll_visible)
        return self

    # ---- what the lines ask for ----------------------------------------------------
    async def break_line(self, line: TextLine) -> None:
        start, end = sorted(line.selection)
        head, tail = line.value[:start], line.value[end:]
        line.value = head
        new = await self._insert(line, tail)
        new.cursor_position = 0

    def join_up(self, line: TextLine) -> bool:
        index = self._lines.index(line)
        if index == 0:
            return False
        above = self._lines[index - 1]
        joint = len(above.value)
        above.value += line.value
        above.cursor_position = joint
        self._drop(line, above)
        return True

    def join_down(self, line: TextLine) -> bool:
        index = self._lines.index(line)
        if index == len(self._lines) - 1:
            return False
        below = self._lines[index + 1]
        joint = len(line.value)
        line.value += below.value
        line.cursor_position = joint
        self._drop(below, line)
        return True

    def move(self, line: TextLine, step: int) -> None:
        index = self._lines.index(line) + step
        if not 0 <= index < len(self._lines):
            self.app.bell()
            return
        target = self._lines[index]
        target.cursor_position = min(line.cursor_position, len(target.value))
        self.screen.set_focus(target)
        target.scroll_visible()

    def leave(self, step: int) -> None:
        # From the edge line, so the focus chain steps out of the text in one move.
        edge = self._lines[-1] if step > 0 else self._lines[0]
        self.screen.set_focus(edge)
        if step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    async def paste(self, line: TextLine, text: str) -> None:
        """A paste at ``line``'s caret; its line breaks start new lines."""
        pieces = _LINE_BREAKS.split(text)
        if len(pieces) == 1:
            line._insert_pasted(text)
            return
        start, end = sorted(line.selection)
        tail = line.value[end:]
        line.value = line.value[:start]
        line.cursor_position = start
        line._insert_pasted(pieces[0])
        current = line
        for piece in pieces[1:]:
            current = await self._insert(current, "")
            current._insert_pasted(piece)
        joint = len(current.value)
        current.value += tail
        current.cursor_position = joint

    # ---- helpers -------------------------------------------------------------------
    def _line(self, text: str) -> TextLine:
        return TextLine(
            text,
            max_length=self.max_length,
            select_on_focus=False,
            classes="lines-input--line",
        )

    async def _insert(self, after: TextLine, text: str) -> TextLine:
        """A new line below ``after``, focused (keys typed meanwhile follow the focus)."""
        new = self._line(text)
        self._lines.insert(self._lines.index(after) + 1, new)
        self._show_placeholder()
        await self.mount(new, after=after)
        self.screen.set_focus(new)
        new.scroll_visible()
        return new

    def _drop(self, line: TextLine, focus: TextLine) -> None:
        """Remove ``line`` (maybe the one handling this key: its removal is not awaited)."""
        self._lines.remove(line)
        self.screen.set_focus(focus)
        line.remove()
        self._show_placeholder()

    def _show_placeholder(self) -> None:
        # Only while the text is one line: over an empty first line it would read as text.
        self._lines[0].placeholder = self._placeholder if len(self._lines) == 1 else ""
