"""Request-level middleware: request ids, metrics, the access log, and refusing query strings no database
can store.

Plain ASGI rather than ``BaseHTTPMiddleware``: that one runs the rest of the app in a task of its own and
passes the response through memory streams, about a tenth of a small request's time.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import INVALID_INPUT, ErrorItem, problem_response, request_language
from app.logs import ACCESS_LOGGER
from app.messages import Text

access_log = logging.getLogger(ACCESS_LOGGER)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContextMiddleware:
    """Gives every request an id (the client's ``X-Request-ID`` if well formed), counts and times it for
    ``/metrics`` and writes one access line when its response starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        header = (b"x-request-id", request_id.encode("latin-1"))
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]:
            response = problem_response(
                422, "validation-error", INVALID_INPUT,
                Text("the query string contains a NUL character", "查询字符串中含有 NUL 字符"),
                instance=scope["path"], lang=request_language(Request(scope)),
                errors=[ErrorItem(loc=["query"], msg=Text("contains a NUL character", "含有 NUL 字符"),
                                  type="string_nul")],
            )
            response.headers["X-Request-ID"] = request_id
            await response(scope, receive, send)
            self._finished(scope, response.status_code, started)
            return

        metrics = scope["app"].state.metrics
        responded = False

        async def send_with_id(message: Message) -> None:
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
                message["headers"] = [*message.get("headers", ()), header]
                self._finished(scope, message["status"], started)
            await send(message)

        metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            if not responded:  # answered by the server-error handler, outside this middleware
                self._finished(scope, 500, started)
            raise
        finally:
            metrics.in_flight.dec()

    @staticmethod
    def _finished(scope: Scope, status: int, started: float) -> None:
        """The response has started: time it (a streamed body is not in it), count it, log it."""
        elapsed = time.perf_counter() - started
        request = Request(scope)
        scope["app"].state.metrics.observe(request, status, elapsed)
        if access_log.isEnabledFor(logging.INFO):
            state = scope.get("state", {})
            principal = state.get("principal")
            access_log.info("request", extra={"fields": {
                "request_id": state.get("request_id"), "method": scope["method"], "path": scope["path"],
                "status": status, "duration_ms": round(elapsed * 1000, 1),
                "user_id": getattr(principal, "user_id", None),
            }})


def install_middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(RequestContextMiddleware)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Location", "X-Request-ID", "Retry-After", "Content-Disposition",
                            "Idempotent-Replayed"],
        )
