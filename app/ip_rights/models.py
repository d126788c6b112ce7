"""Table of the IP ledger: ``ip_rights``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin
from app.enums import check_constraint_sql
from app.ip_rights.enums import IpKind


class IpRight(TimestampMixin, Base):
    """One item of a firm's intellectual property. ``ip_class`` follows from ``kind``; ``used_by_application_id``
    is the high-tech application that counted it (a class Ⅱ item counts for one application only)."""

    __tablename__ = "ip_rights"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "number"),
        CheckConstraint(check_constraint_sql("kind", IpKind), name="kind"),
        CheckConstraint("ip_class IN (1, 2)", name="ip_class"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    ip_class: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(200))
    granted_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    used_by_application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
