"""`daman cycle run --month YYYY-MM`: the monthly eligibility cycle, from a script."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["register"]

cycle_app = typer.Typer(help="The monthly eligibility cycle (دورة الأهلية).", no_args_is_help=True)


@cycle_app.command("run")
def run_command(
    ctx: typer.Context,
    month: Annotated[str, typer.Option(help="The cycle's month, YYYY-MM; it pays on day 1.")],
    as_user: Annotated[
        str | None, typer.Option("--user", help="Acting supervisor or administrator.")
    ] = None,
) -> None:
    """Re-evaluate every active case under the rules in force and record the payments due.

    Running a month twice changes nothing: the second run reports the first.
    """
    # cli.py builds the app and its helpers; imported here, when the command runs.
    from daman_tui.cli import _actor, _open_store, _settings
    from daman_tui.domain.household import format_sar
    from daman_tui.services.cycle import run_cycle

    with _open_store(_settings(ctx)) as store:
        actor = _actor(store, as_user)
        report = run_cycle(store, actor, month)
    if report.already_run:
        typer.echo(f"Cycle {report.month} was already run; nothing changed.")
    typer.echo(
        f"cycle {report.month} (pays {report.pay_date}, rules {report.rule_set_version}): "
        f"{report.evaluated} evaluated, {report.eligible} eligible, "
        f"{report.payments_due} payments due (SAR {format_sar(report.total_due_halalas)}), "
        f"{report.payments_held} held"
    )
    if not report.already_run:
        typer.echo(
            f"since the last decision: {report.newly_eligible} newly eligible, "
            f"{report.no_longer_eligible} no longer eligible, {report.amount_changed} amount "
            f"changed; {report.incomplete} files incomplete; {report.seconds:.1f} s"
        )


def register(app: typer.Typer) -> None:
    """Add the `cycle` group to the `daman` app."""
    app.add_typer(cycle_app, name="cycle")
