"""``/exports/...``: the main lists as CSV or XLSX, taking the same filters as the list endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from app.enterprises.schemas import EnterpriseFilter
from app.errors import problem_responses
from app.exports import kinds
from app.exports.tabular import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, ExportFormat, HeaderLanguage, tabular_response
from app.http.transaction import TransactionalRoute
from app.pipeline.schemas import ApplicationFilter
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


# One route per kind: FastAPI reads each list's filters from the handler's signature.
@router.get("/enterprises.{fmt}", response_class=StreamingResponse, responses=FILE_RESPONSES)
def export_enterprises(
    fmt: FormatParam, request: Request, filters: Annotated[EnterpriseFilter, Query()],
    headers: HeadersParam = HeaderLanguage.zh,
) -> StreamingResponse:
    """Export the firms matching the list filters as CSV or XLSX."""
    return tabular_response(request, fmt=fmt, language=headers, export=kinds.enterprises_export(filters))


@router.get("/applications.{fmt}", response_class=StreamingResponse, responses=FILE_RESPONSES)
def export_applications(
    fmt: FormatParam, request: Request, filters: Annotated[ApplicationFilter, Query()],
    headers: HeadersParam = HeaderLanguage.zh,
) -> StreamingResponse:
    """Export the applications matching the list filters as CSV or XLSX."""
    return tabular_response(request, fmt=fmt, language=headers, export=kinds.applications_export(filters))


@router.get("/visits.{fmt}", response_class=StreamingResponse, responses=FILE_RESPONSES)
def export_visits(
    fmt: FormatParam, request: Request, filters: Annotated[VisitFilter, Query()],
    headers: HeadersParam = HeaderLanguage.zh,
) -> StreamingResponse:
    """Export the visits matching the list filters as CSV or XLSX."""
    return tabular_response(request, fmt=fmt, language=headers, export=kinds.visits_export(filters))


@router.get("/demands.{fmt}", response_class=StreamingResponse, responses=FILE_RESPONSES)
def export_demands(
    fmt: FormatParam, request: Request, filters: Annotated[DemandFilter, Query()],
    headers: HeadersParam = HeaderLanguage.zh,
) -> StreamingResponse:
    """Export the demands matching the list filters as CSV or XLSX."""
    return tabular_response(request, fmt=fmt, language=headers, export=kinds.demands_export(filters))
