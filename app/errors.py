"""The ``DomainError`` family and the one renderer that turns every failure into RFC 9457 problem+json."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, PrivateAttr, ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.messages import DEFAULT as DEFAULT_LANGUAGE
from app.messages import Lang, Text, in_language, language, say

log = logging.getLogger("seedbed.errors")

PROBLEM_JSON = "application/problem+json"


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is: e.g. ['body', 'credit_code'] (never translated).")
    msg: str = Field(description="What is wrong, in plain words: Chinese, or English for Accept-Language: en.")
    type: str = Field(description="A stable machine-readable code for the kind of problem (never translated).")
    _text: Text | None = PrivateAttr(default=None)

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        if isinstance(data.get("msg"), Text):
            self._text = data["msg"]

    @property
    def text(self) -> Text:
        """The message in both languages (a plain one is the same in both)."""
        return self._text if self._text is not None else Text(self.msg, self.msg)

    def in_language(self, lang: Lang) -> ErrorItem:
        return ErrorItem(loc=self.loc, msg=in_language(self.text, lang), type=self.type)


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of this API is reported."""

    type: str = Field(description="A URI reference naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ErrorItem] | None = Field(default=None, description="Field-level problems (422).")
    model_config = {"extra": "allow"}


@runtime_checkable
class InLanguage(Protocol):
    """A member of a problem's extra fields that words itself for the client's language when rendered."""

    def json_in(self, lang: Lang) -> Any: ...


def problem_type(slug: str) -> str:
    return f"/problems/{slug}"


def request_language(request: Request) -> Lang:
    """The language of the messages for this request's client (``Accept-Language``; Chinese by default)."""
    return language(request.headers.get("accept-language"))


class DomainError(Exception):
    status: int = 400
    slug: str = "bad-request"
    title: str = Text("Bad request", "请求有误")

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
    status, slug, title = 404, "not-found", Text("Not found", "未找到")


class Conflict(DomainError):
    status, slug, title = 409, "conflict", Text("Conflict", "与记录当前状态冲突")


class PreconditionFailed(DomainError):
    status, slug = 412, "precondition-failed"
    title = Text("The record changed since you read it", "记录在您读取后已被修改")


class PreconditionRequired(DomainError):
    status, slug, title = 428, "precondition-required", Text("If-Match header required", "需要 If-Match 请求头")


INVALID_INPUT = Text("Invalid input", "输入有误")


class InvalidInput(DomainError):
    status, slug, title = 422, "validation-error", INVALID_INPUT

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
    lang: Lang = DEFAULT_LANGUAGE,
) -> JSONResponse:
    """The problem+json response; ``title``, ``detail`` and each error's ``msg`` in ``lang``."""
    body: dict[str, Any] = {"type": problem_type(slug), "title": in_language(title, lang), "status": status}
    if detail:
        body["detail"] = in_language(detail, lang)
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = [item.in_language(lang).model_dump() for item in errors]
    if extra:
        body.update({key: value.json_in(lang) if isinstance(value, InLanguage) else value
                     for key, value in extra.items()})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


# Chinese for pydantic's kinds of error (its English message is kept for ``Accept-Language: en``).
_PYDANTIC_ZH = {
    "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字", "decimal_parsing": "应为数字", "decimal_type": "应为数字",
    "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期（YYYY-MM-DD）", "date_type": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）", "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为时间（ISO-8601）", "datetime_type": "应为时间（ISO-8601）",
    "datetime_from_date_parsing": "应为时间（ISO-8601）",
    "enum": "应为以下之一：{expected}", "literal_error": "应为以下之一：{expected}",
    "greater_than_equal": "不能小于 {ge}", "less_than_equal": "不能大于 {le}",
    "greater_than": "应大于 {gt}", "less_than": "应小于 {lt}",
    "string_pattern_mismatch": "格式不符（{pattern}）", "extra_forbidden": "不认识的字段",
    "json_invalid": "不是有效的 JSON", "json_type": "应为 JSON", "string_type": "应为文本",
    "list_type": "应为列表", "dict_type": "应为对象", "model_type": "应为对象", "model_attributes_type": "应为对象",
    "url_parsing": "应为网址（http 或 https）", "url_scheme": "应为网址（http 或 https）",
    "url_type": "应为网址（http 或 https）", "value_error": "取值无效", "string_unicode": "应为文本",
    "too_short": "过少：至少 {min_length} 项", "too_long": "过多：最多 {max_length} 项",
    "string_too_short": "至少 {min_length} 个字符", "string_too_long": "过长：最多 {max_length} 个字符",
    "missing_argument": "必填", "unexpected_keyword_argument": "不认识的字段",
}


def _plain_message(err: dict[str, Any]) -> Text:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return say("required")
    if kind in ("too_short", "string_too_short") and isinstance(value, str):
        return say("empty") if ctx.get("min_length") == 1 else say("min_chars", n=ctx.get("min_length"))
    if kind in ("too_long", "string_too_long") and isinstance(value, str):
        return say("max_chars", n=ctx.get("max_length"), got=len(value))
    if kind == "too_long" and isinstance(value, list):
        return say("max_items", n=ctx.get("max_length"))
    # Our own validators raise ValueError("...") (or a Text): pydantic's "Value error, " prefix adds nothing.
    raised = ctx.get("error")
    if isinstance(raised, Exception) and raised.args and isinstance(raised.args[0], Text):
        return raised.args[0]
    en = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind == "value_error":
        return Text(en, en)  # our own validators' words, as written
    template = _PYDANTIC_ZH.get(kind)
    try:
        zh = template.format(**ctx) if template else en
    except (KeyError, IndexError, ValueError):
        zh = en
    return Text(en, zh)


