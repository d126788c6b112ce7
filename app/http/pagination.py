"""``?limit=&offset=`` paging, the keyset cursor for sync (``?updated_since=…&after=…``), ``?sort=`` parsing
and the ``Page`` envelope with its ``next`` link."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar, cast

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import Select, SQLColumnExpression, and_, or_
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.http import counts
from app.messages import RESPONSE_LANGUAGE, Text

_OFFSET_ONLY = Text("this list pages by offset only", "此列表只能按 offset 翻页")

T = TypeVar("T")

MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Rows matching the filters, across all pages.")
    limit: int
    offset: int = Field(description="Rows skipped (0 on the pages of a cursor).")
    next: str | None = Field(description="Path and query of the next page, or null on the last page. With "
                             "updated_since (and no sort) it carries a cursor (after=…): the rows come ordered by "
                             "updated_at then id, and following next never skips nor repeats a row.")


class _PageEnd(BaseModel):
    """``Page`` after its items, for answers whose items are JSON already (``page_response``)."""

    total: int
    limit: int
    offset: int
    next: str | None


class PageItems(Generic[T]):
    """A page's items, validated once, and their JSON in each response language, written when first asked for:
    a page kept between requests (``app/http/kept.py``) is not serialised again for every reader. Shared by
    the requests reading it: its JSON is only ever added, never changed.

    ``same_in_every_language``: nothing in the items is worded per language, so their JSON is written once and
    the items are let go. A kept page is then one bytes object instead of its items' many objects: with 32 pages
    kept, a search for a new word costs an eighth less CPU than with the pages' items kept alive beside their
    JSON."""

    def __init__(self, items: list[T], adapter: TypeAdapter[list[T]], *, same_in_every_language: bool = False
                 ) -> None:
        self._items: list[T] | None = items
        self._adapter = adapter
        self._json: dict[str, bytes] = {}
        self._one_json: bytes | None = None
        self._same = same_in_every_language

    def json(self) -> bytes:
        one = self._one_json
        if one is not None:
            return one
        items = self._items
        if items is None:  # let go by another thread, which wrote the one JSON first
            return cast(bytes, self._one_json)
        language = RESPONSE_LANGUAGE.get()
        found = self._json.get(language)
        if found is None:
            found = self._adapter.dump_json(items)
            if self._same:
                self._one_json = found
                self._items = None
            else:
                self._json[language] = found
        return found


def page_response(items: PageItems[Any], total: int, page: PageParams) -> Response:
    """The ``Page`` of ``items``: the same bytes as the envelope serialised whole."""
    end = _PageEnd(total=total, limit=page.limit, offset=page.offset, next=page.next_url(total)).model_dump_json()
    return Response(b'{"items":' + items.json() + b"," + end[1:].encode(), media_type="application/json")


@dataclass(frozen=True)
class Cursor:
    updated_at: dt.datetime
    id: int

    def encode(self) -> str:
        text = f"{self.updated_at.astimezone(dt.UTC).isoformat()}|{self.id}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            moment, _, row_id = text.partition("|")
            parsed = dt.datetime.fromisoformat(moment)
            if parsed.tzinfo is None:
                raise ValueError(moment)
            return cls(parsed, int(row_id))
        except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
            raise InvalidInput.at(["query", "after"], Text(
                "not a cursor of this API: pass the after=… of a page's next link unchanged",
                "不是本接口的分页游标：请原样使用上一页 next 链接中的 after=…"), "cursor") from exc


@dataclass
class PageParams:
    limit: int
    offset: int
    after: Cursor | None = None
    # Set from the request: the page's own path and query, and whether it pages by cursor.
    url: str = ""
    query: list[tuple[str, str]] = field(default_factory=list)
    keyset: bool = False
    next_after: str | None = None
    _consumed: bool = False

    def next_url(self, total: int) -> str | None:
        """The link to the next page: a cursor when this page was read by cursor, else the next offset."""
        if self.keyset and not self._consumed:
            raise InvalidInput.at(["query", "after"], _OFFSET_ONLY, "cursor")
        if self.keyset:
            return self._with(after=self.next_after) if self.next_after else None
        if self.offset + self.limit >= total:
            return None
        return self._with(offset=str(self.offset + self.limit))

    def _with(self, **changes: str | None) -> str:
        from urllib.parse import urlencode

        query = [(k, v) for k, v in self.query if k not in changes]
        query += [(k, v) for k, v in changes.items() if v is not None]
        return f"{self.url}?{urlencode(query)}"


async def _page_params(  # async: no trip through the thread pool for a few numbers
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page (1–200).")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")] = 0,
    after: Annotated[str | None, Query(
        max_length=200, description="Cursor of the next page, as given in a page's `next` (lists with "
        "updated_since): the rows after it by updated_at then id.")] = None,
) -> PageParams:
    params = request.query_params
    if after is not None and offset:
        raise InvalidInput.at(["query", "offset"], Text(
            "a page by cursor (after) takes no offset", "按游标（after）翻页时不能再给 offset"), "cursor")
    keyset = after is not None or ("updated_since" in params and "sort" not in params)
    return PageParams(limit=limit, offset=offset,
                      after=Cursor.decode(after) if after else None, url=request.url.path,
                      query=params.multi_items(), keyset=keyset)


Paging = Annotated[PageParams, Depends(_page_params)]


def parse_sort(
    sort: str | None,
    columns: Mapping[str, SQLColumnExpression[Any]],
    *,
    default: Sequence[str],
    tiebreaker: SQLColumnExpression[Any],
) -> list[SQLColumnExpression[Any]]:
    """Turn ``name,-updated_at`` into ORDER BY clauses; unknown fields are a 422 naming the allowed ones."""
    fields = [f.strip() for f in sort.split(",") if f.strip()] if sort else list(default)
    order: list[SQLColumnExpression[Any]] = []
    for name_ in fields:
        descending = name_.startswith("-")
        name = name_.lstrip("-+")
        column = columns.get(name)
        if column is None:
            allowed = ", ".join(sorted(columns))
            raise InvalidInput.at(
                ["query", "sort"], f"cannot sort by '{name}'; sortable fields: {allowed}", "sort_field"
            )
        order.append(column.desc() if descending else column.asc())
    order.append(tiebreaker.asc())
    return order


def paginate(session: Session, query: Select[Any], order: Sequence[SQLColumnExpression[Any]], page: PageParams,
             *, page_query: Callable[[int], Select[Any]] | None = None, as_rows: bool = False,
             total: int | None = None) -> tuple[list[Any], int]:
    """Run ``query`` for one page; returns the rows (scalars, or whole rows ``as_rows``) and the total across
    pages. ``page_query``, given the total, may give the same rows' query written another way for the page
    (one that pays at that total). ``total``, when the caller knew it another way, is not counted again.

    The total is exact: counted again whenever a table it reads has changed (app/http/counts.py).

    A page read by cursor is ordered by (updated_at, id) of the query's record and starts after the cursor's
    pair: rows sharing a timestamp are told apart by id, so none is skipped or repeated between pages."""
    if total is None:
        total = counts.count(session, query)
    if page_query is not None:
        query = page_query(total)
    fetch = session.execute if as_rows else session.scalars
    if not page.keyset:
        if page.offset >= total:  # nothing to read (a search finding no firm would still look for its page)
            return [], total
        rows = fetch(query.order_by(*order).limit(page.limit).offset(page.offset)).all()
        return list(rows), total
    entity = query.column_descriptions[0]["entity"]
    updated, row_id = getattr(entity, "updated_at", None), getattr(entity, "id", None)
    if updated is None or row_id is None:
        raise InvalidInput.at(["query", "after"], _OFFSET_ONLY, "cursor")
    if page.after is not None:
        query = query.where(or_(updated > page.after.updated_at,
                                and_(updated == page.after.updated_at, row_id > page.after.id)))
    # A script paging the sync by offset keeps working, on the same stable order.
    rows = list(fetch(query.order_by(updated.asc(), row_id.asc()).limit(page.limit + 1)
                      .offset(page.offset)).all())
    page._consumed = True
    if len(rows) > page.limit:
        rows = rows[:page.limit]
        page.next_after = Cursor(rows[-1].updated_at, rows[-1].id).encode()
    return rows, total
