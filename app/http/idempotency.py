"""``Idempotency-Key`` on POST: a retry of the same request returns the first response, never a second record.

The key is reserved in the same transaction as the work it guards, so the record and its stored response
commit together; a concurrent retry waits on the key's unique index and then replays the response.

An answer carrying a secret shown only once (a new token) is stored without it, and a retry of its request is
refused with a 409 that says so: Seedbed never keeps a secret it can show again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from fastapi import Request, Response
from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.errors import Conflict, InvalidInput
from app.messages import Text as Said

KEY_HEADER = "idempotency-key"
RETENTION = dt.timedelta(hours=24)
_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
_REPLAYED_HEADERS = ("location", "etag", "content-type")
# Kept with the stored headers, never replayed: the fields of the answer that were withheld.
_WITHHELD = "withheld"
_MULTIPART_BOUNDARY = re.compile(r"^multipart/form-data;.*\bboundary=(\"[^\"]+\"|[^;\s]+)", re.IGNORECASE)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)



def _request_hash(request: Request, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    # A client retrying an upload picks a new multipart boundary: the same form must hash the same.
    boundary = _MULTIPART_BOUNDARY.search(request.headers.get("content-type", ""))
    if boundary:
        body = body.replace(boundary.group(1).strip('"').encode("latin-1"), b"")
    digest.update(body)
    return digest.hexdigest()


class ShownOnce(Conflict):
    """A retry of a request whose answer held a secret shown only once."""


def _replay(row: IdempotencyKey) -> Response:
    if row.response_headers.get(_WITHHELD):
        location = row.response_headers.get("location")
        raise ShownOnce(Said(
            "The request sent first with this Idempotency-Key succeeded"
            + (f" and created {location}" if location else "")
            + "; its answer held a secret (a token) that is shown only once and never stored, so it is not sent "
            "again. If that answer was lost, "
            + ("revoke what it created and " if location else "")
            + "send the request again with a new key.",
            "使用该 Idempotency-Key 的首次请求已成功" + (f"，已创建 {location}" if location else "")
            + "；其响应含有只显示一次、不会保存的密钥（令牌），因此不再重复返回。如未收到该响应，请"
            + ("撤销已创建的令牌后" if location else "") + "使用新的键重新发送请求。"),
            **({"location": location} if location else {}))
    headers = {k: v for k, v in row.response_headers.items() if k != "content-type"}
    headers["Idempotent-Replayed"] = "true"
    return Response(
        content=(row.response_body or "").encode("utf-8"),
        status_code=row.status_code or 200,
        headers=headers,
        media_type=row.response_headers.get("content-type", "application/json"),
    )


def _find(session: Session, user_id: int, key: str) -> IdempotencyKey | None:
    return session.scalars(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    ).first()


def _same_request_or_fail(row: IdempotencyKey, request_hash: str) -> None:
    if row.request_hash != request_hash:
        raise InvalidInput.at(
            ["header", "Idempotency-Key"],
            Said("this key was already used for a different request; use a new key for a new request",
                 "此键已用于另一个请求：新的请求请使用新的键"),
            "idempotency_key_reused",
        )


def reserve(session: Session, request: Request, body: bytes, *, user_id: int) -> IdempotencyKey | Response:
    """Reserve the request's key, or return the stored response of the request that used it first."""
    key = request.headers[KEY_HEADER]
    if not _KEY_PATTERN.match(key):
        raise InvalidInput.at(["header", "Idempotency-Key"], Said(
            "must be 1–255 visible ASCII characters (a UUID is ideal)", "须为 1–255 个可见 ASCII 字符（最好用 UUID）"))
    request_hash = _request_hash(request, body)
    row = _find(session, user_id, key)
    if row is not None and row.created_at < utcnow() - RETENTION:
        session.delete(row)
        session.flush()
        row = None
    if row is not None:
        _same_request_or_fail(row, request_hash)
        return _replay(row)
    reservation = IdempotencyKey(user_id=user_id, key=key, request_hash=request_hash)
    try:
        with session.begin_nested():
            session.add(reservation)
            session.flush()
    except IntegrityError:
        # A concurrent request with this key committed first: answer as it did.
        row = _find(session, user_id, key)
        if row is None:
            raise
        _same_request_or_fail(row, request_hash)
        return _replay(row)
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - RETENTION))
    return reservation


def complete(session: Session, reservation: IdempotencyKey, response: Response,
             withhold: tuple[str, ...] = ()) -> None:
    """Store the answer to replay; ``withhold``: fields of a JSON answer holding secrets shown only once,
    left out of what is stored (a retry is then refused, see ``_replay``)."""
    reservation.status_code = response.status_code
    body = bytes(response.body).decode("utf-8", errors="replace")
    headers: dict[str, Any] = {k: v for k, v in response.headers.items() if k in _REPLAYED_HEADERS}
    if withhold:
        document = json.loads(body) if body else None
        if isinstance(document, dict):
            body = json.dumps({k: v for k, v in document.items() if k not in withhold}, ensure_ascii=False)
        headers[_WITHHELD] = ",".join(withhold)
    reservation.response_body = body
    reservation.response_headers = headers
    session.flush()
