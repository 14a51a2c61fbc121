"""Sync throughput: changed rows pushed and pulled, a branch's first sync, nodes at once.

    python -m benchmarks.bench_sync [--sizes 10000,100000] [--first-sync-cases 100000]
                                    [--naive-cap 10000] [--naive-seconds 120]
                                    [--nodes 20] [--quick]

At full size (the defaults) this takes hours on two cores, most of it preparing and
first-syncing 3.2 million rows; ``--quick`` runs in well under a minute.

Everything runs here, on loopback: a throwaway PostgreSQL (``tests/pgcluster.py``) with the
central schema, and the real sync service (Starlette under uvicorn) in its own process, so
no node shares its interpreter. Timings are of the whole path a node sees: its SQLite
store, HTTP, the service, PostgreSQL. On a machine of few cores they all share the CPU.

Preparation (not timed): a source store gets ``--first-sync-cases`` seeded cases in the
main demo branch and ``--node-cases`` in each other demo branch, imported into the
central store with ``import_store`` (one transaction per chunk, as ``daman central
import`` does).

- **First sync**: a new node process (an empty store) signs in as the main branch's clerk
  and syncs: every row of the branch and the reference rows. Its peak RSS is the node
  process's own (``VmHWM``).
- **Changed rows, push and pull**: that node (P, here in this process) changes N person
  rows through the unit of work, as real work does (audit and outbox entries in the same
  transactions), and pushes them; a copy of the store made right after the first sync
  (Q, with a new node id, signed in as the supervisor) pulls them.
  *Ours*: the client as it is (``PUSH_BATCH`` mutations a request, ``PULL_PAGE`` rows a
  page). *Naive*: the same client and endpoints one row per request, measured in the
  same run on another N fresh changes: a push batch of one, a pull page of one (each
  naive push is its own transaction, so each pull page holds one row). The naive run is
  timed on its first rows only, up to ``--naive-cap`` rows or ``--naive-seconds``
  (whichever comes first; its rows/s is from those); the rest is synced untimed.
- **Nodes at once**: ``--nodes`` node processes, each with its own store and sign-in
  (spread over the other demo branches, one user each), first sync them (not timed),
  then, started together, each runs ``--rounds`` rounds of ``--changes`` person changes
  of its own followed by a sync (push, then pull of its branch: the others' changes and
  its own coming back), stopping early at ``--load-seconds``. Reported: rows pushed and pulled per
  second over the whole window, and request latency as the nodes saw it.

Every push must come back applied and every pull must bring the rows expected, or the
benchmark fails: a broken sync cannot report a fast one.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from daman_tui.db.models import AppUser, Person
from daman_tui.domain.enums import Role
from daman_tui.domain.permissions import Actor
from daman_tui.services.seed.staff import DEMO_PASSWORD as PASSWORD
from daman_tui.services.store import Store
from daman_tui.settings import Settings
from daman_tui.sync import client as sync_client
from daman_tui.sync.client import SyncClient, SyncReport

ROOT = Path(__file__).resolve().parents[1]
MAIN_BRANCH = "RYD01"
CHANGE_TX = 2000
"""Local changes made per transaction when filling the outbox (preparation, not timed)."""

FULL: dict[str, Any] = {
    "sizes": [10_000, 100_000],
    "first_sync_cases": 100_000,
    "naive_cap": 10_000,
    "naive_seconds": 120.0,
    "nodes": 20,
    "node_cases": 50,
    "rounds": 10,
    "changes": 20,
    "load_seconds": 60.0,
}
QUICK: dict[str, Any] = {
    "sizes": [300],
    "first_sync_cases": 100,
    "naive_cap": 300,
    "naive_seconds": 60.0,
    "nodes": 3,
    "node_cases": 10,
    "rounds": 3,
    "changes": 10,
    "load_seconds": 30.0,
}


# ---- pieces every process uses ------------------------------------------------------------
@dataclass
class TimedClient(SyncClient):
    """The real client, noting each request's path and time as the node saw it."""

    calls: list[tuple[str, float]] = field(default_factory=list)

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            return super()._call(method, path, **kwargs)
        finally:
            self.calls.append((path, time.perf_counter() - started))


@contextmanager
def _batches(push: int | None = None, pull: int | None = None) -> Iterator[None]:
    """The client's push batch and pull page sizes, for a while."""
    saved = sync_client.PUSH_BATCH, sync_client.PULL_PAGE
    if push is not None:
        sync_client.PUSH_BATCH = push
    if pull is not None:
        sync_client.PULL_PAGE = pull
    try:
        yield
    finally:
        sync_client.PUSH_BATCH, sync_client.PULL_PAGE = saved


