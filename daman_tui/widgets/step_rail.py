"""The wizard's step rail: every step with its state; Enter or a click jumps to it."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from daman_tui.domain.intake.form import StepState
from daman_tui.text.catalog import t
from daman_tui.text.display import clip, rtext

__all__ = ["STATE_MARKS", "StepRail"]

STATE_MARKS: dict[StepState, str] = {
    StepState.EMPTY: "○",
    StepState.INCOMPLETE: "◐",
    StepState.ERRORS: "✗",
    StepState.COMPLETE: "✓",
}
"""A shape per state, so the state reads without colour too."""

RAIL_TEXT = 30
"""Cells a step's line takes at most (the rail is 34 wide with its border)."""

_STYLES: dict[StepState, str] = {
    StepState.EMPTY: "",
    StepState.INCOMPLETE: "yellow",
    StepState.ERRORS: "bold red",
    StepState.COMPLETE: "green",
}


class StepRail(OptionList):
    """One line per step: mark, number, title and state; the current one highlighted."""

    DEFAULT_CSS = """
    StepRail { width: 34; height: 1fr; }
    """

    class Chosen(Message):
        """The clerk picked step ``number``."""

        def __init__(self, rail: StepRail, number: int) -> None:
            super().__init__()
            self.rail = rail
            self.number = number

        @property
        def control(self) -> StepRail:
            return self.rail

    def show(
        self,
        steps: Sequence[tuple[int, str]],
        states: Sequence[StepState],
        current: int,
        lang: str,
    ) -> None:
        """Redraw the rail: ``steps`` as (number, title key), with their ``states``."""
        prompts = []
        for (number, key), state in zip(steps, states, strict=True):
            mark = STATE_MARKS[state]
            # One line each: a wrapped Arabic line would be broken in its visual order.
            text = clip(f"{mark} {number}. {t(key, lang)}", RAIL_TEXT)
            style = _STYLES[state]
            if number == current:
                style = f"{style} reverse".strip()
            prompts.append(Option(rtext(text, lang, style), id=f"step-{number}"))
        keep = self.highlighted
        self.clear_options()
        self.add_options(prompts)
        self.highlighted = keep if keep is not None else current - 1

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Chosen(self, int(event.option_id.removeprefix("step-"))))
