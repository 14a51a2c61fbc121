"""The `daman` command: the TUI, the demo, and the work scripts do without the TUI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from daman_tui.domain.enums import Role
from daman_tui.domain.errors import DomainError
from daman_tui.settings import Settings, default_data_dir, load_settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="daman",
    help="Developed Social Security (الضمان الاجتماعي المطور) branch terminal.",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The local store's schema.", no_args_is_help=True)
user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
cases_app = typer.Typer(help="Cases (applications).", no_args_is_help=True)
payments_app = typer.Typer(help="Payments (الدفعات المالية).", no_args_is_help=True)
audit_app = typer.Typer(help="The audit chain.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(cases_app, name="cases")
app.add_typer(payments_app, name="payments")
app.add_typer(audit_app, name="audit")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="The SQLite store (default: DAMAN_DB, the config, the data dir).",
                 envvar="DAMAN_DB", show_default=False),
]  # fmt: skip
LangOption = Annotated[
    str | None, typer.Option("--lang", help="Interface language: ar or en.", show_default=False)
]


def _settings(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


def _fail(message: str, code: int = 1) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@contextmanager
def _open_store(settings: Settings) -> Iterator[Any]:
    """The store for one command; a refusal from a service ends the command with its message."""
    from daman_tui.services.store import Store

    store = Store.open(settings, on_rebuild=_say_rebuilding)
    try:
        yield store
    except DomainError as err:
        _say_error(err)
    finally:
        store.close()


def _say_rebuilding() -> None:
    typer.secho(
        "Rebuilding the case queue for this version (a minute per 200,000 cases)…\n"
        "إعادة بناء قائمة الحالات لهذا الإصدار…",
        err=True,
    )


def _say_error(err: DomainError) -> None:
    # Both languages: a script's log is read by people of either.
    _fail(f"{err.code}: {err.message_en}\n{err.message_ar}")


def _actor(store: Any, username: str | None) -> Any:
    """The acting user for a command: --user plus DAMAN_PASSWORD or a hidden prompt."""
    from daman_tui.services.auth import authenticate

    if not username:
        _fail(
            "This command acts as a user: give --user (password from DAMAN_PASSWORD or a prompt)."
        )
    password = os.environ.get("DAMAN_PASSWORD") or typer.prompt("Password", hide_input=True)
    try:
        return authenticate(store, str(username), password)
    except DomainError as err:
        _say_error(err)


@app.callback()
def root(
    ctx: typer.Context,
    db: DbOption = None,
    lang: LangOption = None,
    bidi: Annotated[
        str | None,
        typer.Option(
            "--bidi",
            help="Who shapes and reorders Arabic: auto, app (daman), terminal, off. "
            "`daman doctor` helps choose.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Without a command: start the TUI on the local store."""
    from pydantic import ValidationError as SettingsError

    try:
        ctx.obj = load_settings(db=db, lang=lang, bidi=bidi)
    except SettingsError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()
        )
        _fail(f"Invalid setting (option, DAMAN_* variable or config file): {problems}", 2)
    if ctx.invoked_subcommand is None:
        _run_tui(_settings(ctx), actor=None)


def _run_tui(settings: Settings, actor: Any) -> None:
    from daman_tui.app import make_app
    from daman_tui.text.terminal import TerminalBidi, resolve_mode

    # Textual draws on stderr; the explicit-mode sequence must reach the same terminal.
    stream = sys.__stderr__ if sys.__stderr__ and sys.__stderr__.isatty() else sys.__stdout__
    with (
        _open_store(settings) as store,
        TerminalBidi(resolve_mode(settings.bidi), stream),
    ):
        make_app(store, lang=settings.lang, actor=actor).run()


