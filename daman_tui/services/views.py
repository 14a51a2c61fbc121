"""Read models: what services hand to screens and commands instead of live ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from daman_tui.domain.enums import (
    ApplicationKind,
    ApplicationStatus,
    DocumentType,
    Gender,
    MemberKind,
    Role,
)

__all__ = [
    "ApplicationView",
    "CaseRow",
    "DecisionView",
    "DocumentView",
    "HouseholdView",
    "MemberView",
    "UserView",
]


@dataclass(frozen=True)
class UserView:
    id: str
    username: str
    full_name: str
    role: Role
    branch_id: str
    branch_code: str
    disabled: bool


@dataclass(frozen=True)
class MemberView:
    person_id: str
    national_id: str
    full_name: str
    kind: MemberKind
    gender: Gender | None
    birth_date: date | None


@dataclass(frozen=True)
class ApplicationView:
    id: str
    request_number: str
    household_id: str
    kind: ApplicationKind
    status: ApplicationStatus
    current_step: int
    submitted_at: datetime | None
    last_change_at: datetime
    row_version: int


@dataclass(frozen=True)
class HouseholdView:
    id: str
    file_number: str
    branch_id: str
    family_no: int
    head: MemberView
    members: tuple[MemberView, ...]
    open_application: ApplicationView | None


@dataclass(frozen=True)
class CaseRow:
    """One line of a case list."""

    application_id: str
    request_number: str
    head_name: str
    national_id: str
    status: ApplicationStatus
    kind: ApplicationKind
    branch_code: str
    assignee: str | None
    submitted_at: datetime | None
    last_change_at: datetime


@dataclass(frozen=True)
class DecisionView:
    """One recorded eligibility decision of a case, as its history shows it."""

    decided_at: datetime
    cycle_month: str | None
    rule_set_version: str
    eligible: bool
    threshold_halalas: int
    counted_income_halalas: int
    entitlement_halalas: int
    failed_reasons_ar: tuple[str, ...]
    failed_reasons_en: tuple[str, ...]


@dataclass(frozen=True)
class DocumentView:
    """A received document; ``stored_path`` is relative to the store's documents folder."""

    id: str
    household_id: str
    application_id: str | None
    person_id: str | None
    doc_type: DocumentType
    file_name: str
    mime_type: str
    size_bytes: int
    sha256: str
    stored_path: str
    received_at: datetime
    subject_national_id: str | None = None
