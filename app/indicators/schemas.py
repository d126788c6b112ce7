"""Request and response shapes of district indicators and yearly targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from app.fields import InputModel, Multiline, PatchModel, omittable
from app.indicators.enums import DistrictIndicator, FigureUnit, TargetIndicator
from app.publicity.schemas import Sort
from app.records.schemas import Name, RecordFilter, RecordRead, Year

Value = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2,
                                 description="Decimal string, 2 places: yuan for amounts, percent for rates, a "
                                 "count for firms, items and people (unit).")]


class IndicatorCreate(InputModel):
    year: Year
    indicator: DistrictIndicator
    value: Value
    source: Name = Field(description="Where the figure comes from, e.g. 区统计局《2025年统计公报》.")
    notes: Multiline | None = None


class IndicatorUpdate(PatchModel):
    value: Value = omittable()
    source: Name = omittable()
    notes: Multiline | None = None


class IndicatorRead(RecordRead):
    year: int
    indicator: DistrictIndicator
    value: Decimal
    unit: FigureUnit = Field(description="Follows from the indicator: yuan or percent.")
    source: str
    notes: str | None


class IndicatorFilter(RecordFilter):
    year: Year | None = None
    indicator: list[DistrictIndicator] = Field(default_factory=list, description="Repeatable.")
    sort: Sort = Field(default=None, description="id, year, indicator, updated_at; '-' descending. Default: -year.")


class TargetCreate(InputModel):
    year: Year
    indicator: TargetIndicator
    target: Value
    notes: Multiline | None = None


class TargetUpdate(PatchModel):
    target: Value = omittable()
    notes: Multiline | None = None


class TargetRead(RecordRead):
    year: int
    indicator: TargetIndicator
    target: Decimal
    unit: FigureUnit
    notes: str | None


class TargetFilter(RecordFilter):
    year: Year | None = None
    indicator: list[TargetIndicator] = Field(default_factory=list, description="Repeatable.")
    sort: Sort = Field(default=None, description="id, year, indicator, updated_at; '-' descending. Default: -year.")
