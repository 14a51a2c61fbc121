"""Shared fixtures: a fresh store on disk per test, with a branch and one user per role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from daman_tui.domain.enums import Role
from daman_tui.domain.permissions import Actor
from daman_tui.services.auth import authenticate, create_user
from daman_tui.services.branches import create_branch
from daman_tui.services.store import Store
from daman_tui.settings import Settings

# The sync fixtures (PostgreSQL, the service) for every test folder that needs them.
pytest_plugins = ["tests.sync.fixtures"]

PASSWORD = "Passw0rd!demo"

# In CI, property tests draw the same examples every run (a landing must not depend on
# luck) and no deadline is enforced on a loaded machine; locally they explore afresh.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own config file or DAMAN_* variables."""
    monkeypatch.setenv("DAMAN_CONFIG", str(tmp_path / "no-config.toml"))
    for name in ("DAMAN_DB", "DAMAN_LANG", "DAMAN_BIDI"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id, but with test-sized cost: production parameters take ~0.25 s a hash."""
    from argon2 import PasswordHasher

    from daman_tui.services import auth

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", lambda: cheap)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # The bidi mode pinned: "auto" would follow the terminal running the tests (Konsole,
    # mlterm) and change what every screen draws.
    return Settings(db=tmp_path / "store" / "daman.db", bidi="app")


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    s = Store.open(settings)
    yield s
    s.close()


@dataclass
class Staff:
    clerk: Actor
    supervisor: Actor
    supervisor2: Actor
    field_officer: Actor
    admin: Actor
    other_clerk: Actor  # in another branch


@pytest.fixture
def staff(store: Store) -> Staff:
    return make_staff(store)


def make_staff(store: Store) -> Staff:
    """Two branches (RYD01, JED01) and one user per role, all with :data:`PASSWORD`."""
    create_branch(
        store,
        None,
        code="RYD01",
        name_ar="فرع الرياض الأول",
        name_en="Riyadh 1",
        region_code="RIY",
        city_ar="الرياض",
    )
    create_branch(
        store,
        None,
        code="JED01",
        name_ar="فرع جدة الأول",
        name_en="Jeddah 1",
        region_code="MAK",
        city_ar="جدة",
    )
    users = {
        "clerk": (Role.CLERK, "RYD01"),
        "supervisor": (Role.SUPERVISOR, "RYD01"),
        "supervisor2": (Role.SUPERVISOR, "RYD01"),
        "field_officer": (Role.FIELD_OFFICER, "RYD01"),
        "admin": (Role.ADMIN, "RYD01"),
        "other_clerk": (Role.CLERK, "JED01"),
    }
    for name, (role, branch) in users.items():
        create_user(
            store,
            None,
            username=name,
            full_name=f"موظف {name}",
            role=role,
            branch_code=branch,
            password=PASSWORD,
            must_change_password=False,
        )
    return Staff(**{name: authenticate(store, name, PASSWORD) for name in users})
