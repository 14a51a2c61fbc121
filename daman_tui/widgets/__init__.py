"""Reusable Textual widgets."""

from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.case_table import CaseTable

__all__ = ["BidiInput", "CaseTable"]
