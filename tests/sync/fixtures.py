"""The sync fixtures: a real PostgreSQL (started here, never as root) and the real sync service
on loopback. Registered for the whole suite in tests/conftest.py (one cluster per run,
started only when a test asks for one)."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn
from sqlalchemy.engine import Engine

from daman_tui.central.importer import import_store
from daman_tui.central.schema import CentralRoles, init_central
from daman_tui.services.seed.run import seed_cases
from daman_tui.services.store import Store
from daman_tui.settings import Settings
from daman_tui.sync.client import SyncClient
from daman_tui.sync.server import create_app
from daman_tui.sync.service import SyncService
from tests.conftest import PASSWORD, Staff, make_staff
from tests.pgcluster import Cluster

_names = itertools.count()
AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="session")
def pg() -> Iterator[Cluster]:
    cluster = Cluster.start()
    yield cluster
    cluster.stop()


@dataclass
class Central:
    admin: Engine
    service: Engine
    url: str
    service_url: str


@dataclass
class Template:
    name: str
    staff: Staff


@pytest.fixture(scope="session")
def central_template(pg: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Template:
    """A central store made once per run — schema, two branches, their staff and a few
    cases — that each test's database is copied from (a copy costs a tenth of a second;
    building one, two)."""
    origin = Store.open(Settings(db=tmp_path_factory.mktemp("origin") / "daman.db", bidi="app"))
    staff = make_staff(origin)
    seed_cases(origin, cases=6, seed=8, branch_code="RYD01", as_of=AS_OF)
    seed_cases(origin, cases=3, seed=9, branch_code="JED01", as_of=AS_OF)
    name = "central_template"
    owner = sa.create_engine(pg.create_database(name))
    init_central(owner)
    admin = sa.create_engine(pg.url(name, user=CentralRoles().admin))
    import_store(origin.engine, admin)
    admin.dispose()
    owner.dispose()
    origin.close()
    return Template(name, staff)


@pytest.fixture
def central_staff(central_template: Template) -> Staff:
    """The staff of the central store (their ids), as the origin store made them."""
    return central_template.staff


@pytest.fixture
def central(pg: Cluster, central_template: Template) -> Iterator[Central]:
    """A central store of its own for one test: the template's copy."""
    name = f"central_{next(_names)}"
    url = pg.create_database(name, template=central_template.name)
    admin = sa.create_engine(pg.url(name, user=CentralRoles().admin))
    service = sa.create_engine(pg.url(name, user=CentralRoles().service), pool_size=20)
    yield Central(admin, service, url, pg.url(name, user=CentralRoles().service))
    admin.dispose()
    service.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """The service in a thread of this process, on a loopback port."""

    def __init__(self, engine: Engine) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(SyncService(engine)),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the sync service did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture
def server(central: Central) -> Iterator[Served]:
    served = Served(central.service)
    yield served
    served.stop()


@pytest.fixture
def seeded_central(central: Central) -> Central:
    """The central store with its branches, staff and cases (every ``central`` has them)."""
    return central


@pytest.fixture
def node_factory(tmp_path: Path, server: Served, seeded_central: Central):
    """A new node (an empty store on its own file), signed in as ``username``."""
    made: list[tuple[Store, SyncClient]] = []

    def make(username: str, name: str | None = None) -> tuple[Store, SyncClient]:
        label = name or f"node{len(made)}"
        node = Store.open(Settings(db=tmp_path / label / "daman.db", bidi="app"))
        client = SyncClient(node, server.url)
        client.sign_in(username, PASSWORD)
        made.append((node, client))
        return node, client

    yield make
    for node, client in made:
        client.close()
        node.close()
