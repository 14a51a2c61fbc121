"""`daman validate KIND VALUE`: output and exit status, through Typer's runner."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from daman_tui.cli import app
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.validate import KINDS

runner = CliRunner()
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


def run(*args: str):
    return runner.invoke(app, ["validate", *args], catch_exceptions=False)


@pytest.mark.parametrize(
    ("kind", "value", "canonical"),
    [
        ("national-id", make_national_id("citizen", "12345678"), None),
        ("mobile", "+966 ٥١ ٢٣٤ ٥٦٧٨", "0512345678"),
        ("money", "١٬٢٥٠٫٥٠", "1250.50"),
        ("date", "١٤٤٨/٠٥/٢٠هـ", "2026-10-31 (hijri 1448-05-20)"),
        ("full-name", "محمد بن عبدالله بن أحمد الغامدي", "محمد | عبدالله | أحمد | الغامدي"),
    ],
)
def test_valid_values_print_ok_and_exit_0(kind: str, value: str, canonical: str | None) -> None:
    result = run(kind, value)
    assert result.exit_code == 0, result.output
    expected = canonical if canonical is not None else value
    assert result.stdout == f"ok: {expected}\n"
    assert result.stderr == ""


def test_an_invalid_value_prints_code_and_both_messages_to_stderr_and_exits_1() -> None:
    result = run("iban", "SA00 1234")
    assert result.exit_code == 1
    assert result.stdout == ""
    english, arabic = result.stderr.strip().split("\n")
    assert english.startswith("iban.length: ")
    assert "24 characters" in english
    assert ARABIC_LETTER.search(arabic)


@pytest.mark.parametrize(
    ("kind", "value", "code"),
    [
        ("iqama", make_national_id("citizen", "12345678"), "national_id.not_resident"),
        ("money", "-5", "money.negative"),  # reaches the validator, not taken for an option
        ("money", "1.005", "money.decimals"),
        ("date", "1448-13-01", "date.invalid"),
        ("birth-date", "2999-01-01", "date.future"),
        ("name", "", "name.empty"),
    ],
)
def test_codes(kind: str, value: str, code: str) -> None:
    result = run(kind, value)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{code}: ")


def test_an_unknown_kind_exits_2_listing_the_kinds() -> None:
    result = run("passport", "A123")
    assert result.exit_code == 2
    assert "unknown kind 'passport'" in result.stderr
    for kind in KINDS:
        assert kind in result.stderr


def test_missing_value_is_a_usage_error() -> None:
    result = run("mobile")
    assert result.exit_code == 2


def test_help_lists_every_kind() -> None:
    result = run("--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for kind in KINDS:
        assert kind in text
    assert "1600" in text
