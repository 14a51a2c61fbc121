"""The documents a draft calls for, read from its answers as they stand."""

from __future__ import annotations

from daman_tui.domain.documents import ChecklistInput, ChecklistMember
from daman_tui.domain.enums import MaritalStatus, StudyStatus
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.intake.fields import YES
from daman_tui.domain.intake.form import HEAD, DraftForm
from daman_tui.domain.national_id import validate_national_id

__all__ = ["checklist_input", "person_national_id"]


def person_national_id(form: DraftForm, who: str) -> str:
    """The ID number of ``who`` in its stored form, or as typed while it is not valid."""
    raw = form.get(who, "personal", "national_id")
    try:
        return validate_national_id(raw)
    except ValidationError:
        return raw


def checklist_input(form: DraftForm) -> ChecklistInput:
    """What the document checklist looks at, from the draft (unanswered counts as no)."""
    members = tuple(
        ChecklistMember(
            national_id=person_national_id(form, who),
            kind=form.kind_of(who),
            special_needs=form.get(who, "personal", "special_needs") == YES,
            studying=form.get(who, "education", "study_status") == StudyStatus.STUDYING.value,
            has_income=bool(form.items(who, "income_lines")),
        )
        for who in form.people()
    )
    marital = form.get(HEAD, "personal", "marital_status")
    known = {m.value for m in MaritalStatus}
    return ChecklistInput(MaritalStatus(marital) if marital in known else None, members)
