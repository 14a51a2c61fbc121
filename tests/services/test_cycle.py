"""The monthly cycle: decisions and payments for every active case, once per month."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.errors import PermissionDenied, ValidationError
from daman_tui.services.cycle import run_cycle
from daman_tui.services.seed import seed_cases

AS_OF = date(2026, 11, 21)


def _count(store, sql: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text(sql)).scalar_one())


def test_cycle_records_decisions_and_payments_and_is_idempotent(store, staff):
    seed_cases(store, cases=150, seed=4, branch_code="RYD01", as_of=AS_OF)
    active = _count(
        store, "SELECT count(*) FROM application WHERE status IN ('approved', 'suspended')"
    )
    before = _count(store, "SELECT count(*) FROM eligibility_decision")
    report = run_cycle(store, staff.supervisor, "2026-12")
    assert not report.already_run and report.rule_set_version
    assert report.evaluated + report.incomplete == active
    assert _count(store, "SELECT count(*) FROM eligibility_decision") == before + report.evaluated
    cycle_payments = _count(
        store,
        "SELECT count(*) FROM payment p JOIN payment_cycle c "
        "ON c.id = p.cycle_id WHERE c.month = '2026-12'",
    )
    assert cycle_payments == report.payments_due + report.payments_held == report.eligible
    assert (
        _count(
            store,
            "SELECT count(*) FROM payment p JOIN payment_cycle c ON c.id = p.cycle_id "
            "WHERE c.month = '2026-12' AND p.amount_halalas <= 0",
        )
        == 0
    )
    assert (
        _count(
            store,
            "SELECT count(*) FROM payment_cycle WHERE month = '2026-12' "
            "AND pay_date = '2026-12-01'",
        )
        == 1
    )
    held = _count(
        store,
        "SELECT count(*) FROM payment p JOIN application a "
        "ON a.household_id = p.household_id JOIN payment_cycle c "
        "ON c.id = p.cycle_id WHERE c.month = '2026-12' AND a.status = 'suspended'"
        " AND p.status <> 'held'",
    )
    assert held == 0, "a suspended case's payment is held"

    snapshot = [
        _count(store, f"SELECT count(*) FROM {t}")
        for t in ("eligibility_decision", "decision_reason", "payment", "payment_cycle")
    ]
    again = run_cycle(store, staff.supervisor, "2026-12")
    assert again.already_run
    assert (again.evaluated, again.payments_due, again.total_due_halalas) == (
        report.evaluated,
        report.payments_due,
        report.total_due_halalas,
    )
    assert snapshot == [
        _count(store, f"SELECT count(*) FROM {t}")
        for t in ("eligibility_decision", "decision_reason", "payment", "payment_cycle")
    ]


def test_a_change_of_eligibility_between_cycles_is_reported(store, staff):
    seed_cases(store, cases=80, seed=5, branch_code="RYD01", as_of=AS_OF)
    first = run_cycle(store, staff.supervisor, "2026-12")
    assert first.eligible > 0
    with store.engine.connect() as conn:
        household = conn.execute(
            sa.text(
                "SELECT d.household_id FROM eligibility_decision d JOIN payment_cycle c "
                "ON c.id = d.cycle_id WHERE c.month = '2026-12' AND d.eligible LIMIT 1"
            )
        ).scalar_one()
    with store.engine.begin() as conn:  # the head starts earning well above any threshold
        conn.execute(
            sa.text(
                "UPDATE income_line SET monthly_halalas = 5000000 WHERE person_id = "
                "(SELECT head_person_id FROM household WHERE id = :h)"
            ),
            {"h": household},
        )
        conn.execute(
            sa.text(
                "INSERT INTO income_line (id, row_version, created_at, updated_at, origin_node, "
                "branch_id, person_id, income_type, source, monthly_halalas) SELECT 'x-1', 1, "
                "created_at, updated_at, origin_node, branch_id, head_person_id, 'salary', 'عمل', "
                "5000000 FROM household WHERE id = :h"
            ),
            {"h": household},
        )
    second = run_cycle(store, staff.supervisor, "2027-01")
    assert second.no_longer_eligible >= 1 and household in second.changed
    with store.engine.connect() as conn:
        latest = conn.execute(
            sa.text(
                "SELECT eligible FROM eligibility_decision WHERE household_id = :h "
                "ORDER BY decided_at DESC LIMIT 1"
            ),
            {"h": household},
        ).scalar_one()
    assert latest == 0


def test_refusals(store, staff):
    with pytest.raises(PermissionDenied):
        run_cycle(store, staff.clerk, "2026-12")
    with pytest.raises(ValidationError) as bad:
        run_cycle(store, staff.supervisor, "12-2026")
    assert bad.value.code == "cycle.month"
    assert ApplicationStatus.APPROVED.value == "approved"


def test_cycle_command(tmp_path):
    from typer.testing import CliRunner

    from daman_tui.cli import app
    from daman_tui.services.seed import DEMO_PASSWORD

    db = str(tmp_path / "c.db")
    runner = CliRunner()
    assert (
        runner.invoke(app, ["--db", db, "seed", "--cases", "30", "--as-of", "2026-11-21"]).exit_code
        == 0
    )
    env = {"DAMAN_PASSWORD": DEMO_PASSWORD}
    first = runner.invoke(
        app, ["--db", db, "cycle", "run", "--month", "2026-12", "--user", "supervisor"], env=env
    )
    assert first.exit_code == 0, first.output
    assert "cycle 2026-12" in first.output and "evaluated" in first.output
    again = runner.invoke(
        app, ["--db", db, "cycle", "run", "--month", "2026-12", "--user", "supervisor"], env=env
    )
    assert "already run" in again.output
    clerk = runner.invoke(
        app, ["--db", db, "cycle", "run", "--month", "2027-01", "--user", "clerk"], env=env
    )
    assert clerk.exit_code == 1 and "permission.denied" in clerk.output


def test_the_change_is_visible_in_the_case_history(store, staff, tmp_path):
    from typer.testing import CliRunner

    from daman_tui.cli import app
    from daman_tui.services.decisions import case_decisions

    seed_cases(store, cases=40, seed=6, branch_code="RYD01", as_of=AS_OF)
    run_cycle(store, staff.supervisor, "2026-12")
    with store.engine.connect() as conn:
        household, request = conn.execute(
            sa.text(
                "SELECT d.household_id, a.request_number FROM eligibility_decision d "
                "JOIN payment_cycle c ON c.id = d.cycle_id JOIN application a "
                "ON a.household_id = d.household_id WHERE c.month = '2026-12' AND d.eligible "
                "LIMIT 1"
            )
        ).one()
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE income_line SET monthly_halalas = 9000000 WHERE person_id = "
                "(SELECT head_person_id FROM household WHERE id = :h)"
            ),
            {"h": household},
        )
        conn.execute(
            sa.text(
                "INSERT INTO income_line (id, row_version, created_at, updated_at, origin_node, "
                "branch_id, person_id, income_type, source, monthly_halalas) SELECT 'x-2', 1, "
                "created_at, updated_at, origin_node, branch_id, head_person_id, 'salary', 'عمل', "
                "9000000 FROM household WHERE id = :h"
            ),
            {"h": household},
        )
    run_cycle(store, staff.supervisor, "2027-01")
    history = case_decisions(store, staff.clerk, request)
    by_month = {d.cycle_month: d for d in history}
    assert by_month["2026-12"].eligible and not by_month["2027-01"].eligible
    assert any("threshold" in r for r in by_month["2027-01"].failed_reasons_en)
    assert by_month["2027-01"].entitlement_halalas == 0
    with pytest.raises(PermissionDenied):
        case_decisions(store, staff.other_clerk, request)
    shown = CliRunner().invoke(
        app,
        ["--db", str(store.settings.db), "cases", "decisions", request, "--user", "clerk"],
        env={"DAMAN_PASSWORD": "Passw0rd!demo"},
    )
    assert shown.exit_code == 0, shown.output
    assert "2027-01" in shown.output and "<- changed" in shown.output
