"""`daman eligibility FILE.json` and `daman rules list|show`: the decision engine for scripts.

``daman eligibility`` reads one household's facts (the JSON format of
``docs/eligibility.md``), decides it under the rule set in force on ``--as-of`` (or the
one named by ``--rules``) and prints the decision as JSON on stdout. The exit status
says whether the *input* was usable, not whether the household is eligible: 0 for any
decision, 2 for input that could not be decided (unreadable, not JSON, invalid facts, no
rule set in force), with every problem's code and message in both languages on stderr.

``daman rules list`` shows the rule-set versions with their effective dates and the
SHA-256 of their files; ``daman rules show VERSION`` prints one version's values.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from daman_tui.domain.errors import ValidationError

__all__ = ["register"]

rules_app = typer.Typer(help="Eligibility rule-set versions.", no_args_is_help=True)


def _refuse(err: ValidationError, status: int = 2) -> NoReturn:
    """Every problem of ``err`` on stderr, in English and Arabic, then exit ``status``."""
    problems: list[dict[str, Any]] = err.params.get("problems") or [
        {"code": err.code, "path": "", "message_en": err.message_en, "message_ar": err.message_ar}
    ]
    for p in problems:
        where = f" at {p['path']}" if p.get("path") else ""
        typer.secho(f"{p['code']}{where}: {p['message_en']}", fg=typer.colors.RED, err=True)
        typer.secho(f"  {p['message_ar']}", fg=typer.colors.RED, err=True)
    raise typer.Exit(status)


def _read(file: str) -> Any:
    """The decoded JSON of ``file`` (``-`` for stdin), or a refusal with exit 2."""
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        _refuse(
            ValidationError(
                "input.unreadable",
                f"تعذرت قراءة الملف {file}: {err}",
                f"cannot read {file}: {err}",
            )
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        _refuse(
            ValidationError(
                "input.not_json",
                f"الملف ليس JSON صالحاً (السطر {err.lineno}، العمود {err.colno}): {err.msg}",
                f"not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}",
            )
        )


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _refuse(
            ValidationError(
                "input.bad_as_of",
                f"تاريخ القرار يُكتب YYYY-MM-DD، لا '{text}'.",
                f"--as-of must be a date as YYYY-MM-DD, not '{text}'",
            )
        )


def eligibility_command(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE.json",
            help="The household's facts as JSON (docs/eligibility.md); - reads stdin.",
            show_default=False,
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="The decision day, YYYY-MM-DD (default: today).", show_default=False
        ),
    ] = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--rules",
            help="Decide under this rule-set version instead of the one in force on --as-of.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Decide one household: print the decision (eligible, amounts, reasons) as JSON.

    Exit status: 0 when a decision was printed (eligible or not); 2 when the input cannot
    be decided, with each problem's code and message on stderr.
    """
    from daman_tui.domain.eligibility import evaluate
    from daman_tui.domain.household import HouseholdFacts
    from daman_tui.domain.rules import rule_set, rule_set_for

    data = _read(file)
    day = _day(as_of)
    try:
        facts = HouseholdFacts.from_json(data)
        rules = rule_set(version) if version else rule_set_for(day)
        decision = evaluate(facts, rules, day)
    except ValidationError as err:
        _refuse(err)
    typer.echo(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))


@rules_app.command("list")
def rules_list() -> None:
    """Every rule-set version: effective date, SHA-256 of its file, and what it changed."""
    from daman_tui.domain.rules import load_rule_sets, rule_set_for

    try:
        sets = load_rule_sets()
        today = date.today()
        current = rule_set_for(today).version if sets[0].effective_from <= today else None
    except ValidationError as err:
        _refuse(err, 1)
    for r in sets:
        mark = "in force" if r.version == current else ""
        typer.echo(
            f"{r.version:<8}  {r.effective_from.isoformat()}  sha256:{r.sha256[:12]}  "
            f"{mark:<8}  {r.summary}"
        )


@rules_app.command("show")
def rules_show(
    version: Annotated[str, typer.Argument(help="The version, e.g. 2025.1.", show_default=False)],
    source: Annotated[
        bool, typer.Option("--source", help="Print the TOML file itself, with its comments.")
    ] = False,
) -> None:
    """One rule-set version's values as JSON (or its TOML source, comments included)."""
    from daman_tui.domain.rules import rule_set

    try:
        chosen = rule_set(version)
    except ValidationError as err:
        _refuse(err)
    if source:
        typer.echo(chosen.source_toml, nl=False)
    else:
        typer.echo(json.dumps(chosen.to_json(), ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    """Add ``eligibility`` and the ``rules`` group to ``app``."""
    app.command("eligibility")(eligibility_command)
    app.add_typer(rules_app, name="rules")
