"""Tables: ``visits`` with ``visit_staff``, ``visit_policies``, ``visit_contacts``; and ``demands``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime
from app.enums import check_constraint_sql
from app.fields import business_today
from app.visits.enums import PENDING, DemandCategory, DemandStatus, VisitKind


class Visit(TimestampMixin, Base):
    __tablename__ = "visits"
    # For the yearly statistics, both answered from the index alone: (archived_at, date, firm) holds the
    # live visits of a date range; (firm, archived_at, date) tells whether one firm was visited in a year.
    __table_args__ = (CheckConstraint(check_constraint_sql("kind", VisitKind), name="kind"),
                      Index("ix_visits_archived_at_visited_on", "archived_at", "visited_on", "enterprise_id"),
                      Index("ix_visits_enterprise_id_archived_at_visited_on", "enterprise_id", "archived_at",
                            "visited_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    visited_on: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    purpose: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    participants: Mapped[str | None] = mapped_column(String(500))
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    logged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    staff_rows: Mapped[list[VisitStaff]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VisitStaff.user_id",
    )
    policy_rows: Mapped[list[VisitPolicy]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VisitPolicy.policy_id",
    )
    contact_rows: Mapped[list[VisitContact]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VisitContact.contact_id",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def staff_ids(self) -> list[int]:
        return [row.user_id for row in self.staff_rows]

    @property
    def policy_ids(self) -> list[int]:
        return [row.policy_id for row in self.policy_rows]

    @property
    def contact_ids(self) -> list[int]:
        return [row.contact_id for row in self.contact_rows]


class VisitStaff(Base):
    __tablename__ = "visit_staff"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class VisitPolicy(Base):
    __tablename__ = "visit_policies"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="RESTRICT"), primary_key=True,
                                           index=True)


class VisitContact(Base):
    """A contact person of the firm who took part in the visit."""

    __tablename__ = "visit_contacts"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class Demand(TimestampMixin, Base):
    """A need a firm raised, tracked to resolution (the closed loop)."""

    __tablename__ = "demands"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("category", DemandCategory), name="category"),
        CheckConstraint(check_constraint_sql("status", DemandStatus), name="status"),
        # Covering the yearly statistics' counts, so they read the index and never the rows.
        Index("ix_demands_archived_at_raised_on", "archived_at", "raised_on", "enterprise_id"),
        Index("ix_demands_archived_at_resolved_on", "archived_at", "resolved_on", "status", "due_on",
              "enterprise_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"), index=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    description: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[dt.date] = mapped_column(Date, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default=DemandStatus.open.value, index=True)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    logged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def overdue(self) -> bool:
        return (self.due_on is not None and self.due_on < business_today()
                and self.status in {status.value for status in PENDING})


class ActivityByYear(Base):
    """Each firm's visits and demands counted per calendar year, kept by database triggers (migration 0018)
    in the transaction of every write to ``visits`` and ``demands``, so the annual summary reads one row per
    firm instead of every record of the year. Only records that are not archived count; rows of firms that
    were deleted stay, at zero."""

    __tablename__ = "activity_by_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                        doc="Visits with visited_on in the year.")
    demands_raised: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                                doc="Demands with raised_on in the year.")
    demands_resolved: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                                  doc="Resolved demands with resolved_on in the year.")
    demands_resolved_on_time: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Of those, resolved by their due date or without one.")
    first_visited_on: Mapped[dt.date | None] = mapped_column(
        Date, doc="The day of the firm's first visit of the year counted above (migration 0026).")
