"""`daman intake …` through Typer's runner: a walk-in entered by a script, from the start
to the receipt, and each refusal leaving the store as it was."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from daman_tui.cli import app
from daman_tui.db.models import Application, Document, Household, IntakeDraft, Person
from daman_tui.domain.enums import ApplicationStatus, IdentityCheck
from daman_tui.domain.errors import PermissionDenied
from daman_tui.domain.intake.form import HEAD, new_form
from daman_tui.domain.national_id import make_national_id
from daman_tui.services import intake
from daman_tui.services.cases import change_status
from tests.conftest import PASSWORD
from tests.intake_family import HEAD_ID, fill, submitted_family

runner = CliRunner()
OTHER_ID = make_national_id("citizen", "20304050")


@pytest.fixture
def daman(settings, staff):
    """Run ``daman --lang LANG intake ARGS --user USER`` on the test store."""

    def run(*args: str, lang: str = "en", user: str | None = "clerk"):
        argv = ["--db", str(settings.db), "--lang", lang, "intake", *args]
        if user is not None:
            argv += ["--user", user]
        return runner.invoke(app, argv, env={"DAMAN_PASSWORD": PASSWORD}, catch_exceptions=False)

    return run


def _field(output: str, name: str) -> str:
    """The value of a ``name: value`` line."""
    return next(line.split(": ", 1)[1] for line in output.splitlines() if line.startswith(name))


def _start(daman) -> str:
    result = daman("start", HEAD_ID, "--identity", "id_card")
    assert result.exit_code == 0, result.output
    return _field(result.output, "request_number")


def _family_file(tmp_path, national_id: str = HEAD_ID):
    form = new_form(national_id, IdentityCheck.ID_CARD.value)
    fill(form)
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(form.data, ensure_ascii=False), encoding="utf-8")
    return path


def _scan(tmp_path: Path) -> Path:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% scan\n%%EOF\n")
    return pdf


def _show(daman, number: str) -> dict[str, Any]:
    result = daman("show", number, "--json")
    assert result.exit_code == 0, result.output
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def _attach_missing(daman, number: str, tmp_path) -> None:
    pdf = _scan(tmp_path)
    for need in _show(daman, number)["documents"]["missing"]:
        args = ["attach", number, str(pdf), "--type", need["type"]]
        if need["for"]:
            args += ["--for", need["for"]]
        result = daman(*args)
        assert result.exit_code == 0, result.output
        assert f"attached {need['type']}" in result.output


def _draft_row(store, number: str):
    with store.read() as s:
        app_row = s.exec(select(Application).where(Application.request_number == number)).one()
        draft = s.get(IntakeDraft, app_row.id)
        return app_row.status, app_row.row_version, dict(draft.form) if draft else None


def test_help_on_every_intake_command():
    for command in ("lookup", "start", "update", "show", "fill", "attach", "preview", "submit"):
        result = runner.invoke(app, ["intake", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command


def test_a_walk_in_from_start_to_receipt(daman, store, staff, tmp_path):
    found = daman("lookup", HEAD_ID, "--json")
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout) == {
        "national_id": HEAD_ID,
        "name": "",
        "households": [],
        "open_application": None,
        "dependent_in": [],
    }

    number = _start(daman)
    shown = _show(daman, number)
    assert shown["status"] == "draft" and shown["kind"] == "new"
    assert shown["form"]["head"]["sections"]["personal"]["national_id"] == HEAD_ID
    first = shown["issues"][0]
    assert set(first) >= {"step", "who", "section", "field", "code", "message"}
    assert {i["code"] for i in shown["issues"]} >= {"field.required"}
    assert number in daman("drafts").output

    filled = daman("fill", number, "--file", str(_family_file(tmp_path)))
    assert filled.exit_code == 0, filled.output
    assert "issues: 0" in filled.output
    shown = _show(daman, number)
    assert shown["issues"] == [] and len(shown["form"]["dependents"]) == 4
    assert shown["documents"]["missing"]
    # The draft is a full wizard draft: the TUI resumes it at the documents step.
    assert shown["step"] == 9

    extra = daman("attach", number, str(_scan(tmp_path)), "--type", "other")
    assert extra.exit_code == 0 and "meets none of the missing needs" in extra.output
    too_soon = daman("submit", number, "--accept-declaration")
    assert too_soon.exit_code == 1 and "application.documents_missing" in too_soon.output
    _attach_missing(daman, number, tmp_path)
    assert _show(daman, number)["documents"]["missing"] == []

    preview = daman("preview", number)
    assert preview.exit_code == 0, preview.output
    assert "eligible: " in preview.output and "threshold: SAR " in preview.output
    as_json = json.loads(daman("preview", number, "--json").stdout)
    assert as_json["member_count"] == 5

    receipt = tmp_path / "receipt.txt"
    done = daman("submit", number, "--accept-declaration", "--receipt", str(receipt))
    assert done.exit_code == 0, done.output
    assert _field(done.output, "submitted") == number
    due = date.fromisoformat(_field(done.output, "decision_due"))
    assert due > date.today()
    text = receipt.read_text(encoding="utf-8")
    assert number in text and "Riyadh 1" in text

    with store.read() as s:
        app_row = s.exec(select(Application).where(Application.request_number == number)).one()
        assert app_row.status == ApplicationStatus.SUBMITTED
        assert app_row.declaration_accepted_at is not None
        assert s.get(IntakeDraft, app_row.id) is None
        household = s.get(Household, app_row.household_id)
        head = s.get(Person, household.head_person_id)
        assert (head.first_name, head.family_name) == ("محمد", "القحطاني")
        docs = s.exec(select(Document).where(Document.application_id == app_row.id)).all()
        assert {d.doc_type for d in docs} >= {"national_id", "family_card", "ward_deed"}
    assert daman("drafts").output == ""
    again = daman("show", number)
    assert again.exit_code == 1 and "application.not_draft" in again.output

    found = json.loads(daman("lookup", HEAD_ID, "--json").stdout)
    assert found["name"] == "محمد عبدالله سعد القحطاني"
    assert found["open_application"] == {
        "request_number": number,
        "status": "submitted",
        "kind": "new",
    }
    assert [h["file_number"] for h in found["households"]] == [household.file_number]
    wife = json.loads(daman("lookup", make_national_id("citizen", "10203041"), "--json").stdout)
    assert wife["dependent_in"] == [household.file_number]


def test_fill_by_single_values(daman, store, staff):
    number = _start(daman)
    result = daman(
        "fill",
        number,
        "--set",
        "head.personal.first_name=محمد",
        "--set",
        "household.address.city=الرياض",
    )
    assert result.exit_code == 0, result.output
    form = _show(daman, number)["form"]
    assert form["head"]["sections"]["personal"]["first_name"] == "محمد"
    assert form["household"]["sections"]["address"]["city"] == "الرياض"

    before = _draft_row(store, number)
    for bad, code in (
        ("head.personal.first_name", "input.set_syntax"),
        ("head.personal.nickname=x", "input.set_target"),
        ("someone.personal.first_name=x", "input.set_target"),
        (f"head.personal.national_id={OTHER_ID}", "input.draft_person"),
    ):
        refused = daman("fill", number, "--set", bad)
        assert refused.exit_code == 1 and code in refused.output, bad
    assert _draft_row(store, number) == before
    nothing = daman("fill", number)
    assert nothing.exit_code == 1 and "input.fill_nothing" in nothing.output


def test_update_of_a_stored_file(daman, store, staff, tmp_path):
    ref = submitted_family(store, staff.clerk, tmp_path)
    refused = daman("update", ref.file_number, "--identity", "id_card")
    assert refused.exit_code == 1 and "application.open" in refused.output
    for actor, target in (
        (staff.supervisor, ApplicationStatus.VISIT_SCHEDULED),
        (staff.field_officer, ApplicationStatus.VISIT_DONE),
        (staff.supervisor, ApplicationStatus.PRELIMINARY_APPROVED),
        (staff.supervisor2, ApplicationStatus.APPROVED),
    ):
        change_status(store, actor, ref.application.id, target)
    unknown = daman("update", "RYD01-F-XXX-99999", "--identity", "id_card")
    assert unknown.exit_code == 1 and "household.unknown" in unknown.output

    started = daman("update", ref.file_number.lower(), "--identity", "id_card")
    assert started.exit_code == 0, started.output
    number = _field(started.output, "request_number")
    assert _field(started.output, "file_number") == ref.file_number
    shown = _show(daman, number)
    assert shown["kind"] == "update" and shown["issues"] == []
    # What `show` prints is what `fill` takes: a script edits the stored file round trip.
    draft = tmp_path / "update.json"
    shown["form"]["household"]["sections"]["address"]["district"] = "الملز"
    draft.write_text(json.dumps(shown["form"], ensure_ascii=False), encoding="utf-8")
    result = daman("fill", number, "--file", str(draft))
    assert result.exit_code == 0, result.output
    assert _show(daman, number)["form"]["household"]["sections"]["address"]["district"] == "الملز"


def test_a_bad_id_is_refused_and_nothing_is_started(daman, store):
    for args in (
        ("start", "1234567890", "--identity", "id_card"),
        ("lookup", "1234567890"),
    ):
        result = daman(*args)
        assert result.exit_code == 1, args
        assert "national_id" in result.output
    with store.read() as s:
        assert s.exec(select(Application)).all() == []
        assert s.exec(select(Person)).all() == []


def test_start_refusals_speak_the_chosen_language(daman, store):
    unchecked = daman("start", HEAD_ID, lang="ar")
    assert unchecked.exit_code == 1
    assert "identity.unchecked: سجّل كيف تحقّقت من هوية المتقدّم" in unchecked.output
    bad = daman("start", HEAD_ID, "--identity", "passport")
    assert bad.exit_code == 1 and "input.identity" in bad.output and "absher_app" in bad.output
    nobody = daman("start", HEAD_ID, "--identity", "id_card", user=None)
    assert nobody.exit_code == 1 and "--user" in nobody.output
    with store.read() as s:
        assert s.exec(select(Application)).all() == []


def test_an_unknown_request_number_is_refused(daman):
    for command in ("show", "preview", "submit", "fill"):
        args = [command, "RYD01-260101-XXX-00001"]
        if command == "fill":
            args += ["--set", "head.personal.first_name=محمد"]
        result = daman(*args)
        assert result.exit_code == 1, command
        assert "application.unknown: No application numbered 'RYD01-260101-XXX-00001'" in (
            result.output
        )


def test_fill_refuses_a_file_for_another_person_or_out_of_format(daman, store, tmp_path):
    number = _start(daman)
    before = _draft_row(store, number)
    other = daman("fill", number, "--file", str(_family_file(tmp_path, OTHER_ID)))
    assert other.exit_code == 1
    assert "input.draft_person" in other.output and OTHER_ID in other.output

    good = json.loads(_family_file(tmp_path).read_text(encoding="utf-8"))
    broken = {
        "not json": None,
        "unknown section": {**good, "head": {**good["head"], "sections": {"personl": {}}}},
        "number value": {
            **good,
            "household": {"sections": {"address": {"building_number": 1234}}},
        },
        "bad kind": {**good, "dependents": [{**good["dependents"][0], "kind": "head"}]},
        "bad version": {**good, "v": 2},
    }
    for name, data in broken.items():
        path = tmp_path / "broken.json"
        path.write_text("{oops" if data is None else json.dumps(data), encoding="utf-8")
        result = daman("fill", number, "--file", str(path))
        assert result.exit_code == 1, name
        assert "input." in result.output, name
    missing = daman("fill", number, "--file", str(tmp_path / "nowhere.json"))
    assert missing.exit_code == 1 and "input.unreadable" in missing.output
    assert _draft_row(store, number) == before


def test_submit_without_the_declaration_writes_nothing(daman, store, tmp_path):
    number = _start(daman)
    assert daman("fill", number, "--file", str(_family_file(tmp_path))).exit_code == 0
    _attach_missing(daman, number, tmp_path)
    before = _draft_row(store, number)
    receipt = tmp_path / "receipt.txt"
    result = daman("submit", number, "--receipt", str(receipt))
    assert result.exit_code == 1
    assert "application.declaration: The declaration must be accepted" in result.output
    assert not receipt.exists()
    assert _draft_row(store, number) == before
    nowhere = daman(
        "submit", number, "--accept-declaration", "--receipt", str(tmp_path / "no" / "r.txt")
    )
    assert nowhere.exit_code == 1 and "input.receipt_path" in nowhere.output
    assert _draft_row(store, number) == before


def test_attach_refuses_a_renamed_file_and_keeps_nothing(daman, store, settings, tmp_path):
    number = _start(daman)
    fake = tmp_path / "id-card.pdf"
    fake.write_bytes(b"MZ\x90\x00 a program, renamed")
    result = daman("attach", number, str(fake), "--type", "national_id", "--for", HEAD_ID)
    assert result.exit_code == 1
    assert "document.type" in result.output and "id-card.pdf" in result.output
    for args, code in (
        (("--type", "passport"), "input.doc_type"),
        ((), "input.doc_type"),
        (("--type", "national_id", "--for", OTHER_ID), "input.subject"),
    ):
        refused = daman("attach", number, str(_scan(tmp_path)), *args)
        assert refused.exit_code == 1 and code in refused.output, args
    with store.read() as s:
        assert s.exec(select(Document)).all() == []
    stored = settings.documents_path
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_preview_of_an_incomplete_draft_lists_its_issues(daman):
    number = _start(daman)
    result = daman("preview", number)
    assert result.exit_code == 1
    assert "input.incomplete" in result.output and "field.required" in result.output


def test_drafts_lists_only_the_acting_users(daman):
    number = _start(daman)
    mine = daman("drafts").output.strip().splitlines()
    assert len(mine) == 1 and mine[0].startswith(number + "\t")
    assert HEAD_ID not in mine[0]
    assert daman("drafts", user="supervisor").output == ""


def test_service_lookups_by_number(store, staff):
    ref = intake.start_application(store, staff.clerk, HEAD_ID, IdentityCheck.ID_CARD)
    number = ref.application.request_number
    assert intake.application_by_number(store, staff.clerk, f" {number.lower()} ").id == (
        ref.application.id
    )
    household = intake.household_by_file_number(store, staff.clerk, ref.file_number)
    assert household.id == ref.household_id and household.head.national_id == HEAD_ID
    assert ref.form.get(HEAD, "personal", "national_id") == HEAD_ID
    # Another branch's clerk is told no, not "unknown": the number is not a secret.
    with pytest.raises(PermissionDenied):
        intake.application_by_number(store, staff.other_clerk, number)
    with pytest.raises(PermissionDenied):
        intake.household_by_file_number(store, staff.other_clerk, ref.file_number)
