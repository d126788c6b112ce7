"""``/exports/...``: the main lists as CSV or XLSX, taking the same filters as the list endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from app.enterprises import service as enterprises
from app.enterprises.models import Enterprise
from app.enterprises.schemas import EnterpriseFilter
from app.errors import problem_responses
from app.exports.columns import ENTERPRISE_COLUMNS
from app.exports.tabular import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, ExportFormat, HeaderLanguage, tabular_response
from app.http.pagination import parse_sort
from app.http.transaction import TransactionalRoute

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
    query = enterprises.filtered_enterprises(filters).order_by(*order).execution_options(yield_per=_YIELD_PER)

    def records(session: Session) -> Any:
        return session.scalars(query)

    return tabular_response(request, fmt=fmt, language=headers, filename="企业名录", columns=ENTERPRISE_COLUMNS,
                            records=records)
