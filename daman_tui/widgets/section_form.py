"""A section of the unified file as a form: one row per question, checked as it is left.

The form edits the section's values in place (the draft's own dict, handed down by the
screen) and posts :class:`SectionForm.Edited` so the screen saves the draft. Writing the
value here first keeps the order of keystrokes and conditions exact in a burst of keys:
a screen handler would see the edit one message later than the next keystroke does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import DescendantBlur
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label

from daman_tui.domain.intake.fields import FieldKind, FieldSpec, SectionSpec
from daman_tui.domain.intake.form import field_error, visible
from daman_tui.text.display import rtext, rtext_wrapped
from daman_tui.widgets.bidi_input import BidiInput, Direction
from daman_tui.widgets.choice_field import ChoiceField
from daman_tui.widgets.form_text import field_label, hint, options

__all__ = ["FieldRow", "SectionForm", "input_id"]

MESSAGE_WIDTH = 70
"""Cells a message under a field wraps at."""


def input_id(prefix: str, section: str, key: str) -> str:
    """The id of a field's input widget (what tests and resumed drafts focus)."""
    return f"{prefix}{section}--{key}"


class FieldRow(Vertical):
    """A question: its label, its input and the line under it (error or hint)."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > .field-label { height: 1; }
    FieldRow > .field-message { height: auto; min-height: 1; color: $text-muted; }
    FieldRow > .field-message.-error { color: $error; }
    """

    def __init__(self, spec: FieldSpec, section: str, *, input_widget: Widget) -> None:
        super().__init__(classes="field-row")
        self.spec = spec
        self.section = section
        self.input = input_widget
        self._message: tuple[str, str, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Label(classes="field-label")
        yield self.input
        yield Label(classes="field-message")

    def set_label(self, text: str, lang: str) -> None:
        self.query_one(".field-label", Label).update(rtext(text, lang, "bold"))

    def set_message(self, text: str, lang: str, *, error: bool) -> None:
        # Called on every keystroke: an unchanged message must not cost a relayout.
        if self._message == (text, lang, error):
            return
        self._message = (text, lang, error)
        label = self.query_one(".field-message", Label)
        label.set_class(error, "-error")
        label.update(rtext_wrapped(text, lang, MESSAGE_WIDTH) if text else "")


class SectionForm(Vertical):
    """The single questions of one section, for one person (or the household)."""

    DEFAULT_CSS = """
    SectionForm { height: auto; }
    """

    class Edited(Message):
        """A value of the section changed (already written into its values)."""

        def __init__(self, form: SectionForm, key: str, value: str) -> None:
            super().__init__()
            self.form = form
            self.key = key
            self.value = value

        @property
        def control(self) -> SectionForm:
            return self.form

        @property
        def section(self) -> str:
            return self.form.section.key

    def __init__(
        self,
        section: SectionSpec,
        values: dict[str, str],
        *,
        lang: str,
        today: date,
        prefix: str = "",
        fixed: Iterable[str] = (),
        reveal: bool = False,
    ) -> None:
        """``fixed``: keys shown but not editable (the applicant's ID once started);
        ``reveal``: show unanswered required questions as such from the start (a step
        the clerk already worked on)."""
        super().__init__(classes="section-form")
        self.section = section
        self.values = values
        self.lang = lang
        self.today = today
        self.prefix = prefix
        self.fixed = frozenset(fixed)
        self._reveal = reveal
        self._rows: dict[str, FieldRow] = {}

    def compose(self) -> ComposeResult:
        for spec in self.section.fields:
            row = FieldRow(spec, self.section.key, input_widget=self._input(spec))
            self._rows[spec.key] = row
            yield row

    def on_mount(self) -> None:
        self.relabel(self.lang)
        for key in self._rows:
            self._check(key, reveal_missing=self._reveal)

    def _input(self, spec: FieldSpec) -> Widget:
        widget_id = input_id(self.prefix, self.section.key, spec.key)
        raw = self.values.get(spec.key, "")
        if spec.is_choice:
            return ChoiceField(options(spec, self.values, self.lang), raw, id=widget_id)
        direction: Direction = "ltr" if spec.left_to_right else "auto"
        return BidiInput(
            raw,
            direction=direction,
            numeric=spec.numeric,
            max_length=spec.max_length,
            advance_on_submit=True,
            id=widget_id,
            disabled=spec.key in self.fixed,
        )

    # ---- keeping the values and the screen in step -------------------------------
    @on(BidiInput.Changed)
    def _typed(self, event: BidiInput.Changed) -> None:
        self._edited(event, event.control, event.value)

    @on(ChoiceField.Changed)
    def _chosen(self, event: ChoiceField.Changed) -> None:
        self._edited(event, event.control, event.value)
        row = self._row_of(event.control)
        if row is not None:
            # A choice is complete when made: check it now, not when the field is left.
            self._check(row.spec.key, reveal_missing=True)

    def _edited(self, event: Message, widget: Widget, value: str) -> None:
        row = self._row_of(widget)
        if row is None:
            return
        event.stop()
        key = row.spec.key
        if self.values.get(key, "") == value:
            return
        self.values[key] = value
        self._dependents_of(key)
        # An error shown for the old value goes as soon as the value is fixed.
        if field_error(row.spec, self.values, self.today) is None:
            self._check(key, reveal_missing=False)
        self.post_message(self.Edited(self, key, value))

    @on(DescendantBlur)
    def _left(self, event: DescendantBlur) -> None:
        row = self._row_of(event.widget)
        if row is not None:
            self._check(row.spec.key, reveal_missing=True)

    def _row_of(self, widget: Widget) -> FieldRow | None:
        for row in self._rows.values():
            if row.input is widget:
                return row
        return None

    def _dependents_of(self, key: str) -> None:
        """Show or hide the questions that depend on ``key``; refresh the cities."""
        for spec in self.section.fields:
            row = self._rows[spec.key]
            if spec.when is not None and spec.when[0] == key:
                row.display = visible(spec, self.values)
            if spec.kind is FieldKind.CITY and key == "region_code":
                city = row.input
                if isinstance(city, ChoiceField):
                    city.set_options(options(spec, self.values, self.lang))
            if spec.kind is FieldKind.IBAN_CONFIRM and key == "iban" and self.values.get(spec.key):
                self._check(spec.key, reveal_missing=False)

    def _check(self, key: str, *, reveal_missing: bool) -> None:
        row = self._rows[key]
        spec = row.spec
        row.display = visible(spec, self.values)
        error = field_error(spec, self.values, self.today)
        if error is not None and (reveal_missing or error.code != "field.required"):
            row.set_message(error.message(self.lang), self.lang, error=True)
        elif error is None:
            row.set_message(hint(spec, self.values, self.lang, self.today), self.lang, error=False)
        else:
            row.set_message("", self.lang, error=False)

    # ---- language ------------------------------------------------------------------
    def relabel(self, lang: str) -> None:
        """Labels, choices and messages in ``lang``."""
        self.lang = lang
        for key, row in self._rows.items():
            row.set_label(field_label(row.spec, lang), lang)
            if isinstance(row.input, ChoiceField):
                row.input.set_options(options(row.spec, self.values, lang))
            self._check(key, reveal_missing=self._reveal)

    def reveal(self) -> None:
        """Mark every unanswered required question (before moving on, or on review)."""
        if self._reveal:
            return  # marked already; every check since has kept the marks
        self._reveal = True
        for key in self._rows:
            self._check(key, reveal_missing=True)

    def focus_key(self, key: str) -> bool:
        """Focus the input of ``key``; False when the section has no such field shown."""
        row = self._rows.get(key)
        if row is None or not row.display or row.input.disabled:
            return False
        row.input.focus()
        return True

    def first_open_key(self) -> str | None:
        """The first question not answered acceptably: where the caret should start."""
        for spec in self.section.fields:
            if spec.key in self.fixed or not visible(spec, self.values):
                continue
            if field_error(spec, self.values, self.today) is not None:
                return spec.key
        return None
