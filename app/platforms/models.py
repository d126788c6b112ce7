"""Table ``innovation_platforms``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin, UTCDateTime
from app.enums import check_constraint_sql
from app.platforms.enums import PlatformKind
from app.records.enums import AdministrativeLevel


class InnovationPlatform(TimestampMixin, Base):
    """A platform or carrier recognised at a level, hosted by a district firm or by an institution."""

    __tablename__ = "innovation_platforms"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("kind", PlatformKind), name="kind"),
        CheckConstraint(check_constraint_sql("level", AdministrativeLevel), name="level"),
        CheckConstraint("enterprise_id IS NOT NULL OR host_institution IS NOT NULL", name="host"),
        Index("ix_innovation_platforms_enterprise_id_level", "enterprise_id", "level"),
        Index("ix_innovation_platforms_archived_at_recognised_on", "archived_at", "recognised_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    level: Mapped[str] = mapped_column(String(16))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    host_institution: Mapped[str | None] = mapped_column(String(200))
    recognised_on: Mapped[dt.date] = mapped_column(Date)
    document_no: Mapped[str | None] = mapped_column(String(100))
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    evaluations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The first failed evaluation's date, kept with the evaluations: where the recognition ended.
    failed_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}
