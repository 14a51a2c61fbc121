"""``daman server``: the sync service over HTTP (Starlette, served by uvicorn).

Thin: it reads JSON, checks the bearer token, and hands the work to
:class:`~daman_tui.sync.service.SyncService` in a worker thread (the database driver
blocks). Every answer is JSON; a refusal is ``{"error": code}`` with its HTTP status.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from daman_tui.sync.apply import Busy, NodeReused
from daman_tui.sync.protocol import PROTOCOL, Mutation
from daman_tui.sync.service import Denied, Session, SyncService

__all__ = ["create_app"]

Handler = Callable[[Request], Awaitable[Response]]


def _error(code: str, status: int) -> JSONResponse:
    return JSONResponse({"error": code}, status_code=status)


def create_app(service: SyncService) -> Starlette:
    async def _session(request: Request) -> Session:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            raise Denied("auth.token", 401)
        return await run_in_threadpool(service.session, header.removeprefix("Bearer "))

    async def _body(request: Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError as exc:
            raise Denied("request.json", 400) from exc
        if not isinstance(body, dict):
            raise Denied("request.json", 400)
        if body.get("protocol", PROTOCOL) != PROTOCOL:
            raise Denied("protocol.version", 426)
        return body

    def guarded(handler: Handler) -> Handler:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except Denied as denied:
                return _error(denied.code, denied.status)
            except NodeReused:
                return _error("node.reused", 409)
            except Busy:
                return _error("service.busy", 503)
            except (KeyError, TypeError, ValueError):
                return _error("request.malformed", 400)

        return run

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True, "protocol": PROTOCOL})

    async def sign_in(request: Request) -> JSONResponse:
        body = await _body(request)
        token, session = await run_in_threadpool(
            service.sign_in, str(body["username"]), str(body["password"]), str(body["node_id"])
        )
        return JSONResponse(
            {
                "token": token,
                "user_id": session.user_id,
                "branch_id": session.branch_id,
                "role": session.role,
                "streams": list(session.streams),
            }
        )

    async def whoami(request: Request) -> JSONResponse:
        session = await _session(request)
        return JSONResponse(
            {
                "user_id": session.user_id,
                "branch_id": session.branch_id,
                "role": session.role,
                "streams": list(session.streams),
            }
        )

    async def rebind(request: Request) -> JSONResponse:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            raise Denied("auth.token", 401)
        body = await _body(request)
        session = await run_in_threadpool(
            service.rebind, header.removeprefix("Bearer "), str(body["node_id"])
        )
        return JSONResponse({"node_id": session.node_id})

    async def push(request: Request) -> JSONResponse:
        session = await _session(request)
        body = await _body(request)
        entries = [(Mutation.from_json(e), e.get("actor_id")) for e in body["mutations"]]
        outcomes = await run_in_threadpool(service.push, session, str(body["node_id"]), entries)
        return JSONResponse({"outcomes": [o.to_json() for o in outcomes]})

    async def pull(request: Request) -> Response:
        session = await _session(request)
        params = request.query_params
        body = await run_in_threadpool(
            service.pull_json,
            session,
            params["stream"],
            int(params.get("after", "0")),
            int(params.get("limit", "1000")),
        )
        return Response(body, media_type="application/json")

    return Starlette(
        routes=[
            Route("/v1/health", guarded(health), methods=["GET"]),
            Route("/v1/session", guarded(sign_in), methods=["POST"]),
            Route("/v1/session", guarded(whoami), methods=["GET"]),
            Route("/v1/node", guarded(rebind), methods=["POST"]),
            Route("/v1/push", guarded(push), methods=["POST"]),
            Route("/v1/pull", guarded(pull), methods=["GET"]),
        ]
    )
