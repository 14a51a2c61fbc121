"""`daman cases …`: the queue and the case file from a script, on a seeded store on disk.

Every listing is checked against what the queue service answers for the same query, and
every action against the store it changed. A refusal names its code and says it in
English and Arabic: exit 1 when a service or the store refuses, exit 2 when the command
line itself is wrong (found before a password is asked for).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner, Result

from daman_tui.cli import app
from daman_tui.domain.dates import parse_date
from daman_tui.domain.enums import ApplicationKind, ApplicationStatus, DocumentType
from daman_tui.domain.errors import DomainError
from daman_tui.domain.household import format_sar
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.permissions import Actor
from daman_tui.services import auth
from daman_tui.services.case_actions import available_actions, rejection_reasons, schedule_visit
from daman_tui.services.case_file import CaseFileView, case_file
from daman_tui.services.cases import (
    PersonInput,
    create_household,
    save_draft,
    submit_application,
)
from daman_tui.services.documents import attach_document
from daman_tui.services.queue import (
    QueueFilter,
    QueueItem,
    QueueQuery,
    QueueSort,
    queue_count,
    queue_page,
)
from daman_tui.services.saved_filters import list_saved
from daman_tui.services.seed import DEMO_PASSWORD
from daman_tui.services.store import Store
from daman_tui.settings import Settings

runner = CliRunner()
ARABIC = re.compile("[\u0600-\u06ff]")
SEED = ("seed", "--cases", "60", "--seed", "3", "--as-of", "2026-11-21")


# ---- the store ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded store for the module; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("cases-cli")
    db = folder / "daman.db"
    with pytest.MonkeyPatch.context() as mp:
        # Made before the per-test fixtures run: the same isolation and test-sized argon2
        # cost conftest gives every test, or each sign-in below would cost a real hash.
        mp.setenv("DAMAN_CONFIG", str(folder / "no-config.toml"))
        for name in ("DAMAN_DB", "DAMAN_LANG", "DAMAN_BIDI", "DAMAN_PASSWORD"):
            mp.delenv(name, raising=False)
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        mp.setattr(auth, "_hasher", lambda: cheap)
        result = runner.invoke(app, ["--db", str(db), *SEED], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(seeded_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "daman.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{seeded_template}{suffix}")
        if source.exists():
            shutil.copy(source, f"{target}{suffix}")
    return target


@contextmanager
def opened(db: Path) -> Iterator[Store]:
    store = Store.open(Settings(db=db, bidi="app"))
    try:
        yield store
    finally:
        store.close()


def signed_in(store: Store, username: str) -> Actor:
    return auth.authenticate(store, username, DEMO_PASSWORD)


def page(db: Path, username: str, query: QueueQuery, limit: int = 100) -> list[QueueItem]:
    with opened(db) as store:
        actor = signed_in(store, username)
        return queue_page(store, actor, query, limit=limit, today=date.today())


def read_case(db: Path, username: str, application_id: str) -> CaseFileView:
    with opened(db) as store:
        return case_file(store, signed_in(store, username), application_id, with_form=False)


def fresh_case(db: Path, n: int = 1, *, document: Path | None = None) -> tuple[str, str]:
    """A household's application submitted today by the clerk, so its 20-day clock runs
    whatever day the tests run on: (application id, request number)."""
    head = PersonInput(
        national_id=make_national_id("citizen", f"9{n:07d}"),
        first_name="أحمد",
        father_name="محمد",
        grandfather_name="عبدالله",
        family_name="القحطاني",
    )
    with opened(db) as store:
        clerk = signed_in(store, "clerk")
        household = create_household(store, clerk, head)
        draft = save_draft(store, clerk, household.id)
        if document is not None:
            attach_document(
                store,
                clerk,
                household_id=household.id,
                doc_type=DocumentType.NATIONAL_ID,
                path=document,
                application_id=draft.id,
            )
        submitted = submit_application(store, clerk, draft.id, declaration_accepted=True)
    return submitted.id, submitted.request_number


# ---- the command --------------------------------------------------------------------------
def cases(
    db: Path, *args: str, user: str | None = "supervisor", password: str | None = DEMO_PASSWORD
) -> Result:
    argv = ["--db", str(db), "cases", *args]
    if user is not None:
        argv += ["--user", user]
    return runner.invoke(app, argv, env={"DAMAN_PASSWORD": password}, catch_exceptions=False)


def listed(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [json.loads(line)["request_number"] for line in result.stdout.splitlines()]


def numbers(items: list[QueueItem]) -> list[str]:
    return [i.request_number for i in items]


def refused(result: Result, code: str, exit_code: int) -> None:
    """Refused with ``code``, the English and then the Arabic message, and nothing done."""
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    english, arabic = result.stderr.rstrip("\n").split("\n", 1)
    assert english.startswith(f"{code}: ") and len(english) > len(code) + 10
    assert ARABIC.search(arabic)
    assert result.stdout == ""


def test_help_on_every_cases_command():
    for command in ("list", "show", "act", "reasons", "views", "save-view", "delete-view"):
        result = runner.invoke(app, ["cases", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command


# ---- cases list ---------------------------------------------------------------------------
def _query(**parts: object) -> QueueQuery:
    sort = parts.pop("sort", None)
    search = str(parts.pop("search", ""))
    return QueueQuery(
        filter=QueueFilter(**parts),  # type: ignore[arg-type]
        search=search,
        sort=sort if isinstance(sort, QueueSort) else QueueSort(),
    )


QUERIES = [
    (
        ["--status", "submitted", "--status", "visit-done"],
        _query(statuses=frozenset({"submitted", "visit_done"})),
    ),
    (["--status", "approved,rejected"], _query(statuses=frozenset({"approved", "rejected"}))),
    (["--sla", "overdue"], _query(sla=frozenset({"overdue"}))),
    (["--sla", "paused", "--sla", "stopped"], _query(sla=frozenset({"paused", "stopped"}))),
    (["--kind", "update"], _query(kinds=frozenset({"update"}))),
    (["--kind", "objection,complaint"], _query(kinds=frozenset({"objection", "complaint"}))),
    (["--mine"], _query(mine=True)),
    (
        ["--from", "2026-10-01", "--to", "2026-11-15"],
        _query(submitted_from=date(2026, 10, 1), submitted_to=date(2026, 11, 15)),
    ),
    (["--from", "1448-05-01"], _query(submitted_from=parse_date("1448-05-01").gregorian)),
    (["--search", "RYD01-2611"], _query(search="RYD01-2611")),
    (["--sort", "name_key"], _query(sort=QueueSort("name_key", False))),
    (["--sort", "due_on", "--desc"], _query(sort=QueueSort("due_on", True))),
    (["--asc"], _query(sort=QueueSort("last_change_at", False))),
    (
        ["--status", "approved", "--sort", "request_number", "--asc"],
        _query(statuses=frozenset({"approved"}), sort=QueueSort("request_number", False)),
    ),
]


def _option_id(value: object) -> str:
    return " ".join(value) if isinstance(value, list) else ""


@pytest.mark.parametrize(("options", "query"), QUERIES, ids=_option_id)
def test_list_answers_what_the_queue_answers_for_each_option(db, options, query):
    result = cases(db, "list", *options, "--json", "--limit", "100")
    expected = page(db, "supervisor", query)
    assert expected, "the seed gives this query no rows: the test would prove nothing"
    assert expected != page(db, "supervisor", QueueQuery()), "the option must change the answer"
    assert listed(result) == numbers(expected)


def test_list_limit_keeps_the_first_rows(db):
    assert listed(cases(db, "list", "--json", "--limit", "7")) == numbers(
        page(db, "supervisor", QueueQuery(), limit=7)
    )


def test_list_text_lines_keep_their_columns_and_mask_the_id(db):
    result = cases(db, "list", "--status", "approved", "--limit", "4")
    expected = page(db, "supervisor", _query(statuses=frozenset({"approved"})), limit=4)
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == len(expected) == 4
    for line, item in zip(lines, expected, strict=True):
        request, status, masked, name, when = line.split("\t")
        assert (request, status, name) == (item.request_number, "approved", item.name)
        assert masked.endswith(item.national_id[-4:]) and item.national_id not in line
        assert datetime.fromisoformat(when) == item.last_change_at.replace(second=0, microsecond=0)


def test_list_json_carries_every_field_of_the_row(db):
    result = cases(db, "list", "--json", "--status", "submitted,visit_scheduled", "--limit", "5")
    expected = page(db, "supervisor", _query(statuses=frozenset({"submitted", "visit_scheduled"})))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    today = date.today()
    for row, item in zip(rows, expected, strict=False):
        assert set(row) == {f.name for f in fields(QueueItem)} | {"days_left"}
        assert row["national_id"] == item.national_id  # the whole ID: a script asked for it
        assert (row["status"], row["kind"]) == (item.status.value, item.kind.value)
        assert datetime.fromisoformat(row["submitted_at"]) == item.submitted_at
        assert datetime.fromisoformat(row["last_change_at"]) == item.last_change_at
        assert row["due_on"] == (item.due_on.isoformat() if item.due_on else None)
        assert row["days_left"] == item.days_left(today) and row["seq"] == item.seq


def test_count_is_the_queue_count_and_ignores_the_limit(db):
    assert cases(db, "list", "--count", "--limit", "1").stdout == "60\n"
    narrowed = _query(statuses=frozenset({"visit_done", "approved"}), sla=frozenset({"stopped"}))
    with opened(db) as store:
        expected = queue_count(store, signed_in(store, "supervisor"), narrowed, date.today())
    result = cases(db, "list", "--count", "--status", "visit_done,approved", "--sla", "stopped")
    assert 0 < expected < 60 and result.stdout == f"{expected}\n"


def test_search_finds_the_same_rows_in_either_alef_spelling(db):
    everything = page(db, "supervisor", QueueQuery())
    word = next(w for i in everything for w in i.name.split() if re.search("[أإآ]", w))
    bare = re.sub("[أإآ]", "ا", word)
    expected = numbers(page(db, "supervisor", _query(search=word)))
    assert expected
    assert listed(cases(db, "list", "--json", "--search", word)) == expected
    assert listed(cases(db, "list", "--json", "--search", bare)) == expected


def test_search_by_the_start_of_a_national_id(db):
    target = page(db, "supervisor", QueueQuery())[5]
    prefix = target.national_id[:6]
    found = listed(cases(db, "list", "--json", "--search", prefix))
    assert target.request_number in found
    assert found == numbers(page(db, "supervisor", _query(search=prefix)))


def test_branch_option_narrows_to_the_branches_named(db):
    seeded = runner.invoke(
        app,
        ["--db", str(db), "seed", "--cases", "5", "--seed", "4", "--branch", "JED01"],
        catch_exceptions=False,
    )
    assert seeded.exit_code == 0, seeded.output
    jeddah = listed(cases(db, "list", "--json", "--branch", "jed01", user="admin"))
    expected = page(db, "admin", _query(branches=frozenset({"JED01"})))
    assert len(jeddah) == 5 and jeddah == numbers(expected)
    both = cases(db, "list", "--count", "--branch", "RYD01", "--branch", "JED01", user="admin")
    assert both.stdout == "65\n"


# ---- saved views --------------------------------------------------------------------------
def test_saved_views_round_trip(db):
    options = ["--status", "submitted,visit_done", "--sort", "due_on", "--search", "RYD01-26"]
    saved = cases(db, "save-view", "late ones", *options)
    assert saved.exit_code == 0 and "late ones" in saved.stdout
    cases(db, "save-view", "mine", "--mine")
    expected = _query(
        statuses=frozenset({"submitted", "visit_done"}),
        sort=QueueSort("due_on", False),
        search="RYD01-26",
    )
    with opened(db) as store:  # the view the TUI's menu reads
        views = {v.name: v.query for v in list_saved(store, signed_in(store, "supervisor"))}
    assert views == {"late ones": expected, "mine": _query(mine=True)}

    shown = cases(db, "views", "--json").stdout.splitlines()
    assert [json.loads(line) for line in shown] == [
        {"name": "late ones", "query": expected.to_json()},
        {"name": "mine", "query": _query(mine=True).to_json()},
    ]
    assert [line.split("\t")[0] for line in cases(db, "views").stdout.splitlines()] == [
        "late ones",
        "mine",
    ]

    via_view = listed(cases(db, "list", "--json", "--view", "late ones"))
    assert via_view and via_view == numbers(page(db, "supervisor", expected))
    # An option given with the view replaces that part of it.
    override = listed(cases(db, "list", "--json", "--view", "late ones", "--status", "approved"))
    replaced = _query(statuses=frozenset({"approved"}), sort=expected.sort, search="RYD01-26")
    assert override == numbers(page(db, "supervisor", replaced))

    assert cases(db, "delete-view", "late ones").exit_code == 0
    assert cases(db, "views").stdout.splitlines()[0].startswith("mine\t")
    refused(cases(db, "delete-view", "late ones"), "saved_filter.unknown", 1)
    refused(cases(db, "list", "--view", "late ones"), "saved_filter.unknown", 1)


def test_saved_views_are_each_users_own(db):
    cases(db, "save-view", "overdue", "--sla", "overdue")
    assert cases(db, "views", user="clerk").stdout == ""
    refused(cases(db, "list", "--view", "overdue", user="clerk"), "saved_filter.unknown", 1)


# ---- cases show ---------------------------------------------------------------------------
def _visit_done(db: Path) -> QueueItem:
    return page(db, "supervisor", _query(statuses=frozenset({"visit_done"})))[0]


def test_show_prints_the_summary_decision_timeline_and_actions(db):
    item = _visit_done(db)
    view = read_case(db, "supervisor", item.application_id)
    with opened(db) as store:
        actions = available_actions(signed_in(store, "supervisor"), view)
    assert view.decision is not None and actions

    result = cases(db, "show", item.request_number, "--timeline", "2")
    assert result.exit_code == 0, result.output
    text = result.stdout
    s = view.summary
    for label, value in (
        ("Name:", s.head_name),
        ("National ID:", s.national_id),
        ("Status:", f"{s.status.value} ({s.kind.value})"),
        ("Assigned to:", s.assignee_name),
        ("Days left:", f"{s.days_left} days (due {s.due_on})"),
        ("Entitlement:", "SAR "),
    ):
        line = next(x for x in text.splitlines() if x.startswith(label))
        assert str(value) in line, label
    for r in view.decision.reasons:
        assert f"  {'✓' if r.passed else '✗'} {r.rule_code}  {r.message_en}\n" in text
    timeline = text.split("Timeline (newest first, ")[1].split("\n\n")[0].splitlines()
    assert timeline[0] == f"2 of {len(view.timeline)}):" and len(timeline) == 3
    assert view.timeline[0].action in timeline[1] and view.timeline[1].action in timeline[2]
    for heading in ("Documents (", "Home visits (", "Objections (", "Payments (", "Financial "):
        assert f"\n{heading}" in text, heading
    assert text.rstrip().endswith(f"Actions: {', '.join(actions)}")


def test_show_gives_the_reasons_in_the_language_asked_and_each_users_actions(db):
    item = _visit_done(db)
    view = read_case(db, "supervisor", item.application_id)
    assert view.decision is not None
    arabic = cases(db, "show", item.request_number, "--lang", "ar").stdout
    for r in view.decision.reasons:
        assert r.message_ar in arabic and r.message_en not in arabic
    # A clerk may do nothing to a visited case: the same file, no actions.
    assert (
        cases(db, "show", item.request_number, user="clerk")
        .stdout.rstrip()
        .endswith("Actions: none")
    )


def _first_case(db: Path, wanted: str) -> CaseFileView:
    for item in page(db, "supervisor", QueueQuery()):
        view = read_case(db, "supervisor", item.application_id)
        if getattr(view, wanted):
            return view
    raise AssertionError(f"the seed has no case with {wanted}")


def test_show_lists_documents_visits_objections_payments_and_complaints(db, tmp_path):
    scan = tmp_path / "هوية.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a national ID card\n%%EOF\n")
    app_id, request = fresh_case(db, document=scan)
    with_document = read_case(db, "supervisor", app_id)
    text = cases(db, "show", request).stdout
    assert "Documents (1):" in text
    assert f"national_id  {with_document.documents[0].file_name}" in text

    visited = read_case(db, "supervisor", _visit_done(db).application_id)
    text = cases(db, "show", visited.summary.request_number).stdout
    assert f"Home visits ({len(visited.visits)}):" in text
    for v in visited.visits:
        assert f"  {v.scheduled_for.isoformat()}  {v.status.value}  {v.officer_name}" in text

    disputed = _first_case(db, "objections")
    text = cases(db, "show", disputed.summary.request_number).stdout
    assert f"Objections ({len(disputed.objections)}):" in text
    for o in disputed.objections:
        assert f"  {o.filed_at:%Y-%m-%d}  {o.kind.value}  {o.status.value}" in text

    complained = _first_case(db, "complaints")
    text = cases(db, "show", complained.summary.request_number).stdout
    assert f"Payments ({len(complained.payments)}):" in text and complained.payments
    for p in complained.payments:
        assert f"  {p.cycle_month}  SAR {format_sar(p.amount_halalas)}  {p.status.value}" in text
    for c in complained.complaints:
        assert f"  {c.filed_at:%Y-%m-%d}  {c.cycle_month}  {c.status.value}" in text


def test_show_json_is_the_whole_case_file(db):
    item = _visit_done(db)
    view = read_case(db, "supervisor", item.application_id)
    result = cases(db, "show", item.request_number, "--json")
    data = json.loads(result.stdout)
    assert set(data) == {
        "summary",
        "household",
        "form",
        "decision",
        "timeline",
        "documents",
        "visits",
        "objections",
        "payments",
        "complaints",
        "actions",
    }
    assert data["summary"]["request_number"] == item.request_number
    assert data["summary"]["row_version"] == view.summary.row_version
    assert data["summary"]["national_id"] == view.summary.national_id
    assert view.decision is not None
    assert [r["rule_code"] for r in data["decision"]["reasons"]] == [
        r.rule_code for r in view.decision.reasons
    ]
    assert len(data["timeline"]) == len(view.timeline)  # --timeline shortens text only
    assert data["form"]["head"]["sections"]  # the unified file, in the draft format
    assert data["actions"] == ["assign", "request_documents", "preliminary_approve", "reject"]


def test_a_national_id_finds_its_case_or_lists_several(db):
    rejected = page(db, "supervisor", _query(statuses=frozenset({"rejected"})))[0]
    single = cases(db, "show", rejected.national_id)
    assert single.exit_code == 0 and single.stdout.startswith(f"{rejected.request_number}\n")

    view = read_case(db, "supervisor", rejected.application_id)
    with opened(db) as store:
        update = save_draft(
            store, signed_in(store, "clerk"), view.summary.household_id, kind=ApplicationKind.UPDATE
        )
    listed_out = cases(db, "show", rejected.national_id)
    assert listed_out.exit_code == 0 and "2 cases" in listed_out.stderr
    lines = [line.split("\t") for line in listed_out.stdout.splitlines()]
    assert [(x[0], x[1], x[2]) for x in lines] == [
        (update.request_number, "draft", "update"),
        (rejected.request_number, "rejected", "new"),
    ]
    matches = json.loads(cases(db, "show", rejected.national_id, "--json").stdout)["matches"]
    assert [m["request_number"] for m in matches] == [
        update.request_number,
        rejected.request_number,
    ]
    refused(cases(db, "act", rejected.national_id, "reopen", "--reason", "x"), "case.ambiguous", 1)


def test_show_refuses_an_unknown_case_and_a_case_out_of_reach(db):
    refused(cases(db, "show", "RYD01-000000-XXX-00000"), "case.unknown", 1)
    # A field officer opens only the cases with a visit assigned to them.
    approved = page(db, "supervisor", _query(statuses=frozenset({"submitted"})))[0]
    refused(cases(db, "show", approved.request_number, user="field"), "case.unknown", 1)


# ---- cases act ----------------------------------------------------------------------------
def test_a_supervisor_schedules_a_visit_and_a_clerk_is_refused(db):
    app_id, request = fresh_case(db)
    day = date.today() + timedelta(days=2)
    with opened(db) as store:
        clerk, officer = signed_in(store, "clerk"), signed_in(store, "field")
        with pytest.raises(DomainError) as caught:
            schedule_visit(store, clerk, app_id, officer.id, day)
    err = caught.value
    visit = ["--officer", "field", "--day", day.isoformat()]
    by_clerk = cases(db, "act", request, "schedule_visit", *visit, user="clerk")
    refused(by_clerk, err.code, 1)
    assert by_clerk.stderr == f"{err.code}: {err.message_en}\n{err.message_ar}\n"
    assert read_case(db, "supervisor", app_id).summary.status is ApplicationStatus.SUBMITTED

    done = cases(db, "act", request, "schedule-visit", *visit)
    assert done.exit_code == 0, done.output
    assert done.stdout == f"{request}: schedule_visit (submitted -> visit_scheduled)\n"
    after = read_case(db, "supervisor", app_id)
    assert after.summary.status is ApplicationStatus.VISIT_SCHEDULED
    assert [(v.scheduled_for, v.officer_name) for v in after.visits] == [
        (day, "سلطان ناصر القحطاني")
    ]


def test_final_approval_needs_a_second_supervisor(db):
    item = _visit_done(db)
    first = cases(db, "act", item.request_number, "preliminary_approve")
    assert first.stdout == (
        f"{item.request_number}: preliminary_approve (visit_done -> preliminary_approved)\n"
    )
    refused(cases(db, "act", item.request_number, "final_approve"), "status.four_eyes", 1)
    after = read_case(db, "supervisor", item.application_id)
    assert after.summary.status is ApplicationStatus.PRELIMINARY_APPROVED
    assert "final_approve" not in cases(db, "show", item.request_number).stdout.splitlines()[-1]
    assert "final_approve" in cases(db, "show", item.request_number, user="supervisor2").stdout
    second = cases(db, "act", item.request_number, "final_approve", user="supervisor2")
    assert second.exit_code == 0 and second.stdout.endswith("(preliminary_approved -> approved)\n")


def test_reject_cites_a_rule_that_cases_reasons_lists(db):
    for item in page(db, "supervisor", _query(statuses=frozenset({"visit_done"}))):
        offered = cases(db, "reasons", item.request_number).stdout.splitlines()
        if offered:
            break
    else:
        raise AssertionError("the seed has no visited case with a failed rule")
    with opened(db) as store:
        choices = rejection_reasons(store, signed_in(store, "supervisor"), item.application_id)
    assert offered == [f"{c.rule_code}\t{c.message_en}" for c in choices]
    arabic = cases(db, "reasons", item.request_number, "--lang", "ar").stdout.splitlines()
    assert arabic == [f"{c.rule_code}\t{c.message_ar}" for c in choices]

    view = read_case(db, "supervisor", item.application_id)
    assert view.decision is not None
    passed = next(r.rule_code for r in view.decision.reasons if r.passed)
    refused(
        cases(db, "act", item.request_number, "reject", "--rule", passed), "reject.rule_passed", 1
    )
    refused(cases(db, "act", item.request_number, "reject"), "reject.reason_required", 1)

    cited = choices[0]
    done = cases(db, "act", item.request_number, "reject", "--rule", cited.rule_code)
    assert done.stdout.endswith("(visit_done -> rejected)\n"), done.output
    latest = read_case(db, "supervisor", item.application_id).timeline[0]
    assert latest.action == "reject" and cited.message_ar in latest.reason


def test_cases_reasons_says_when_there_is_nothing_to_cite(db):
    _, request = fresh_case(db)  # no decision yet
    result = cases(db, "reasons", request)
    assert result.exit_code == 0 and result.stdout == ""
    assert "--reason" in result.stderr and ARABIC.search(result.stderr)


def test_act_asks_the_state_machine_for_a_reason_and_assigns_by_user_name(db):
    app_id, request = fresh_case(db)
    refused(cases(db, "act", request, "request_documents"), "status.reason_required", 1)
    asked = cases(db, "act", request, "request_documents", "--reason", "صك الإعالة")
    assert asked.stdout == f"{request}: request_documents (submitted -> docs_requested)\n"
    back = cases(db, "act", request, "documents_received", user="clerk")
    assert back.stdout == f"{request}: documents_received (docs_requested -> submitted)\n"

    refused(cases(db, "act", request, "assign", "--to", "field"), "assign.role", 1)
    refused(cases(db, "act", request, "assign", "--to", "ghost"), "user.unknown", 1)
    assigned = cases(db, "act", request, "assign", "--to", "clerk")
    assert assigned.stdout == f"{request}: assign to clerk (submitted)\n"
    assert read_case(db, "supervisor", app_id).summary.assignee_name == "نورة سعد العتيبي"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["fly"], "input.action"),
        (["assign"], "input.missing"),
        (["assign", "--to", "clerk", "--reason", "why"], "input.option"),
        (["schedule_visit", "--officer", "field"], "input.missing"),
        (["schedule_visit", "--officer", "field", "--day", "31/02/2026"], "date.invalid"),
        (["schedule_visit", "--officer", "field", "--day", "soon"], "date.format"),
        (["documents_received", "--reason", "why"], "input.option"),
        (["reject", "--to", "clerk"], "input.option"),
    ],
)
def test_act_refuses_a_wrong_command_line_before_asking_a_password(db, args, code):
    request = page(db, "supervisor", QueueQuery(), limit=1)[0].request_number
    # No password given: a prompt would abort with exit 1, not refuse with exit 2.
    refused(cases(db, "act", request, *args, password=None), code, 2)


# ---- bad input ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["list", "--status", "bogus"], "input.status"),
        (["list", "--sla", "late"], "input.sla"),
        (["list", "--kind", "appeal"], "input.kind"),
        (["list", "--sort", "age"], "input.sort"),
        (["list", "--from", "2026-13-01"], "date.invalid"),
        (["list", "--to", "tomorrow"], "date.format"),
        (["list", "--from", "2026-11-01", "--to", "2026-10-01"], "input.date_range"),
        (["list", "--limit", "0"], "input.limit"),
        (["list", "--limit", "10001"], "input.limit"),
        (["save-view", "x", "--status", "bogus"], "input.status"),
        (["save-view", "  "], "input.view_name"),
        (["show", "X", "--lang", "fr"], "input.lang"),
        (["show", "X", "--timeline", "-1"], "input.timeline"),
        (["reasons", "X", "--lang", "de"], "input.lang"),
    ],
)
def test_a_wrong_command_line_is_refused_in_both_languages_with_exit_2(db, args, code):
    refused(cases(db, *args, password=None), code, 2)


def test_a_bad_value_says_what_would_do(db):
    result = cases(db, "list", "--sort", "age", password=None)
    assert "due_on" in result.stderr and "last_change_at" in result.stderr


def test_an_unknown_branch_names_the_store_branches(db):
    result = cases(db, "list", "--branch", "XX99")
    refused(result, "input.branch", 2)
    assert "RYD01" in result.stderr


def test_who_acts_must_be_given_and_signed_in(db):
    refused(cases(db, "list", user=None), "input.user", 2)
    refused(cases(db, "show", "X", user=None), "input.user", 2)
    refused(cases(db, "list", password="not-the-password"), "auth.invalid", 1)
