"""Tables of the registry: ``enterprises``, ``enterprise_tags``, ``contacts``, ``annual_figures``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, Money, TimestampMixin, UTCDateTime
from app.enterprises.enums import EnterpriseStatus, Industry, TechDomain
from app.enums import check_constraint_sql

# The condition of the partial index of live above-scale firms, as each backend writes the summary's test of it
# (SQLAlchemy renders ``above_scale.is_(True)`` as ``IS 1`` on SQLite): a partial index serves a query whose
# WHERE clause contains its condition.
LIVE_ABOVE_SCALE = {"sqlite": "above_scale IS 1 AND archived_at IS NULL",
                    "postgresql": "above_scale IS true AND archived_at IS NULL"}


class Enterprise(TimestampMixin, Base):
    __tablename__ = "enterprises"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("status", EnterpriseStatus), name="status"),
        CheckConstraint(check_constraint_sql("industry", Industry), name="industry"),
        CheckConstraint(check_constraint_sql("tech_domain", TechDomain), name="tech_domain"),
        # A street's live firms of one status, newest first — the list staff open most — read from the index
        # alone: the count without touching rows, the page without sorting the street.
        Index("ix_enterprises_district_status_archived_at_registered_on", "district", "status", "archived_at",
              "registered_on"),
        # A street's live firms of any status, newest first: the page without sorting the street.
        Index("ix_enterprises_district_archived_at_registered_on", "district", "archived_at", "registered_on"),
        # The registry's size at a year's end (live, active, founded by then), counted in the index.
        Index("ix_enterprises_status_archived_at_registered_on", "status", "archived_at", "registered_on"),
        # The live above-scale firms (whose R&D expense the summary adds up), read from the index alone. Partial,
        # so that no other query of the registry finds it a way to its live firms.
        Index("ix_enterprises_live_above_scale", "above_scale", "archived_at", "id",
              sqlite_where=text(LIVE_ABOVE_SCALE["sqlite"]),
              postgresql_where=text(LIVE_ABOVE_SCALE["postgresql"])),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    district: Mapped[str] = mapped_column(String(50))
    park: Mapped[str | None] = mapped_column(String(100), index=True)
    industry: Mapped[str | None] = mapped_column(String(1), index=True)
    industry_code: Mapped[str | None] = mapped_column(String(4))
    tech_domain: Mapped[str | None] = mapped_column(String(32), index=True)
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str | None] = mapped_column(String(300))
    legal_representative: Mapped[str | None] = mapped_column(String(50))
    owner_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), default=EnterpriseStatus.active.value)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    tag_rows: Mapped[list[EnterpriseTag]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", lazy="selectin",
        order_by="EnterpriseTag.tag",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def tags(self) -> list[str]:
        # Sorted here, not by the database: collations differ, and rows added in this session are unsorted.
        return sorted(row.tag for row in self.tag_rows)


# A street's live firms in the order of its busiest page (``sort=-registered_on``, ties by id): the page walks the
# index and stops after its rows, where an index without id in that order makes PostgreSQL sort the whole street.
# Partial, as the list hides archived firms.
Index("ix_enterprises_live_street_newest", Enterprise.district, Enterprise.registered_on.desc(), Enterprise.id,
      sqlite_where=text("archived_at IS NULL"), postgresql_where=text("archived_at IS NULL"))

# The archived firms' ids, from the index on archived_at: few, so a record is told to be of an archived firm by
# testing its firm against them, not by joining every record to the registry.
ARCHIVED_FIRM_IDS = select(Enterprise.id).where(Enterprise.archived_at.is_not(None))


class EnterpriseTag(Base):
    __tablename__ = "enterprise_tags"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)

    enterprise: Mapped[Enterprise] = relationship(back_populates="tag_rows", lazy="raise")


class Contact(TimestampMixin, Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AnnualFigures(TimestampMixin, Base):
    """One firm's figures for one fiscal year: the inputs of eligibility rules and R&D totals."""

    __tablename__ = "annual_figures"
    # The year's sums for the statistics read from the index alone.
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),
                      Index("ix_annual_figures_year_enterprise_id_sums", "year",
                            "enterprise_id", "rd_expense", "high_tech_income"))

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    employees: Mapped[int | None] = mapped_column(Integer)
    tech_staff: Mapped[int | None] = mapped_column(Integer)
    revenue: Mapped[Decimal | None] = mapped_column(Money)
    total_cost: Mapped[Decimal | None] = mapped_column(Money)
    rd_expense: Mapped[Decimal | None] = mapped_column(Money)
    rd_expense_domestic: Mapped[Decimal | None] = mapped_column(Money)
    high_tech_income: Mapped[Decimal | None] = mapped_column(Money)
    total_income: Mapped[Decimal | None] = mapped_column(Money)
    total_assets: Mapped[Decimal | None] = mapped_column(Money)
    ip_class1: Mapped[int | None] = mapped_column(Integer)
    ip_class2: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
