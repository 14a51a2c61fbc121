"""The intake wizard's form: what each step asks, how a typed value is checked, and the
state of a draft (pure: no store, no screen)."""

from daman_tui.domain.intake.fields import FieldKind, FieldSpec, GroupSpec, SectionSpec
from daman_tui.domain.intake.form import (
    DraftForm,
    StepState,
    completeness,
    field_error,
    new_form,
)
from daman_tui.domain.intake.steps import STEPS, Step

__all__ = [
    "STEPS",
    "DraftForm",
    "FieldKind",
    "FieldSpec",
    "GroupSpec",
    "SectionSpec",
    "Step",
    "StepState",
    "completeness",
    "field_error",
    "new_form",
]
