"""Request-level middleware, as plain ASGI: ``BaseHTTPMiddleware`` runs the rest of the app in a task of its
own and passes the response through memory streams, about a tenth of a small request's time.

One pass per request: a request id, refusing bodies larger than the route takes before a byte of them is read
(and before any authentication), refusing query strings no database can store, the security headers of every
response, and the access-log line and metrics — also of a request that failed with an unexpected error,
which is answered here as a 500 carrying its request id.
"""

from __future__ import annotations

import logging
import os
import re
import time

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import INVALID_INPUT, ErrorItem, problem_response
from app.logs import ACCESS_LOGGER
from app.messages import RESPONSE_LANGUAGE, Lang, Text, language
from app.metrics import Metrics

access_log = logging.getLogger(ACCESS_LOGGER)
error_log = logging.getLogger("seedbed.errors")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# Swagger UI and ReDoc start with an inline script and inline styles and draw icons from data: URIs; nothing
# is loaded from elsewhere, and no page of this server may be framed by another site (clickjacking).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_ALWAYS = [(b"x-content-type-options", b"nosniff")]
_HTML = [(b"content-security-policy", CONTENT_SECURITY_POLICY.encode()), (b"x-frame-options", b"DENY")]
_NO_STORE = (b"cache-control", b"no-store")

# The liveness probe, answered here without routing, dependencies or a thread: what a load balancer polls
# every few seconds costs the least the server can spend on a request. Same body and headers as the route in
# app/health.py (which stays for the OpenAPI and answers a request carrying an Origin, so CORS sees it).
HEALTH_PATH = "/healthz"
_HEALTH_BODY = b'{"status":"ok"}'
_HEALTH_HEADERS = [(b"content-length", str(len(_HEALTH_BODY)).encode()), (b"content-type", b"application/json")]


TOO_LARGE = Text("Request too large", "请求过大")
INTERNAL_ERROR = Text("Internal error", "服务器内部错误")