def _open(path: Path) -> Store:
    return Store.open(Settings(db=path, bidi="app"))


def _memory_mb(pid: int | str = "self", key: str = "VmHWM") -> float:
    """A process's peak (VmHWM) or current (VmRSS) resident memory."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    for line in text.splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _actor(store: Store, username: str) -> Actor:
    with store.read() as session:
        user = session.exec(select(AppUser).where(AppUser.username == username)).one()
    return Actor(user.id, user.username, user.full_name, Role(user.role), user.branch_id)


def _person_ids(store: Store, branch_id: str) -> list[str]:
    with store.read() as session:
        return list(
            session.exec(
                select(Person.id).where(Person.branch_id == branch_id).order_by(col(Person.id))
            ).all()
        )


def _change(store: Store, actor: Actor, ids: Sequence[str], start: int, count: int) -> None:
    """``count`` person rows changed through the unit of work (``ids`` taken in turn from
    ``start``, round again when they run out): each lands in the outbox like real work."""
    if not ids:
        raise RuntimeError("no person rows to change: seed more cases")
    for first in range(start, start + count, CHANGE_TX):
        chunk = [ids[i % len(ids)] for i in range(first, min(first + CHANGE_TX, start + count))]
        with store.write(actor) as uow:
            rows = {
                p.id: p
                for p in uow.session.exec(select(Person).where(col(Person.id).in_(set(chunk))))
            }
            for person_id in chunk:
                row = rows[person_id]
                uow.update(row, {"special_needs": not row.special_needs})


def _applied_only(pushed: dict[str, int], expected: int, what: str) -> None:
    if pushed != ({"applied": expected} if expected else {}):
        raise RuntimeError(f"{what}: outcomes {pushed}, expected {expected:,} applied")


# ---- child processes ----------------------------------------------------------------------
def _serve(service_url: str, port: int) -> None:
    import uvicorn

    from daman_tui.sync.server import create_app
    from daman_tui.sync.service import SyncService

    engine = sa.create_engine(service_url, pool_size=20, max_overflow=10)
    app = create_app(SyncService(engine))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _first_sync(server: str, path: Path, user: str) -> dict[str, Any]:
    store = _open(path)
    client = TimedClient(store, server)
    client.sign_in(user, PASSWORD)
    client.calls.clear()
    before = _memory_mb("self", "VmRSS")
    started = time.perf_counter()
    report = client.sync()
    seconds = time.perf_counter() - started
    client.close()
    store.close()
    if report.pushed:
        raise RuntimeError(f"an empty store pushed {report.pushed}")
    return {
        "rows": report.pulled,
        "seconds": seconds,
        "requests": len(client.calls),
        "waited": sum(s for _, s in client.calls),
        "rss_before_mb": before,
        "rss_peak_mb": _memory_mb("self", "VmHWM"),
    }


def _load_node(args: argparse.Namespace) -> None:
    store = _open(Path(args.store))
    client = TimedClient(store, args.server)
    client.sign_in(args.user, PASSWORD)
    client.sync()  # this node's own first sync: before the load, not part of it
    actor = _actor(store, args.user)
    ids = _person_ids(store, actor.branch_id)[args.slot :: args.slots]
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return
    client.calls.clear()
    pushed: dict[str, int] = {}
    pulled = rounds = changed = 0
    start = time.time()
    deadline = time.monotonic() + args.load_seconds
    while rounds < args.rounds and time.monotonic() < deadline:
        _change(store, actor, ids, changed, args.changes)
        changed += args.changes
        report = client.sync()
        for kind, count in report.pushed.items():
            pushed[kind] = pushed.get(kind, 0) + count
        pulled += report.pulled
        rounds += 1
    end = time.time()
    _applied_only(pushed, changed, f"node {args.slot} of {args.user}")
    client.close()
    store.close()
    result = {
        "start": start,
        "end": end,
        "rounds": rounds,
        "pushed": changed,
        "pulled": pulled,
        "calls": client.calls,
    }
    print(json.dumps(result), flush=True)


def _child(*argv: str, **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_sync", *argv], cwd=ROOT, text=True, **popen
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """The sync service in its own process, on a loopback port."""

    def __init__(self, service_url: str) -> None:
        import httpx

        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.proc = _child("--serve", service_url, "--port", str(port), stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("the sync service exited on start")
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sync service did not start")
            time.sleep(0.1)

    def peak_mb(self) -> float:
        return _memory_mb(self.proc.pid, "VmHWM")

    def rss_mb(self) -> float:
        return _memory_mb(self.proc.pid, "VmRSS")

    def cpu_seconds(self) -> float:
        """User and system CPU time of the service process so far (all its threads)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ---- the measurements ---------------------------------------------------------------------