@app.command()
def demo(
    ctx: typer.Context,
    cases: Annotated[
        int, typer.Option(help="Cases to generate in a new demo store.", min=0)
    ] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = 1,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Delete the demo store and build it anew.")
    ] = False,
    role: Annotated[
        Role, typer.Option("--as", help="Start signed in with this demo role.")
    ] = Role.CLERK,
    login: Annotated[
        bool, typer.Option("--login", help="Start on the login screen instead.")
    ] = False,
    no_tui: Annotated[
        bool, typer.Option("--no-tui", help="Build the store and print; do not start.")
    ] = False,
) -> None:
    """Build a demo store (synthetic but valid data, one user per role) and start the TUI on it."""
    from daman_tui.services.auth import authenticate
    from daman_tui.services.cases import store_case_count
    from daman_tui.services.seed import ensure_demo_staff, seed_cases

    settings = _settings(ctx)
    if "db" not in settings.model_fields_set:
        settings = settings.model_copy(update={"db": default_data_dir() / "demo.db"})
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{settings.db}{suffix}").unlink(missing_ok=True)
    with _open_store(settings) as store:
        credentials = ensure_demo_staff(store, "RYD01")
        if store_case_count(store) == 0 and cases:
            typer.echo(f"Generating {cases} demo cases in {settings.db} …")
            report = seed_cases(store, cases=cases, seed=seed, branch_code="RYD01")
            typer.echo(f"{report.rows} rows in {report.seconds:.1f} s")
        _print_credentials(credentials)
        if no_tui:
            return
        chosen = next(c for c in credentials if c.role is role)
        actor = None if login else authenticate(store, chosen.username, chosen.password)
    _run_tui(settings, actor)
    _print_credentials(credentials)


def _print_credentials(credentials: list[Any]) -> None:
    typer.echo(f"Demo accounts (password for all: {credentials[0].password}):")
    for c in credentials:
        typer.echo(f"  {c.username:<12} {c.role.value}")


