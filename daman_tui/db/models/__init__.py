"""Every table of the local store, importable from one place.

Importing this package registers all tables on ``SQLModel.metadata``, which Alembic and
the tests compare against the migrations.
"""

from daman_tui.db.models.base import BranchScoped, Synced
from daman_tui.db.models.cases import Application, Document, HomeVisit, StatusChange
from daman_tui.db.models.decisions import (
    DecisionReason,
    EligibilityDecision,
    FinancialComplaint,
    Objection,
    Payment,
    PaymentCycle,
    RuleSetVersion,
)
from daman_tui.db.models.drafts import IntakeDraft
from daman_tui.db.models.ledger import (
    AuditEntry,
    OutboxEntry,
    SyncConflict,
    SyncCursor,
    SyncSession,
)
from daman_tui.db.models.org import AppUser, Branch, NodeState
from daman_tui.db.models.people import (
    BankAccount,
    Contact,
    Household,
    HouseholdMember,
    NationalAddress,
    Person,
)
from daman_tui.db.models.queue import DerivedState, QueueRow, SavedFilter
from daman_tui.db.models.sections import (
    Education,
    IncomeLine,
    Licence,
    PermitAnswers,
    RealEstate,
    SupportLine,
    TitleDeed,
    Vehicle,
    WorkersAnswer,
    ZakatAnswer,
)

__all__ = [
    "AppUser",
    "Application",
    "AuditEntry",
    "BankAccount",
    "Branch",
    "BranchScoped",
    "Contact",
    "DecisionReason",
    "DerivedState",
    "Document",
    "Education",
    "EligibilityDecision",
    "FinancialComplaint",
    "HomeVisit",
    "Household",
    "HouseholdMember",
    "IncomeLine",
    "IntakeDraft",
    "Licence",
    "NationalAddress",
    "NodeState",
    "Objection",
    "OutboxEntry",
    "Payment",
    "PaymentCycle",
    "PermitAnswers",
    "Person",
    "QueueRow",
    "RealEstate",
    "RuleSetVersion",
    "SavedFilter",
    "StatusChange",
    "SupportLine",
    "SyncConflict",
    "SyncCursor",
    "SyncSession",
    "Synced",
    "TitleDeed",
    "Vehicle",
    "WorkersAnswer",
    "ZakatAnswer",
]
