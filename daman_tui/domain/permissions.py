"""Who may do what, in one table, checked by every service call.

The UI hides what a role cannot do, but hiding is not the check: services call
:func:`require` before they touch anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from daman_tui.domain.enums import Role
from daman_tui.domain.errors import PermissionDenied

__all__ = ["MATRIX", "TABLE_WRITERS", "Actor", "Permission", "can", "may_write", "require"]


class Permission(StrEnum):
    VIEW_CASES = "view_cases"
    EDIT_APPLICATION = "edit_application"  # create and edit drafts, update a file
    SUBMIT_APPLICATION = "submit_application"
    CHANGE_STATUS = "change_status"  # further narrowed per transition by the state machine
    ASSIGN_CASES = "assign_cases"
    FILE_OBJECTION = "file_objection"
    DECIDE_OBJECTION = "decide_objection"
    RECORD_VISIT = "record_visit"
    SCHEDULE_VISIT = "schedule_visit"
    RESOLVE_CONFLICTS = "resolve_conflicts"
    EXPORT_DATA = "export_data"
    MANAGE_USERS = "manage_users"
    RUN_CYCLE = "run_cycle"
    MANAGE_PAYMENTS = "manage_payments"  # mark a payment paid, returned, held, due again
    ALL_BRANCHES = "all_branches"  # act outside one's own branch


_P = Permission
MATRIX: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(
        {
            _P.VIEW_CASES,
            _P.EDIT_APPLICATION,
            _P.SUBMIT_APPLICATION,
            _P.CHANGE_STATUS,
            _P.FILE_OBJECTION,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            _P.VIEW_CASES,
            _P.EDIT_APPLICATION,
            _P.SUBMIT_APPLICATION,
            _P.CHANGE_STATUS,
            _P.ASSIGN_CASES,
            _P.FILE_OBJECTION,
            _P.DECIDE_OBJECTION,
            _P.SCHEDULE_VISIT,
            _P.RESOLVE_CONFLICTS,
            _P.EXPORT_DATA,
            _P.RUN_CYCLE,
            _P.MANAGE_PAYMENTS,
        }
    ),
    Role.FIELD_OFFICER: frozenset({_P.VIEW_CASES, _P.RECORD_VISIT, _P.CHANGE_STATUS}),
    Role.ADMIN: frozenset({_P.MANAGE_USERS, _P.RUN_CYCLE, _P.ALL_BRANCHES, _P.VIEW_CASES}),
}


_FILE = frozenset({_P.EDIT_APPLICATION})
TABLE_WRITERS: dict[str, frozenset[Permission]] = {
    # Who may write a synced table's rows, by permission (any one suffices): what the sync
    # service checks of each pushed change's author, beside the services' own checks.
    **{
        table: _FILE
        for table in (
            "person", "household", "household_member", "contact", "national_address",
            "bank_account", "income_line", "support_line", "zakat_answer", "education",
            "workers_answer", "licence", "permit_answers", "real_estate", "title_deed",
            "vehicle",
        )
    },
    "application": frozenset({_P.EDIT_APPLICATION, _P.CHANGE_STATUS, _P.ASSIGN_CASES}),
    "status_change": frozenset({_P.CHANGE_STATUS}),
    "document": frozenset({_P.EDIT_APPLICATION, _P.RECORD_VISIT, _P.FILE_OBJECTION}),
    "home_visit": frozenset({_P.RECORD_VISIT, _P.SCHEDULE_VISIT}),
    "eligibility_decision": frozenset({_P.SUBMIT_APPLICATION, _P.DECIDE_OBJECTION, _P.RUN_CYCLE}),
    "decision_reason": frozenset({_P.SUBMIT_APPLICATION, _P.DECIDE_OBJECTION, _P.RUN_CYCLE}),
    "payment": frozenset({_P.MANAGE_PAYMENTS, _P.RUN_CYCLE}),
    "objection": frozenset({_P.FILE_OBJECTION, _P.DECIDE_OBJECTION}),
    "financial_complaint": frozenset({_P.FILE_OBJECTION, _P.DECIDE_OBJECTION}),
    "saved_filter": frozenset({_P.VIEW_CASES}),
    "sync_conflict": frozenset({_P.RESOLVE_CONFLICTS}),
    "app_user": frozenset({_P.MANAGE_USERS}),
}  # fmt: skip


def may_write(role: Role, table: str) -> bool:
    """Whether ``role`` may write rows of ``table`` (a table not listed: nobody)."""
    return bool(TABLE_WRITERS.get(table, frozenset()) & MATRIX[role])


@dataclass(frozen=True)
class Actor:
    """The signed-in user a service acts for."""

    id: str
    username: str
    full_name: str
    role: Role
    branch_id: str


def can(actor: Actor, permission: Permission, branch_id: str | None = None) -> bool:
    """Whether ``actor`` holds ``permission`` (in ``branch_id``, when one is given)."""
    if permission not in MATRIX[actor.role]:
        return False
    if branch_id is None or branch_id == actor.branch_id:
        return True
    return Permission.ALL_BRANCHES in MATRIX[actor.role]


def require(actor: Actor, permission: Permission, branch_id: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may do this."""
    if permission not in MATRIX[actor.role]:
        raise PermissionDenied(
            "permission.denied",
            "ليست لديك صلاحية لهذا الإجراء.",
            f"The role '{actor.role.value}' may not {permission.value.replace('_', ' ')}.",
            permission=permission.value,
            role=actor.role.value,
        )
    if not can(actor, permission, branch_id):
        raise PermissionDenied(
            "permission.branch",
            "هذا السجل يتبع فرعًا آخر.",
            "This record belongs to another branch.",
            permission=permission.value,
            branch_id=branch_id,
        )
