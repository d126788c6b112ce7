"""Counts per stage of one program, optionally grouped, and the cultivation funnel across programs."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.db import exact_sum
from app.enterprises.enums import Industry, TechDomain
from app.enterprises.models import Enterprise
from app.enums import label_of
from app.errors import InvalidInput
from app.fields import business_today
from app.messages import Text
from app.pipeline import declarations
from app.pipeline import service as pipeline_service
from app.pipeline.declarations import Program
from app.pipeline.models import Application
from app.stats.report import AnnualReport
from app.stats.schemas import AnnualSummary, Funnel, FunnelStep, PipelineGroup, PipelineStats, StageCount
from app.stats.service import YearFigures, annual_summary


class GroupBy(StrEnum):
    district = "district"
    park = "park"
    industry = "industry"
    tech_domain = "tech_domain"
    owner = "owner"


_GROUP_COLUMNS: dict[GroupBy, Any] = {
    GroupBy.district: Enterprise.district, GroupBy.park: Enterprise.park, GroupBy.industry: Enterprise.industry,
    GroupBy.tech_domain: Enterprise.tech_domain, GroupBy.owner: Application.owner_id,
}
_AMOUNTS = ("amount_requested", "amount_approved", "amount_disbursed")


def has_amounts(program: Program) -> bool:
    """A program has amounts when one of its transitions asks for an approved or disbursed sum."""
    return any(r.field in ("amount_approved", "amount_disbursed") for t in program.transitions for r in t.requires)


def _enum_label(enum: type[StrEnum], code: str) -> str | None:
    try:
        return label_of(enum(code))
    except ValueError:
        return None


def _labels(session: Session, group_by: GroupBy | None, keys: set[Any]) -> dict[Any, str | None]:
    if group_by is GroupBy.industry:
        return {k: _enum_label(Industry, k) for k in keys if k is not None}
    if group_by is GroupBy.tech_domain:
        return {k: _enum_label(TechDomain, k) for k in keys if k is not None}
    if group_by is GroupBy.owner:
        ids = [k for k in keys if k is not None]
        rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
        return {user_id: name for user_id, name in rows}
    return {}


def pipeline_stats(session: Session, *, program: str, year: int | None, group_by: GroupBy | None
                   ) -> PipelineStats:
    declared = pipeline_service.program_from_input(program, ("query", "program"))
    key = _GROUP_COLUMNS[group_by] if group_by else None
    columns = [Application.stage, func.count()] + [exact_sum(getattr(Application, name)) for name in _AMOUNTS]
    query = (select(*(([key] if key is not None else []) + columns))
             .join(Enterprise, Enterprise.id == Application.enterprise_id)
             .where(Application.program == declared.code, Application.archived_at.is_(None),
                    Enterprise.archived_at.is_(None)))
    if year is not None:
        query = query.where(Application.year == year)
    query = query.group_by(*([key] if key is not None else []), Application.stage)
    found: dict[Any, dict[str, tuple[int, list[Decimal | None]]]] = {}
    for row in session.execute(query).all():
        group = row[0] if key is not None else None
        stage, count, *sums = row[1:] if key is not None else row
        found.setdefault(group, {})[stage] = (count, list(sums))
    labels = _labels(session, group_by, set(found))
    money = has_amounts(declared)
    # Ungrouped, the whole is one group even when empty; grouped, only groups with records appear.
    keys = sorted(found, key=lambda k: (k is None, str(k))) if group_by else [None]
    groups = []
    for group in keys:
        stages = []
        for stage in declared.all_stages:
            count, sums = found.get(group, {}).get(stage.code, (0, [None, None, None]))
            amounts = {name: (value if value is not None else Decimal("0.00")) if money else None
                       for name, value in zip(_AMOUNTS, sums, strict=True)}
            stages.append(StageCount(stage=stage.code, label=stage.label, count=count, **amounts))
        groups.append(PipelineGroup(key=None if group is None else str(group), label=labels.get(group),
                                    total=sum(s.count for s in stages), stages=stages))
    return PipelineStats(program=declared.code, program_label=declared.label, year=year,
                         group_by=group_by.value if group_by else None, groups=groups)


_FUNNEL = (
    ("registry", "企业名录", "enterprises"),
    ("tech_sme_registered", "科技型中小企业入库", "tech_sme_registered"),
    ("high_tech_prospects", "高企培育", "high_tech_prospects"),
    ("high_tech_recommended", "高企推荐", "high_tech_recommended"),
    ("high_tech_recognized", "新认定高企", "high_tech_newly_recognized"),
)


def _conversion(firms: int, before: int | None) -> Decimal | None:
    if not before:
        return None
    return (Decimal(firms) * 100 / Decimal(before)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def funnel(session: Session, *, year: int) -> Funnel:
    this = YearFigures(session, year, dt.date(year, 12, 31))
    last = YearFigures(session, year - 1, dt.date(year - 1, 12, 31))
    steps: list[FunnelStep] = []
    for code, label, method in _FUNNEL:
        firms, previous = getattr(this, method)(), getattr(last, method)()
        before = steps[-1] if steps else None
        steps.append(FunnelStep(
            step=code, label=label, firms=firms, previous=previous,
            conversion_percent=_conversion(firms, before.firms if before else None),
            previous_conversion_percent=_conversion(previous, before.previous if before else None)))
    return Funnel(year=year, steps=steps)


def annual_report(session: Session, *, year: int, issuer: str = "区科学技术局",
                  dated: dt.date | None = None) -> AnnualReport:
    """The summary of the year and a table per program, ready to render; a year without a single record is
    refused (422) rather than rendered as zeros."""
    summary = annual_summary(session, year=year)
    programs = [pipeline_stats(session, program=p.code, year=year, group_by=None) for p in declarations.programs()]
    if not has_data(summary) and not any(group.total for stats in programs for group in stats.groups):
        raise InvalidInput.at(["query", "year"], Text(
            f"nothing is recorded for {year}: no applications, visits, demands, events, annual figures or other "
            "records of that year",
            f"{year} 年没有任何记录：没有申报、走访、诉求、活动、年度数据或其他记录，无法生成报告"),
            "no_data")
    return AnnualReport(summary=summary, programs=programs, issuer=issuer, dated=dated or business_today())


def has_data(summary: AnnualSummary) -> bool:
    """Any figure of the year itself is non-zero (the registry's size and the valid certificates, which
    carry over from earlier years, do not count)."""
    carried = {"year", "as_of", "in_progress", "enterprises", "high_tech_valid", "high_tech_net_growth", "platforms",
               "commissioners_national", "commissioners_provincial", "commissioners_municipal",
               "commissioners_district"}
    for name in AnnualSummary.model_fields:
        if name in carried:
            continue
        value = getattr(summary, name).value
        if value:
            return True
    return bool(summary.platforms and any(c.recognised for c in summary.platforms))
