"""A real PostgreSQL (started here, never as root) and the real sync service on loopback."""

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
from tests.conftest import PASSWORD, Staff
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


@pytest.fixture
def central(pg: Cluster) -> Iterator[Central]:
    name = f"central_{next(_names)}"
    url = pg.create_database(name)
    owner = sa.create_engine(url)
    init_central(owner)
    owner.dispose()
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
            create_app(SyncService(engine)), host="127.0.0.1", port=self.port, log_level="warning"
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
def seeded_central(central: Central, store: Store, staff: Staff) -> Central:
    """The branches and staff of the shared fixtures, with a few cases in each branch,
    imported into the central store."""
    seed_cases(store, cases=6, seed=8, branch_code="RYD01", as_of=AS_OF)
    seed_cases(store, cases=3, seed=9, branch_code="JED01", as_of=AS_OF)
    import_store(store.engine, central.admin)
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
