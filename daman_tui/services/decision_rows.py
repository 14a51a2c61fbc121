"""The rows a decision is stored as: the decision and one reason per rule, for bulk writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from daman_tui.domain.eligibility import Decision

__all__ = ["decision_rows"]


def decision_rows(
    decision: Decision,
    *,
    base: dict[str, Any],
    new_id: Callable[[], str],
    application_id: str | None,
    cycle_id: str | None,
    decided_by: str | None,
    decided_at: datetime,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``eligibility_decision`` row and its ``decision_reason`` rows.

    ``base`` holds the sync columns and the branch; ``new_id`` makes each row's id (the
    demo generator passes its deterministic one).
    """
    decision_id = new_id()
    row = base | {
        "id": decision_id,
        "household_id": decision.household.household_id,
        "application_id": application_id,
        "cycle_id": cycle_id,
        "rule_set_version": decision.rule_set_version,
        "as_of": decision.as_of,
        "eligible": decision.eligible,
        "member_count": decision.member_count,
        "threshold_halalas": decision.threshold_halalas,
        "counted_income_halalas": decision.counted_income_halalas,
        "entitlement_halalas": decision.entitlement_halalas,
        "facts": decision.facts,
        "decided_by": decided_by,
        "decided_at": decided_at,
    }
    reasons = [
        base
        | {
            "id": new_id(),
            "decision_id": decision_id,
            "position": position,
            "rule_code": reason.code,
            "passed": reason.passed,
            "message_ar": reason.message_ar,
            "message_en": reason.message_en,
            "facts": reason.to_json()["facts"],
        }
        for position, reason in enumerate(decision.reasons)
    ]
    return row, reasons
