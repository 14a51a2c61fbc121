"""The `daman` command, through Typer's runner: every command a script uses."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from daman_tui.cli import app
from daman_tui.db.migrate import head_revision
from daman_tui.services.seed import DEMO_PASSWORD

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.db")


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def test_help_on_every_command():
    for args in (
        [],
        ["demo"],
        ["seed"],
        ["init"],
        ["db"],
        ["user", "add"],
        ["cases", "list"],
        ["audit", "verify"],
    ):
        result = run(*args, "--help")
        assert result.exit_code == 0, args
        assert "Usage" in result.output


def test_db_upgrade_and_current(db):
    result = run("--db", db, "db", "upgrade")
    assert result.exit_code == 0 and result.output.strip().endswith(head_revision())
    assert f"store: {head_revision()}" in run("--db", db, "db", "current").output


def test_seed_then_list_cases_as_a_user(db):
    result = run("--db", db, "seed", "--cases", "40", "--seed", "2", "--as-of", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "40 cases" in result.output
    listed = run(
        "--db",
        db,
        "cases",
        "list",
        "--user",
        "clerk",
        "--limit",
        "5",
        env={"DAMAN_PASSWORD": DEMO_PASSWORD},
    )
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert len(lines) == 5
    request, _status, masked, name, _when = lines[0].split("\t")
    assert request.startswith("RYD01-") and "•" in masked and len(name.split()) == 4
    wrong = run("--db", db, "cases", "list", "--user", "clerk", env={"DAMAN_PASSWORD": "nope-nope"})
    assert wrong.exit_code == 1 and "auth.invalid" in wrong.output


def test_seed_rejects_an_unknown_branch_clearly(db):
    result = run("--db", db, "seed", "--cases", "5", "--branch", "XXX99")
    assert result.exit_code == 1
    assert "branch.unknown" in result.output and "RYD01" in result.output


def test_init_user_add_and_list(db):
    env = {"DAMAN_PASSWORD": "first-admin-pw"}
    result = run(
        "--db",
        db,
        "init",
        "--branch",
        "RYD02",
        "--branch-name",
        "فرع الرياض الثاني",
        "--region",
        "RIY",
        "--city",
        "الرياض",
        "--admin",
        "root",
        env=env,
    )
    assert result.exit_code == 0, result.output
    added = run(
        "--db",
        db,
        "user",
        "add",
        "sara",
        "--full-name",
        "سارة علي",
        "--role",
        "clerk",
        "--branch",
        "ryd02",
        "--user",
        "root",
        env=env | {"DAMAN_NEW_PASSWORD": "sara-pass-123"},
    )
    assert added.exit_code == 0, added.output
    listed = run("--db", db, "user", "list").output
    assert "root" in listed and "sara" in listed and "clerk" in listed


def test_audit_verify_passes_then_catches_tampering(db):
    run("--db", db, "seed", "--cases", "3", "--as-of", "2026-11-21")
    ok = run("--db", db, "audit", "verify")
    assert ok.exit_code == 0 and "intact" in ok.output
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_entry SET action = 'user.delete' WHERE seq = 2")
    bad = run("--db", db, "audit", "verify")
    assert bad.exit_code == 1 and "#2" in bad.output


def test_demo_builds_the_store_and_prints_accounts(db):
    result = run("--db", db, "demo", "--cases", "25", "--no-tui")
    assert result.exit_code == 0, result.output
    for name in ("clerk", "supervisor", "field", "admin"):
        assert name in result.output
    assert DEMO_PASSWORD in result.output
    again = run("--db", db, "demo", "--no-tui")
    assert "Generating" not in again.output  # an existing demo store is reused


def test_a_bad_setting_is_named_not_a_traceback(db):
    result = runner.invoke(app, ["--db", db, "version"], env={"DAMAN_LANG": "fr"})
    assert result.exit_code == 2
    assert "lang" in result.output and "Traceback" not in result.output


def test_a_bad_date_is_refused_clearly(db):
    result = run("--db", db, "seed", "--cases", "1", "--as-of", "21/11/2026")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
