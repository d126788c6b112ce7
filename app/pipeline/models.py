"""Tables of the pipeline: ``applications`` (every program's cases) and ``stage_events`` (their history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Money, TimestampMixin, UTCDateTime, utcnow
from app.enums import check_constraint_sql
from app.pipeline.enums import CalendarKind


class Application(TimestampMixin, Base):
    """One firm's passage through one program in one year. ``program`` and ``stage`` are checked against
    the program declarations, not by CHECK constraints, so declaring a program needs no schema change."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_program_stage", "program", "stage"),
        # Covering: the summary's valid certificates are counted from the index alone.
        Index("ix_applications_program_valid_until_covering", "program", "valid_until", "stage", "valid_from",
              "enterprise_id", "archived_at"),
        Index("ix_applications_program_year_stage", "program", "year", "stage"),
        # A firm's applications of one program: the status summary on every firm read.
        Index("ix_applications_enterprise_id_program", "enterprise_id", "program"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    stage: Mapped[str] = mapped_column(String(32))
    stage_entered_on: Mapped[dt.date] = mapped_column(Date)
    # "program:enterprise:year" while the program allows one case per firm and year and the row is not
    # archived; NULL otherwise. A unique column (NULLs never collide) enforces that on every backend.
    unique_slot: Mapped[str | None] = mapped_column(String(80), unique=True)
    reference_no: Mapped[str | None] = mapped_column(String(64), index=True)
    amount_requested: Mapped[Decimal | None] = mapped_column(Money)
    amount_approved: Mapped[Decimal | None] = mapped_column(Money)
    amount_disbursed: Mapped[Decimal | None] = mapped_column(Money)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(Integer, index=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}


class StageEvent(Base):
    """One stage change of an application: from, to, on which business date, by whom, why."""

    __tablename__ = "stage_events"
    # The yearly statistics ask "which entered stage X of program P in this year".
    __table_args__ = (Index("ix_stage_events_program_to_stage_occurred_on", "program", "to_stage", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(Integer, index=True)
    program: Mapped[str] = mapped_column(String(32))
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CalendarEntry(TimestampMixin, Base):
    """One date of the programme calendar of a year: a filing window's opening or close, a batch deadline,
    the end of publicity… Alerts read these; staff keep them (they change every year)."""

    __tablename__ = "calendar_entries"
    __table_args__ = (
        UniqueConstraint("program", "year", "kind", "falls_on"),
        CheckConstraint(check_constraint_sql("kind", CalendarKind), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    falls_on: Mapped[dt.date] = mapped_column(Date)
    label: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class DevelopmentReport(TimestampMixin, Base):
    """A recognised high-tech firm's 年度发展情况报表 for one fiscal year, filed by 31 May of the next."""

    __tablename__ = "development_reports"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    filed_on: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
