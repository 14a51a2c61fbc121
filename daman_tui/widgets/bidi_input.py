"""The one-line text field every form uses: Arabic drawn joined and from the right.

Textual's ``Input`` draws its value as stored: Arabic letters unjoined, in logical order
from the left, and its cursor vanishes on a haraka (a cell of width 0). ``BidiInput``
keeps the same *logical* value and caret but draws the *visual* line of
:func:`~daman_tui.text.layout.layout_line`: shaped, reordered and mirrored, right-aligned
in a right-to-left field. The caret only ever rests on the layout's caret stops, so it is
never inside a lam-alef ligature nor between a letter and its harakat, and the arrow keys
move it the way they point on screen. Nothing visual leaves the widget: ``value``, the
messages and the clipboard all carry the logical text.

Keys are handled in the widget's own message queue, in the order they were typed, as
:class:`~daman_tui.widgets.field_base.FieldBase` explains.
"""

from __future__ import annotations

import re
import unicodedata
from typing import ClassVar, Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets.input import Selection

from daman_tui.domain.arabic import INVISIBLE_CHARS, find_invisible
from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.text.caret import (
    CaretGeometry,
    CaretLine,
    DrawnCell,
    build_geometry,
    is_mark,
    logical_line,
)
from daman_tui.text.catalog import t
from daman_tui.text.display import current_mode
from daman_tui.text.layout import layout_line
from daman_tui.widgets.field_base import FieldBase, focus_bindings

__all__ = ["BULLET", "BidiInput", "Direction"]

Direction = Literal["auto", "rtl", "ltr"]
"""A field's paragraph direction; ``auto`` follows the first strong character typed."""

BULLET = "•"
"""What a password field draws for each character."""

_DIRECTIONS: tuple[Direction, ...] = ("auto", "rtl", "ltr")
_ASCII_DIGITS = frozenset("0123456789")
# Line and paragraph breaks (and tabs) in pasted text: a one-line field takes spaces.
_BREAKS = re.compile("\r\n|[\r\n\t\v\f\x1c-\x1e\x85\u2028\u2029]")


