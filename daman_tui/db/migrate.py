"""Schema migrations (Alembic), applied on start and by `daman db upgrade`.

Field laptops upgrade while holding unsynced work, so migrations run in place on the
existing file; they never rewrite the outbox.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

__all__ = ["alembic_config", "current_revision", "head_revision", "new_revision", "upgrade"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at our migrations, bound to ``engine`` if given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest migration in the package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at; None for an empty store."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the store at ``engine`` to ``revision`` (a no-op when already there)."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    command.upgrade(alembic_config(engine), revision)


def new_revision(message: str) -> Path:
    """Autogenerate a migration for what the models changed since head (a developer tool).

    Compares the models with a scratch store upgraded to head, so the developer's own
    store is never touched.
    """
    import tempfile

    from daman_tui.db.engine import make_engine

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(Path(scratch) / "head.db")
        upgrade(engine)
        script = command.revision(alembic_config(engine), message=message, autogenerate=True)
        engine.dispose()
    if script is None or isinstance(script, list):
        raise RuntimeError("alembic made no single revision")
    return Path(script.path)
