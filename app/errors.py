"""The ``DomainError`` family and the one renderer that turns every failure into RFC 9457 problem+json."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("seedbed.errors")

PROBLEM_JSON = "application/problem+json"


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is: e.g. ['body', 'credit_code'].")
    msg: str = Field(description="What is wrong, in plain words.")
    type: str = Field(description="A stable machine-readable code for the kind of problem.")


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of this API is reported."""

    type: str = Field(description="A URI reference naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ErrorItem] | None = Field(default=None, description="Field-level problems (422).")
    model_config = {"extra": "allow"}


def problem_type(slug: str) -> str:
    return f"/problems/{slug}"


class DomainError(Exception):
    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[ErrorItem] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = headers or {}
        self.extra = extra


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(DomainError):
    status, slug, title = 412, "precondition-failed", "The record changed since you read it"


class PreconditionRequired(DomainError):
    status, slug, title = 428, "precondition-required", "If-Match header required"


class InvalidInput(DomainError):
    status, slug, title = 422, "validation-error", "Invalid input"

    @classmethod
    def at(cls, loc: Sequence[str | int], msg: str, type_: str = "value_error") -> InvalidInput:
        return cls(msg, errors=[ErrorItem(loc=list(loc), msg=msg, type=type_)])


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    *,
    instance: str | None = None,
    errors: Sequence[ErrorItem] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": problem_type(slug), "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = [item.model_dump() for item in errors]
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _plain_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return "required"
    if kind == "too_short" and isinstance(value, str):
        return "cannot be empty" if ctx.get("min_length") == 1 else f"at least {ctx.get('min_length')} characters"
    if kind == "too_long" and isinstance(value, str):
        return f"too long: at most {ctx.get('max_length')} characters (got {len(value)})"
    if kind == "too_long" and isinstance(value, list):
        return f"too many: at most {ctx.get('max_length')} entries"
    # Our own validators raise ValueError("..."): pydantic's "Value error, " prefix adds nothing.
    return str(err.get("msg", "invalid value")).removeprefix("Value error, ")


def error_items_from_pydantic(raw: Sequence[Any]) -> list[ErrorItem]:
    items = []
    for err in raw:
        loc = [part if isinstance(part, int) else str(part) for part in err.get("loc", ())]
        items.append(ErrorItem(loc=loc, msg=_plain_message(err), type=str(err.get("type", "value_error"))))
    return items


def _summary(items: Sequence[ErrorItem]) -> str:
    first = items[0]
    where = ".".join(str(p) for p in first.loc if p not in ("body",)) or "request"
    more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
    return f"{where}: {first.msg}{more}"


_STATUS_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Request too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            exc.status, exc.slug, exc.title, exc.detail, instance=request.url.path,
            errors=exc.errors, headers=exc.headers, extra=exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        items = error_items_from_pydantic(exc.errors())
        return problem_response(
            422, "validation-error", "Invalid input", _summary(items) if items else None,
            instance=request.url.path, errors=items,
        )

    @app.exception_handler(ValidationError)
    async def _model_validation(request: Request, exc: ValidationError) -> JSONResponse:
        items = error_items_from_pydantic(exc.errors())
        return problem_response(
            422, "validation-error", "Invalid input", _summary(items) if items else None,
            instance=request.url.path, errors=items,
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        # Two writers passed the If-Match check with the same version; the versioned UPDATE let one through.
        return problem_response(
            PreconditionFailed.status, PreconditionFailed.slug, PreconditionFailed.title,
            "Someone changed this record at the same moment. Reload it, re-apply your change and send the new "
            "ETag.", instance=request.url.path,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title = _STATUS_TITLES.get(exc.status_code, ("http-error", "Request failed"))
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        if isinstance(exc.__cause__, UnicodeDecodeError):
            # FastAPI says only "error parsing the body"; the usual cause is a client sending GBK.
            detail = (f"The request body is not UTF-8 (byte {exc.__cause__.start + 1} cannot be read): send JSON "
                      "encoded as UTF-8, as the JSON standard requires, not GBK or another local encoding.")
        return problem_response(
            exc.status_code, slug, title, detail, instance=request.url.path,
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(500, "internal-error", "Internal error", instance=request.url.path)


# Declared on routes so the OpenAPI document tells clients what errors look like.
def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        401: "Missing, unknown or expired token",
        403: "Your role does not allow this",
        404: "No such record",
        409: "Conflicts with the current state of a record",
        412: "The record changed since you read it (stale If-Match)",
        422: "Invalid input; `errors` lists each field and why",
        428: "If-Match header required",
        429: "Too many attempts",
        503: "Not ready: the database is unreachable or its schema is not at the latest migration",
    }
    return {
        status: {
            "model": Problem,
            "description": descriptions.get(status, "Error"),
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