def _say(text: str) -> None:
    print(text, flush=True)


def _prepare(
    work: Path, admin: sa.Engine, opts: dict[str, Any]
) -> tuple[dict[str, list[str]], dict[str, float]]:
    """The central store's rows; returns the usernames of each load branch and what the
    import took."""
    from daman_tui.central.importer import import_store
    from daman_tui.services.seed import ensure_demo_staff, seed_cases
    from daman_tui.services.seed.staff import demo_branch_codes

    source = _open(work / "source.db")
    ensure_demo_staff(source, MAIN_BRANCH)
    _say(f"seeding {opts['first_sync_cases']:,} cases in {MAIN_BRANCH}…")
    seed_cases(source, cases=opts["first_sync_cases"], seed=1, branch_code=MAIN_BRANCH)
    # The load nodes change family files: the demo accounts that may (a clerk and two
    # supervisors a branch; the service refuses a field officer's or an administrator's).
    # As many other branches as give each node its own user.
    editors = (Role.CLERK, Role.SUPERVISOR)
    others = [c for c in demo_branch_codes() if c != MAIN_BRANCH]
    load_codes = others[: max(1, min(len(others), -(-opts["nodes"] // 3)))]
    users: dict[str, list[str]] = {}
    for code in load_codes:
        staff = ensure_demo_staff(source, code)
        users[code] = [c.username for c in staff if c.role in editors]
        seed_cases(source, cases=opts["node_cases"], seed=2, branch_code=code)
    _say("importing into the central store…")
    started = time.perf_counter()
    counts = import_store(source.engine, admin)
    imported = {"rows": sum(counts.values()), "seconds": time.perf_counter() - started}
    _say(f"  {imported['rows']:,} rows in {imported['seconds']:,.0f} s")
    source.close()
    return users, imported


def _first_sync_run(server: Server, path: Path) -> dict[str, Any]:
    done = _child(
        "--first-sync", server.url, "--store", str(path), "--user", "clerk", stdout=subprocess.PIPE
    )
    out, _ = done.communicate()
    if done.returncode != 0:
        raise RuntimeError(f"the first sync failed (exit {done.returncode})")
    return dict(json.loads(out.strip().splitlines()[-1]))


class _Enough(Exception):
    """Raised from a progress callback: this naive run has been timed long enough."""


def _timed(rows: int, seconds: float, client: TimedClient) -> dict[str, Any]:
    waited = sum(s for _, s in client.calls)
    return {"rows": rows, "seconds": seconds, "requests": len(client.calls), "waited": waited}


def _push(
    client: TimedClient, rows: int, batch: int, budget: float | None = None
) -> dict[str, Any]:
    """The outbox's ``rows`` pending entries pushed ``batch`` a request, timed for at most
    ``budget`` seconds; what is left then is pushed untimed, in the client's own batches."""
    client.calls.clear()
    report = SyncReport()
    started = time.perf_counter()

    def enough(stage: str, done: int, total: int) -> None:
        if budget is not None and time.perf_counter() - started > budget:
            raise _Enough

    with _batches(push=batch):
        with suppress(_Enough):
            client.push(report, enough)
        seconds = time.perf_counter() - started
    timed = sum(report.pushed.values())
    _applied_only(report.pushed, timed, f"push in batches of {batch}")
    result = _timed(timed, seconds, client)
    rest = SyncReport()
    client.push(rest)
    _applied_only(rest.pushed, rows - timed, f"push of {rows:,}, the rest")
    return result


def _pull(
    client: TimedClient, rows: int, page: int, budget: float | None = None, upto: int | None = None
) -> dict[str, Any]:
    """``rows`` changes pulled in pages of ``page``, timed until ``budget`` seconds or
    ``upto`` rows; the rest is pulled untimed, in the client's own pages."""
    client.calls.clear()
    report = SyncReport()
    started = time.perf_counter()

    def enough(stage: str, done: int, total: int) -> None:
        if budget is not None and time.perf_counter() - started > budget:
            raise _Enough
        if upto is not None and report.pulled >= upto:
            raise _Enough

    with _batches(pull=page):
        with suppress(_Enough):
            client.pull(report, enough)
        seconds = time.perf_counter() - started
    result = _timed(report.pulled, seconds, client)
    rest = SyncReport()
    client.pull(rest)
    if report.pulled + rest.pulled != rows:
        raise RuntimeError(
            f"pull in pages of {page}: {report.pulled + rest.pulled:,} rows, expected {rows:,}"
        )
    return result


def _line(what: str, run: dict[str, Any]) -> None:
    _say(
        f"  {what}: {run['rows']:,} rows in {run['seconds']:,.1f} s, {_rate(run):,.0f} rows/s, "
        f"{run['requests']:,} requests"
    )


def _sizes_run(
    server: Server, p_path: Path, q_path: Path, sizes: list[int], opts: dict[str, Any]
) -> list[dict[str, Any]]:
    from daman_tui.sync.local import renew_node

    with closing(sqlite3.connect(p_path)) as a, closing(sqlite3.connect(q_path)) as b:
        a.backup(b)
    p, q = _open(p_path), _open(q_path)
    renew_node(q)  # a copied store is another node
    pusher = TimedClient(p, server.url)
    pusher.sign_in("clerk", PASSWORD)
    puller = TimedClient(q, server.url)
    puller.sign_in("supervisor", PASSWORD)
    actor = _actor(p, "clerk")
    ids = _person_ids(p, actor.branch_id)
    # One change through both clients first, untimed: both approaches then meet a warm
    # service (connections pooled, caches filled), not just the one measured second.
    _change(p, actor, ids, 0, 1)
    _push(pusher, 1, sync_client.PUSH_BATCH)
    _pull(puller, 1, sync_client.PULL_PAGE)
    offset = 1
    results = []
    budget = opts["naive_seconds"]
    for n in sizes:
        _say(f"{n:,} changed rows: ours…")
        _change(p, actor, ids, offset, n)
        offset += n
        ours_push = _push(pusher, n, sync_client.PUSH_BATCH)
        _line("push", ours_push)
        ours_pull = _pull(puller, n, sync_client.PULL_PAGE)
        _line("pull", ours_pull)
        naive_rows = min(n, opts["naive_cap"])
        _say(f"{n:,} changed rows: naive, one a request, {naive_rows:,} rows or {budget:,.0f} s…")
        _change(p, actor, ids, offset, naive_rows)
        offset += naive_rows
        naive_push = _push(pusher, naive_rows, 1, budget)
        _line("push", naive_push)
        # Only the rows pushed one a request are each a transaction (one row a page).
        naive_pull = _pull(puller, naive_rows, 1, budget, upto=naive_push["rows"])
        _line("pull", naive_pull)
        results.append(
            {
                "rows": n,
                "push": (ours_push, naive_push),
                "pull": (ours_pull, naive_pull),
            }
        )
    for client in (pusher, puller):
        client.close()
    p.close()
    q.close()
    return results


def _load_run(
    server: Server, work: Path, users: dict[str, list[str]], opts: dict[str, Any]
) -> dict[str, Any]:
    codes = list(users)
    nodes = opts["nodes"]
    per_branch = [sum(1 for i in range(nodes) if i % len(codes) == b) for b in range(len(codes))]
    procs = []
    for i in range(nodes):
        b = i % len(codes)
        slot = i // len(codes)
        user = users[codes[b]][slot % len(users[codes[b]])]
        procs.append(
            _child(
                "--load-node",
                server.url,
                "--store",
                str(work / f"node{i}.db"),
                "--user",
                user,
                "--slot",
                str(slot),
                "--slots",
                str(per_branch[b]),
                "--rounds",
                str(opts["rounds"]),
                "--changes",
                str(opts["changes"]),
                "--load-seconds",
                str(opts["load_seconds"]),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        )
    try:
        for proc in procs:
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "ready":
                raise RuntimeError(f"a load node failed to start (exit {proc.wait()})")
        cpu = server.cpu_seconds()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outs = []
        for proc in procs:
            out, _ = proc.communicate(timeout=opts["load_seconds"] + 300)
            if proc.returncode != 0:
                raise RuntimeError(f"a load node failed (exit {proc.returncode})")
            outs.append(json.loads(out.strip().splitlines()[-1]))
        cpu = server.cpu_seconds() - cpu
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    calls = [tuple(c) for o in outs for c in o["calls"]]
    return {
        "nodes": nodes,
        "branches": len(codes),
        "window": max(o["end"] for o in outs) - min(o["start"] for o in outs),
        "rounds": sum(o["rounds"] for o in outs),
        "pushed": sum(o["pushed"] for o in outs),
        "pulled": sum(o["pulled"] for o in outs),
        "push": [s for path, s in calls if path == "/v1/push"],
        "pull": [s for path, s in calls if path == "/v1/pull"],
        "all": [s for _, s in calls],
        "service_cpu": cpu,
    }


# ---- the tables ---------------------------------------------------------------------------
def _ms(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered) * 1000:,.1f} / {p95 * 1000:,.1f} ms"


def _rate(run: dict[str, Any]) -> float:
    return float(run["rows"] / run["seconds"]) if run["seconds"] else float("inf")


def _report(
    opts: dict[str, Any],
    header: str,
    imported: dict[str, float],
    first: dict[str, Any],
    sizes: list[dict[str, Any]],
    load: dict[str, Any],
    service: dict[str, Any],
) -> None:
    _say(f"\n{header}")
    _say(
        f"central store: {imported['rows']:,} rows imported by import_store in "
        f"{imported['seconds']:,.0f} s ({_rate(imported):,.0f} rows/s; preparation, not a "
        "figure below)\n"
    )
    print(
        "| changed rows | ours rows/s | naive rows/s | ours ÷ naive "
        "| ours: requests, seconds (in requests) "
        "| naive: rows timed, requests, seconds (in requests) |"
    )
    print("|---|---|---|---|---|---|")
    for kind in ("push", "pull"):
        for result in sizes:
            ours, naive = result[kind]
            capped = " (first rows)" if naive["rows"] < result["rows"] else ""
            print(
                f"| {kind} {result['rows']:,} | {_rate(ours):,.0f} | {_rate(naive):,.0f}{capped} "
                f"| {_rate(ours) / _rate(naive):,.1f}× "
                f"| {ours['requests']:,}, {ours['seconds']:,.1f} s ({ours['waited']:,.1f} s) "
                f"| {naive['rows']:,}, {naive['requests']:,}, {naive['seconds']:,.1f} s "
                f"({naive['waited']:,.1f} s) |"
            )
    print(
        f"\nours: {sync_client.PUSH_BATCH} mutations a push request, pages of "
        f"{sync_client.PULL_PAGE} rows; naive: one row a request (push batch 1, pull page 1). "
        "(in requests): the time spent waiting on HTTP answers; the rest is the node's own "
        f"work in its store. (first rows): naive runs stop at {opts['naive_cap']:,} rows or "
        f"{opts['naive_seconds']:,.0f} s, the rate is of the rows timed."
    )
    print(
        "\n| first sync into an empty store | cases | rows | requests | seconds (in requests) "
        "| rows/s | node RSS before → peak |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {MAIN_BRANCH}, all its rows and the reference rows | {opts['first_sync_cases']:,} "
        f"| {first['rows']:,} | {first['requests']:,} "
        f"| {first['seconds']:,.1f} ({first['waited']:,.1f}) "
        f"| {_rate(first):,.0f} | {first['rss_before_mb']:,.0f} → {first['rss_peak_mb']:,.0f} MB |"
    )
    window = load["window"]
    print(f"\n| {load['nodes']} nodes at once | |")
    print("|---|---|")
    lines = [
        (
            "nodes (branches), rounds done",
            f"{load['nodes']} ({load['branches']}), {load['rounds']} of "
            f"{load['nodes'] * opts['rounds']}",
        ),
        ("window (first start to last end)", f"{window:,.1f} s"),
        ("rows pushed / pulled", f"{load['pushed']:,} / {load['pulled']:,}"),
        (
            "rows/s pushed / pulled",
            f"{load['pushed'] / window:,.0f} / {load['pulled'] / window:,.0f}",
        ),
        ("requests, requests/s", f"{len(load['all']):,}, {len(load['all']) / window:,.0f}"),
        ("push request p50 / p95", _ms(load["push"])),
        ("pull request p50 / p95", _ms(load["pull"])),
        ("any request p50 / p95", _ms(load["all"])),
        (
            "service CPU in the window",
            f"{load['service_cpu']:,.1f} s ({load['service_cpu'] / window:.0%} of one core)",
        ),
    ]
    for name, value in lines:
        print(f"| {name} | {value} |")
    print(
        f"\nservice RSS after the first sync / the changed rows / the nodes: "
        f"{service['rss'][0]:,.0f} / {service['rss'][1]:,.0f} / {service['rss'][2]:,.0f} MB, "
        f"peak {service['peak']:,.0f} MB (one uvicorn process, pool of 20 connections)"
    )


def _options(argv: Sequence[str] | None) -> tuple[argparse.Namespace, dict[str, Any]]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--sizes", help="changed rows, comma-separated (10000,100000)")
    parser.add_argument("--first-sync-cases", type=int, help="cases in the first-synced branch")
    parser.add_argument("--naive-cap", type=int, help="rows timed one a request, at most")
    parser.add_argument("--naive-seconds", type=float, help="seconds a naive run is timed, at most")
    parser.add_argument("--nodes", type=int, help="nodes syncing at once")
    parser.add_argument("--node-cases", type=int, help="cases in each load branch")
    parser.add_argument("--rounds", type=int, help="change-and-sync rounds per load node")
    parser.add_argument("--changes", type=int, help="rows changed per round per load node")
    parser.add_argument("--load-seconds", type=float, help="a load node stops after this")
    parser.add_argument("--workdir", type=Path, help="for the stores (default: a temp dir)")
    hidden = argparse.SUPPRESS
    parser.add_argument("--serve", help=hidden)
    parser.add_argument("--port", type=int, help=hidden)
    parser.add_argument("--first-sync", help=hidden)
    parser.add_argument("--load-node", dest="server", help=hidden)
    parser.add_argument("--store", help=hidden)
    parser.add_argument("--user", help=hidden)
    parser.add_argument("--slot", type=int, default=0, help=hidden)
    parser.add_argument("--slots", type=int, default=1, help=hidden)
    args = parser.parse_args(argv)
    opts = dict(QUICK if args.quick else FULL)
    for name in opts:
        value = getattr(args, name)
        if value is not None:
            opts[name] = value
    if isinstance(opts["sizes"], str):
        opts["sizes"] = [int(s) for s in opts["sizes"].split(",") if s.strip()]
    args.load_seconds = opts["load_seconds"]
    args.rounds = opts["rounds"]
    args.changes = opts["changes"]
    return args, opts


def main(argv: Sequence[str] | None = None) -> None:
    args, opts = _options(argv)
    if args.serve:
        _serve(args.serve, args.port)
        return
    if args.first_sync:
        print(json.dumps(_first_sync(args.first_sync, Path(args.store), args.user)))
        return
    if args.server:
        _load_node(args)
        return

    from daman_tui.central.schema import CentralRoles, init_central
    from tests.pgcluster import Cluster

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="daman-bench-sync-", dir=args.workdir) as tmp:
        work = Path(tmp)
        cluster = Cluster.start()
        server: Server | None = None
        try:
            owner = sa.create_engine(cluster.create_database("central"))
            init_central(owner)
            admin = sa.create_engine(cluster.url("central", user=CentralRoles().admin))
            users, imported = _prepare(work, admin, opts)
            with owner.connect() as conn:
                conn.execute(sa.text("ANALYZE"))  # what autovacuum does after a bulk load
                version = conn.execute(sa.text("SHOW server_version")).scalar()
            admin.dispose()
            owner.dispose()
            server = Server(cluster.url("central", user=CentralRoles().service))
            _say(f"first sync of {opts['first_sync_cases']:,} cases…")
            first = _first_sync_run(server, work / "p.db")
            _line("first sync", first)
            service: dict[str, Any] = {"rss": [server.rss_mb()]}
            sizes = _sizes_run(server, work / "p.db", work / "q.db", opts["sizes"], opts)
            _say(f"{opts['nodes']} nodes at once…")
            (work / "nodes").mkdir()
            service["rss"].append(server.rss_mb())
            load = _load_run(server, work / "nodes", users, opts)
            service["rss"].append(server.rss_mb())
            service["peak"] = server.peak_mb()
            _say(
                f"  {load['pushed']:,} rows pushed, {load['pulled']:,} pulled in "
                f"{load['window']:,.1f} s"
            )
        finally:
            if server is not None:
                server.stop()
            cluster.stop()
    header = (
        f"{os.cpu_count()} cores, PostgreSQL {version}, SQLite {sqlite3.sqlite_version}; "
        f"load average before the run {load_before[0]:.1f} (1 min; other work on the machine "
        "shares the cores with the node, the service and PostgreSQL)"
    )
    _report(opts, header, imported, first, sizes, load, service)


if __name__ == "__main__":
    main()