def error_items_from_pydantic(raw: Sequence[Any]) -> list[ErrorItem]:
    items = []
    for err in raw:
        loc = [part if isinstance(part, int) else str(part) for part in err.get("loc", ())]
        items.append(ErrorItem(loc=loc, msg=_plain_message(err), type=str(err.get("type", "value_error"))))
    return items


def _summary(items: Sequence[ErrorItem]) -> Text:
    first = items[0]
    where = ".".join(str(p) for p in first.loc if p not in ("body",)) or "request"
    if len(items) > 1:
        return say("and_more", where=where, msg=first.text, n=len(items) - 1)
    return say("one", where=where, msg=first.text)


_STATUS_TITLES = {
    400: ("bad-request", Text("Bad request", "请求有误")),
    401: ("unauthorized", Text("Authentication required", "需要登录")),
    403: ("forbidden", Text("Not allowed", "无权操作")),
    404: ("not-found", Text("Not found", "未找到")),
    405: ("method-not-allowed", Text("Method not allowed", "不支持该请求方法")),
    406: ("not-acceptable", Text("Not acceptable", "无法提供所要求的格式")),
    413: ("payload-too-large", Text("Request too large", "请求过大")),
    415: ("unsupported-media-type", Text("Unsupported media type", "不支持的内容类型")),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            exc.status, exc.slug, exc.title, exc.detail, instance=request.url.path,
            errors=exc.errors, headers=exc.headers, extra=exc.extra, lang=request_language(request),
        )

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        items = error_items_from_pydantic(exc.errors())
        return problem_response(
            422, "validation-error", INVALID_INPUT, _summary(items) if items else None,
            instance=request.url.path, errors=items, lang=request_language(request),
        )

    @app.exception_handler(ValidationError)
    async def _model_validation(request: Request, exc: ValidationError) -> JSONResponse:
        items = error_items_from_pydantic(exc.errors())
        return problem_response(
            422, "validation-error", INVALID_INPUT, _summary(items) if items else None,
            instance=request.url.path, errors=items, lang=request_language(request),
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        # Two writers passed the If-Match check with the same version; the versioned UPDATE let one through.
        return problem_response(
            PreconditionFailed.status, PreconditionFailed.slug, PreconditionFailed.title, Text(
                "Someone changed this record at the same moment. Reload it, re-apply your change and send the "
                "new ETag.", "有人在同一时刻修改了这条记录：请重新读取，再做一次修改，并发送新的 ETag。"),
            instance=request.url.path, lang=request_language(request),
        )

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        if not _gave_way(exc):
            return await _unexpected(request, exc)
        # Nothing was saved (the transaction was rolled back); the same request sent again will go through.
        log.warning("%s %s gave way to a concurrent transaction: %s", request.method, request.url.path,
                    type(exc.orig).__name__)
        return problem_response(
            503, "busy", Text("Busy: try again shortly", "系统繁忙，请稍后再试"), Text(
                "Another change to the same figures was being saved at the same moment; nothing was saved. "
                "Send it again.", "另一项修改正在同时保存相同的统计数据，本次未保存任何内容，请重新提交。"),
            instance=request.url.path, headers={"Retry-After": "1"}, lang=request_language(request),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title = _STATUS_TITLES.get(exc.status_code, ("http-error", Text("Request failed", "请求失败")))
        detail: str | None = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        if isinstance(exc.__cause__, UnicodeDecodeError):
            # FastAPI says only "error parsing the body"; the usual cause is a client sending GBK.
            byte = exc.__cause__.start + 1
            detail = Text(
                f"The request body is not UTF-8 (byte {byte} cannot be read): send JSON encoded as UTF-8, as the "
                "JSON standard requires, not GBK or another local encoding.",
                f"请求体不是 UTF-8 编码（第 {byte} 个字节无法读取）：JSON 须按 UTF-8 编码发送，不能用 GBK 等本地编码。")
        return problem_response(
            exc.status_code, slug, title, detail, instance=request.url.path,
            headers=dict(exc.headers or {}), lang=request_language(request),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(500, "internal-error", Text("Internal error", "服务器内部错误"),
                                instance=request.url.path, lang=request_language(request))


# SQLSTATE class 40: PostgreSQL rolled the transaction back to break a deadlock (40P01) or a serialization
# conflict (40001) with another transaction. Sent again, it goes through.
_TRANSACTION_ROLLBACK = "40"


def _gave_way(exc: DBAPIError) -> bool:
    """A transaction the database rolled back because of another one at the same moment: PostgreSQL's
    deadlock or serialization failure, or SQLite still locked after its busy timeout."""
    state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if isinstance(state, str):
        return state.startswith(_TRANSACTION_ROLLBACK)
    message = str(exc.orig).lower()
    return type(exc.orig).__name__ == "OperationalError" and ("database is locked" in message
                                                              or "database is busy" in message)


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
