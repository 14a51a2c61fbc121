"""`daman payments …`: a household's payments (الدفعات المالية) for scripts.

``list`` prints one household's payments, newest cycle first, named by a request number
or the head's national ID; ``set-status`` moves one payment (paid, returned, held with a
reason, due again) as a supervisor. Both act as a user (``--user``, the password from
DAMAN_PASSWORD or a prompt) through the same services as the TUI, and follow the
conventions of ``daman cases``: exit 0 done; 1 refused by a service or nothing found
that the user may open; 2 the command line itself is wrong. A refusal is on stderr as
``<code>: <English>`` with the Arabic on the next line.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from daman_tui.commands.cases import (
    JsonOption,
    UserOption,
    _acting,
    _cases_named,
    _json,
    _lang,
    _unknown_value,
    _usage,
)
from daman_tui.domain.enums import PaymentStatus

if TYPE_CHECKING:
    from daman_tui.services.case_file import PaymentView

__all__ = ["register"]

_STATUSES = tuple(s.value for s in PaymentStatus)

LangOption = Annotated[str, typer.Option("--lang", help="Language of the lines: en or ar.")]


def _when(view: PaymentView) -> str:
    return view.paid_at.isoformat(timespec="minutes") if view.paid_at else "-"


def _payment_line(view: PaymentView, lang: str) -> str:
    """id, month, pay day, amount, status, paid at, open complaint, why held: tab-separated."""
    from daman_tui.domain.money import format_money

    complaint = (
        ("شكوى مفتوحة" if lang == "ar" else "open complaint") if view.open_complaint else "-"
    )
    return "\t".join(
        [
            view.id,
            view.cycle_month,
            view.pay_date.isoformat(),
            format_money(view.amount_halalas, lang),
            view.status.value,
            _when(view),
            complaint,
            " / ".join(view.held_reason.splitlines()) or "-",
        ]
    )


def _echo(view: PaymentView, lang: str, as_json: bool) -> None:
    typer.echo(_json(asdict(view)) if as_json else _payment_line(view, lang))


def payments_list(
    ctx: typer.Context,
    request: Annotated[
        str | None,
        typer.Option("--request", help="A request number of the household's cases (رقم الطلب)."),
    ] = None,
    national_id: Annotated[
        str | None,
        typer.Option("--national-id", help="The head of household's full national ID."),
    ] = None,
    as_user: UserOption = None,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """One household's payments, newest cycle first: id, month, pay day (day 1), amount,
    status, paid at, open financial complaint, why held (JSON: one object per line)."""
    from daman_tui.services.payments import payment_history

    lang = _lang(lang)
    if (request is None) == (national_id is None):
        _usage(
            "input.household",
            "Name the household by --request or by --national-id (one of them).",
            "حدّد الأسرة بـ --request أو بـ --national-id (أحدهما فقط).",
        )
    with _acting(ctx, as_user) as (store, actor):
        # The cases the user may open, as `cases show` finds them: a case of another
        # branch is "not found", not "not yours", so no script probes who is a beneficiary.
        _cases_named(store, actor, request or national_id or "")
        views = payment_history(store, actor, request_number=request, national_id=national_id)
    if not views:
        typer.secho("No payments yet.\nلا توجد دفعات بعد.", err=True)
    for view in views:
        _echo(view, lang, as_json)


def payments_set_status(
    ctx: typer.Context,
    payment_id: Annotated[
        str, typer.Argument(metavar="PAYMENT_ID", help="The payment's id (from `payments list`).")
    ],
    status: Annotated[
        str, typer.Argument(metavar="STATUS", help=f"The new status: {', '.join(_STATUSES)}.")
    ],
    as_user: UserOption = None,
    reason: Annotated[
        str, typer.Option("--reason", help="Why the payment is held (held only, required).")
    ] = "",
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Move a payment: due → paid | held, held → due, paid → returned, returned → due.

    Prints the payment as `payments list` does.
    """
    from daman_tui.services.payments import set_payment_status

    lang = _lang(lang)
    target = status.strip().lower()
    if target not in _STATUSES:
        _unknown_value("input.status", "STATUS", status, _STATUSES)
    with _acting(ctx, as_user) as (store, actor):
        view = set_payment_status(
            store, actor, payment_id.strip(), PaymentStatus(target), reason=reason
        )
    _echo(view, lang, as_json)


def register(payments_app: typer.Typer) -> None:
    """Add the payments commands to the ``payments`` group."""
    payments_app.command("list")(payments_list)
    payments_app.command("set-status")(payments_set_status)
