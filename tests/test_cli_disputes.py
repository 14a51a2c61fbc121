"""`daman objections …` and `daman complaints …`: the review panel from a script.

The seeded store and the helpers are those of `daman cases`' tests. Every output is
checked against what the services answer for the same record, and every refusal has its
code and English, then Arabic, on stderr. Seeded decisions are old: a filing passes
``--today`` = the decision's day + 5 (its window open), and so does every what-if and
decision of the same objection.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import Result

from daman_tui.cli import app
from daman_tui.domain.disputes import Correction
from daman_tui.domain.enums import ApplicationStatus, PaymentStatus
from daman_tui.domain.money import format_money
from daman_tui.services.case_file import DecisionDetail, PaymentView
from daman_tui.services.disputes import (
    DisputeFilter,
    dispute_queue,
    objection_choices,
    reference,
)
from daman_tui.services.payments import payment_history, set_payment_status
from daman_tui.services.review import WhatIf, complaint_review, objection_review, what_if
from daman_tui.services.seed import DEMO_PASSWORD
from tests import test_cli_cases
from tests.test_cli_cases import _query, opened, page, read_case, refused, runner, signed_in

# The fixtures of `daman cases`' tests: a seeded store per module, copied for each test.
seeded_template = test_cli_cases.seeded_template
db = test_cli_cases.db

PDF = b"%PDF-1.4\n% a letter ending the employment contract\n%%EOF\n"


def run(
    db: Path,
    group: str,
    *args: str,
    user: str | None = "supervisor",
    password: str | None = DEMO_PASSWORD,
) -> Result:
    argv = ["--db", str(db), group, *args]
    if user is not None:
        argv += ["--user", user]
    return runner.invoke(app, argv, env={"DAMAN_PASSWORD": password}, catch_exceptions=False)


def objections(db: Path, *args: str, **who: str | None) -> Result:
    return run(db, "objections", *args, **who)


def complaints(db: Path, *args: str, **who: str | None) -> Result:
    return run(db, "complaints", *args, **who)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "خطاب إنهاء الخدمة.pdf"
    path.write_bytes(PDF)
    return path


# ---- the cases objected to --------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    application_id: str
    request_number: str
    household_id: str
    decision: DecisionDetail

    @property
    def today(self) -> str:
        """A day in the decision's objection window."""
        return (self.decision.as_of + timedelta(days=5)).isoformat()


def _case(db: Path, status: str, wanted: object) -> Case:
    """The first case in ``status``, never objected to, whose decision passes ``wanted``."""
    for item in page(db, "supervisor", _query(statuses=frozenset({status}))):
        view = read_case(db, "supervisor", item.application_id)
        if view.objections or view.decision is None or not wanted(view):  # type: ignore[operator]
            continue
        return Case(
            item.application_id,
            item.request_number,
            view.summary.household_id,
            view.decision,
        )
    raise AssertionError(f"the seed has no {status} case for this test")


def _incomes(db: Path, household_id: str) -> list[tuple[str, str, int]]:
    """The household's income lines: (row id, income type, monthly halalas)."""
    with opened(db) as store, store.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT i.id, i.income_type, i.monthly_halalas FROM income_line i"
                " JOIN household_member m ON m.person_id = i.person_id"
                " WHERE m.household_id = :h AND i.deleted_at IS NULL AND m.deleted_at IS NULL"
            ),
            {"h": household_id},
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def _salary_rejection(db: Path) -> tuple[Case, str, int]:
    """A rejected case failing the income rule only, whose one income is a salary:
    the case, the salary's row id and its monthly amount."""

    def salary_only(view: object) -> bool:
        decision = view.decision  # type: ignore[attr-defined]
        if [r.rule_code for r in decision.failed] != ["income.threshold"]:
            return False
        incomes = _incomes(db, view.summary.household_id)  # type: ignore[attr-defined]
        return [kind for _, kind, _ in incomes] == ["salary"]

    case = _case(db, "rejected", salary_only)
    ((row_id, _kind, amount),) = _incomes(db, case.household_id)
    return case, row_id, amount


def _approved(db: Path) -> Case:
    return _case(db, "approved", lambda view: view.decision.eligible)


