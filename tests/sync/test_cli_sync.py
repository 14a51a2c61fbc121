"""`daman central init|import`, `daman sync`, `daman conflicts` as a script runs them."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import select
from typer.testing import CliRunner

from daman_tui.cli import app
from daman_tui.db.models import Contact
from daman_tui.services.store import Store
from daman_tui.settings import Settings
from tests.conftest import PASSWORD
from tests.sync.helpers import central_row, edit, first_id
from tests.test_cli_cases import refused

runner = CliRunner()


def daman(*args: str, password: str | None = PASSWORD):
    env = {"DAMAN_PASSWORD": password} if password else {}
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def test_central_init_is_repeatable_and_import_copies_once(pg, store, staff, tmp_path):
    url = pg.create_database("cli_init").replace("postgresql+psycopg://", "postgresql://")
    first = daman("central", "init", "--url", url)
    assert first.exit_code == 0, first.output
    assert "schema version 0 -> 1" in first.stdout
    again = daman("central", "init", "--url", url)
    assert "nothing to do" in again.stdout
    db = str(store.settings.db)
    imported = daman("--db", db, "central", "import", "--url", url)
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.startswith("8 rows imported")  # two branches and six users
    assert daman("--db", db, "central", "import", "--url", url).stdout.startswith("0 rows")


def test_central_commands_refuse_a_missing_or_unreachable_database(tmp_path):
    refused(daman("central", "init"), "input.central", 2)
    down = daman("central", "init", "--url", f"postgresql://nobody@/x?host={tmp_path}&port=1")
    refused(down, "central.unreachable", 1)


def test_sync_signs_in_once_pulls_the_branch_and_pushes_changes(
    server, central, seeded_central, tmp_path
):
    db = str(tmp_path / "cli" / "daman.db")
    result = daman("--db", db, "sync", "--server", server.url, "--user", "clerk")
    assert result.exit_code == 0, result.output
    assert "Pushed: nothing." in result.stdout
    assert "Pulled: " in result.stdout
    node = Store.open(Settings(db=Path(db), bidi="app"))
    try:
        contact_id = first_id(node, Contact)
        edit(node, "clerk", Contact, contact_id, email="cli@x.sa")
    finally:
        node.close()
    # The token is kept: no password the second time.
    again = daman(
        "--db", db, "sync", "--server", server.url, "--user", "clerk", "--json", password=None
    )
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["pushed"] == {"applied": 2} and report["pending"] == 0
    assert central_row(central.admin, "contact", contact_id)["email"] == "cli@x.sa"


def test_sync_refusals_are_clear_and_lose_nothing(server, seeded_central, tmp_path):
    db = str(tmp_path / "cli2" / "daman.db")
    refused(daman("--db", db, "sync", "--user", "clerk"), "input.server", 2)
    refused(daman("--db", db, "sync", "--server", server.url), "input.user", 2)
    wrong = daman(
        "--db", db, "sync", "--server", server.url, "--user", "clerk", password="nope-nope"
    )
    refused(wrong, "sync.auth.failed", 1)
    offline = daman("--db", db, "sync", "--server", "http://127.0.0.1:9", "--user", "clerk")
    refused(offline, "sync.offline", 1)


def test_conflicts_are_listed_and_resolved_by_a_supervisor(node_factory, central, tmp_path):
    a, client_a = node_factory("clerk")
    b, client_b = node_factory("supervisor")
    client_a.sync()
    client_b.sync()
    contact_id = first_id(a, Contact)
    edit(a, "clerk", Contact, contact_id, email="a@x.sa")
    edit(b, "supervisor", Contact, contact_id, email="b@x.sa")
    client_a.sync()
    client_b.sync()
    db = str(b.settings.db)
    refused(
        daman("--db", str(a.settings.db), "conflicts", "list", "--user", "clerk"),
        "permission.denied",
        1,
    )
    listed = daman("--db", db, "conflicts", "list", "--user", "supervisor", "--json")
    assert listed.exit_code == 0, listed.output
    (conflict,) = json.loads(listed.stdout)
    assert (conflict["mine"], conflict["theirs"]) == ({"email": "b@x.sa"}, {"email": "a@x.sa"})
    refused(
        daman("--db", db, "conflicts", "resolve", conflict["id"], "both", "--user", "supervisor"),
        "input.choice",
        2,
    )
    done = daman("--db", db, "conflicts", "resolve", conflict["id"], "mine", "--user", "supervisor")
    assert done.exit_code == 0, done.output
    refused(
        daman("--db", db, "conflicts", "resolve", conflict["id"], "theirs", "--user", "supervisor"),
        "conflict.resolved",
        1,
    )
    client_b.sync()
    assert central_row(central.admin, "contact", contact_id)["email"] == "b@x.sa"
    with central.admin.connect() as conn:
        resolution = conn.execute(sa.text("SELECT resolution FROM sync_conflict")).scalar()
    assert resolution == "mine"
    client_a.sync()
    with a.read() as s:
        assert s.exec(select(Contact.email).where(Contact.id == contact_id)).one() == "b@x.sa"
