"""Tables: ``policies``, ``publicity_events``, ``event_policies``, ``event_attendance``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime
from app.enums import check_constraint_sql
from app.publicity.enums import EventKind, PolicyCategory, PolicyLevel


class Policy(TimestampMixin, Base):
    """A policy document of the catalog; archived when repealed or entered by mistake."""

    __tablename__ = "policies"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("category", PolicyCategory), name="category"),
        CheckConstraint(check_constraint_sql("level", PolicyLevel), name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), index=True)
    issuer: Mapped[str] = mapped_column(String(200))
    document_no: Mapped[str | None] = mapped_column(String(100), index=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}


class PublicityEvent(TimestampMixin, Base):
    __tablename__ = "publicity_events"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("kind", EventKind), name="kind"),
        CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount"),
        CheckConstraint("materials_distributed IS NULL OR materials_distributed >= 0", name="materials"),
        Index("ix_publicity_events_archived_at_held_on", "archived_at", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    location: Mapped[str | None] = mapped_column(String(200))
    organizer: Mapped[str | None] = mapped_column(String(200))
    headcount: Mapped[int | None] = mapped_column(Integer)
    materials_distributed: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    policy_rows: Mapped[list[EventPolicy]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EventPolicy.policy_id",
    )
    attendance_rows: Mapped[list[EventAttendance]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EventAttendance.enterprise_id",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def policy_ids(self) -> list[int]:
        return [row.policy_id for row in self.policy_rows]

    @property
    def attendance(self) -> list[EventAttendance]:
        return list(self.attendance_rows)


class EventPolicy(Base):
    __tablename__ = "event_policies"

    event_id: Mapped[int] = mapped_column(ForeignKey("publicity_events.id", ondelete="CASCADE"), primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="RESTRICT"), primary_key=True,
                                           index=True)


class EventAttendance(Base):
    """One firm at one event, with how many of its people came."""

    __tablename__ = "event_attendance"
    __table_args__ = (CheckConstraint("attendee_count >= 1", name="attendee_count"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("publicity_events.id", ondelete="CASCADE"), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True,
                                               index=True)
    attendee_count: Mapped[int] = mapped_column(Integer, default=1)
