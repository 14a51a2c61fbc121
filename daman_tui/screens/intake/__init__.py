"""The intake wizard's screens: start, the ten steps, a dependent's file, the receipt."""

from daman_tui.screens.intake.receipt import ReceiptScreen
from daman_tui.screens.intake.resume import ResumeScreen
from daman_tui.screens.intake.start import StartScreen
from daman_tui.screens.intake.wizard import WizardScreen

__all__ = ["ReceiptScreen", "ResumeScreen", "StartScreen", "WizardScreen"]
