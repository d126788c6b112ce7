"""``?limit=&offset=`` paging, ``?sort=`` parsing and the ``Page`` envelope."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, SQLColumnExpression, func, select
from sqlalchemy.orm import Session

from app.errors import InvalidInput

T = TypeVar("T")

MAX_LIMIT = 200


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Rows matching the filters, across all pages.")
    limit: int
    offset: int


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page (1–200).")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


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
    for field in fields:
        descending = field.startswith("-")
        name = field.lstrip("-+")
        column = columns.get(name)
        if column is None:
            allowed = ", ".join(sorted(columns))
            raise InvalidInput.at(
                ["query", "sort"], f"cannot sort by '{name}'; sortable fields: {allowed}", "sort_field"
            )
        order.append(column.desc() if descending else column.asc())
    order.append(tiebreaker.asc())
    return order


def paginate(session: Session, query: Select[Any], order: Sequence[SQLColumnExpression[Any]], page: PageParams
             ) -> tuple[list[Any], int]:
    """Run ``query`` for one page; returns the rows (scalars) and the total across pages."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(query.order_by(*order).limit(page.limit).offset(page.offset)).all()
    return list(rows), total