class BidiInput(FieldBase, can_focus=True):
    """A one-line text field for Arabic and Latin text, numbers and passwords.

    The value is logical text; the field draws it the way it reads. See the module
    docstring for the why; the keys are listed in ``BINDINGS`` (printable keys insert at
    the caret, replacing a selection).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "cursor_left", "Caret left", show=False, id="bidi_input.left"),
        Binding(
            "shift+left",
            "cursor_left(True)",
            "Select left",
            show=False,
            id="bidi_input.select_left",
        ),
        Binding("right", "cursor_right", "Caret right", show=False, id="bidi_input.right"),
        Binding(
            "shift+right",
            "cursor_right(True)",
            "Select right",
            show=False,
            id="bidi_input.select_right",
        ),
        Binding("home", "home", "Start", show=False, id="bidi_input.home"),
        Binding(
            "shift+home",
            "home(True)",
            "Select to start",
            show=False,
            id="bidi_input.select_home",
        ),
        Binding("end", "end", "End", show=False, id="bidi_input.end"),
        Binding("shift+end", "end(True)", "Select to end", show=False, id="bidi_input.select_end"),
        Binding("backspace", "delete_left", "Delete before", show=False, id="bidi_input.backspace"),
        Binding("delete", "delete_right", "Delete after", show=False, id="bidi_input.delete"),
        Binding("ctrl+a", "select_all", "Select all", show=False, id="bidi_input.select_all"),
        Binding("ctrl+c", "copy", "Copy", show=False, id="bidi_input.copy"),
        Binding("ctrl+x", "cut", "Cut", show=False, id="bidi_input.cut"),
        Binding("ctrl+v", "paste", "Paste", show=False, id="bidi_input.paste"),
        Binding("enter", "submit", "Submit", show=False, id="bidi_input.submit"),
        *focus_bindings("bidi_input"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bidi-input--cursor",
        "bidi-input--selection",
        "bidi-input--placeholder",
    }

    DEFAULT_CSS = """
    BidiInput {
        pointer: text;

        & > .bidi-input--cursor {
            text-style: reverse;
        }
        & > .bidi-input--selection {
            background: $input-selection-background;
        }
        & > .bidi-input--placeholder {
            color: $text-disabled;
        }
        &:ansi {
            & > .bidi-input--placeholder {
                text-style: dim;
                color: ansi_default;
            }
        }
    }
    """

    value: reactive[str] = reactive("", init=False)
    """The text as stored and as every message carries it: logical order, never shaped."""

    selection: reactive[Selection] = reactive(Selection(0, 0), init=False)
    """Anchor (``start``) and caret (``end``), logical positions on caret stops."""

    placeholder: reactive[str] = reactive("")
    """Drawn dimmed, in the field's direction, while the value is empty."""

    password: reactive[bool] = reactive(False)
    """Draw one bullet per character, never the text."""

    direction: reactive[Direction] = reactive[Direction]("auto")
    """``rtl``, ``ltr``, or ``auto``: the first strong character, else the app language."""

    class Changed(Message):
        """The value changed: typed, pasted, deleted or set by the program."""

        def __init__(self, bidi_input: BidiInput, value: str) -> None:
            super().__init__()
            self.bidi_input = bidi_input
            self.value = value
            """The new value, logical."""

        @property
        def control(self) -> BidiInput:
            """The field that changed."""
            return self.bidi_input

    class Submitted(Message):
        """Enter was pressed in the field."""

        def __init__(self, bidi_input: BidiInput, value: str) -> None:
            super().__init__()
            self.bidi_input = bidi_input
            self.value = value
            """The value submitted, logical."""

        @property
        def control(self) -> BidiInput:
            """The field submitted."""
            return self.bidi_input

    class Rejected(Message):
        """Typed or pasted text was refused, or cleaned of characters the field refuses.

        ``reason`` is a catalogue key; :meth:`message` gives the text a screen shows.
        """

        def __init__(
            self, bidi_input: BidiInput, value: str, reason: str, refused: str, **params: object
        ) -> None:
            super().__init__()
            self.bidi_input = bidi_input
            self.value = value
            """The value after the refusal (unchanged, or with the clean part inserted)."""
            self.reason = reason
            """Catalogue key of the reason, e.g. ``input.rejected_invisible``."""
            self.refused = refused
            """The characters refused or removed."""
            self.params = params
            """The facts the message is built from."""

        @property
        def control(self) -> BidiInput:
            """The field that refused the text."""
            return self.bidi_input

        def message(self, lang: str) -> str:
            """Why, in ``lang`` ("ar" or "en")."""
            return t(self.reason, lang, **self.params)

    def __init__(
        self,
        value: str = "",
        *,
        placeholder: str = "",
        direction: Direction = "auto",
        numeric: bool = False,
        restrict: str | None = None,
        max_length: int = 0,
        password: bool = False,
        select_on_focus: bool = True,
        advance_on_submit: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """A field holding ``value`` (logical text; line breaks and invisible controls dropped).

        Args:
            value: The initial text, logical. No ``Changed`` is posted for it.
            placeholder: Dimmed text shown while the field is empty.
            direction: ``rtl`` right-aligns and lays the text out right to left; ``ltr``
                keeps IBANs, e-mail addresses and user names left to right even when they
                hold Arabic; ``auto`` follows the first strong character, else the app's
                language (its ``lang`` attribute; Arabic if it has none).
            numeric: Digits only: Arabic-Indic and Eastern digits become ASCII as typed,
                anything else is refused.
            restrict: A regular expression the whole value must match (``re.fullmatch``).
            max_length: Most characters (code points) the value may hold; 0 for no limit.
            password: Draw bullets instead of the text; copying is refused.
            select_on_focus: Select all the text when the field gains focus.
            advance_on_submit: Enter also moves the focus to the next field at once, so
                keys typed right after Enter land there.
            name: The widget's name.
            id: The widget's id.
            classes: Space-separated CSS classes.
            disabled: Whether the field starts disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if direction not in _DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}; expected one of {_DIRECTIONS}")
        self.numeric = numeric
        self.restrict = restrict
        self.max_length = max_length
        self.select_on_focus = select_on_focus
        self.advance_on_submit = advance_on_submit
        self._cache: tuple[tuple[str, bool, str], CaretGeometry] | None = None
        self._view_left = 0
        self._selecting = False
        clean = _sanitize(value)
        self.set_reactive(BidiInput.value, clean)
        self.set_reactive(BidiInput.selection, Selection.cursor(len(clean)))
        self.set_reactive(BidiInput.placeholder, placeholder)
        self.set_reactive(BidiInput.password, password)
        self.set_reactive(BidiInput.direction, direction)

    @property
    def cursor_position(self) -> int:
        """The caret, a logical position: the end of the selection."""
        return self.selection.end

    @cursor_position.setter
    def cursor_position(self, position: int) -> None:
        self.selection = Selection.cursor(position)

    @property
    def selected_text(self) -> str:
        """The selected part of the value, logical."""
        start, end = sorted(self.selection)
        return self.value[start:end]

    @property
    def is_rtl(self) -> bool:
        """Whether the field is laid out right to left (and right-aligned) now."""
        if self.direction != "auto":
            return self.direction == "rtl"
        if not self.password:  # a password's letters must not show through its alignment
            strong = _first_strong_rtl(self.value)
            if strong is not None:
                return strong
        return self._app_lang() == "ar"

    def clear(self) -> None:
        """Empty the field."""
        self.value = ""

    def render_line(self, y: int) -> Strip:
        """The field's one line: the visual text, aligned, scrolled to show the caret."""
        width = self.size.width
        base = self.rich_style
        if y != 0 or width <= 0:
            return Strip.blank(width, base)
        caret_style = self.get_component_rich_style("bidi-input--cursor")
        focused = self.has_focus
        if not self.value and self.placeholder:
            rtl = self.is_rtl
            # The words in their own direction and aligned to it: an Arabic hint in a
            # left-to-right field (an ID, a path) still reads right to left, "Enter" at
            # its end on the left; the caret stays where typing will start.
            own = _first_strong_rtl(self.placeholder)
            words_rtl = rtl if own is None else own
            shown = build_geometry(self._lay_out(self.placeholder, words_rtl), words_rtl)
            view = shown.hi - width if words_rtl else shown.lo
            segments = _draw(
                shown.cells,
                view,
                width,
                self.get_component_rich_style("bidi-input--placeholder"),
                base,
                selected=(0, 0),
                selection_style=base,
                caret_col=(width - 1 if rtl else 0) if focused else None,
                caret_style=caret_style,
            )
            return Strip(segments, width).apply_style(base)
        geometry = self._geometry()
        view = self._follow_caret(geometry, width)
        start, end = sorted(self.selection)
        segments = _draw(
            geometry.cells,
            view,
            width,
            base,
            base,
            selected=(start, end) if focused else (0, 0),
            selection_style=self.get_component_rich_style("bidi-input--selection"),
            caret_col=geometry.cell_of(self.cursor_position) - view if focused else None,
            caret_style=caret_style,
        )
        return Strip(segments, width).apply_style(base)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        geometry = self._geometry()
        return max(geometry.hi - geometry.lo, cell_len(self.placeholder))

    # Reactive validators and watchers.

    def validate_value(self, value: str) -> str:
        return _sanitize(value)

    def watch_value(self, value: str) -> None:
        self.selection = self.selection  # clamped and snapped to the new text
        self.post_message(self.Changed(self, value))

    def validate_selection(self, selection: Selection) -> Selection:
        length = len(self.value)
        start = min(max(selection.start, 0), length)
        end = min(max(selection.end, 0), length)
        geometry = self._geometry()
        return Selection(geometry.snap(start), geometry.snap(end))

    def validate_direction(self, direction: Direction) -> Direction:
        if direction not in _DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}; expected one of {_DIRECTIONS}")
        return direction

    def watch_password(self) -> None:
        self.selection = self.selection  # bullets have other caret stops than the text

    # Event handlers.

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self._insert_pasted(event.text)

    def _on_focus(self, event: events.Focus) -> None:
        if self.select_on_focus and not event.from_app_focus:
            self.selection = Selection(0, len(self.value))
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    async def _on_mouse_down(self, event: events.MouseDown) -> None:
        position = self._position_at(event.get_content_offset_capture(self).x)
        anchor = self.selection.start if event.shift else position
        self.selection = Selection(anchor, position)
        self._selecting = True
        self.capture_mouse()

    async def _on_mouse_move(self, event: events.MouseMove) -> None:
        if self._selecting:
            position = self._position_at(event.get_content_offset_capture(self).x)
            self.selection = Selection(self.selection.start, position)

    async def _on_mouse_up(self, event: events.MouseUp) -> None:
        self._end_selecting()

    async def _on_mouse_release(self, event: events.MouseRelease) -> None:
        self._end_selecting()

    # Actions.

    def action_cursor_left(self, select: bool = False) -> None:
        """Move the caret one stop to the left on screen (extend the selection if asked)."""
        self._move(-1, select)

    def action_cursor_right(self, select: bool = False) -> None:
        """Move the caret one stop to the right on screen (extend the selection if asked)."""
        self._move(1, select)

    def action_home(self, select: bool = False) -> None:
        """Move the caret to the logical start of the text."""
        self._move_to(0, select)

    def action_end(self, select: bool = False) -> None:
        """Move the caret to the logical end of the text."""
        self._move_to(len(self.value), select)

    def action_select_all(self) -> None:
        """Select the whole text."""
        self.selection = Selection(0, len(self.value))

    def action_delete_left(self) -> None:
        """Delete the selection, else the character before the caret.

        One code point, as Arabic keyboards do: after "مُ" Backspace takes the damma and
        leaves the mim; after "لا" it takes the alef and leaves the lam.
        """
        start, end = sorted(self.selection)
        if start != end:
            self._replace("", start, end)
        elif end > 0:
            self._replace("", end - 1, end)

    def action_delete_right(self) -> None:
        """Delete the selection, else the character after the caret with its harakat."""
        start, end = sorted(self.selection)
        if start != end:
            self._replace("", start, end)
        elif end < len(self.value):
            after = end + 1
            while after < len(self.value) and is_mark(self.value[after]):
                after += 1
            self._replace("", end, after)

    def action_submit(self) -> None:
        """Post ``Submitted``; with ``advance_on_submit``, move to the next field at once."""
        self.post_message(self.Submitted(self, self.value))
        if self.advance_on_submit:
            self.screen.focus_next()

    def action_copy(self) -> None:
        """Copy the selected text (logical) to the clipboard; never a password."""
        if self.password:
            self.app.bell()
        elif self.selected_text:
            self.app.copy_to_clipboard(self.selected_text)

    def action_cut(self) -> None:
        """Copy the selected text to the clipboard and delete it; never a password."""
        if self.password:
            self.app.bell()
        elif self.selected_text:
            self.app.copy_to_clipboard(self.selected_text)
            self._replace("", *sorted(self.selection))

    def action_paste(self) -> None:
        """Insert the app's clipboard at the caret, cleaned like any paste."""
        self._insert_pasted(self.app.clipboard)

    # Helpers.

    def _takes_text(self, character: str) -> bool:
        """Printable characters, and invisible controls too: taken to be refused, with a reason."""
        return character.isprintable() or all(char in INVISIBLE_CHARS for char in character)

    def _type(self, character: str) -> None:
        """Insert a typed character at the caret, replacing the selection."""
        if find_invisible(character) is not None:
            self._reject("input.rejected_invisible", character, codepoints=_codepoints(character))
            return
        if self.numeric:
            character = to_ascii_digits(character)
            if not set(character) <= _ASCII_DIGITS:
                self._reject("input.rejected_digits", character)
                return
        self._replace(character, *sorted(self.selection))

    def _insert_pasted(self, text: str) -> None:
        """Insert pasted text: one line, without invisible controls, digits if numeric."""
        text = _BREAKS.sub(" ", text)
        refused = "".join(char for char in text if find_invisible(char) is not None)
        if refused:
            text = "".join(char for char in text if find_invisible(char) is None)
            self._reject("input.rejected_invisible", refused, codepoints=_codepoints(refused))
        if self.numeric:
            text = strip_spaces(to_ascii_digits(text))  # grouping spaces go
            not_digits = "".join(char for char in text if char not in _ASCII_DIGITS)
            if not_digits:
                self._reject("input.rejected_digits", not_digits)
                return
        if text:
            self._replace(text, *sorted(self.selection))

    def _replace(self, text: str, start: int, end: int) -> None:
        """Replace ``value[start:end]`` by ``text`` (already clean); the caret goes after it.

        A caret that would fall inside a lam-alef or before a mark moves to the next stop.
        """
        new = self.value[:start] + text + self.value[end:]
        if self.max_length and len(new) > self.max_length and len(new) > len(self.value):
            self._reject("input.rejected_too_long", text, max_length=self.max_length)
            return
        if self.restrict is not None and re.fullmatch(self.restrict, new) is None:
            self._reject("input.rejected_restricted", text)
            return
        self.value = new
        self.selection = Selection.cursor(start + len(text))

    def _reject(self, reason: str, refused: str, **params: object) -> None:
        self.app.bell()
        self.post_message(self.Rejected(self, self.value, reason, refused, **params))

    def _move(self, step: int, select: bool) -> None:
        """Move the caret one stop left (``step`` -1) or right (+1) on screen."""
        geometry = self._geometry()
        anchor, caret = self.selection
        if not select and anchor != caret:
            # Collapse the selection to its edge on the side the arrow points to.
            toward_anchor = (geometry.order[anchor] - geometry.order[caret]) * step > 0
            self.selection = Selection.cursor(anchor if toward_anchor else caret)
            return
        target = geometry.neighbour(caret, step)
        if target is not None:
            self.selection = Selection(anchor, target) if select else Selection.cursor(target)

    def _move_to(self, position: int, select: bool) -> None:
        anchor = self.selection.start
        self.selection = Selection(anchor, position) if select else Selection.cursor(position)

    def _position_at(self, content_x: int) -> int:
        """The caret stop for a click at column ``content_x`` of the content area."""
        if not self.value:
            return 0
        geometry = self._geometry()
        view = self._follow_caret(geometry, self.size.width)
        return geometry.position_at(view + content_x)

    def _end_selecting(self) -> None:
        if self._selecting:
            self._selecting = False
            self.release_mouse()

    def _geometry(self) -> CaretGeometry:
        """The layout of the value as drawn now (bullets for a password), cached."""
        shown = BULLET * len(self.value) if self.password else self.value
        key = (shown, self.is_rtl, current_mode())
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, build_geometry(self._lay_out(shown, key[1]), key[1]))
        return self._cache[1]

    @staticmethod
    def _lay_out(text: str, rtl: bool) -> CaretLine:
        if current_mode() == "app":
            return layout_line(text, "R" if rtl else "L")
        return logical_line(text)

    def _follow_caret(self, geometry: CaretGeometry, width: int) -> int:
        """The line column drawn at the content's left edge, keeping the caret in view.

        A line that fits is aligned (right edge to the right for right-to-left); a longer
        one scrolls as little as needed to show the caret.
        """
        if geometry.hi - geometry.lo <= width:
            view = geometry.hi - width if geometry.rtl else geometry.lo
        else:
            view = min(max(self._view_left, geometry.lo), geometry.hi - width)
            caret = geometry.cell_of(self.cursor_position)
            if caret < view:
                view = caret
            elif caret >= view + width:
                view = caret - width + 1
        self._view_left = view
        return view


