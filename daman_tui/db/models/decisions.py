"""Rule sets, eligibility decisions with their reasons, payments, objections, complaints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from daman_tui.db.models.base import (
    BranchScoped,
    Synced,
    enum_field,
    fk,
    money_field,
    optional_enum_field,
)
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import (
    ComplaintStatus,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionStatus,
    PaymentStatus,
)

__all__ = [
    "DecisionReason",
    "EligibilityDecision",
    "FinancialComplaint",
    "Objection",
    "Payment",
    "PaymentCycle",
    "RuleSetVersion",
]


class RuleSetVersion(Synced, table=True):
    """A version of the eligibility rules as loaded, so a decision names what it used."""

    __tablename__ = "rule_set_version"

    version: str = Field(unique=True, max_length=32)
    effective_from: date
    source_toml: str
    sha256: str = Field(max_length=64)


class EligibilityDecision(BranchScoped, table=True):
    """ "Eligible or not, and how much", with the facts it was computed from."""

    __tablename__ = "eligibility_decision"

    household_id: str = fk("household.id")
    application_id: str | None = fk("application.id", nullable=True)
    cycle_id: str | None = fk("payment_cycle.id", nullable=True)
    rule_set_version: str = Field(max_length=32)
    as_of: date
    eligible: bool
    member_count: int = Field(ge=1)
    threshold_halalas: int = money_field()
    counted_income_halalas: int = money_field()
    entitlement_halalas: int = money_field()
    # The inputs exactly as the engine saw them: a decision is reproducible from these.
    facts: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    decided_by: str | None = fk("app_user.id", nullable=True, index=False)
    decided_at: datetime = Field(default_factory=utcnow)


class DecisionReason(BranchScoped, table=True):
    """One rule's outcome in a decision, passed or failed, as the applicant reads it."""

    __tablename__ = "decision_reason"

    decision_id: str = fk("eligibility_decision.id")
    position: int = Field(ge=0)
    rule_code: str = Field(max_length=48)
    passed: bool
    message_ar: str = Field(max_length=1000)
    message_en: str = Field(max_length=1000)
    facts: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class PaymentCycle(Synced, table=True):
    """A monthly eligibility cycle (دورة الأهلية); payments go out on day 1 of the month."""

    __tablename__ = "payment_cycle"

    month: str = Field(unique=True, max_length=7)  # YYYY-MM
    pay_date: date
    rule_set_version: str = Field(max_length=32)
    run_at: datetime = Field(default_factory=utcnow)
    run_by: str | None = fk("app_user.id", nullable=True, index=False)


class Payment(BranchScoped, table=True):
    """A household's payment in one cycle."""

    __tablename__ = "payment"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "household_id"),)

    cycle_id: str = fk("payment_cycle.id")
    household_id: str = fk("household.id")
    decision_id: str | None = fk("eligibility_decision.id", nullable=True, index=False)
    amount_halalas: int = money_field()
    status: PaymentStatus = enum_field(PaymentStatus, PaymentStatus.DUE)
    paid_at: datetime | None = None
    held_reason: str = Field(default="", max_length=500)


class Objection(BranchScoped, table=True):
    """اعتراض against an eligibility result or an amount, decided by a supervisor."""

    __tablename__ = "objection"

    household_id: str = fk("household.id")
    application_id: str | None = fk("application.id", nullable=True)
    decision_id: str = fk("eligibility_decision.id")
    kind: ObjectionKind = enum_field(ObjectionKind)
    reason_category: str = Field(max_length=40)
    reason_text: str = Field(max_length=4000)
    status: ObjectionStatus = enum_field(ObjectionStatus, ObjectionStatus.DRAFT, index=True)
    priority: int = Field(default=0)
    filed_by: str = fk("app_user.id", index=False)
    filed_at: datetime = Field(default_factory=utcnow)
    confirmed_at: datetime | None = None  # تأكيد: it counts from here
    assigned_to: str | None = fk("app_user.id", nullable=True)
    decided_by: str | None = fk("app_user.id", nullable=True, index=False)
    decided_at: datetime | None = None
    outcome: ObjectionOutcome | None = optional_enum_field(ObjectionOutcome)
    justification: str = Field(default="", max_length=4000)
    new_decision_id: str | None = fk("eligibility_decision.id", nullable=True, index=False)
    arrears_halalas: int = money_field()
    notification_text: str = Field(default="", max_length=4000)
    # An objection to an objection's outcome is a new record linked to the first.
    parent_id: str | None = fk("objection.id", nullable=True, index=False)
    duplicate_of_id: str | None = fk("objection.id", nullable=True, index=False)


class FinancialComplaint(BranchScoped, table=True):
    """شكوى مالية about one payment."""

    __tablename__ = "financial_complaint"

    household_id: str = fk("household.id")
    payment_id: str = fk("payment.id")
    reason_category: str = Field(max_length=40)
    reason_text: str = Field(max_length=4000)
    status: ComplaintStatus = enum_field(ComplaintStatus, ComplaintStatus.DRAFT, index=True)
    priority: int = Field(default=0)
    filed_by: str = fk("app_user.id", index=False)
    filed_at: datetime = Field(default_factory=utcnow)
    confirmed_at: datetime | None = None
    assigned_to: str | None = fk("app_user.id", nullable=True)
    decided_by: str | None = fk("app_user.id", nullable=True, index=False)
    decided_at: datetime | None = None
    justification: str = Field(default="", max_length=4000)
    resolution_text: str = Field(default="", max_length=4000)
    duplicate_of_id: str | None = fk("financial_complaint.id", nullable=True, index=False)
