"""Request-level middleware: request ids and refusing query strings no database can store."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from app.config import Settings
from app.errors import INVALID_INPUT, ErrorItem, problem_response, request_language
from app.logs import ACCESS_LOGGER
from app.messages import Text

access_log = logging.getLogger(ACCESS_LOGGER)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def install_middleware(app: FastAPI, settings: Settings) -> None:
    @app.middleware("http")
    async def _request_context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.state.request_id = request_id
        if "%00" in request.url.query or "\x00" in request.url.path:
            response: Response = problem_response(
                422, "validation-error", INVALID_INPUT,
                Text("the query string contains a NUL character", "查询字符串中含有 NUL 字符"),
                instance=request.url.path, lang=request_language(request),
                errors=[ErrorItem(loc=["query"], msg=Text("contains a NUL character", "含有 NUL 字符"),
                                  type="string_nul")],
            )
        else:
            metrics = request.app.state.metrics
            metrics.in_flight.inc()
            try:
                response = await call_next(request)
            finally:
                metrics.in_flight.dec()
        elapsed = time.perf_counter() - started
        request.app.state.metrics.observe(request, response.status_code, elapsed)
        response.headers["X-Request-ID"] = request_id
        principal = getattr(request.state, "principal", None)
        access_log.info("request", extra={"fields": {
            "request_id": request_id, "method": request.method, "path": request.url.path,
            "status": response.status_code, "duration_ms": round(elapsed * 1000, 1),
            "user_id": getattr(principal, "user_id", None),
        }})
        return response

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