def _draw(
    cells: tuple[DrawnCell, ...],
    view: int,
    width: int,
    text_style: Style,
    base: Style,
    *,
    selected: tuple[int, int],
    selection_style: Style,
    caret_col: int | None,
    caret_style: Style,
) -> list[Segment]:
    """Segments for ``width`` columns of a line, from line column ``view`` on.

    A cell is drawn whole or not at all, so a haraka is never cut from its letter; a wide
    character cut by an edge becomes blank. Selected cells (by logical index) take
    ``selection_style``; the caret column is drawn in ``caret_style``, on the letter it
    falls on (never on a mark, which has no cell of its own).
    """
    texts = [" "] * width
    styles = [base] * width
    start, end = selected
    for cell in cells:
        left = cell.x - view
        if left + cell.width <= 0 or left >= width:
            continue
        style = selection_style if start <= cell.logical < end else text_style
        if left < 0 or left + cell.width > width:
            for col in range(max(left, 0), min(left + cell.width, width)):
                styles[col] = style
            continue
        texts[left] = cell.text
        styles[left] = style
        for col in range(left + 1, left + cell.width):
            texts[col] = ""  # covered by the wide character
            styles[col] = style
    if caret_col is not None and 0 <= caret_col < width:
        while caret_col > 0 and texts[caret_col] == "":
            caret_col -= 1
        styles[caret_col] = styles[caret_col] + caret_style
    segments: list[Segment] = []
    for text, style in zip(texts, styles, strict=True):
        if segments and segments[-1].style == style:
            segments[-1] = Segment(segments[-1].text + text, style)
        else:
            segments.append(Segment(text, style))
    return segments


def _sanitize(value: str) -> str:
    """A value set by the program, made one clean line: breaks become spaces."""
    value = _BREAKS.sub(" ", value)
    if find_invisible(value) is None:
        return value
    return "".join(char for char in value if find_invisible(char) is None)


def _first_strong_rtl(text: str) -> bool | None:
    """Whether the first strong character of ``text`` is right-to-left; None if none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return None


def _codepoints(text: str) -> str:
    """``U+202E, U+200F``: each distinct character of ``text``, in order."""
    return ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(text))
