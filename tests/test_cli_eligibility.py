"""`daman eligibility` and `daman rules`, through Typer's runner.

The worked examples of ``docs/eligibility.md`` are the test data: every
``$ daman eligibility docs/examples/…`` line there is run, and its output must equal the
JSON block under it, character for character, while the JSON block above it must equal
the example file. The documentation cannot drift from the program.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daman_tui.cli import app
from daman_tui.domain.rules import load_rule_sets

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "eligibility.md"
EXAMPLES = ROOT / "docs" / "examples"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)

runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def _worked_examples() -> list[tuple[str, list[str], str, str]]:
    """(example file, command arguments, input block, output block) from the doc."""
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]
    found = []
    for i, (lang, body) in enumerate(blocks):
        line = body.strip()
        if lang != "console" or not line.startswith("$ daman eligibility docs/examples/"):
            continue
        args = shlex.split(line)[2:]
        (before_lang, before), (after_lang, after) = blocks[i - 1], blocks[i + 1]
        assert before_lang == after_lang == "json", f"{line}: input and output blocks expected"
        found.append((args[1], args, before, after))
    return found


EXAMPLE_RUNS = _worked_examples()


def test_every_example_file_is_worked_in_the_doc():
    documented = {Path(file).name for file, *_ in EXAMPLE_RUNS}
    assert documented == {p.name for p in EXAMPLES.glob("*.json")}
    assert len(EXAMPLE_RUNS) >= 4


@pytest.mark.parametrize(
    ("file", "args", "shown_input", "shown_output"),
    EXAMPLE_RUNS,
    ids=[Path(file).stem for file, *_ in EXAMPLE_RUNS],
)
def test_the_doc_shows_exactly_what_the_command_prints(
    monkeypatch: pytest.MonkeyPatch, file: str, args: list[str], shown_input: str, shown_output: str
):
    monkeypatch.chdir(ROOT)
    assert (ROOT / file).read_text(encoding="utf-8") == shown_input
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == shown_output


def test_the_doc_covers_the_required_cases():
    outputs = {Path(file).stem: json.loads(out) for file, _, _, out in EXAMPLE_RUNS}
    family = outputs["eligible-family-of-five"]
    assert family["eligible"] and family["member_count"] == 5
    assert len(family["income_lines"]) == 2
    rejected = outputs["rejected-over-threshold"]
    income = next(r for r in rejected["reasons"] if r["code"] == "income.threshold")
    assert not rejected["eligible"] and not income["passed"]
    assert "الدخل المحتسب 2,300.00 ريال يتجاوز حد الاستحقاق 2,200.00 ريال" in income["message_ar"]
    widow = outputs["non-saudi-widow-with-saudi-children"]
    nationality = widow["reasons"][0]
    assert widow["eligible"] and widow["facts"]["head"]["nationality"] != "SAU"
    assert nationality["facts"]["head_basis"] == "widow_or_divorcee_with_saudi_children"
    assets = next(
        r for r in outputs["high-value-asset"]["reasons"] if r["code"] == "assets.high_value"
    )
    assert not assets["passed"] and "1,000,000.00" in assets["message_ar"]


def test_every_reason_a_rejected_applicant_sees_names_the_rule_and_the_numbers():
    for _, _, _, out in EXAMPLE_RUNS:
        decision = json.loads(out)
        for reason in decision["reasons"]:
            if not reason["passed"]:
                assert re.search(r"\d", reason["message_ar"]), reason
                assert re.search(r"\d", reason["message_en"]), reason


def test_the_version_picking_sentence_of_the_doc(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    path = "docs/examples/eligible-family-of-five.json"
    old = json.loads(run("eligibility", path, "--as-of", "2024-12-31").stdout)
    assert (old["rule_set_version"], old["counted_income_sar"], old["entitlement_sar"]) == (
        "2023.1",
        "2400.00",
        "900.00",
    )
    text = DOC.read_text(encoding="utf-8")
    assert "counted income 2,400.00, entitlement 900.00" in text
    forced = json.loads(
        run("eligibility", path, "--as-of", "2025-03-01", "--rules", "2023.1").stdout
    )
    assert forced["rule_set_version"] == "2023.1" and forced["as_of"] == "2025-03-01"


def test_stdin_is_read_with_a_dash():
    text = (EXAMPLES / "high-value-asset.json").read_text(encoding="utf-8")
    result = run("eligibility", "-", "--as-of", "2025-03-01", stdin=text)
    assert result.exit_code == 0 and json.loads(result.stdout)["eligible"] is False


@pytest.mark.parametrize(
    ("args", "stdin", "code"),
    [
        (["eligibility", "no-such-file.json"], None, "input.unreadable"),
        (["eligibility", "-"], "{not json", "input.not_json"),
        (["eligibility", "-", "--as-of", "2025-02-30"], "{}", "input.bad_as_of"),
        (["eligibility", "-"], '{"household_id": "x"}', "household.missing_field"),
        (["eligibility", "-", "--rules", "1999.1"], None, "rules.unknown_version"),
        (["eligibility", "-", "--as-of", "2020-01-01"], None, "rules.none_in_force"),
        (["eligibility", "-", "--as-of", "1990-01-01", "--rules", "2025.1"], None,
         "household.born_after_as_of"),
    ],
)  # fmt: skip
def test_input_that_cannot_be_decided_exits_2_with_codes_on_stderr(
    args: list[str], stdin: str | None, code: str
):
    if stdin is None:
        stdin = (EXAMPLES / "eligible-family-of-five.json").read_text(encoding="utf-8")
    result = run(*args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(code)
    assert re.search(r"[\u0621-\u064A]", result.stderr)  # the Arabic message follows


def test_every_problem_is_listed_with_its_path():
    data = json.loads((EXAMPLES / "eligible-family-of-five.json").read_text(encoding="utf-8"))
    data["head"]["incomes"][0]["monthly_halalas"] = 200_000
    data["dependents"][1]["birth_date"] = "20-01-2010"
    result = run("eligibility", "-", stdin=json.dumps(data))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("  ")]
    assert lines == [
        "household.unknown_field at $.head.incomes[0].monthly_halalas: unknown field "
        "'monthly_halalas'; amounts are riyals: use monthly_sar",
        "household.bad_date at $.dependents[1].birth_date: expected a Gregorian date as YYYY-MM-DD",
    ]


def test_rules_list_shows_versions_dates_and_fingerprints():
    result = run("rules", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(load_rule_sets())
    for line, rules in zip(lines, load_rule_sets(), strict=True):
        assert line.startswith(rules.version)
        assert rules.effective_from.isoformat() in line and f"sha256:{rules.sha256[:12]}" in line
    assert sum("in force" in line for line in lines) == 1


def test_the_doc_shows_what_rules_list_prints():
    blocks = [m.group(2) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]
    (shown,) = [b for b in blocks if b.startswith("$ daman rules list\n")]
    assert shown.removeprefix("$ daman rules list\n") == run("rules", "list").stdout


def test_rules_show_prints_the_values_or_the_source():
    values = json.loads(run("rules", "show", "2025.1").stdout)
    assert values["income"]["share_percent"]["salary"] == "80"
    assert values["threshold"]["member_sar"] == "550.00"
    source = run("rules", "show", "2023.1", "--source").stdout
    assert source == (ROOT / "assets" / "rules" / "2023.1.toml").read_text(encoding="utf-8")
    missing = run("rules", "show", "0000.0")
    assert missing.exit_code == 2 and missing.stderr.startswith("rules.unknown_version")


def test_help():
    for args in (["eligibility"], ["rules"], ["rules", "list"], ["rules", "show"]):
        result = run(*args, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
