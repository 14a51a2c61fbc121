"""`daman payments …`: a household's payments and a supervisor's moves, from a script.

The seeded store and the helpers are those of `daman cases`' tests: the same seed, the
same demo staff, the same shape of a refusal (code and English, then Arabic, on stderr).
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from typer.testing import Result

from daman_tui.cli import app
from daman_tui.domain.enums import PaymentStatus as P
from daman_tui.domain.money import format_money
from daman_tui.services.case_file import PaymentView, case_file
from daman_tui.services.payments import payment_history
from daman_tui.services.seed import DEMO_PASSWORD
from tests import test_cli_cases
from tests.test_cli_cases import _query, opened, page, refused, runner, signed_in

# The fixtures of `daman cases`' tests: a seeded store per module, copied for each test.
seeded_template = test_cli_cases.seeded_template
db = test_cli_cases.db


def payments(db: Path, *args: str, user: str | None = "supervisor") -> Result:
    argv = ["--db", str(db), "payments", *args]
    if user is not None:
        argv += ["--user", user]
    return runner.invoke(app, argv, env={"DAMAN_PASSWORD": DEMO_PASSWORD}, catch_exceptions=False)


def _approved_request(db: Path) -> str:
    return page(db, "supervisor", _query(statuses=frozenset({"approved"})))[0].request_number


def history(db: Path, request: str) -> list[PaymentView]:
    with opened(db) as store:
        return payment_history(store, signed_in(store, "supervisor"), request_number=request)


def test_help_on_every_payments_command():
    for command in ("list", "set-status"):
        result = runner.invoke(app, ["payments", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command


def test_list_prints_the_households_payments_newest_first(db):
    request = _approved_request(db)
    views = history(db, request)
    assert views
    result = payments(db, "list", "--request", request)
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(cells[0], cells[1], cells[4]) for cells in lines] == [
        (v.id, v.cycle_month, v.status.value) for v in views
    ]
    first = lines[0]
    assert first[2] == views[0].pay_date.isoformat() and first[2].endswith("-01")
    assert first[3] == format_money(views[0].amount_halalas, "en")

    arabic = payments(db, "list", "--request", request, "--lang", "ar")
    assert arabic.stdout.splitlines()[0].split("\t")[3] == format_money(
        views[0].amount_halalas, "ar"
    )

    as_json = payments(db, "list", "--request", request, "--json")
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [r["id"] for r in rows] == [v.id for v in views]
    assert set(rows[0]) == {f.name for f in fields(PaymentView)}
    assert rows[0]["amount_halalas"] == views[0].amount_halalas

    with opened(db) as store:
        app_id = page(db, "supervisor", _query(search=request))[0].application_id
        national_id = case_file(store, signed_in(store, "supervisor"), app_id).summary.national_id
    by_id = payments(db, "list", "--national-id", national_id)
    assert by_id.stdout == result.stdout


def test_list_names_one_household_and_only_one_the_user_may_open(db):
    request = _approved_request(db)
    refused(payments(db, "list"), "input.household", 2)
    refused(payments(db, "list", "--request", request, "--national-id", "1"), "input.household", 2)
    refused(payments(db, "list", "--request", "RYD01-000000-XXX-00000"), "case.unknown", 1)
    # A field officer opens only the cases with a visit assigned to them.
    submitted = page(db, "supervisor", _query(statuses=frozenset({"submitted"})))[0]
    refused(
        payments(db, "list", "--request", submitted.request_number, user="field"), "case.unknown", 1
    )


def test_set_status_moves_a_payment_and_refuses_a_move_not_allowed(db):
    request = _approved_request(db)
    paid = next(v for v in history(db, request) if v.status is P.PAID)

    refused(payments(db, "set-status", paid.id, "held", "--reason", "تحقق"), "payment.illegal", 1)
    refused(payments(db, "set-status", paid.id, "returned", user="clerk"), "permission.denied", 1)
    refused(payments(db, "set-status", paid.id, "lost"), "input.status", 2)
    assert next(v for v in history(db, request) if v.id == paid.id).status is P.PAID

    result = payments(db, "set-status", paid.id, "RETURNED")
    assert result.exit_code == 0, result.output
    cells = result.stdout.rstrip("\n").split("\t")
    assert (cells[0], cells[1], cells[4]) == (paid.id, paid.cycle_month, "returned")
    assert next(v for v in history(db, request) if v.id == paid.id).status is P.RETURNED

    held = payments(db, "set-status", paid.id, "due", "--json")
    assert json.loads(held.stdout)["status"] == "due"
