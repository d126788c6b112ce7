"""The request owns the transaction: one session per request, committed before the response is sent.

Every API router uses ``TransactionalRoute``. Doing this in the route (not a yield dependency) lets the
stored ``Idempotency-Key`` response commit in the same transaction as the record it describes.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from app.http import idempotency

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def request_session(request: Request) -> Session:
    # async: a plain function would cost the request a trip through the thread pool to read an attribute.
    session: Session | None = getattr(request.state, "db", None)
    if session is None:
        raise RuntimeError(f"{request.url.path}: route is not a TransactionalRoute")
    return session


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run_in_transaction(request: Request) -> Response:
            write = request.method not in SAFE_METHODS
            if request.method in _WITH_BODY:
                await request.body()  # read (and cache) the upload first: a slow client must not hold the gate
            async with _sqlite_write_gate(request.app, write):
                return await _run(request, write)

        async def _run(request: Request, write: bool) -> Response:
            # A session takes its connection at its first statement: opening one needs no thread.
            session: Session = request.app.state.session_factory(write)
            request.state.db = session
            try:
                reservation = None
                if request.method == "POST" and idempotency.KEY_HEADER in request.headers:
                    outcome = await _reserve(request, session)
                    if isinstance(outcome, Response):
                        await run_in_threadpool(_end, session, commit=False)
                        return outcome
                    reservation = outcome
                response = await handler(request)
                if reservation is not None:
                    await run_in_threadpool(idempotency.complete, session, reservation, response)
            except BaseException:
                await run_in_threadpool(_end, session, commit=False)
                raise
            await run_in_threadpool(_end, session, commit=True)
            return response

        return run_in_transaction


_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def _end(session: Session, *, commit: bool) -> None:
    """Commit (or roll back) and close in one trip through the thread pool."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


@asynccontextmanager
async def _sqlite_write_gate(app: FastAPI, write: bool) -> AsyncIterator[None]:
    """On SQLite, let one write request at a time into the thread pool.

    SQLite has one writer anyway (BEGIN IMMEDIATE). Without the gate, writers queued on the database lock
    fill every thread of the pool, the request holding the lock cannot get a thread for its next step,
    and the waiting ones fail with 'database is locked'. Waiting here costs no thread. Other worker
    processes are still serialised by SQLite's busy timeout.
    """
    if not write or app.state.engine.dialect.name != "sqlite":
        yield
        return
    # One gate per app and event loop: an asyncio.Lock must not be shared between loops (test clients).
    gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] | None = getattr(
        app.state, "sqlite_write_gates", None)
    if gates is None:
        gates = app.state.sqlite_write_gates = weakref.WeakKeyDictionary()
    loop = asyncio.get_running_loop()
    gate = gates.get(loop)
    if gate is None:
        gate = gates[loop] = asyncio.Lock()
    async with gate:
        yield


async def _reserve(request: Request, session: Session) -> idempotency.IdempotencyKey | Response | None:
    from app.auth.dependencies import request_principal

    body = await request.body()
    principal = await run_in_threadpool(request_principal, request, session)
    if principal is None:
        return None  # the route's own authentication answers 401
    return await run_in_threadpool(idempotency.reserve, session, request, body, user_id=principal.user_id)
