"""Reusable Textual widgets."""

from daman_tui.widgets.case_table import CaseTable

__all__ = ["CaseTable"]
