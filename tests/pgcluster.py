"""A throwaway PostgreSQL cluster for tests and benchmarks.

PostgreSQL refuses to run as root, so when we are root the cluster runs as the
``postgres`` system user (created if missing), in a directory that user can reach: not
under pytest's per-user temporary base, which is private to root. It listens only on a
Unix socket in its own directory, with fsync off; ``stop`` removes everything.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Cluster", "pg_bin"]


def pg_bin() -> Path:
    """The newest installed PostgreSQL's binaries (Debian's layout, then PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL binaries not found (apt-get install postgresql)")


def _major(path: str) -> int:
    return int(Path(path).parts[-3])


def _free_port() -> int:
    # Only a socket file name carries the port (no TCP listening), but two clusters in one
    # directory tree must still differ.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    root: Path
    port: int
    user: str | None

    @classmethod
    def start(cls) -> Cluster:
        user = None
        if os.geteuid() == 0:
            user = "postgres"
            try:
                pwd.getpwnam(user)
            except KeyError:
                subprocess.run(["useradd", "--system", user], check=True)
        root = Path(tempfile.mkdtemp(prefix="daman-pg-", dir="/tmp"))
        if user:
            shutil.chown(root, user)
            os.chmod(root, 0o700)
        cluster = cls(root=root, port=_free_port(), user=user)
        binary = pg_bin()
        cluster._run(
            str(binary / "initdb"),
            "-D",
            str(root / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-k {root} -c listen_addresses='' -p {cluster.port} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        cluster._run(
            str(binary / "pg_ctl"),
            "-D",
            str(root / "data"),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            options,
            "start",
        )
        return cluster

    def _run(self, *argv: str) -> None:
        command = ["runuser", "-u", self.user, "--", *argv] if self.user else list(argv)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        """A SQLAlchemy URL over the socket (psycopg 3)."""
        return f"postgresql+psycopg://{user}@/{database}?host={self.root}&port={self.port}"

    def create_database(self, name: str, template: str | None = None) -> str:
        import psycopg

        with psycopg.connect(
            host=str(self.root), port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            copy = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(
                str(pg_bin() / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
