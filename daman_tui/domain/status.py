"""The application state machine: which status may follow which, and who may move it.

Every change of an application's status goes through :func:`check_transition`, in the
services and again in the sync service, so no screen, script or stale client can skip a
step. Transitions are few and explicit: a table is easier to audit than code paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from daman_tui.domain.enums import ApplicationStatus as S
from daman_tui.domain.enums import Role
from daman_tui.domain.errors import IllegalTransition

__all__ = ["TRANSITIONS", "Transition", "allowed_targets", "check_transition", "is_legal"]

_SUP = frozenset({Role.SUPERVISOR})
_DESK = frozenset({Role.CLERK, Role.SUPERVISOR})
_VISIT = frozenset({Role.FIELD_OFFICER, Role.SUPERVISOR})


@dataclass(frozen=True)
class Transition:
    """One legal move. ``action`` names it in the catalogues (``action.<name>``)."""

    source: S
    target: S
    roles: frozenset[Role]
    action: str
    needs_reason: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.SUBMITTED, _DESK, "submit"),
    Transition(S.SUBMITTED, S.DOCS_REQUESTED, _DESK, "request_documents", needs_reason=True),
    Transition(S.VISIT_SCHEDULED, S.DOCS_REQUESTED, _SUP, "request_documents", needs_reason=True),
    Transition(S.VISIT_DONE, S.DOCS_REQUESTED, _SUP, "request_documents", needs_reason=True),
    Transition(S.DOCS_REQUESTED, S.SUBMITTED, _DESK, "documents_received"),
    Transition(S.SUBMITTED, S.VISIT_SCHEDULED, _SUP, "schedule_visit"),
    Transition(S.VISIT_SCHEDULED, S.VISIT_DONE, _VISIT, "complete_visit"),
    Transition(S.VISIT_DONE, S.PRELIMINARY_APPROVED, _SUP, "preliminary_approve"),
    Transition(S.PRELIMINARY_APPROVED, S.APPROVED, _SUP, "final_approve"),
    Transition(S.SUBMITTED, S.REJECTED, _SUP, "reject", needs_reason=True),
    Transition(S.VISIT_DONE, S.REJECTED, _SUP, "reject", needs_reason=True),
    Transition(S.PRELIMINARY_APPROVED, S.REJECTED, _SUP, "reject", needs_reason=True),
    Transition(S.REJECTED, S.SUBMITTED, _SUP, "reopen", needs_reason=True),
    # An upheld objection that finds the household eligible (services/review.py); the
    # objection's justification is the reason.
    Transition(S.REJECTED, S.APPROVED, _SUP, "objection_upheld", needs_reason=True),
    Transition(S.APPROVED, S.SUSPENDED, _SUP, "suspend", needs_reason=True),
    Transition(S.SUSPENDED, S.APPROVED, _SUP, "resume", needs_reason=True),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def allowed_targets(source: S, role: Role) -> tuple[Transition, ...]:
    """The moves ``role`` may make from ``source`` (what a screen offers)."""
    return tuple(t for t in TRANSITIONS if t.source == source and role in t.roles)


def is_legal(source: S, target: S, role: Role) -> bool:
    """Whether ``role`` may move a case from ``source`` to ``target`` at all (the sync
    service's check of a move made offline; its reason travels in its status-change row)."""
    transition = _BY_PAIR.get((source, target))
    return transition is not None and role in transition.roles


def check_transition(
    source: S,
    target: S,
    role: Role,
    *,
    actor_id: str,
    preliminary_approver_id: str | None = None,
    reason: str | None = None,
) -> Transition:
    """The transition from ``source`` to ``target`` if ``role`` may make it, else raise.

    Final approval must come from another person than the preliminary approval: the
    four-eyes rule of a payment decision.
    """
    transition = _BY_PAIR.get((source, target))
    if transition is None:
        raise IllegalTransition(
            "status.illegal",
            "لا يسمح بهذا الانتقال من الحالة الحالية للطلب.",
            f"An application cannot move from '{source.value}' to '{target.value}'.",
            source=source.value,
            target=target.value,
        )
    if role not in transition.roles:
        raise IllegalTransition(
            "status.role",
            "ليست لديك صلاحية تنفيذ هذا الإجراء على الطلب.",
            f"The role '{role.value}' may not move an application to '{target.value}'.",
            role=role.value,
            target=target.value,
        )
    if transition.needs_reason and not (reason and reason.strip()):
        raise IllegalTransition(
            "status.reason_required",
            "هذا الإجراء يتطلب كتابة السبب.",
            "This action needs a written reason.",
            target=target.value,
        )
    # Resuming a suspended case also leads to approved; only the final approval needs
    # the second pair of eyes.
    if transition.action == "final_approve" and preliminary_approver_id == actor_id:
        raise IllegalTransition(
            "status.four_eyes",
            "الموافقة النهائية يجب أن تكون من مشرف غير الذي منح الموافقة المبدئية.",
            "Final approval must come from a different supervisor than the preliminary one.",
        )
    return transition