class BodyTooLarge(HTTPException):
    """Raised by the counting ``receive`` once a body without (or beyond) its Content-Length passes the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large_detail(limit))


def _too_large_detail(limit: int) -> Text:
    return Text(f"The request body is larger than this route accepts ({_size(limit)}).",
                f"请求体超过了此接口允许的大小（{_size(limit)}）。")


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


class RequestContext:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, body_limit: int, upload_limits: dict[str, int]) -> None:
        self.app = app
        self.metrics = metrics
        self.small_body = body_limit
        self.upload_limits = tuple(upload_limits.items())

    def body_limit(self, scope: Scope, headers: dict[bytes, bytes]) -> int:
        """Uploads may be large, but only from a caller who sent a token: an anonymous body is always small."""
        if b"authorization" in headers and scope["method"] == "POST":
            path: str = scope["path"]
            for prefix, limit in self.upload_limits:
                if path.startswith(prefix):
                    return limit
        return self.small_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else os.urandom(16).hex()  # uuid4().hex costs 6x
        if scope["path"] == HEALTH_PATH and scope["method"] == "GET" and b"origin" not in headers:
            await self._health(scope, send, started, request_id)
            return
        scope.setdefault("state", {})["request_id"] = request_id
        started_response = False
        no_store = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            nonlocal started_response
            if message["type"] == "http.response.start":
                started_response = True
                # Timed and logged when the response starts: a streamed export's body is not in it.
                self._finish(scope, message["status"], started, request_id)
                raw = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                raw.append((b"x-request-id", request_id.encode()))
                raw.extend(_ALWAYS)
                if no_store and b"cache-control" not in present:
                    raw.append(_NO_STORE)
                if any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in raw):
                    raw.extend(_HTML)
                message = {**message, "headers": raw}
            await send(message)

        RESPONSE_LANGUAGE.set(_lang(headers))  # this request's own task: nothing to reset
        limit = self.body_limit(scope, headers)
        problem = _early_problem(scope, headers, limit)
        if problem is not None:
            await _send_problem(scope, receive, send_with_headers, _lang(headers), *problem)
        else:
            self.metrics.in_flight.inc()
            try:
                await self.app(scope, _counting(receive, limit), send_with_headers)
            except BodyTooLarge:
                if started_response:
                    raise
                await _send_problem(scope, receive, send_with_headers, _lang(headers), 413, "payload-too-large",
                                    TOO_LARGE, _too_large_detail(limit))
            except Exception:
                error_log.exception("unhandled error on %s %s", scope["method"], scope["path"],
                                    extra={"fields": {"request_id": request_id}})
                if started_response:
                    raise
                await _send_problem(scope, receive, send_with_headers, _lang(headers), 500, "internal-error",
                                    INTERNAL_ERROR, None)
            finally:
                self.metrics.in_flight.dec()

    async def _health(self, scope: Scope, send: Send, started: float, request_id: str) -> None:
        self._finish(scope, 200, started, request_id, route=HEALTH_PATH)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*_HEALTH_HEADERS, (b"x-request-id", request_id.encode()), *_ALWAYS]})
        await send({"type": "http.response.body", "body": _HEALTH_BODY})

    def _finish(self, scope: Scope, status: int, started: float, request_id: str, *, route: str | None = None
                ) -> None:
        elapsed = time.perf_counter() - started
        self.metrics.observe(scope, status, elapsed, route=route)
        level = logging.ERROR if status >= 500 else logging.INFO
        if not access_log.isEnabledFor(level):
            return
        principal = scope.get("state", {}).get("principal")
        access_log.log(level, "request", extra={"fields": {
            "request_id": request_id, "method": scope["method"], "path": scope["path"], "status": status,
            "duration_ms": round(elapsed * 1000, 1), "user_id": getattr(principal, "user_id", None),
        }})


def _lang(headers: dict[bytes, bytes]) -> Lang:
    return language(headers.get(b"accept-language", b"").decode("latin-1"))


def _early_problem(scope: Scope, headers: dict[bytes, bytes], limit: int
                   ) -> tuple[int, str, Text, Text, list[ErrorItem] | None] | None:
    """A problem answered before the application sees the request, or None."""
    if b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]:
        return (422, "validation-error", INVALID_INPUT,
                Text("the query string contains a NUL character", "查询字符串中含有 NUL 字符"),
                [ErrorItem(loc=["query"], msg=Text("contains a NUL character", "含有 NUL 字符"), type="string_nul")])
    length = headers.get(b"content-length")
    if length is not None:
        try:
            declared = int(length)
        except ValueError:
            return (400, "bad-request", Text("Bad request", "请求有误"),
                    Text("Content-Length is not a number", "Content-Length 不是数字"), None)
        if declared > limit:
            return 413, "payload-too-large", TOO_LARGE, _too_large_detail(limit), None
    return None


def _counting(receive: Receive, limit: int) -> Receive:
    """``receive`` that stops a body (chunked, or longer than it said) once it passes ``limit`` bytes."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


async def _send_problem(scope: Scope, receive: Receive, send: Send, lang: Lang, status: int, slug: str,
                        title: Text, detail: Text | None, errors: list[ErrorItem] | None = None) -> None:
    # An unread body is left unread: the connection closes after a 413.
    response = problem_response(status, slug, title, detail, instance=scope["path"], errors=errors, lang=lang,
                                headers={"Connection": "close"} if status == 413 else None)
    await response(scope, receive, send)


def install_middleware(app: FastAPI, settings: Settings, *, upload_limits: dict[str, int]) -> None:
    """``upload_limits``: path prefix → the largest body a POST under it may send (every other body is at most
    ``settings.max_body_bytes``)."""
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
    # Added last, so it is the outermost: it sees (and times) every request, CORS preflights included.
    app.add_middleware(RequestContext, metrics=app.state.metrics, body_limit=settings.max_body_bytes,
                       upload_limits=upload_limits)