def file_objection(db: Path, case: Case, pdf: Path, *extra: str) -> tuple[str, str]:
    """An objection filed by the clerk to the case's decision: (reference, id)."""
    out = ok(
        objections(
            db,
            "file",
            case.request_number,
            "--decision",
            case.decision.id,
            "--category",
            "income_changed" if not case.decision.eligible else "amount_wrong",
            "--reason",
            "انتهى عقد العمل ولم يعد الراتب قائمًا",
            "--attach",
            str(pdf),
            "--today",
            case.today,
            *extra,
            user="clerk",
        )
    )
    ref, objection_id = out.rstrip("\n").split("\t")
    return ref, objection_id


def tried_by_service(db: Path, objection_id: str, salary_row: str, today: date) -> WhatIf:
    """The service's what-if with the salary at 2,000.50 riyals."""
    with opened(db) as store:
        return what_if(
            store,
            signed_in(store, "supervisor2"),
            objection_id,
            [Correction("income_line", salary_row, 200050)],
            today=today,
        )


def review_of(db: Path, objection_id: str, user: str = "supervisor2"):
    with opened(db) as store:
        return objection_review(store, signed_in(store, user), objection_id)


def test_help_on_every_command():
    groups = {
        "objections": (
            "list",
            "choices",
            "file",
            "show",
            "what-if",
            "decide",
            "assign",
            "priority",
            "duplicate",
            "take",
        ),
        "complaints": ("list", "file", "show", "decide", "assign", "priority", "duplicate", "take"),
    }
    for group, commands in groups.items():
        for command in commands:
            result = runner.invoke(app, [group, command, "--help"])
            assert result.exit_code == 0 and "Usage" in result.output, (group, command)


