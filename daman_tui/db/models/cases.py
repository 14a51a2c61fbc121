"""Applications with their status history, documents and home visits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from daman_tui.db.models.base import (
    BranchScoped,
    enum_field,
    fk,
    optional_enum_field,
)
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import (
    ApplicationKind,
    ApplicationStatus,
    DocumentType,
    IdentityCheck,
    VisitStatus,
)

__all__ = ["Application", "Document", "HomeVisit", "StatusChange"]


class Application(BranchScoped, table=True):
    """A request on a household's file: a new application or an update of an existing one."""

    __tablename__ = "application"
    __table_args__ = (
        # The queue's default order and its status filter, both keyset-paged.
        sa.Index("ix_application_status_changed", "status", "last_change_at", "id"),
        sa.Index("ix_application_branch_changed", "branch_id", "last_change_at", "id"),
    )

    request_number: str = Field(unique=True, max_length=32)
    household_id: str = fk("household.id")
    kind: ApplicationKind = enum_field(ApplicationKind, ApplicationKind.NEW)
    status: ApplicationStatus = enum_field(ApplicationStatus, ApplicationStatus.DRAFT)
    created_by: str = fk("app_user.id")
    assigned_to: str | None = fk("app_user.id", nullable=True)
    # The wizard step a draft was left on, so a killed terminal resumes exactly there.
    current_step: int = Field(default=1, ge=1)
    identity_check: IdentityCheck | None = optional_enum_field(IdentityCheck)
    identity_verified_by: str | None = fk("app_user.id", nullable=True, index=False)
    declaration_accepted_at: datetime | None = None
    submitted_at: datetime | None = None  # the 20-day decision clock starts here
    decided_at: datetime | None = None
    # Days the clock stood still while waiting on the applicant for documents.
    clock_paused_days: int = Field(default=0, ge=0)
    clock_paused_since: datetime | None = None
    last_change_at: datetime = Field(default_factory=utcnow)


class StatusChange(BranchScoped, table=True):
    """One transition of an application: who, when, why."""

    __tablename__ = "status_change"

    application_id: str = fk("application.id")
    from_status: ApplicationStatus | None = optional_enum_field(ApplicationStatus)
    to_status: ApplicationStatus = enum_field(ApplicationStatus)
    actor_id: str = fk("app_user.id", index=False)
    at: datetime = Field(default_factory=utcnow)
    reason: str = Field(default="", max_length=2000)


class Document(BranchScoped, table=True):
    """A received document: metadata and content hash; the file itself is copied into the store.

    A document belongs to a household and, where it was given for one, to an application,
    a person, an objection, a complaint or a home visit.
    """

    __tablename__ = "document"

    household_id: str = fk("household.id")
    application_id: str | None = fk("application.id", nullable=True)
    person_id: str | None = fk("person.id", nullable=True)
    # Whom the document is about, by ID number: known at the counter before a dependent
    # typed into a draft has a person row (that comes with the submission).
    subject_national_id: str | None = Field(default=None, max_length=10)
    objection_id: str | None = fk("objection.id", nullable=True)
    complaint_id: str | None = fk("financial_complaint.id", nullable=True)
    visit_id: str | None = fk("home_visit.id", nullable=True)
    doc_type: DocumentType = enum_field(DocumentType)
    file_name: str = Field(max_length=255)
    mime_type: str = Field(max_length=80)
    size_bytes: int = Field(ge=0)
    sha256: str = Field(max_length=64, index=True)
    stored_path: str = Field(max_length=500)  # relative to the store's documents folder
    received_by: str = fk("app_user.id", index=False)
    received_at: datetime = Field(default_factory=utcnow)


class HomeVisit(BranchScoped, table=True):
    """زيارة المسكن: scheduled by a supervisor, recorded by a field officer, often offline."""

    __tablename__ = "home_visit"

    application_id: str = fk("application.id")
    household_id: str = fk("household.id")
    assigned_to: str | None = fk("app_user.id", nullable=True)
    scheduled_for: date
    status: VisitStatus = enum_field(VisitStatus, VisitStatus.SCHEDULED)
    arrived_at: datetime | None = None
    present: str = Field(default="", max_length=500)
    # What the file declares and what the officer saw, field by field, for the
    # supervisor's side-by-side comparison.
    declared: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    observed: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    notes: str = Field(default="", max_length=4000)
    recommendation: str = Field(default="", max_length=2000)
    completed_at: datetime | None = None
