"""Reusable Textual widgets."""

from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.case_table import CaseTable
from daman_tui.widgets.choice_field import ChoiceField
from daman_tui.widgets.choice_picker import ChoicePicker

__all__ = ["BidiInput", "CaseTable", "ChoiceField", "ChoicePicker"]
