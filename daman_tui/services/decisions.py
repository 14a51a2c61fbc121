"""A case's eligibility history: every recorded decision, oldest first."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlmodel import col, select

from daman_tui.db.models import Application, DecisionReason, EligibilityDecision, PaymentCycle
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.services.store import Store
from daman_tui.services.views import DecisionView

__all__ = ["case_decisions"]


def case_decisions(store: Store, actor: Actor, request_number: str) -> list[DecisionView]:
    """The decisions recorded for the household of ``request_number`` (cycles included)."""
    require(actor, Permission.VIEW_CASES)
    with store.read() as session:
        app = session.exec(
            select(Application).where(Application.request_number == request_number.strip())
        ).first()
        if app is None:
            raise ValidationError(
                "application.unknown",
                "لا يوجد طلب بهذا الرقم.",
                f"No application numbered '{request_number}'.",
            )
        require(actor, Permission.VIEW_CASES, app.branch_id)
        rows = session.exec(
            select(EligibilityDecision, PaymentCycle.month)
            .outerjoin(PaymentCycle, PaymentCycle.id == EligibilityDecision.cycle_id)  # type: ignore[arg-type]
            .where(EligibilityDecision.household_id == app.household_id)
            .where(col(EligibilityDecision.deleted_at).is_(None))
            .order_by(col(EligibilityDecision.decided_at), col(EligibilityDecision.id))
        ).all()
        failed: dict[str, list[tuple[str, str]]] = defaultdict(list)
        ids = [d.id for d, _ in rows]
        if ids:
            for reason in session.exec(
                select(DecisionReason)
                .where(col(DecisionReason.decision_id).in_(ids))
                .where(sa.not_(col(DecisionReason.passed)))
                .order_by(col(DecisionReason.position))
            ).all():
                failed[reason.decision_id].append((reason.message_ar, reason.message_en))
        return [
            DecisionView(
                decided_at=d.decided_at,
                cycle_month=month,
                rule_set_version=d.rule_set_version,
                eligible=d.eligible,
                threshold_halalas=d.threshold_halalas,
                counted_income_halalas=d.counted_income_halalas,
                entitlement_halalas=d.entitlement_halalas,
                failed_reasons_ar=tuple(ar for ar, _ in failed[d.id]),
                failed_reasons_en=tuple(en for _, en in failed[d.id]),
            )
            for d, month in rows
        ]
