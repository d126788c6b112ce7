"""Tables ``commissioners`` with ``commissioner_firms``, and ``commissioner_services``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.commissioners.enums import ServiceKind
from app.db import Base, Money, TimestampMixin, UTCDateTime
from app.enums import check_constraint_sql
from app.records.enums import AdministrativeLevel


class Commissioner(TimestampMixin, Base):
    """A commissioner appointed at a level, with the firms and villages assigned to them."""

    __tablename__ = "commissioners"
    __table_args__ = (CheckConstraint(check_constraint_sql("level", AdministrativeLevel), name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    expertise: Mapped[str] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    foreign_expert: Mapped[bool] = mapped_column(Boolean, default=False)
    appointed_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    served_villages: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    firm_rows: Mapped[list[CommissionerFirm]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CommissionerFirm.enterprise_id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def served_firm_ids(self) -> list[int]:
        return [row.enterprise_id for row in self.firm_rows]


class CommissionerFirm(Base):
    __tablename__ = "commissioner_firms"

    commissioner_id: Mapped[int] = mapped_column(ForeignKey("commissioners.id", ondelete="CASCADE"),
                                                 primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True,
                                               index=True)


class CommissionerService(TimestampMixin, Base):
    """One training, field visit or consultation a commissioner gave."""

    __tablename__ = "commissioner_services"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("kind", ServiceKind), name="kind"),
        CheckConstraint("headcount >= 0", name="headcount"),
        CheckConstraint("demonstration_area_mu IS NULL OR demonstration_area_mu >= 0", name="area"),
        Index("ix_commissioner_services_archived_at_served_on", "archived_at", "served_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("commissioners.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    served_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    headcount: Mapped[int] = mapped_column(Integer, default=0)
    techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    varieties: Mapped[list[str]] = mapped_column(JSON, default=list)
    demonstration_base: Mapped[str | None] = mapped_column(String(200))
    # Hundredths of a mu, exact (the Money type).
    demonstration_area_mu: Mapped[Decimal | None] = mapped_column(Money)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}
