"""Tables ``district_indicators`` and ``yearly_targets``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Money, TimestampMixin, UTCDateTime
from app.enums import check_constraint_sql
from app.indicators.enums import DistrictIndicator, TargetIndicator


class IndicatorValue(TimestampMixin, Base):
    """One official figure of one year, as the statistics bureau published it."""

    __tablename__ = "district_indicators"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("indicator", DistrictIndicator), name="indicator"),
        Index("ix_district_indicators_year_indicator", "year", "indicator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(40))
    # Hundredths, exact (the Money type): yuan for amounts, percentage points for rates.
    value: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}


class YearlyTarget(TimestampMixin, Base):
    """A target the bureau is assessed on for one year (考核目标), e.g. 科技型中小企业入库 300 家."""

    __tablename__ = "yearly_targets"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("indicator", TargetIndicator), name="indicator"),
        Index("ix_yearly_targets_year_indicator", "year", "indicator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(40))
    target: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}
