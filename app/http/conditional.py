"""ETags from record versions, and the If-Match / If-None-Match rules that keep writers from clobbering."""

from __future__ import annotations

from fastapi import Request, Response

from app.errors import PreconditionFailed, PreconditionRequired
from app.messages import Text


def etag_for(version: int) -> str:
    return f'"{version}"'


def _tags(header: str, *, weak: bool) -> list[str]:
    """The entity tags of a header; ``weak``: weak comparison (W/"3" matches "3"), else weak tags are dropped."""
    tags = []
    for raw in header.split(","):
        tag = raw.strip()
        if tag.startswith("W/"):
            if not weak:
                continue
            tag = tag[2:]
        if tag:
            tags.append(tag)
    return tags


def require_if_match(request: Request, current_version: int) -> None:
    """428 when the client sent no If-Match, 412 when it names another version than the stored one."""
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequired(
            Text("Send the record's ETag in an If-Match header (read it from the GET response) "
                 "so that a change made meanwhile by someone else is not overwritten.",
                 "请在 If-Match 请求头中发送记录的 ETag（读取记录时得到），以免覆盖他人在此期间所做的修改。"),
            current_etag=etag_for(current_version),
        )
    check_if_match(header, current_version)


def check_if_match(header: str | None, current_version: int) -> None:
    if header is None:
        return
    tags = _tags(header, weak=False)
    if "*" in tags or etag_for(current_version) in tags:
        return
    if not tags:
        # RFC 9110 §13.1.1: If-Match compares strongly, and a weak tag never matches.
        raise PreconditionFailed(
            Text(f"If-Match needs the strong ETag this API sends ({etag_for(current_version)}), not a weak one "
                 f"({header.strip()}): send the ETag header exactly as you received it.",
                 f"If-Match 须使用本接口发送的强 ETag（{etag_for(current_version)}），而不是弱 ETag"
                 f"（{header.strip()}）：请原样发送收到的 ETag。"),
            current_etag=etag_for(current_version),
        )
    raise PreconditionFailed(
        Text("Someone changed this record after you read it. Reload it, re-apply your change and send "
             "the new ETag.", "您读取之后有人修改了这条记录：请重新读取，再做一次修改，并发送新的 ETag。"),
        current_etag=etag_for(current_version),
    )


def not_modified(request: Request, version: int) -> bool:
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    tags = _tags(header, weak=True)
    return "*" in tags or etag_for(version) in tags


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)
