"""``/stats/...`` figures and ``/reports/annual``: read-only, so viewers may use them too."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response

from app.enums import register_labels
from app.errors import InvalidInput, problem_responses
from app.http.deps import SessionDep
from app.http.transaction import TransactionalRoute
from app.messages import Text
from app.stats import cached, pipeline, report, service
from app.stats.pipeline import GroupBy
from app.stats.schemas import AnnualReportRead, AnnualSummary, Funnel, PipelineStats

stats_router = APIRouter(prefix="/stats", tags=["stats"], route_class=TransactionalRoute)
reports_router = APIRouter(prefix="/reports", tags=["reports"], route_class=TransactionalRoute)

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_MEDIA_TYPE = "text/markdown; charset=utf-8"

StatsYear = Annotated[int, Query(ge=1990, le=2200, description="Calendar year (business dates, Asia/Shanghai).")]


class ReportFormat(StrEnum):
    json = "json"
    markdown = "markdown"
    docx = "docx"


register_labels(GroupBy, {GroupBy.district: "所属街道", GroupBy.park: "园区", GroupBy.industry: "行业门类",
                          GroupBy.tech_domain: "技术领域", GroupBy.owner: "经办人"})
register_labels(ReportFormat, {ReportFormat.json: "JSON 数据", ReportFormat.markdown: "Markdown 文本",
                               ReportFormat.docx: "Word 文档"})


def _as_of(year: int, as_of: dt.date | None) -> dt.date:
    # A year earlier must still be a date, and a valid-on day far from the year makes no report.
    if as_of is not None and not dt.date(1900, 1, 1) <= as_of <= dt.date(2200, 12, 31):
        raise InvalidInput.at(["query", "as_of"], Text(
            "as_of must be a date between 1900-01-01 and 2200-12-31", "截止日期应在 1900-01-01 至 2200-12-31 之间"))
    return as_of or service.default_as_of(year)


@stats_router.get("/pipeline", responses=problem_responses(422))
def get_pipeline_stats(
    session: SessionDep,
    program: Annotated[str, Query(max_length=32, description="Program code, one of GET /programs.")],
    year: Annotated[int | None, Query(ge=1990, le=2200, description="Application year; all years if omitted.")
                    ] = None,
    group_by: Annotated[GroupBy | None, Query(description="Split the counts by the firm's district, park, "
                                              "industry, tech_domain, or the application's owner.")] = None,
) -> PipelineStats:
    """Count one program's applications per stage, with amount sums where the program has amounts."""
    return pipeline.pipeline_stats(session, program=program, year=year, group_by=group_by)


@stats_router.get("/funnel", responses=problem_responses(422))
def get_funnel(session: SessionDep, year: StatsYear) -> Funnel:
    """Follow firms from the registry to high-tech recognition in a year, beside the year before."""
    return pipeline.funnel(session, year=year)


@stats_router.get("/summary", responses=problem_responses(422))
def get_summary(
    session: SessionDep, year: StatsYear,
    as_of: Annotated[dt.date | None, Query(description="Day the valid high-tech firms are counted "
                                           "on, and the counts run to when inside the year; default 31 December, "
                                           "today for the year in progress.")] = None,
) -> AnnualSummary:
    """Give every figure of the annual work summary with its year-over-year change."""
    return cached.annual_summary(session, year=year, as_of=_as_of(year, as_of), work_out=service.annual_summary)


REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The report as JSON, Markdown or a Word document.",
          "content": {MARKDOWN_MEDIA_TYPE: {"schema": {"type": "string"}},
                      DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
    **problem_responses(422),
}


@reports_router.get("/annual", responses=REPORT_RESPONSES, response_model=AnnualReportRead)
def get_annual_report(
    session: SessionDep, year: StatsYear, request: Request,
    format: Annotated[ReportFormat, Query(description="json, markdown (text/markdown) or docx (Word).")
                      ] = ReportFormat.json,
) -> Any:
    """Render the annual work summary in the bureau's phrasing as JSON, Markdown or a 公文-style DOCX."""
    built = pipeline.annual_report(session, year=year, issuer=request.app.state.settings.bureau_name)
    if format is ReportFormat.json:
        return AnnualReportRead(summary=built.summary, programs=built.programs)
    name = f"{year}年度科技创新工作总结"
    if format is ReportFormat.markdown:
        body, media_type, ext = report.render_markdown(built).encode(), MARKDOWN_MEDIA_TYPE, "md"
    else:
        body, media_type, ext = report.render_docx(built), DOCX_MEDIA_TYPE, "docx"
    disposition = f"attachment; filename=\"annual-report-{year}.{ext}\"; filename*=UTF-8''{quote(f'{name}.{ext}')}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})
