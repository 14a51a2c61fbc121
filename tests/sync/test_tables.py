"""What travels, and who may write it: every synced table is accounted for."""

from __future__ import annotations

from daman_tui.central.tables import GLOBAL_STREAM, branch_tables, global_tables, synced_models
from daman_tui.domain.enums import Role
from daman_tui.domain.permissions import TABLE_WRITERS, may_write


def test_every_branch_table_names_its_writers_and_reference_tables_have_none():
    assert {t.name for t in branch_tables()} == set(TABLE_WRITERS)
    assert not {t.name for t in global_tables()} & set(TABLE_WRITERS)
    assert {t.name for t in global_tables()} == {"branch", "rule_set_version", "payment_cycle"}


def test_local_only_tables_never_travel():
    travelling = set(synced_models())
    for local in (
        "outbox",
        "audit_entry",
        "node_state",
        "queue_row",
        "intake_draft",
        "sync_session",
    ):
        assert local not in travelling
    assert GLOBAL_STREAM == "*"


def test_the_writers_follow_the_roles():
    assert may_write(Role.FIELD_OFFICER, "home_visit")
    assert not may_write(Role.FIELD_OFFICER, "contact")
    assert not may_write(Role.CLERK, "payment")
    assert may_write(Role.SUPERVISOR, "payment")
    assert not may_write(Role.CLERK, "sync_conflict")
    assert not may_write(Role.SUPERVISOR, "branch")
