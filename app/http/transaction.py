"""The request owns the transaction: one session per request, committed before the response is sent.

Every API router uses ``TransactionalRoute``. Doing this in the route (not a yield dependency) lets the
stored ``Idempotency-Key`` response commit in the same transaction as the record it describes. The key is
looked up by a dependency that runs after the route's own authorization: a retry is answered only to a
caller the route would answer, never to a weaker token of the same user.

The route is also where every JSON answer passes on its way out, first answers and replays alike: a viewer's
has its phone numbers and e-mail addresses masked there (``app.enterprises.privacy``), whatever the record.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import math
import threading
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import anyio
import anyio.to_thread
from fastapi import Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.datastructures import Default, DefaultPlaceholder
from fastapi.dependencies.utils import get_typed_return_annotation, get_typed_signature
from fastapi.exceptions import ResponseValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from app import connections
from app.config import Settings
from app.enterprises.privacy import mask_json, reads_masked
from app.errors import DomainError
from app.http import idempotency, query_models
from app.messages import Text

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def request_session(request: Request) -> Session:
    # async: a plain function would cost the request a trip through the thread pool to read an attribute.
    session: Session | None = getattr(request.state, "db", None)
    if session is None:
        raise RuntimeError(f"{request.url.path}: route is not a TransactionalRoute")
    return session


Prepare = Callable[[Request], Awaitable[None]]
_PREPARE_ATTRIBUTE = "__before_write_gate__"
_SHOWN_ONCE_ATTRIBUTE = "__shown_once__"


def _read_limiter(request: Request) -> anyio.CapacityLimiter:
    """The threads reads may hold at once (``read_threads``), one limiter per event loop.

    Starlette's pool lets forty threads run at once. Reads are mostly Python, which runs one thread at a time,
    and SQLite hands the interpreter back and forth at every step: at eight connections, eight threads
    taking turns made a page of the firm list cost twice the CPU it costs alone. Writes are not limited here
    (on SQLite they take turns at the write gate)."""
    state = request.app.state
    limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] | None = getattr(
        state, "read_limiters", None)
    if limiters is None:
        limiters = state.read_limiters = weakref.WeakKeyDictionary()
    loop = asyncio.get_running_loop()
    limiter = limiters.get(loop)
    if limiter is None:
        limiter = limiters[loop] = anyio.CapacityLimiter(read_threads(state.settings))
    return limiter


def read_threads(settings: Settings) -> int:
    """``read_threads``, or by default one per worker of several and two for a server of one worker.

    Two workers on two cores, eight connections, a street's page and one firm, four runs each (bench/RESULTS.md):
    reads one at a time had a median p99 of 1.9–2.1× the median latency where two threads had 2.7× (two threads
    and the event loop taking turns at the interpreter), for as many reads a second; a read that takes long holds
    up the connections of its own worker only."""
    if settings.read_threads is not None:
        return settings.read_threads
    return 1 if connections.several_workers() else 2


def before_write_gate(prepare: Prepare) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark an endpoint whose slow, database-free work (hashing a password) ``prepare`` does first, before the
    request waits for its turn to write and opens its transaction."""
    def mark(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        setattr(endpoint, _PREPARE_ATTRIBUTE, prepare)
        return endpoint
    return mark


def shown_once(*fields: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark an endpoint whose answer holds secrets (``fields`` of its JSON) shown only once: an
    ``Idempotency-Key`` keeps the answer without them and a retry is refused with 409."""
    def mark(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        setattr(endpoint, _SHOWN_ONCE_ATTRIBUTE, fields)
        return endpoint
    return mark


class WriteGateBusy(DomainError):
    status, slug, title = 503, "busy", Text("Busy: try again shortly", "系统繁忙，请稍后再试")


class _Replayed(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, response: Response) -> None:
        self.response = response


class TransactionalRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # A route copied by include_router brings the wrapped endpoint: wrapped again for this route, not twice.
        endpoint = getattr(endpoint, _SERIALIZED_FROM, endpoint)
        if _serialized_in_its_thread(endpoint, kwargs):
            if isinstance(kwargs.get("response_model", Default(None)), DefaultPlaceholder):
                kwargs["response_model"] = get_typed_return_annotation(endpoint)
            endpoint = _serializing(endpoint, lambda: self)
        if "POST" in (kwargs.get("methods") or ()):
            dependencies: Sequence[Any] = kwargs.get("dependencies") or ()
            if not any(getattr(d, "dependency", None) is _idempotency_guard for d in dependencies):
                # Last of the route's dependencies: after the authorization its routers add.
                kwargs["dependencies"] = [*dependencies, Depends(_idempotency_guard)]
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        prepare: Prepare | None = getattr(self.endpoint, _PREPARE_ATTRIBUTE, None)
        secrets: tuple[str, ...] = getattr(self.endpoint, _SHOWN_ONCE_ATTRIBUTE, ())
        one_trip = hasattr(self.endpoint, _SERIALIZED_FROM)

        async def run_in_transaction(request: Request) -> Response:
            if one_trip:
                read = functools.partial(_read_in_one_trip, request, handler)
                limiter = _read_limiter(request)
                return _as_readable(request, await anyio.to_thread.run_sync(read, limiter=limiter))
            write = request.method not in SAFE_METHODS
            if request.method in _WITH_BODY:
                # Read (and cache) the upload, and parse a form into its spooled files, before the gate:
                # a slow client or a large file must not hold up other writers.
                await request.body()
                if request.headers.get("content-type", "").startswith(_FORMS):
                    await request.form()
            if prepare is not None:
                await prepare(request)
            async with _sqlite_write_gate(request.app, write):
                response = await _run(request, write)
            return _as_readable(request, response)

        async def _run(request: Request, write: bool) -> Response:
            # A session takes its connection at its first statement: opening one needs no thread.
            session: Session = request.app.state.session_factory(write)
            request.state.db = session
            try:
                try:
                    response = await handler(request)
                except _Replayed as replayed:
                    await run_in_threadpool(_end, session, commit=False)
                    return replayed.response
                reservation = getattr(request.state, "idempotency_reservation", None)
                if reservation is not None:
                    await run_in_threadpool(idempotency.complete, session, reservation, response, secrets)
            except BaseException:
                await run_in_threadpool(_end, session, commit=False)
                raise
            await run_in_threadpool(_end, session, commit=True)
            return response

        return run_in_transaction


# --- a read in one trip through the thread pool -----------------------------------------------------------
#
# A read's steps (the token's look-up, the endpoint, the validation and JSON of its answer, the end of its
# transaction) each took a trip of their own through the thread pool: a quarter of a small read's time went
# to handing work between the event loop and a thread. A read by a plain function now makes one trip: its
# whole FastAPI handler (dependencies included) runs in the worker thread, on an event loop of that thread,
# so the event loop serving other requests never waits for the database, however long the read takes.


_ON_REQUEST_THREAD: ContextVar[bool] = ContextVar("seedbed_on_request_thread", default=False)


def on_request_thread() -> bool:
    """True while a read runs its handler in a worker thread of its own: blocking work may be done in place."""
    return _ON_REQUEST_THREAD.get()


class _ThreadLoop:
    """An event loop owned by one worker thread, closed when the thread ends (its thread-local is dropped)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        self.loop.close()


_thread_state = threading.local()


def _read_in_one_trip(request: Request, handler: Callable[[Request], Coroutine[Any, Any, Response]]) -> Response:
    own: _ThreadLoop | None = getattr(_thread_state, "loop", None)
    if own is None:
        own = _thread_state.loop = _ThreadLoop()
    session: Session = request.app.state.session_factory(False)
    request.state.db = session
    marker = _ON_REQUEST_THREAD.set(True)
    try:
        response = own.loop.run_until_complete(handler(request))
    except BaseException:
        _end(session, commit=False)
        raise
    finally:
        _ON_REQUEST_THREAD.reset(marker)
    _end(session, commit=True)
    return response


def _serialized_in_its_thread(endpoint: Callable[..., Any], kwargs: dict[str, Any]) -> bool:
    """A read by a plain function with a response model and FastAPI's default JSON response."""
    if set(kwargs.get("methods") or ()) != {"GET"} or inspect.iscoroutinefunction(endpoint):
        return False
    if not isinstance(kwargs.get("response_class", Default(JSONResponse)), DefaultPlaceholder):
        return False
    model = kwargs.get("response_model", Default(None))
    if isinstance(model, DefaultPlaceholder):
        model = get_typed_return_annotation(endpoint)
    return model is not None and not (isinstance(model, type) and issubclass(model, Response))


def _serializing(endpoint: Callable[..., Any], route: Callable[[], APIRoute]) -> Callable[..., Any]:
    """``endpoint``, then the validation and JSON of its answer, as one coroutine function that calls the plain
    function in place: the route runs it (with the rest of its handler) in a worker thread of its own.

    FastAPI would run a plain function in a trip through the thread pool and validate its answer against the
    response model in a second one, then serialise it. Done here with FastAPI's own response field, options and
    status and headers of the ``Response`` parameter, the answer is the same bytes without those trips.
    """
    # FastAPI's reading of the signature (string annotations resolved in the endpoint's module), as it will
    # read the wrapper's.
    signature = get_typed_signature(endpoint).replace(return_annotation=get_typed_return_annotation(endpoint))
    given = next((p.name for p in signature.parameters.values()
                  if isinstance(p.annotation, type) and issubclass(p.annotation, Response)), None)
    name = given or "serialized_response"
    if given is None:
        signature = signature.replace(parameters=[
            *signature.parameters.values(),
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Response)])
    signature, models = query_models.read_in_one_pass(signature)

    # async, for FastAPI to call it in place: the route runs the whole handler in a worker thread.
    @functools.wraps(endpoint)
    async def serialized(**values: Any) -> Any:
        sub_response: Response = values[name] if given else values.pop(name)
        answer = endpoint(**values)
        if isinstance(answer, Response):
            return answer
        this = route()
        field = this.response_field
        assert field is not None
        value, errors = field.validate(answer, {}, loc=("response",))
        if errors:
            raise ResponseValidationError(errors=errors, body=answer)
        body = field.serialize_json(
            value, include=this.response_model_include, exclude=this.response_model_exclude,
            by_alias=this.response_model_by_alias, exclude_unset=this.response_model_exclude_unset,
            exclude_defaults=this.response_model_exclude_defaults, exclude_none=this.response_model_exclude_none)
        response = Response(body, status_code=sub_response.status_code or this.status_code or 200,
                            media_type="application/json")
        response.headers.raw.extend(sub_response.headers.raw)
        return response

    serialized.__signature__ = signature  # type: ignore[attr-defined]
    setattr(serialized, query_models.QUERY_MODELS_ATTRIBUTE, models)
    setattr(serialized, _SERIALIZED_FROM, endpoint)
    return serialized


_SERIALIZED_FROM = "__serialized_from__"


_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


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
    wait: float = app.state.settings.sqlite_write_wait_seconds
    try:
        await asyncio.wait_for(gate.acquire(), wait)
    except TimeoutError:
        raise WriteGateBusy(
            Text(f"Other changes have kept the database busy for {wait:g} s; nothing was saved. Send it again shortly.",
                 f"其他修改占用数据库已 {wait:g} 秒，本次未保存任何内容，请稍后重新提交。"),
            headers={"Retry-After": str(max(1, math.ceil(wait / 3)))},
        ) from None
    try:
        yield
    finally:
        gate.release()


def sqlite_write_gate_of(app: FastAPI) -> asyncio.Lock | None:
    """The gate of the running event loop, if a write has made one (for tests and diagnostics)."""
    gates = getattr(app.state, "sqlite_write_gates", None)
    return gates.get(asyncio.get_running_loop()) if gates is not None else None


async def _idempotency_guard(request: Request) -> None:
    """Replay the stored response of a retried POST, or reserve its key for this one."""
    if request.method != "POST" or idempotency.KEY_HEADER not in request.headers:
        return
    from app.auth.dependencies import request_principal

    session = await request_session(request)
    body = await request.body()
    principal = await run_in_threadpool(request_principal, request, session)
    if principal is None:
        return  # a route that needs no token (logging in): nothing to key the request to
    outcome = await run_in_threadpool(idempotency.reserve, session, request, body, user_id=principal.user_id)
    if isinstance(outcome, Response):
        raise _Replayed(outcome)
    request.state.idempotency_reservation = outcome


def _as_readable(request: Request, response: Response) -> Response:
    """The answer as its caller may read it: a viewer's JSON with phone numbers and e-mail addresses masked.

    Files are streamed and masked cell by cell as they are written (``app.exports.tabular``)."""
    principal = getattr(request.state, "principal", None)
    if principal is None or not reads_masked(principal.role):
        return response
    body = getattr(response, "body", None)  # a streamed response has none
    if not body or "json" not in (response.headers.get("content-type") or ""):
        return response
    headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")}
    return Response(mask_json(bytes(body)), status_code=response.status_code, headers=headers,
                    media_type=response.headers["content-type"], background=response.background)
