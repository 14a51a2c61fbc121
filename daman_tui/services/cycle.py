"""The monthly eligibility cycle (دورة الأهلية): re-evaluate every active case, record the
decisions and the payments due on day 1 of the month.

Idempotent: a month's cycle runs once; running it again finds the cycle recorded and
changes nothing. Everything of a run is one transaction, so a crash leaves no half cycle.
Decisions and payments are written in bulk (a branch has tens of thousands of active
cases) with one audit entry for the run; the central store runs the cycle of record, so
a local run is not pushed through the outbox.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from daman_tui.db.bulk import bulk_insert
from daman_tui.db.models import Application, EligibilityDecision, PaymentCycle
from daman_tui.db.types import utcnow
from daman_tui.domain.eligibility import Decision, evaluate
from daman_tui.domain.enums import ApplicationStatus, PaymentStatus
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.ids import new_id
from daman_tui.domain.payments import SUSPENSION_HOLD
from daman_tui.domain.permissions import Actor, Permission, can, require
from daman_tui.domain.rules import rule_set_for
from daman_tui.services.decision_rows import decision_rows
from daman_tui.services.facts import load_facts
from daman_tui.services.store import Store

__all__ = ["ACTIVE_STATUSES", "CycleReport", "run_cycle"]

# Beneficiaries: approved cases are paid, suspended ones are evaluated and held.
ACTIVE_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.SUSPENDED)
CHUNK = 2000
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass
class CycleReport:
    """What a run did (or, when ``already_run``, what the recorded run had done)."""

    month: str
    pay_date: date
    rule_set_version: str
    already_run: bool = False
    evaluated: int = 0
    eligible: int = 0
    payments_due: int = 0
    payments_held: int = 0
    total_due_halalas: int = 0
    newly_eligible: int = 0
    no_longer_eligible: int = 0
    amount_changed: int = 0
    incomplete: int = 0
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)  # household ids, first 50


def parse_month(month: str) -> date:
    """Day 1 of ``YYYY-MM``: the pay date of that month's cycle."""
    match = _MONTH.fullmatch(month.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(
            "cycle.month",
            "الشهر يكتب بالصيغة YYYY-MM، مثل 2026-12.",
            "Give the month as YYYY-MM, e.g. 2026-12.",
            month=month,
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _table(model: Any) -> sa.Table:
    table: sa.Table = model.__table__
    return table


def run_cycle(store: Store, actor: Actor, month: str) -> CycleReport:
    """Run (once) the cycle of ``month`` over the active cases the actor may see."""
    require(actor, Permission.RUN_CYCLE)
    started = time.perf_counter()
    pay_date = parse_month(month)
    rules = rule_set_for(pay_date)
    report = CycleReport(f"{pay_date:%Y-%m}", pay_date, rules.version)
    a, c, d = _table(Application), _table(PaymentCycle), _table(EligibilityDecision)
    tables = SQLModel.metadata.tables
    with store.write(actor) as uow:
        conn = uow.session.connection()
        existing = conn.execute(sa.select(c.c.id).where(c.c.month == report.month)).first()
        if existing is not None:
            report.already_run = True
            return _recorded(conn, report, existing.id)
        active_q = (
            sa.select(a.c.household_id, a.c.id, a.c.status, a.c.branch_id)
            .where(a.c.status.in_([s.value for s in ACTIVE_STATUSES]))
            .where(a.c.deleted_at.is_(None))
            .order_by(a.c.household_id)
        )
        if not can(actor, Permission.ALL_BRANCHES):
            active_q = active_q.where(a.c.branch_id == actor.branch_id)
        active = {row.household_id: row for row in conn.execute(active_q)}
        previous = _previous_decisions(conn, d)
        now = utcnow()
        cycle_id = new_id()
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        bulk_insert(
            cursor,
            tables["payment_cycle"],
            [
                _sync(now, uow.node.node_id)
                | {
                    "id": cycle_id,
                    "month": report.month,
                    "pay_date": pay_date,
                    "rule_set_version": rules.version,
                    "run_at": now,
                    "run_by": actor.id,
                }
            ],
        )
        for chunk in _chunks(sorted(active), CHUNK):
            batch = load_facts(conn, chunk)
            report.incomplete += len(batch.incomplete)
            rows: dict[str, list[dict[str, Any]]] = {
                "eligibility_decision": [],
                "decision_reason": [],
                "payment": [],
            }
            for household_id, facts in batch.households.items():
                case = active[household_id]
                decision = evaluate(facts, rules, pay_date)
                _record(rows, decision, case, cycle_id, now, uow.node.node_id, report)
                _compare(previous.get(household_id), decision, report)
            for name, table_rows in rows.items():
                if table_rows:
                    bulk_insert(cursor, tables[name], table_rows)
        report.seconds = time.perf_counter() - started
        uow.audit("cycle.run", "payment_cycle", cycle_id, None, _summary(report))
    return report


def _sync(now: Any, node_id: str) -> dict[str, Any]:
    return {
        "row_version": 1,
        "created_at": now,
        "updated_at": now,
        "origin_node": node_id,
        "deleted_at": None,
    }


def _record(
    rows: dict[str, list[dict[str, Any]]],
    decision: Decision,
    case: Any,
    cycle_id: str,
    now: Any,
    node_id: str,
    report: CycleReport,
) -> None:
    base = _sync(now, node_id) | {"branch_id": case.branch_id}
    decision_row, reason_rows = decision_rows(
        decision,
        base=base,
        new_id=new_id,
        application_id=case.id,
        cycle_id=cycle_id,
        decided_by=None,
        decided_at=now,
    )
    decision_id = decision_row["id"]
    rows["eligibility_decision"].append(decision_row)
    rows["decision_reason"].extend(reason_rows)
    report.evaluated += 1
    if not decision.eligible:
        return
    report.eligible += 1
    held = case.status == ApplicationStatus.SUSPENDED.value
    rows["payment"].append(
        base
        | {
            "id": new_id(),
            "cycle_id": cycle_id,
            "household_id": decision.household.household_id,
            "decision_id": decision_id,
            "amount_halalas": decision.entitlement_halalas,
            "status": (PaymentStatus.HELD if held else PaymentStatus.DUE).value,
            "paid_at": None,
            "held_reason": SUSPENSION_HOLD if held else "",
        }
    )
    if held:
        report.payments_held += 1
    else:
        report.payments_due += 1
        report.total_due_halalas += decision.entitlement_halalas


def _previous_decisions(conn: Any, d: sa.Table) -> dict[str, tuple[bool, int]]:
    """Each household's latest recorded decision: (eligible, entitlement)."""
    latest: dict[str, tuple[bool, int]] = {}
    for row in conn.execute(
        sa.select(d.c.household_id, d.c.eligible, d.c.entitlement_halalas)
        .where(d.c.deleted_at.is_(None))
        .order_by(d.c.decided_at, d.c.id)
    ):
        latest[row.household_id] = (bool(row.eligible), row.entitlement_halalas)
    return latest


def _compare(before: tuple[bool, int] | None, decision: Decision, report: CycleReport) -> None:
    if before is None:
        return
    was_eligible, amount = before
    changed = True
    if decision.eligible and not was_eligible:
        report.newly_eligible += 1
    elif was_eligible and not decision.eligible:
        report.no_longer_eligible += 1
    elif decision.eligible and amount != decision.entitlement_halalas:
        report.amount_changed += 1
    else:
        changed = False
    if changed and len(report.changed) < 50:
        report.changed.append(decision.household.household_id)


def _recorded(conn: Any, report: CycleReport, cycle_id: str) -> CycleReport:
    d, p = (
        _table(EligibilityDecision),
        sa.table(
            "payment", sa.column("cycle_id"), sa.column("status"), sa.column("amount_halalas")
        ),
    )
    report.evaluated = conn.execute(
        sa.select(sa.func.count()).select_from(d).where(d.c.cycle_id == cycle_id)
    ).scalar_one()
    report.eligible = conn.execute(
        sa.select(sa.func.count()).select_from(d).where(d.c.cycle_id == cycle_id, d.c.eligible)
    ).scalar_one()
    for status, count, total in conn.execute(
        sa.select(p.c.status, sa.func.count(), sa.func.sum(p.c.amount_halalas))
        .where(p.c.cycle_id == cycle_id)
        .group_by(p.c.status)
    ):
        if status == PaymentStatus.HELD.value:
            report.payments_held = count
        else:
            report.payments_due += count
            report.total_due_halalas += total or 0
    return report


def _summary(report: CycleReport) -> dict[str, Any]:
    return {
        "month": report.month,
        "rule_set_version": report.rule_set_version,
        "evaluated": report.evaluated,
        "eligible": report.eligible,
        "payments_due": report.payments_due,
        "payments_held": report.payments_held,
        "total_due_halalas": report.total_due_halalas,
        "newly_eligible": report.newly_eligible,
        "no_longer_eligible": report.no_longer_eligible,
        "amount_changed": report.amount_changed,
        "incomplete": report.incomplete,
    }
