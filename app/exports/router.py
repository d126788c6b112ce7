"""``/exports/...``: the main lists as CSV or XLSX, taking the same filters as the list endpoints.

One operation per kind and format (``/exports/visits.csv``, ``/exports/visits.xlsx``), each declaring its own
binary media type, so a generated client downloads the file instead of parsing it as JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.auth.dependencies import CurrentPrincipal
from app.enterprises.privacy import reads_masked
from app.enterprises.schemas import EnterpriseFilter, FiguresFilter
from app.errors import problem_responses
from app.exports import kinds
from app.exports.tabular import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Export, ExportFormat, HeaderLanguage, tabular_response
from app.http.transaction import TransactionalRoute
from app.imports.record_kinds import RECORD_FILES
from app.pipeline.schemas import ApplicationFilter
from app.visits.schemas import DemandFilter, VisitFilter

router = APIRouter(prefix="/exports", tags=["exports"], route_class=TransactionalRoute)

LangParam = Annotated[HeaderLanguage | None, Query(
    description="Who reads the file: zh (default: Chinese headers and labels, names of people, times in "
    "Asia/Shanghai) or en (field names, codes, ids and ISO UTC times; for scripts).")]
# The parameter's first name, kept for existing scripts; generated clients clash with a parameter named headers.
OldLangParam = Annotated[HeaderLanguage | None, Query(include_in_schema=False)]

_MEDIA = {
    ExportFormat.csv: (CSV_MEDIA_TYPE.split(";")[0], "CSV, UTF-8 with a BOM so that Excel shows Chinese."),
    ExportFormat.xlsx: (XLSX_MEDIA_TYPE, "An Excel workbook."),
}


def file_responses(fmt: ExportFormat) -> dict[int | str, dict[str, Any]]:
    media_type, description = _MEDIA[fmt]
    return {
        200: {"description": f"{description} Streamed; the file name is in Content-Disposition.",
              "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
              "headers": {"Content-Disposition": {"description": "attachment; filename*=UTF-8''<Chinese name>",
                                                  "schema": {"type": "string"}}}},
        **problem_responses(422),
    }


def _handler(fmt: ExportFormat | None, filters_model: type[BaseModel], build: Callable[[Any], Export]
             ) -> Callable[..., StreamingResponse]:
    """The route of one kind in one format, or (``fmt=None``) with the format as a path parameter."""
    # A viewer's file has the phone numbers and e-mails in its text masked, as everything a viewer reads.
    def in_format(request: Request, filters: Any, principal: Any, lang: HeaderLanguage | None = None,
                  headers: HeaderLanguage | None = None) -> StreamingResponse:
        assert fmt is not None
        return tabular_response(request, fmt=fmt, language=lang or headers or HeaderLanguage.zh,
                                export=build(filters), masked=reads_masked(principal.role))

    def any_format(request: Request, fmt: ExportFormat, filters: Any, principal: Any,
                   lang: HeaderLanguage | None = None, headers: HeaderLanguage | None = None) -> StreamingResponse:
        return tabular_response(request, fmt=fmt, language=lang or headers or HeaderLanguage.zh,
                                export=build(filters), masked=reads_masked(principal.role))

    handler = in_format if fmt is not None else any_format
    # FastAPI reads the list's filters from this annotation, which differs per kind.
    handler.__annotations__ = {**handler.__annotations__, "request": Request, "fmt": ExportFormat,
                               "filters": Annotated[filters_model, Query()], "principal": CurrentPrincipal,
                               "lang": LangParam,
                               "headers": OldLangParam,
                               "return": StreamingResponse}
    if fmt is not None:
        del handler.__annotations__["fmt"]
    return handler


def _add_export(kind: str, noun: str, filters_model: type[BaseModel], build: Callable[[Any], Export]) -> None:
    operation = kind.replace("-", "_")  # technology-contracts → export_technology_contracts_csv
    for fmt in ExportFormat:
        router.add_api_route(
            f"/{kind}.{fmt.value}", _handler(fmt, filters_model, build), methods=["GET"],
            name=f"export_{operation}_{fmt.value}", response_class=StreamingResponse, responses=file_responses(fmt),
            summary=f"Export {noun} as {fmt.value.upper()}",
            description=f"The {noun} matching the list's filters, as a {fmt.value.upper()} file.",
        )
    # The path of earlier releases, format as a parameter: kept for existing scripts, out of the schema.
    router.add_api_route(f"/{kind}.{{fmt}}", _handler(None, filters_model, build), methods=["GET"],
                         name=f"export_{operation}", response_class=StreamingResponse, include_in_schema=False)


_add_export("enterprises", "firms", EnterpriseFilter, kinds.enterprises_export)
_add_export("applications", "applications", ApplicationFilter, kinds.applications_export)
_add_export("visits", "visits", VisitFilter, kinds.visits_export)
_add_export("demands", "demands", DemandFilter, kinds.demands_export)
_add_export("figures", "annual figures of firms", FiguresFilter, kinds.figures_export)
for spec in RECORD_FILES:
    _add_export(spec.path, spec.noun, spec.filters, kinds.EXPORTS[spec.name][1])