# ---- an eligibility objection, the whole way ------------------------------------------------
def test_an_eligibility_objection_filed_reviewed_tried_and_upheld(db, pdf):
    case, salary_row, salary = _salary_rejection(db)
    today = date.fromisoformat(case.today)

    # choices: the household's decisions with their window, as the service sees them
    with opened(db) as store:
        choices = objection_choices(
            store, signed_in(store, "clerk"), case.application_id, today=today
        )
    lines = ok(
        objections(
            db, "choices", case.request_number, "--today", case.today, "--lang", "en", user="clerk"
        )
    )
    first = lines.splitlines()[0].split("\t")
    window = f"{choices[0].window_first.isoformat()}..{choices[0].window_last.isoformat()}"
    assert first[:2] == [case.decision.id, case.decision.as_of.isoformat()]
    assert first[3:8] == ["not eligible", "SAR 0.00", "eligibility", window, "open"]
    assert first[-1] == "income.threshold"
    as_json = json.loads(
        ok(
            objections(
                db, "choices", case.request_number, "--today", case.today, "--json", user="clerk"
            )
        ).splitlines()[0]
    )
    assert as_json["decision"]["id"] == case.decision.id and as_json["window_open"] is True

    # file, with a PDF
    ref, objection_id = file_objection(db, case, pdf)
    assert ref == reference("objection", case.request_number, objection_id)
    assert re.fullmatch(rf"{case.request_number}-O[0-9A-F]{{6}}", ref)

    # list: open, unassigned, and the same rows as the panel's
    listed = ok(objections(db, "list", "--json"))
    rows = [json.loads(line) for line in listed.splitlines()]
    mine = next(r for r in rows if r["ref"]["id"] == objection_id)
    assert (mine["reference"], mine["status"], mine["subject"]) == (ref, "filed", "eligibility")
    text = ok(objections(db, "list", "--search", case.request_number)).splitlines()
    assert [line.split("\t")[:3] for line in text] == [[ref, "filed", "eligibility"]]

    # show: the decision with every reason, facts and rules, claim, evidence, rows
    shown = ok(objections(db, "show", ref, "--lang", "en", user="supervisor2"))
    for r in case.decision.reasons:
        assert f"  {'✓' if r.passed else '✗'} {r.rule_code}  {r.message_en}\n" in shown
    assert f"Decision objected to: {case.decision.as_of.isoformat()} ({case.decision.id})" in shown
    assert f"Facts the decision used (rules {case.decision.rule_set_version}):" in shown
    assert "انتهى عقد العمل ولم يعد الراتب قائمًا" in shown
    assert f"sha256 {hashlib.sha256(PDF).hexdigest()}" in shown and "application/pdf" in shown
    row_line = next(x for x in shown.splitlines() if f"income_line:{salary_row}" in x)
    assert row_line.endswith(
        f"salary {_salary_source(db, salary_row)}  {format_money(salary, 'en')}"
    )
    assert shown.rstrip().endswith("Outcome: not decided yet")
    data = json.loads(ok(objections(db, "show", objection_id, "--json", user="supervisor2")))
    assert data["reference"] == ref and data["is_open"] is True
    assert data["evidence"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    row = next(r for r in data["correctable"] if r["row_id"] == salary_row)
    assert (row["table"], row["kind"], row["value_halalas"]) == ("income_line", "salary", salary)
    assert data["facts"]["household_id"] == case.household_id

    # what-if: a salary of 2,000.50 riyals, typed in Arabic-Indic digits
    correction = f"income_line:{salary_row}=٢٠٠٠٫٥٠"
    expected = tried_by_service(db, objection_id, salary_row, today)
    new = expected.decision
    assert new.eligible, "the seed's salary case must become eligible: pick another amount"
    what = ["what-if", ref, "--correct", correction, "--today", case.today]
    tried = ok(objections(db, *what, "--lang", "en", user="supervisor2"))
    assert (
        f"Original decision: {case.decision.as_of.isoformat()} ({case.decision.id}), rules "
        f"{case.decision.rule_set_version}, not eligible, SAR 0.00\n"
    ) in tried
    assert (
        f"With the corrections: {case.today}, rules {new.rule_set_version}, eligible, "
        f"{format_money(new.entitlement_halalas, 'en')}\n"
    ) in tried
    assert "  failed: none\n" in tried
    assert f"Arrears: {format_money(expected.arrears.total_halalas, 'en')}" in tried
    assert f"  income_line:{salary_row} = SAR 2,000.50\n" in tried
    tried_json = json.loads(ok(objections(db, *what, "--json", user="supervisor2")))
    assert tried_json["original"]["eligible"] is False
    assert tried_json["decision"]["eligible"] is True and tried_json["decision"]["failed"] == []
    assert tried_json["decision"]["entitlement_halalas"] == new.entitlement_halalas
    assert tried_json["arrears"]["total_halalas"] == expected.arrears.total_halalas
    assert tried_json["corrections"] == [
        {"table": "income_line", "row_id": salary_row, "value_halalas": 200050}
    ]
    assert _incomes(db, case.household_id) == [(salary_row, "salary", salary)]  # nothing stored

    # a review two months later: the months paid since the decision, each with its arrears
    later = case.decision.as_of + timedelta(days=70)
    owed = tried_by_service(db, objection_id, salary_row, later).arrears
    assert len(owed.lines) >= 2 and owed.total_halalas > 0
    what[-1] = later.isoformat()
    months = ok(objections(db, *what, "--lang", "en", user="supervisor2"))
    assert (
        f"Arrears: {format_money(owed.total_halalas, 'en')}\n"
        + "".join(
            f"  {x.month}  paid {format_money(x.paid_halalas, 'en')}  owed "
            f"{format_money(x.owed_halalas, 'en')}  difference "
            f"{format_money(x.difference_halalas, 'en')}\n"
            for x in owed.lines
        )
        in months
    )

    # decide: upheld by the supervisor who did not reject the case
    decided = ok(
        objections(
            db,
            "decide",
            ref,
            "--uphold",
            "--justification",
            "ثبت انتهاء عقد العمل بخطاب رسمي",
            "--correct",
            correction,
            "--today",
            case.today,
            "--lang",
            "en",
            user="supervisor2",
        )
    )
    after = review_of(db, objection_id)
    assert after.new_decision is not None and after.new_decision.eligible
    assert after.new_decision.entitlement_halalas == new.entitlement_halalas
    assert decided.startswith(f"{ref}\nOutcome: upheld\nJustification:\n  ثبت انتهاء")
    assert f"New decision: {case.today} ({after.new_decision.id}), rules" in decided
    assert f"Arrears: {format_money(after.arrears_halalas, 'en')}\n" in decided
    assert after.notification_text.startswith(f"Your objection {ref}")  # written in --lang
    assert (
        "Notification:\n" + "\n".join(f"  {line}" for line in after.notification_text.splitlines())
        in decided
    )

    # show, decided: the new decision, the arrears, the notification; the case approved
    shown = ok(objections(db, "show", ref, "--lang", "en", user="supervisor2"))
    assert "Outcome: upheld" in shown and f"New decision: {case.today} (" in shown
    assert "  ✓ income.threshold  " in shown.split("New decision:")[1]
    assert f"Arrears: {format_money(after.arrears_halalas, 'en')}" in shown
    assert after.notification_text.splitlines()[0] in shown
    assert _incomes(db, case.household_id) == [(salary_row, "salary", 200050)]
    status = read_case(db, "supervisor", case.application_id).summary.status
    assert status is ApplicationStatus.APPROVED
    assert ref not in ok(objections(db, "list", user="supervisor2"))  # open ones only
    decided_rows = ok(objections(db, "list", "--decided", "--json"))
    assert ref in [json.loads(line)["reference"] for line in decided_rows.splitlines()]


def _salary_source(db: Path, row_id: str) -> str:
    with opened(db) as store, store.engine.connect() as conn:
        return str(
            conn.execute(
                sa.text("SELECT source FROM income_line WHERE id = :i"), {"i": row_id}
            ).scalar_one()
        )


def test_who_may_decide_and_what_a_decision_needs(db, pdf):
    case, salary_row, _ = _salary_rejection(db)
    ref, objection_id = file_objection(db, case, pdf)
    with opened(db) as store:
        rejected_by = signed_in(store, "supervisor").id
    assert rejected_by in review_of(db, objection_id).decision_makers
    uphold = ["decide", ref, "--uphold", "--justification", "ثبت انتهاء عقد العمل"]

    clerk = objections(db, *uphold, user="clerk")
    refused(clerk, "permission.denied", 1)
    refused(objections(db, *uphold, user="supervisor"), "objection.own_decision", 1)
    # The command line is checked before a password is asked for.
    refused(objections(db, "decide", ref, "--uphold", password=None), "input.missing", 2)
    refused(
        objections(db, "decide", ref, "--justification", "ثبت انتهاء عقد العمل", password=None),
        "input.outcome",
        2,
    )
    refused(
        objections(
            db, "decide", ref, "--uphold", "--dismiss", "--justification", "x" * 20, password=None
        ),
        "input.outcome",
        2,
    )
    refused(
        objections(db, "decide", ref, "--uphold", "--justification", "حسنًا", user="supervisor2"),
        "dispute.justification",
        1,
    )
    refused(
        objections(db, "what-if", ref, "--correct", f"income_line:{salary_row}=-5", password=None),
        "input.correct",
        2,
    )
    refused(
        objections(db, "what-if", ref, "--correct", f"pension:{salary_row}=5", password=None),
        "correction.invalid",
        2,
    )
    dismissal = [*uphold[:2], "--dismiss", *uphold[3:], "--correct", f"income_line:{salary_row}=0"]
    refused(objections(db, *dismissal, user="supervisor2"), "objection.dismiss_corrections", 1)
    assert review_of(db, objection_id).is_open  # none of these decided it


def test_an_amount_objection_dismissed_in_the_desk_language(db, pdf, tmp_path):
    case = _approved(db)
    ref, objection_id = file_objection(db, case, pdf)
    shown = ok(objections(db, "show", ref, "--lang", "en", user="supervisor"))
    assert "Status: filed (amount)" in shown
    assert "Reason: amount_wrong (the entitlement is less than owed)" in shown
    approved_by = review_of(db, objection_id).decision_makers
    with opened(db) as store:
        assert signed_in(store, "supervisor2").id in approved_by
    dismiss = ["decide", ref, "--dismiss", "--justification", "المبلغ محسوب وفق عدد الأفراد"]
    refused(objections(db, *dismiss, user="supervisor2"), "objection.own_decision", 1)

    # No --lang: the configured language (Arabic by default) writes the notification.
    out = ok(objections(db, *dismiss, "--json", user="supervisor"))
    data = json.loads(out)
    assert (data["status"], data["outcome"], data["new_decision"]) == (
        "dismissed",
        "dismissed",
        None,
    )
    assert data["arrears_halalas"] == 0 and data["is_open"] is False
    assert data["notification_text"].startswith("المستفيد الكريم")
    assert "تقرر رفض الاعتراض" in data["notification_text"]

    shown = ok(objections(db, "show", objection_id, user="supervisor"))
    assert "النتيجة: dismissed" in shown and "القرار الجديد" not in shown
    assert "المسوغ:\n  المبلغ محسوب وفق عدد الأفراد" in shown
    english = ok(
        runner.invoke(
            app,
            ["--db", str(db), "--lang", "en", "objections", "show", ref, "--user", "supervisor"],
            env={"DAMAN_PASSWORD": DEMO_PASSWORD},
        )
    )
    assert "Outcome: dismissed" in english and "Arrears: SAR 0.00" in english
    view = read_case(db, "supervisor", case.application_id)
    assert view.summary.status is ApplicationStatus.APPROVED
    assert view.decision is not None and view.decision.id == case.decision.id  # unchanged
    refused(objections(db, *dismiss, user="supervisor"), "objection.transition", 1)


# ---- filing refusals ------------------------------------------------------------------------
def test_filing_outside_the_window_names_its_dates(db, pdf):
    case, _, _ = _salary_rejection(db)
    with opened(db) as store:
        (choice, *_) = objection_choices(
            store, signed_in(store, "clerk"), case.application_id, today=date.today()
        )
    late = (choice.window_last + timedelta(days=1)).isoformat()
    closed = ok(
        objections(
            db, "choices", case.request_number, "--today", late, "--lang", "en", user="clerk"
        )
    )
    assert closed.splitlines()[0].split("\t")[7] == "closed"
    args = [
        "file", case.request_number, "--decision", case.decision.id, "--category",
        "income_changed", "--reason", "تغير الدخل", "--attach", str(pdf), "--today", late,
    ]  # fmt: skip
    result = objections(db, *args, user="clerk")
    refused(result, "objection.window_closed", 1)
    assert case.decision.as_of.isoformat() in result.stderr.splitlines()[0]
    assert choice.window_last.isoformat() in result.stderr.splitlines()[0]
    assert choice.window_last.isoformat() in result.stderr.splitlines()[1]  # and in Arabic
    assert ok(objections(db, "list", "--search", case.request_number)) == ""


def test_filing_needs_a_pdf_and_its_options(db, pdf, tmp_path):
    case, _, _ = _salary_rejection(db)
    scan = tmp_path / "letter.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)  # a document, but not a PDF
    text = tmp_path / "letter.txt"
    text.write_text("not a pdf", encoding="utf-8")
    base = [
        "file", case.request_number, "--decision", case.decision.id, "--category",
        "income_changed", "--reason", "تغير الدخل", "--today", case.today,
    ]  # fmt: skip
    png = objections(db, *base, "--attach", str(pdf), "--attach", str(scan), user="clerk")
    refused(png, "dispute.evidence_not_pdf", 1)
    assert "letter.png" in png.stderr
    refused(objections(db, *base, "--attach", str(text), user="clerk"), "document.type", 1)
    refused(objections(db, *base, user="clerk"), "dispute.evidence_missing", 1)
    refused(objections(db, *base[:2], "--reason", "x", password=None), "input.missing", 2)
    wrong = [*base[:5], "feelings", *base[6:], "--attach", str(pdf)]
    refused(objections(db, *wrong, user="clerk"), "dispute.category", 1)
    assert ok(objections(db, "list", "--search", case.request_number)) == ""  # nothing filed
    filed = file_objection(db, case, pdf)
    again = objections(db, *base, "--attach", str(pdf), user="clerk")
    refused(again, "objection.open_exists", 1)
    assert filed[0] in again.stderr


# ---- naming records and triage --------------------------------------------------------------
def test_a_record_is_named_by_reference_or_id_and_nothing_else(db, pdf):
    case, _, _ = _salary_rejection(db)
    ref, objection_id = file_objection(db, case, pdf)
    by_ref = ok(objections(db, "show", ref, "--json"))
    assert json.loads(by_ref) == json.loads(ok(objections(db, "show", objection_id, "--json")))
    assert json.loads(ok(objections(db, "show", ref.lower(), "--json")))["reference"] == ref
    wrong_tail = ref[:-1] + ("0" if ref[-1] != "0" else "1")
    refused(objections(db, "show", wrong_tail), "objection.unknown", 1)
    refused(objections(db, "show", ref.replace("-O", "-C")), "objection.unknown", 1)
    refused(complaints(db, "show", ref), "complaint.unknown", 1)
    refused(objections(db, "show", "no-such-id"), "objection.unknown", 1)


def test_objections_triage(db, pdf):
    case, _, _ = _salary_rejection(db)
    ref, objection_id = file_objection(db, case, pdf)
    refused(objections(db, "assign", ref, "--to", "clerk"), "dispute.assignee", 1)
    refused(objections(db, "assign", ref, "--to", "ghost"), "user.unknown", 1)
    refused(objections(db, "assign", ref, password=None), "input.missing", 2)
    refused(objections(db, "priority", ref, "--level", "5"), "dispute.priority", 1)
    refused(objections(db, "take", ref, user="clerk"), "permission.denied", 1)
    assert ok(objections(db, "priority", ref, "--level", "2")) == "priority 2 for 1 objection(s)\n"
    assert ok(objections(db, "take", ref, user="supervisor2")) == f"{ref}: under review\n"
    rows = [
        json.loads(line)
        for line in ok(objections(db, "list", "--mine", "--json", user="supervisor2")).splitlines()
    ]
    mine = next(r for r in rows if r["ref"]["id"] == objection_id)
    assert (mine["status"], mine["priority"], mine["assignee_name"]) == (
        "under_review",
        2,
        "منيرة فهد الدوسري",
    )
    assert objection_id not in ok(objections(db, "list", "--unassigned", "--json"))
    assert ok(objections(db, "assign", objection_id, "--to", "supervisor")) == (
        "assigned 1 objection(s) to supervisor\n"
    )
    assert review_of(db, objection_id).assignee_name == "خالد عبدالله الشهري"


@pytest.mark.parametrize(
    ("options", "flt"),
    [
        ([], DisputeFilter(kinds=frozenset({"objection"}))),
        (["--all"], DisputeFilter(kinds=frozenset({"objection"}), state="all")),
        (["--decided"], DisputeFilter(kinds=frozenset({"objection"}), state="decided")),
        (
            ["--all", "--unassigned"],
            DisputeFilter(kinds=frozenset({"objection"}), state="all", unassigned=True),
        ),
        (
            ["--all", "--overdue"],
            DisputeFilter(kinds=frozenset({"objection"}), state="all", overdue=True),
        ),
        (
            ["--all", "--mine"],
            DisputeFilter(kinds=frozenset({"objection"}), state="all", mine=True),
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_list_answers_what_the_panel_answers(db, options, flt):
    with opened(db) as store:
        expected = dispute_queue(store, signed_in(store, "supervisor2"), flt)
    assert expected, "the seed gives this filter no rows: the test would prove nothing"
    out = ok(objections(db, "list", *options, "--json", user="supervisor2"))
    assert [json.loads(line)["reference"] for line in out.splitlines()] == [
        r.reference for r in expected
    ]
    text = ok(objections(db, "list", *options, user="supervisor2")).splitlines()
    assert [line.split("\t")[0] for line in text] == [r.reference for r in expected]
    for line, row in zip(text, expected, strict=True):
        cells = line.split("\t")
        assert cells[:8] == [
            row.reference,
            row.status,
            row.subject,
            row.category,
            str(row.priority),
            row.filed_on.isoformat(),
            str(row.days_left),
            row.assignee_name or "-",
        ]
        assert cells[9] == row.head_name
        assert row.national_id not in line and cells[8].endswith(row.national_id[-4:])


def test_list_refuses_all_with_decided_and_a_field_officer(db):
    refused(objections(db, "list", "--all", "--decided", password=None), "input.option", 2)
    refused(objections(db, "list", user="field"), "permission.disputes", 1)


# ---- complaints -----------------------------------------------------------------------------
def _paid(db: Path, count: int) -> tuple[str, list[PaymentView]]:
    """An approved household with ``count`` paid payments: (request number, payments)."""
    for item in page(db, "supervisor", _query(statuses=frozenset({"approved"}))):
        with opened(db) as store:
            views = payment_history(
                store, signed_in(store, "supervisor"), request_number=item.request_number
            )
        paid = [v for v in views if v.status is PaymentStatus.PAID and not v.open_complaint]
        if len(paid) >= count:
            return item.request_number, paid[:count]
    raise AssertionError("the seed has no approved household paid that often")


def file_complaint(db: Path, payment_id: str, pdf: Path, category: str = "returned") -> str:
    reason = ["--reason", "أعاد البنك الدفعة لخطأ في الآيبان"]
    filing = ["file", payment_id, "--category", category, *reason, "--attach", str(pdf)]
    out = ok(complaints(db, *filing, user="clerk"))
    ref, complaint_id = out.rstrip("\n").split("\t")
    assert ref != "-" and ref.endswith(complaint_id.replace("-", "")[-6:].upper())
    return ref


def test_a_complaint_about_a_returned_payment_resolved_with_a_reissue(db, pdf):
    request, (payment,) = _paid(db, 1)
    with opened(db) as store:
        set_payment_status(
            store, signed_in(store, "supervisor"), payment.id, PaymentStatus.RETURNED
        )
    ref = file_complaint(db, payment.id, pdf)
    assert ref.startswith(f"{request}-C")
    listed = [line.split("\t") for line in ok(complaints(db, "list")).splitlines()]
    assert [ref, "filed", payment.cycle_month, "returned"] in [row[:4] for row in listed]

    shown = ok(complaints(db, "show", ref, "--lang", "en"))
    assert (
        f"Payment: {payment.id}  {payment.cycle_month}  {payment.pay_date.isoformat()}  "
        f"{format_money(payment.amount_halalas, 'en')}  returned"
    ) in shown
    assert f"sha256 {hashlib.sha256(PDF).hexdigest()}" in shown
    assert shown.rstrip().endswith("Outcome: not decided yet")

    justification = ["--justification", "أعيدت الدفعة بعد تصحيح رقم الحساب"]
    refused(
        complaints(db, "decide", ref, "--dismiss", "--reissue", *justification),
        "complaint.reissue",
        1,
    )
    refused(
        complaints(db, "decide", ref, "--resolve", *justification, user="clerk"),
        "permission.denied",
        1,
    )
    refused(complaints(db, "decide", ref, "--resolve", password=None), "input.missing", 2)
    decided = ok(
        complaints(db, "decide", ref, "--resolve", "--reissue", *justification, "--lang", "en")
    )
    complaint_id = after_id(db, ref)
    with opened(db) as store:
        supervisor = signed_in(store, "supervisor")
        after = complaint_review(store, supervisor, complaint_id)
        views = payment_history(store, supervisor, request_number=request)
    assert decided == (
        f"{ref}\nOutcome: resolved\nPayment: {payment.id} due\nNotification:\n"
        + "".join(f"  {line}\n" for line in after.resolution_text.splitlines())
    )
    assert after.resolution_text.startswith(f"Your financial complaint {ref}")
    assert next(v for v in views if v.id == payment.id).status is PaymentStatus.DUE
    data = json.loads(ok(complaints(db, "show", complaint_id, "--json")))
    assert (data["status"], data["payment_status"], data["is_open"]) == ("resolved", "due", False)
    assert data["justification"] == justification[1]
    arabic = ok(complaints(db, "show", ref))
    # The labels in the configured language; the notification as it was sent (English).
    assert "النتيجة: resolved" in arabic and "المسوغ:\n  أعيدت الدفعة" in arabic
    assert after.resolution_text.splitlines()[0] in arabic


def after_id(db: Path, ref: str) -> str:
    rows = [json.loads(line) for line in ok(complaints(db, "list", "--all", "--json")).splitlines()]
    return next(r["ref"]["id"] for r in rows if r["reference"] == ref)


def test_complaints_triage_and_duplicates(db, pdf):
    _, (first, second) = _paid(db, 2)
    refs = [file_complaint(db, p.id, pdf, "not_received") for p in (first, second)]
    ids = [after_id(db, r) for r in refs]
    assert ok(complaints(db, "assign", refs[0], ids[1], "--to", "supervisor2")) == (
        "assigned 2 complaint(s) to supervisor2\n"
    )
    assert (
        ok(complaints(db, "priority", *refs, "--level", "1")) == "priority 1 for 2 complaint(s)\n"
    )
    rows = [
        json.loads(x)
        for x in ok(complaints(db, "list", "--mine", "--json", user="supervisor2")).splitlines()
    ]
    assert {r["reference"] for r in rows} >= set(refs)
    assert all(r["priority"] == 1 for r in rows if r["reference"] in refs)
    assert ok(complaints(db, "take", refs[0], user="supervisor2")) == f"{refs[0]}: under review\n"
    refused(complaints(db, "duplicate", refs[0], "--of", refs[0]), "dispute.duplicate_self", 1)
    assert ok(complaints(db, "duplicate", refs[1], "--of", refs[0])) == (
        f"closed 1 complaint(s) as duplicates of {refs[0]}\n"
    )
    every = {
        json.loads(x)["reference"]: json.loads(x)
        for x in ok(complaints(db, "list", "--all", "--json")).splitlines()
    }
    assert every[refs[0]]["status"] == "under_review"
    assert (every[refs[1]]["status"], every[refs[1]]["linked_to"]) == ("duplicate", ids[0])
    assert refs[1] not in ok(complaints(db, "list"))
    refused(complaints(db, "priority", refs[1], "--level", "2"), "dispute.closed", 1)
