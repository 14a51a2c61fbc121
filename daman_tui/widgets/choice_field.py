"""A form field that holds one value of a fixed list: gender, region, city, yes/no, ...

It lines up with :class:`~daman_tui.widgets.BidiInput` (same height, border and focus
style) and draws its label through the display pipeline: right-aligned with the "▾" on
the left in Arabic, the other way round in English. Enter, space, F4 or a click open a
:class:`~daman_tui.widgets.choice_picker.ChoicePicker`; a printable key opens it with that
key already in its filter, so a clerk types "ر" and sees الرياض. The arrows step through
the options without opening anything, the way they point on screen.

Keys are handled in the field's own message queue, as
:class:`~daman_tui.widgets.field_base.FieldBase` explains, so in a burst of keys Tab or
Enter take effect before the keys typed after them, and keys that arrive after the picker
opened are typed into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from daman_tui.text.display import clip, current_mode, visual
from daman_tui.widgets.choice_picker import ChoicePicker
from daman_tui.widgets.field_base import FieldBase, focus_bindings

__all__ = ["MARKER", "ChoiceField"]

MARKER = "▾"
"""Drawn at the field's far end (left in Arabic): the field opens a list."""

# The marker and the space between it and the label.
_MARKER_ROOM = 2


class ChoiceField(FieldBase, can_focus=True):
    """One value out of ``(value, label)`` options; ``""`` when nothing is chosen.

    Labels come in the interface language, in logical order; ``value`` is what a form
    stores. See the module docstring for the keys.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space,f4", "open", "Choose", show=False, id="choice_field.open"),
        Binding("left", "step(-1)", "Step left", show=False, id="choice_field.left"),
        Binding("right", "step(1)", "Step right", show=False, id="choice_field.right"),
        Binding("delete,backspace", "clear", "Clear", show=False, id="choice_field.clear"),
        *focus_bindings("choice_field"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-field--marker",
        "choice-field--placeholder",
    }

    DEFAULT_CSS = """
    ChoiceField {
        pointer: pointer;

        & > .choice-field--marker {
            color: $text-muted;
        }
        & > .choice-field--placeholder {
            color: $text-disabled;
        }
        &:ansi {
            & > .choice-field--placeholder {
                text-style: dim;
                color: ansi_default;
            }
        }
    }
    """

    value: reactive[str] = reactive("", init=False)
    """The chosen option's value, or ``""``; setting a value not offered raises ValueError."""

    placeholder: reactive[str] = reactive("")
    """Drawn dimmed, in the label's place, while nothing is chosen."""

    class Changed(Message):
        """The value changed: picked, stepped, cleared, or set by the program.

        Posted for changes made by the program too (``value = ...``, ``set_options``
        dropping a value no longer offered), as Textual's ``Select`` does, so a form
        reacts to every change in one handler; not for the value given to ``__init__``.
        """

        def __init__(self, choice_field: ChoiceField, value: str) -> None:
            super().__init__()
            self.choice_field = choice_field
            self.value = value
            """The new value; ``""`` when cleared."""

        @property
        def control(self) -> ChoiceField:
            """The field that changed."""
            return self.choice_field

    def __init__(
        self,
        options: Sequence[tuple[str, str]] = (),
        value: str = "",
        *,
        placeholder: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """A field offering ``options`` with ``value`` chosen (no ``Changed`` for it).

        Args:
            options: ``(value, label)`` pairs in the order to offer them; values unique.
            value: The value chosen at start, ``""`` for none.
            placeholder: Dimmed text shown while nothing is chosen.
            name: The widget's name.
            id: The widget's id.
            classes: Space-separated CSS classes.
            disabled: Whether the field starts disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._options = _checked(options)
        self._labels = dict(self._options)
        self._picker: ChoicePicker | None = None
        self.set_reactive(ChoiceField.value, self.validate_value(value))
        self.set_reactive(ChoiceField.placeholder, placeholder)

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """The ``(value, label)`` options offered, in order."""
        return self._options

    @property
    def label(self) -> str:
        """The chosen option's label (logical), or ``""`` when nothing is chosen."""
        return self._labels.get(self.value, "")

    @property
    def is_rtl(self) -> bool:
        """Whether the field is laid out right to left: the app's language is Arabic."""
        return self._app_lang() == "ar"

    def set_options(self, options: Sequence[tuple[str, str]], value: str | None = None) -> None:
        """Offer ``options`` instead, e.g. the cities of a newly chosen region.

        Args:
            options: The new ``(value, label)`` pairs.
            value: The value to choose; by default the current one while it is still
                offered, else none (which posts ``Changed``).
        """
        self._options = _checked(options)
        self._labels = dict(self._options)
        if value is None:
            value = self.value if self.value in self._labels else ""
        self.value = value
        self.refresh(layout=True)  # the same value may come with a new label

    def clear(self) -> None:
        """Choose nothing."""
        self.value = ""

    def render_line(self, y: int) -> Strip:
        """The field's one line: the label (or placeholder) and the marker, mirrored in Arabic."""
        width = self.size.width
        base = self.rich_style
        if y != 0 or width <= 0:
            return Strip.blank(width, base)
        if self.value:
            text, style = self.label, base
        else:
            placeholder = self.get_component_rich_style("choice-field--placeholder")
            text, style = self.placeholder, base + placeholder
        room = max(0, width - _MARKER_ROOM)
        # Clipped in logical order before drawing: never the start of an Arabic label.
        shown = visual(clip(text, room), current_mode())
        gap = " " * (width - _MARKER_ROOM - cell_len(shown) + 1)
        marker = Segment(MARKER, base + self.get_component_rich_style("choice-field--marker"))
        if self.is_rtl:
            segments = [marker, Segment(gap, base), Segment(shown, style)]
        else:
            segments = [Segment(shown, style), Segment(gap, base), marker]
        return Strip(segments).adjust_cell_length(width, base)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        texts = [label for _value, label in self._options] + [self.placeholder]
        return max(cell_len(text) for text in texts) + _MARKER_ROOM

    # Reactive validators and watchers.

    def validate_value(self, value: str) -> str:
        if value and value not in self._labels:
            raise ValueError(f"{value!r} is not one of the field's options")
        return value

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    # Event handlers.

    async def _on_click(self, event: events.Click) -> None:
        self._open()

    # Actions.

    def action_open(self) -> None:
        """Open the picker on the current value."""
        self._open()

    def action_step(self, toward: int) -> None:
        """Choose the option beside the current one, ``toward`` -1 left or +1 right on screen.

        Options run the way the interface reads, so in Arabic left is the next one. From
        nothing chosen, the first step goes to the first (or the last) option; the ends
        stay where they are.
        """
        values = [value for value, _label in self._options]
        if not values:
            return
        step = -toward if self.is_rtl else toward
        if self.value:
            index = min(max(values.index(self.value) + step, 0), len(values) - 1)
        else:
            index = 0 if step > 0 else len(values) - 1
        self.value = values[index]

    def action_clear(self) -> None:
        """Choose nothing."""
        self.clear()

    # Helpers.

    def _type(self, character: str) -> None:
        """Open the picker with ``character`` already typed into its filter."""
        self._open(character)

    def _pass_on(self, event: events.Key) -> bool:
        picker = self._open_picker()
        if picker is None:
            return super()._pass_on(event)
        # An earlier key of this burst opened the picker: this one was typed for it.
        picker.take_key(event.key, event.character)
        return True

    def _open(self, query: str = "") -> None:
        """Open the picker (``query`` already typed into its filter), unless it is open."""
        if self._open_picker() is not None:
            return
        if not self._options:
            self.app.bell()
            return
        picker = ChoicePicker(
            self._options, self.value, query=query, lang=self._app_lang(), anchor=self.region
        )
        self._picker = picker
        self.app.push_screen(picker, callback=self._picked)

    def _picked(self, value: str | None) -> None:
        late = self._picker.late_keys if self._picker is not None else []
        self._picker = None
        if value is not None:
            self.value = value
        if late:
            # Keys typed ahead of the list closing: through the app again, once the form
            # has taken the pick (a screen may move the focus on, as the start screen
            # does to its button), so they land where they would have without the wait.
            self.call_after_refresh(self._replay, late)

    def _replay(self, keys: list[events.Key]) -> None:
        for key in keys:
            self.app.post_message(events.Key(key.key, key.character))

    def _open_picker(self) -> ChoicePicker | None:
        """The picker this field opened, while it is still on the screen stack.

        A picker removed without being dismissed (the app popped its screens) never
        calls back, so it is forgotten here.
        """
        if self._picker is not None and self._picker not in self.app.screen_stack:
            self._picker = None
        return self._picker


def _checked(options: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """``options`` as a tuple, refusing empty or repeated values."""
    pairs = tuple((value, label) for value, label in options)
    values = [value for value, _label in pairs]
    if "" in values:
        raise ValueError('an option value may not be "" (it means nothing chosen)')
    if len(set(values)) != len(values):
        raise ValueError("option values must be unique")
    return pairs