@app.command()
def seed(
    ctx: typer.Context,
    cases: Annotated[int, typer.Option(help="How many households with their cases.", min=0)] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 1,
    branch: Annotated[str, typer.Option(help="Demo branch code (created if missing).")] = "RYD01",
    as_of: Annotated[
        str | None, typer.Option(help="The day the data is generated around (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Generate realistic, valid synthetic cases (demo and benchmarks)."""
    from rich.progress import Progress

    from daman_tui.services.seed import seed_cases

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        _fail(f"--as-of must be a date as YYYY-MM-DD, not '{as_of}'.", 2)
    with _open_store(_settings(ctx)) as store, Progress(transient=True) as progress:
        task = progress.add_task("seeding", total=cases)
        report = seed_cases(
            store,
            cases=cases,
            seed=seed,
            branch_code=branch.upper(),
            as_of=day,
            progress=lambda n: progress.advance(task, n),
        )
    rate = report.cases / report.seconds if report.seconds else 0
    typer.echo(
        f"{report.cases} cases, {report.rows} rows in {report.seconds:.1f} s "
        f"({rate:,.0f} cases/s) into branch {report.branch_code}"
    )


@app.command()
def init(
    ctx: typer.Context,
    branch: Annotated[str, typer.Option(help="Branch code, e.g. RYD02.")],
    branch_name: Annotated[str, typer.Option(help="Branch name in Arabic.")],
    region: Annotated[str, typer.Option(help="Region code (RIY, MAK, EAS, …).")],
    city: Annotated[str, typer.Option(help="City, in Arabic.")],
    admin: Annotated[str, typer.Option(help="User name of the first administrator.")] = "admin",
    branch_name_en: Annotated[str, typer.Option(help="Branch name in English.")] = "",
) -> None:
    """Create a store with its first branch and administrator (password prompted)."""
    from daman_tui.services.auth import create_user
    from daman_tui.services.branches import create_branch

    password = os.environ.get("DAMAN_PASSWORD") or typer.prompt(
        "Administrator password", hide_input=True, confirmation_prompt=True
    )
    with _open_store(_settings(ctx)) as store:
        b = create_branch(
            store,
            None,
            code=branch,
            name_ar=branch_name,
            name_en=branch_name_en or branch,
            region_code=region.upper(),
            city_ar=city,
        )
        create_user(
            store,
            None,
            username=admin,
            full_name=admin,
            role=Role.ADMIN,
            branch_code=b.code,
            password=password,
            must_change_password=True,
        )
    typer.echo(f"Store ready at {_settings(ctx).db}: branch {b.code}, administrator '{admin}'.")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the schema migrations (also done on every start)."""
    from daman_tui.db.engine import make_engine
    from daman_tui.db.migrate import current_revision, upgrade

    engine = make_engine(_settings(ctx).db)
    before = current_revision(engine)
    upgrade(engine)
    typer.echo(f"{before or 'empty'} -> {current_revision(engine)}")


@db_app.command("revision")
def db_revision(
    message: Annotated[str, typer.Option("--message", "-m", help="What the change does.")],
) -> None:
    """(Developers) Write a migration for what the models changed since the newest one."""
    from daman_tui.db.migrate import new_revision

    typer.echo(f"written: {new_revision(message)}  (review it before committing)")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """The store's schema revision and the newest one known."""
    from daman_tui.db.engine import make_engine
    from daman_tui.db.migrate import current_revision, head_revision

    typer.echo(
        f"store: {current_revision(make_engine(_settings(ctx).db)) or 'empty'}  "
        f"head: {head_revision()}"
    )


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    username: str,
    full_name: Annotated[str, typer.Option(help="Full name as shown in the app.")],
    role: Annotated[Role, typer.Option(help="clerk, supervisor, field_officer or admin.")],
    branch: Annotated[str, typer.Option(help="Branch code.")],
    as_user: Annotated[str | None, typer.Option("--user", help="Acting administrator.")] = None,
) -> None:
    """Create a staff account (the password is prompted; changed at first sign-in)."""
    from daman_tui.services.auth import create_user

    with _open_store(_settings(ctx)) as store:
        actor = _actor(store, as_user)
        password = os.environ.get("DAMAN_NEW_PASSWORD") or typer.prompt(
            f"Password for {username}", hide_input=True, confirmation_prompt=True
        )
        view = create_user(
            store,
            actor,
            username=username,
            full_name=full_name,
            role=role,
            branch_code=branch.upper(),
            password=password,
        )
    typer.echo(f"created {view.username} ({view.role.value}, {view.branch_code})")


@user_app.command("list")
def user_list(ctx: typer.Context) -> None:
    """Every account with its role and branch."""
    from daman_tui.services.auth import list_users

    with _open_store(_settings(ctx)) as store:
        for u in list_users(store):
            state = "disabled" if u.disabled else "active"
            typer.echo(
                f"{u.username:<20} {u.role.value:<14} {u.branch_code:<8} {state}  {u.full_name}"
            )


@cases_app.command("decisions")
def cases_decisions(
    ctx: typer.Context,
    request_number: Annotated[str, typer.Argument(help="The request number (رقم الطلب).")],
    as_user: Annotated[str | None, typer.Option("--user", help="Acting user.")] = None,
) -> None:
    """A case's eligibility history: every decision, with the cycle and the reasons failed."""
    from daman_tui.domain.household import format_sar
    from daman_tui.services.decisions import case_decisions

    with _open_store(_settings(ctx)) as store:
        actor = _actor(store, as_user)
        history = case_decisions(store, actor, request_number)
    previous: bool | None = None
    for d in history:
        change = "" if previous is None or previous == d.eligible else "  <- changed"
        previous = d.eligible
        verdict = "eligible" if d.eligible else "not eligible"
        typer.echo(
            f"{d.decided_at:%Y-%m-%d}  {d.cycle_month or 'case':<8} rules {d.rule_set_version}  "
            f"{verdict:<12} SAR {format_sar(d.entitlement_halalas)}{change}"
        )
        for reason in d.failed_reasons_en:
            typer.echo(f"    - {reason}")


@audit_app.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """Check the audit hash chain; name every entry that was edited, deleted or moved."""
    from daman_tui.services.audit import verify_store_chain

    with _open_store(_settings(ctx)) as store:
        checked, breaks = verify_store_chain(store)
    if breaks:
        for b in breaks:
            typer.secho(
                f"entry #{b.seq} ({b.entry_id}): {b.problem} does not match",
                fg=typer.colors.RED,
                err=True,
            )
        raise typer.Exit(1)
    typer.echo(f"audit chain intact: {checked} entries")


@app.command()
def doctor(
    ctx: typer.Context,
    choose: Annotated[
        str | None,
        typer.Option("--choose", help="Save this mode without asking: app or terminal."),
    ] = None,
    save: Annotated[bool, typer.Option(help="Save the choice in the config file.")] = True,
) -> None:
    """Show an Arabic test pattern in each bidi mode and save the one that reads right."""
    from daman_tui.settings import save_setting
    from daman_tui.text.pattern import pattern_lines
    from daman_tui.text.terminal import detect_mode, explicit_mode

    settings = _settings(ctx)
    out = sys.stdout
    modes = (
        ("app", "daman shapes and orders the Arabic itself"),
        ("terminal", "the terminal shapes and orders it"),
    )
    typer.echo(f"Current setting: {settings.bidi}; this terminal looks like: {detect_mode()}")
    for number, (mode, title) in enumerate(modes, start=1):
        typer.echo(f"\n{number}) {mode}: {title}")
        # Each block is drawn in the terminal state its mode runs with.
        if out.isatty():
            out.write(explicit_mode(mode == "app"))
        for line in pattern_lines(mode):
            out.write(f"   {line}\n")
        out.flush()
    if out.isatty():
        out.write(explicit_mode(False))
        out.flush()
    typer.echo(
        "\nRight: letters joined, (SBIS) in round brackets facing outwards, digits and the "
        "IBAN left to right, harakat on their letters, the name Abdullah as plain letters."
    )
    if choose is None:
        answer = typer.prompt("Which block reads right? 1 or 2", default="1")
        if answer.strip() not in ("1", "2"):
            _fail("Answer 1 or 2.", 2)
        choose = modes[int(answer) - 1][0]
    if choose not in ("app", "terminal", "off"):
        _fail("--choose takes app, terminal or off.", 2)
    if save:
        path = save_setting("bidi", choose)
        typer.echo(f"Saved bidi = {choose} in {path}")
    else:
        typer.echo(f"Chosen: bidi = {choose} (not saved)")


@app.command()
def version() -> None:
    """Print the version."""
    from daman_tui import __version__

    typer.echo(__version__)


# Command groups living in daman_tui/commands/, one register() call each.
# (commands: register here)
from daman_tui.commands import eligibility as _eligibility_commands  # noqa: E402  command groups register after the app exists

_eligibility_commands.register(app)
import daman_tui.commands.validate  # noqa: E402  command groups register after the app exists

daman_tui.commands.validate.register(app)
import daman_tui.commands.cycle  # noqa: E402  command groups register after the app exists

daman_tui.commands.cycle.register(app)
import daman_tui.commands.intake  # noqa: E402  command groups register after the app exists

daman_tui.commands.intake.register(app)
import daman_tui.commands.cases  # noqa: E402  command groups register after the app exists

daman_tui.commands.cases.register(cases_app)
import daman_tui.commands.payments  # noqa: E402  command groups register after the app exists

daman_tui.commands.payments.register(payments_app)
import daman_tui.commands.disputes  # noqa: E402  command groups register after the app exists

daman_tui.commands.disputes.register(app)
import daman_tui.commands.sync  # noqa: E402  command groups register after the app exists

daman_tui.commands.sync.register(app)


def main() -> None:
    """Entry point of the console script."""
    app(prog_name="daman")


if __name__ == "__main__":  # pragma: no cover
    main()
