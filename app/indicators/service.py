"""District indicators and yearly targets: one live row per year and indicator. Never commits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.enums import label_of
from app.errors import Conflict, InvalidInput
from app.indicators.enums import INDICATOR_UNITS, TARGET_UNITS, DistrictIndicator, FigureUnit, TargetIndicator
from app.indicators.models import IndicatorValue, YearlyTarget
from app.indicators.schemas import IndicatorFilter, TargetFilter
from app.messages import Text
from app.records.crud import RecordKind


def _filters(query: Select[Any], filters: IndicatorFilter | TargetFilter) -> Select[Any]:
    model = query.column_descriptions[0]["entity"]
    if filters.year is not None:
        query = query.where(model.year == filters.year)
    if filters.indicator:
        query = query.where(model.indicator.in_([i.value for i in filters.indicator]))
    return query


def _one_per_year(model: type[Any], what: str, label: str, indicators: type[Any]) -> Any:
    def check(session: Session, values: dict[str, Any], record: Any) -> None:
        query = select(model.id).where(model.year == values["year"], model.indicator == values["indicator"],
                                       model.archived_at.is_(None))
        if record is not None:
            query = query.where(model.id != record.id)
        clash = session.scalar(query)
        if clash is not None:
            indicator, year = values["indicator"], values["year"]
            raise Conflict(Text(f"{what} {clash} already holds {indicator} for {year}: change that one instead.",
                                f"{label} {clash} 已有 {year} 年的「{label_of(indicators(indicator))}」：请改那一条。"),
                           existing_id=clash)
    return check


def _unit_of_indicator(session: Session, values: dict[str, Any], record: Any) -> None:
    unit = INDICATOR_UNITS[DistrictIndicator(values["indicator"])]
    if unit is FigureUnit.percent and Decimal(values["value"]) > 100:
        raise InvalidInput.at(["body", "value"], Text("a rate in percent cannot exceed 100", "百分比不能超过 100"))
    values["unit"] = unit.value
    if record is None:
        return
    record.unit = unit.value


def _unit_of_target(session: Session, values: dict[str, Any], record: Any) -> None:
    values["unit"] = TARGET_UNITS[TargetIndicator(values["indicator"])].value
    if record is not None:
        record.unit = values["unit"]


INDICATOR_KIND = RecordKind(
    model=IndicatorValue, entity_type="district_indicator", what="District indicator", label="区级统计指标",
    fields=("year", "indicator", "value", "unit", "source", "notes"),
    sorts={"id": IndicatorValue.id, "year": IndicatorValue.year, "indicator": IndicatorValue.indicator,
           "updated_at": IndicatorValue.updated_at},
    default_sort=("-year", "indicator"), apply_filters=_filters, firm_field=None,
    describe=lambda r: f"{r.year}年{label_of(DistrictIndicator(r.indicator))}",
    checks=(_one_per_year(IndicatorValue, "District indicator", "区级统计指标", DistrictIndicator), _unit_of_indicator),
)

TARGET_KIND = RecordKind(
    model=YearlyTarget, entity_type="yearly_target", what="Yearly target", label="年度考核目标",
    fields=("year", "indicator", "target", "unit", "notes"),
    sorts={"id": YearlyTarget.id, "year": YearlyTarget.year, "indicator": YearlyTarget.indicator,
           "updated_at": YearlyTarget.updated_at},
    default_sort=("-year", "indicator"), apply_filters=_filters, firm_field=None,
    describe=lambda r: f"{r.year}年{label_of(TargetIndicator(r.indicator))}",
    checks=(_one_per_year(YearlyTarget, "Yearly target", "年度考核目标", TargetIndicator), _unit_of_target),
)


def indicator_values(session: Session, years: list[int]) -> dict[tuple[int, str], Decimal]:
    """(year, indicator) → the live official value, for the years asked."""
    rows = session.execute(select(IndicatorValue.year, IndicatorValue.indicator, IndicatorValue.value).where(
        IndicatorValue.year.in_(years), IndicatorValue.archived_at.is_(None)))
    return {(year, indicator): value for year, indicator, value in rows}


def targets_of(session: Session, year: int) -> dict[str, Decimal]:
    """indicator → the year's live target."""
    rows = session.execute(select(YearlyTarget.indicator, YearlyTarget.target).where(
        YearlyTarget.year == year, YearlyTarget.archived_at.is_(None)))
    return {indicator: target for indicator, target in rows}
