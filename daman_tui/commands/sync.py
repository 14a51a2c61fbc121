"""`daman central …`, `daman server`, `daman sync`, `daman conflicts …`.

- ``central init --url`` creates or upgrades the central PostgreSQL store (run by a
  database superuser: it makes the admin and service roles); ``central import`` copies
  this store's rows into it (a branch joining, or demo data).
- ``server --central`` serves the sync API, connected as the service role.
- ``sync --user`` pushes this store's outbox and pulls its branch, with a progress bar
  and a summary; the first time on a store it signs in to the service (password from
  DAMAN_PASSWORD or a prompt) and keeps the token for that user.
- ``conflicts list|resolve`` for supervisors.

Exit codes follow ``daman cases``: 0 done; 1 refused or failed (nothing done is lost);
2 the command line is wrong.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from daman_tui.commands.cases import JsonOption, UserOption, _acting, _json, _usage

if TYPE_CHECKING:
    from daman_tui.sync.client import SyncReport

__all__ = ["register"]

CentralUrl = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The central PostgreSQL (postgresql://…); default DAMAN_CENTRAL_DB.",
        envvar="DAMAN_CENTRAL_DB",
        show_default=False,
    ),
]


def _engine(url: str | None) -> Any:
    import sqlalchemy as sa

    if not url:
        _usage(
            "input.central",
            "Give the central database: --url postgresql://… (or DAMAN_CENTRAL_DB).",
            "حدّد قاعدة البيانات المركزية: ‎--url postgresql://…‎ (أو DAMAN_CENTRAL_DB).",
        )
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        return sa.create_engine(url)
    except Exception as exc:  # a malformed URL: SQLAlchemy's own message says what
        _usage("input.central", f"Not a database URL: {exc}", "عنوان قاعدة البيانات غير صالح.")


def _db_failure(exc: Exception) -> None:
    typer.secho(
        f"central.unreachable: {str(exc).splitlines()[0]}\nتعذر الاتصال بقاعدة البيانات المركزية.",
        fg=typer.colors.RED,
        err=True,
    )
    raise typer.Exit(1)


def central_init(
    url: CentralUrl = None,
    service_password: Annotated[
        str | None,
        typer.Option(
            "--service-password",
            help="Password of the service role (default DAMAN_SERVICE_PASSWORD; none: peer/trust).",
            envvar="DAMAN_SERVICE_PASSWORD",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create or upgrade the central store: tables, change log, row-level security, roles."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from daman_tui.central.schema import CentralRoles, init_central

    engine = _engine(url)
    roles = CentralRoles(service_password=service_password)
    try:
        before, after = init_central(engine, roles)
    except (OperationalError, ProgrammingError) as exc:
        _db_failure(exc)
    finally:
        engine.dispose()
    if before == after:
        typer.echo(f"The central store is at schema version {after}; nothing to do.")
    else:
        typer.echo(f"Central store: schema version {before} -> {after}.")
    typer.echo(
        f"Roles: {roles.admin} (owner, migrations), {roles.service} (the sync service: "
        "no bypass of row-level security, no deletes)."
    )


def central_import(ctx: typer.Context, url: CentralUrl = None) -> None:
    """Copy this store's rows into the central store (rows already there are kept)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from daman_tui.central.importer import import_store
    from daman_tui.cli import _open_store, _settings

    engine = _engine(url)
    with _open_store(_settings(ctx)) as store:
        try:
            counts = import_store(store.engine, engine)
        except (OperationalError, ProgrammingError) as exc:
            _db_failure(exc)
        finally:
            engine.dispose()
    total = sum(counts.values())
    typer.echo(f"{total} rows imported into the central store.")
    for name, count in counts.items():
        if count:
            typer.echo(f"  {name:<24}{count:>10}")


