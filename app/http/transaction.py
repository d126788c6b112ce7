"""The request owns the transaction: one session per request, committed before the response is sent.

Every API router uses ``TransactionalRoute``. Doing this in the route (not a yield dependency) lets the
stored ``Idempotency-Key`` response commit in the same transaction as the record it describes.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from app.http import idempotency

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def request_session(request: Request) -> Session:
    session: Session | None = getattr(request.state, "db", None)
    if session is None:
        raise RuntimeError(f"{request.url.path}: route is not a TransactionalRoute")
    return session


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run_in_transaction(request: Request) -> Response:
            write = request.method not in SAFE_METHODS
            session: Session = await run_in_threadpool(request.app.state.session_factory, write)
            request.state.db = session
            try:
                reservation = None
                if request.method == "POST" and idempotency.KEY_HEADER in request.headers:
                    outcome = await _reserve(request, session)
                    if isinstance(outcome, Response):
                        await run_in_threadpool(session.rollback)
                        return outcome
                    reservation = outcome
                response = await handler(request)
                if reservation is not None:
                    await run_in_threadpool(idempotency.complete, session, reservation, response)
                await run_in_threadpool(session.commit)
                return response
            except BaseException:
                await run_in_threadpool(session.rollback)
                raise
            finally:
                await run_in_threadpool(session.close)

        return run_in_transaction


async def _reserve(request: Request, session: Session) -> idempotency.IdempotencyKey | Response | None:
    from app.auth.dependencies import request_principal

    body = await request.body()
    principal = await run_in_threadpool(request_principal, request, session)
    if principal is None:
        return None  # the route's own authentication answers 401
    return await run_in_threadpool(idempotency.reserve, session, request, body, user_id=principal.user_id)
