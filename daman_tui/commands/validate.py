"""`daman validate KIND VALUE`: check one value the way the application's forms do.

For scripts that clean a spreadsheet before import, and for staff who want to know why a
form refuses a number. The answer goes to stdout (``ok: <canonical>``, exit 0) or to
stderr (``<code>: <English message>`` and the Arabic message, exit 1); an unknown KIND
exits 2, like any other usage error.
"""

from __future__ import annotations

from typing import Annotated

import typer

from daman_tui.domain.errors import ValidationError
from daman_tui.domain.validate import KINDS, validate

__all__ = ["register"]

_KINDS_HELP = ", ".join(KINDS)


def validate_command(
    kind: Annotated[str, typer.Argument(help=f"What VALUE is: {_KINDS_HELP}.", show_default=False)],
    value: Annotated[str, typer.Argument(help="The value as typed (quote it if it has spaces).")],
) -> None:
    """Check VALUE as a KIND; print ok and its canonical form, or the error code and message.

    KIND: national-id, iqama, iban, mobile, email, building-number, postal-code,
    additional-number, name, full-name, date, birth-date, money.

    Arabic-Indic digits are accepted everywhere.

    Dates are Hijri or Gregorian: a marker (هـ or م) decides, else a year below 1600 is Hijri.

    Exit status: 0 valid, 1 invalid, 2 unknown KIND.
    """
    try:
        canonical = validate(kind, value)
    except ValueError as err:
        # ValidationError is not a ValueError, so this is only the unknown kind.
        typer.secho(f"{err}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from err
    except ValidationError as err:
        # Both languages, like the other commands: a script's log is read by either.
        typer.secho(f"{err.code}: {err.message_en}", fg=typer.colors.RED, err=True)
        typer.secho(err.message_ar, fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from err
    typer.echo(f"ok: {canonical}")


def register(app: typer.Typer) -> None:
    """Add the ``validate`` command to ``app``."""
    app.command(
        "validate",
        # A negative amount ("-5") must reach the validator, to be refused with its own
        # message, rather than be taken for an unknown option.
        context_settings={"ignore_unknown_options": True},
    )(validate_command)