def server(
    central: Annotated[
        str | None,
        typer.Option(
            "--central",
            help="The central PostgreSQL as the service role; default DAMAN_SERVICE_DB.",
            envvar="DAMAN_SERVICE_DB",
            show_default=False,
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
    pool: Annotated[int, typer.Option(help="Database connections of this instance.", min=1)] = 20,
) -> None:
    """Serve the sync API (push, pull, sign-in) in front of the central store."""
    import sqlalchemy as sa
    import uvicorn

    from daman_tui.sync.server import create_app
    from daman_tui.sync.service import SyncService

    engine = _engine(central)
    engine = sa.create_engine(engine.url, pool_size=pool, max_overflow=0, pool_pre_ping=True)
    typer.echo(f"daman sync service on http://{host}:{port} (central: {engine.url.database})")
    uvicorn.run(create_app(SyncService(engine)), host=host, port=port, log_level="warning")


def _summary(report: SyncReport, state: dict[str, Any]) -> list[str]:
    pushed = ", ".join(f"{k} {v}" for k, v in sorted(report.pushed.items())) or "nothing"
    lines = [
        f"Pushed: {pushed}.",
        f"Pulled: {report.pulled} rows.",
        f"Pending here: {state['pending']}; open conflicts: {state['conflicts']}.",
        f"Took {report.seconds:.1f} s.",
    ]
    if report.renewed_node:
        lines.insert(0, "This store was restored or copied: it took a new node id.")
    return lines


def sync(
    ctx: typer.Context,
    as_user: UserOption = None,
    server_url: Annotated[
        str | None,
        typer.Option(
            "--server",
            help="The sync service (default: the config's central_url / DAMAN_CENTRAL_URL).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Push this store's changes, then pull its branch's: one round, with a summary."""
    from rich.progress import Progress as Bar

    from daman_tui.cli import _open_store, _say_error, _settings
    from daman_tui.domain.errors import DomainError
    from daman_tui.sync import local
    from daman_tui.sync.client import SyncClient, SyncReport

    settings = _settings(ctx)
    server_url = server_url or settings.central_url
    if not server_url:
        _usage(
            "input.server",
            "No sync server: give --server URL or set central_url in the config.",
            "لا يوجد خادم مزامنة: أعطِ ‎--server‎ أو اضبط central_url في الإعدادات.",
        )
    if not as_user:
        _usage(
            "input.user",
            "Sync acts as a user: give --user (password from DAMAN_PASSWORD or a prompt).",
            "المزامنة تعمل باسم مستخدم: أعطِ ‎--user‎.",
        )
    with _open_store(settings) as store:
        client = SyncClient(store, server_url)
        try:
            saved = local.saved_session(store, local.user_id_for(store, as_user) or "")
            if saved is not None and saved.server == server_url:
                client.token = saved.token
                client.resume()
            else:
                password = os.environ.get("DAMAN_PASSWORD") or typer.prompt(
                    "Password", hide_input=True
                )
                client.sign_in(as_user, password)
            report = SyncReport()
            with Bar(transient=True, disable=as_json) as bar:
                tasks: dict[str, Any] = {}

                def progress(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        label = stage if stage in ("push", "queue") else f"pull {stage[:8]}"
                        tasks[stage] = bar.add_task(label, total=total)
                    bar.update(tasks[stage], completed=done, total=total)

                report = client.sync(progress)
        except DomainError as err:
            _say_error(err)
        finally:
            client.close()
        state = local.status(store)
    if as_json:
        typer.echo(
            _json(
                {
                    "pushed": report.pushed,
                    "pulled": report.pulled,
                    "renewed_node": report.renewed_node,
                    "seconds": round(report.seconds, 3),
                    "pending": state["pending"],
                    "conflicts": state["conflicts"],
                }
            )
        )
        return
    for line in _summary(report, state):
        typer.echo(line)


def conflicts_list(
    ctx: typer.Context, as_user: UserOption = None, as_json: JsonOption = False
) -> None:
    """The branch's open sync conflicts (supervisors): base, mine and theirs of each."""
    from daman_tui.services.conflicts import list_conflicts

    with _acting(ctx, as_user) as (store, actor):
        views = list_conflicts(store, actor)
    if as_json:
        typer.echo(_json([v.__dict__ for v in views]))
        return
    if not views:
        typer.echo("No open conflicts.")
    for v in views:
        typer.echo(
            "\t".join(
                [
                    v.id,
                    v.kind,
                    v.request_number or "-",
                    f"{v.entity}.{v.field or '*'}",
                    f"base={_json(v.base)}",
                    f"mine={_json(v.mine)}",
                    f"theirs={_json(v.theirs)}",
                    v.author or "-",
                ]
            )
        )


def conflicts_resolve(
    ctx: typer.Context,
    conflict_id: Annotated[str, typer.Argument(help="The conflict's id (from `conflicts list`).")],
    choice: Annotated[str, typer.Argument(help="mine (the node's value) or theirs (central's).")],
    as_user: UserOption = None,
) -> None:
    """Resolve a conflict; the choice syncs like any change."""
    from daman_tui.services.conflicts import CHOICES, resolve_conflict

    if choice not in CHOICES:
        _usage(
            "input.choice",
            f"Choose one of: {', '.join(CHOICES)}.",
            "اختر: mine (قيمة الجهاز) أو theirs (القيمة المركزية).",
        )
    with _acting(ctx, as_user) as (store, actor):
        resolve_conflict(store, actor, conflict_id, choice)
    typer.echo(f"Resolved ({choice}); it is pushed with the next sync.")


def register(app: typer.Typer) -> None:
    central = typer.Typer(help="The central PostgreSQL store.", no_args_is_help=True)
    central.command("init")(central_init)
    central.command("import")(central_import)
    app.add_typer(central, name="central")
    app.command("server")(server)
    app.command("sync")(sync)
    conflicts = typer.Typer(help="Sync conflicts (supervisors).", no_args_is_help=True)
    conflicts.command("list")(conflicts_list)
    conflicts.command("resolve")(conflicts_resolve)
    app.add_typer(conflicts, name="conflicts")
