"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import daman_tui.db.models  # noqa: F401
from daman_tui.db.engine import make_engine
from daman_tui.db.migrate import current_revision, head_revision, upgrade
from daman_tui.db.models.queue import outside_models


def test_empty_store_upgrades_to_head_and_matches_the_models(tmp_path):
    engine = make_engine(tmp_path / "fresh.db")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": outside_models}
            ),
            SQLModel.metadata,
        )
    assert diff == []
    tables = {
        name
        for name in inspect(engine).get_table_names()
        if name != "alembic_version" and outside_models(name, "table")
    }
    assert tables == set(SQLModel.metadata.tables)


def test_upgrade_twice_is_a_no_op(tmp_path):
    engine = make_engine(tmp_path / "again.db")
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_store_pragmas(tmp_path):
    engine = make_engine(tmp_path / "p.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
