"""``/exports/...``: the main lists as CSV or XLSX, taking the same filters as the list endpoints."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Select, SQLColumnExpression, select
from sqlalchemy.orm import Session

from app.enterprises import service as enterprises
from app.enterprises.models import Enterprise, EnterpriseTag
from app.enterprises.schemas import EnterpriseFilter
from app.errors import problem_responses
from app.exports.columns import APPLICATION_COLUMNS, DEMAND_COLUMNS, ENTERPRISE_COLUMNS, VISIT_COLUMNS
from app.exports.tabular import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    ExportFormat,
    HeaderLanguage,
    RecordSource,
    tabular_response,
)
from app.http.pagination import parse_sort
from app.http.transaction import TransactionalRoute
from app.pipeline import service as pipeline
from app.pipeline.models import Application
from app.pipeline.schemas import ApplicationFilter
from app.visits import demands
from app.visits import service as visits
from app.visits.models import Demand, Visit
from app.visits.schemas import DemandFilter, VisitFilter

router = APIRouter(prefix="/exports", tags=["exports"], route_class=TransactionalRoute)

FormatParam = Annotated[ExportFormat, Path(description="csv (UTF-8 with BOM) or xlsx.")]
HeadersParam = Annotated[HeaderLanguage, Query(
    description="Column headers: zh (Chinese headers and labels, for people) or en (field names and codes, "
    "for scripts).")]

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The file, streamed.",
          "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}},
                      XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
    **problem_responses(422),
}

_YIELD_PER = 1000


@router.get("/enterprises.{fmt}", response_class=StreamingResponse, responses=FILE_RESPONSES)
def export_enterprises(
    fmt: FormatParam, request: Request, filters: Annotated[EnterpriseFilter, Query()],
    headers: HeadersParam = HeaderLanguage.zh,
) -> StreamingResponse:
    """Export the firms matching the list filters as CSV or XLSX."""
    order = parse_sort(filters.sort, enterprises.SORTABLE, default=["id"], tiebreaker=Enterprise.id)
    query = enterprises.filtered_enterprises(filters).order_by(*order)
    return tabular_response(request, fmt=fmt, language=headers, filename="企业名录", columns=ENTERPRISE_COLUMNS,
                            records=_firms_with_tags(query))


def _firms_with_tags(query: Select[Any]) -> RecordSource:
    """Plain rows of the firms, with each firm's sorted tags fetched a thousand firms at a time: building
    ORM objects cost more than reading and writing the rows."""
    plain = query.with_only_columns(*Enterprise.__table__.columns).execution_options(yield_per=_YIELD_PER)

    def records(session: Session) -> Iterator[tuple[Any, list[str]]]:
        for part in session.execute(plain).partitions():
            tags: dict[int, list[str]] = defaultdict(list)
            tagged = select(EnterpriseTag.enterprise_id, EnterpriseTag.tag).where(
                EnterpriseTag.enterprise_id.in_([row.id for row in part]))
            for firm_id, tag in session.execute(tagged):
                tags[firm_id].append(tag)
            for row in part:
                yield row, sorted(tags.get(row.id, ()))

    return records


def _with_firm(query: Select[Any], enterprise_id: Any, order: list[SQLColumnExpression[Any]]) -> Select[Any]:
    return (query.add_columns(Enterprise.name, Enterprise.credit_code)
            .join(Enterprise, Enterprise.id == enterprise_id).order_by(*order)
            .execution_options(yield_per=_YIELD_PER))


def _rows(query: Select[Any]) -> Any:
    def records(session: Session) -> Any:
        return session.execute(query)
    return records


@router.get("/applications.{fmt}", response_class=StreamingResponse, responses=FILE_RESPONSES)
def export_applications(
    fmt: FormatParam, request: Request, filters: Annotated[ApplicationFilter, Query()],
    headers: HeadersParam = HeaderLanguage.zh,
) -> StreamingResponse:
    """Export the applications matching the list filters as CSV or XLSX."""
    order = parse_sort(filters.sort, pipeline.SORTABLE, default=["id"], tiebreaker=Application.id)
    query = _with_firm(pipeline.filtered_applications(filters), Application.enterprise_id, order)
    return tabular_response(request, fmt=fmt, language=headers, filename="培育项目申报", columns=APPLICATION_COLUMNS,
                            records=_rows(query))


@router.get("/visits.{fmt}", response_class=StreamingResponse, responses=FILE_RESPONSES)
def export_visits(
    fmt: FormatParam, request: Request, filters: Annotated[VisitFilter, Query()],
    headers: HeadersParam = HeaderLanguage.zh,
) -> StreamingResponse:
    """Export the visits matching the list filters as CSV or XLSX."""
    order = parse_sort(filters.sort, visits.SORTS, default=["-visited_on"], tiebreaker=Visit.id)
    query = _with_firm(visits.filtered_visits(filters), Visit.enterprise_id, order)
    return tabular_response(request, fmt=fmt, language=headers, filename="走访记录", columns=VISIT_COLUMNS,
                            records=_rows(query))


@router.get("/demands.{fmt}", response_class=StreamingResponse, responses=FILE_RESPONSES)
def export_demands(
    fmt: FormatParam, request: Request, filters: Annotated[DemandFilter, Query()],
    headers: HeadersParam = HeaderLanguage.zh,
) -> StreamingResponse:
    """Export the demands matching the list filters as CSV or XLSX."""
    order = parse_sort(filters.sort, demands.SORTS, default=["-raised_on"], tiebreaker=Demand.id)
    query = _with_firm(demands.filtered_demands(filters), Demand.enterprise_id, order)
    return tabular_response(request, fmt=fmt, language=headers, filename="企业诉求", columns=DEMAND_COLUMNS,
                            records=_rows(query))
