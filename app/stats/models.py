"""``applications_by_year``: the summary's program figures counted per firm and year, kept by triggers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Money


class ApplicationsByYear(Base):
    """Each firm's program figures per calendar year, kept by database triggers (migration 0022) in the
    transaction of every write to ``applications`` and ``stage_events``, so the annual summary reads one row per
    firm instead of every application of the years. Applications count when they are not archived; stage events
    count whatever their application's state (the summary takes those of archived applications away). Rows of
    firms that were deleted stay, at zero."""

    __tablename__ = "applications_by_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tech_sme_registered: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Tech-SME applications of the year, registered.")
    rd_subsidies: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="R&D subsidy applications of the year, approved or disbursed.")
    rd_subsidy_approved: Mapped[Decimal] = mapped_column(
        Money, default=Decimal(0), server_default="0", doc="Their amounts approved.")
    rd_subsidy_disbursed: Mapped[Decimal] = mapped_column(
        Money, default=Decimal(0), server_default="0", doc="Their amounts disbursed.")
    loans: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Sci-tech loans disbursed (valid_from) in the year, "
        "disbursed, overdue or repaid.")
    loan_disbursed: Mapped[Decimal] = mapped_column(
        Money, default=Decimal(0), server_default="0", doc="Their amounts disbursed.")
    high_tech_recommended: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="High-tech stage events to 'recommended' in the year, of any "
        "application.")
    high_tech_first: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="1: the firm's first high-tech certificate was issued in the year.")
    high_tech_renewed: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="1: a later high-tech certificate of the firm's was issued in the "
        "year (a renewal).")
    first_loan_on: Mapped[dt.date | None] = mapped_column(
        Date, doc="The first day of the year a loan counted above was disbursed on (migration 0026).")
    first_recommended_on: Mapped[dt.date | None] = mapped_column(
        Date, doc="The day of the first recommendation counted above.")
    first_certified_on: Mapped[dt.date | None] = mapped_column(
        Date, doc="The day the firm's first high-tech certificate was issued, in its year.")
    first_renewed_on: Mapped[dt.date | None] = mapped_column(
        Date, doc="The first day of the year a later high-tech certificate of the firm's was issued on.")


class TotalsByYear(Base):
    """The rows of ``activity_by_year``, ``applications_by_year`` and ``annual_figures`` added up per calendar year,
    and the registry's active firms per year of registration, kept by database triggers on those tables and on
    ``enterprises`` (migration 0022), so the summary reads a few rows a year whatever the number of firms. Each
    year's totals are split over ``stripe`` (the firm's id modulo 16): writes about different firms seldom wait for
    the same row. Firm counts are of the per-firm rows above zero; all firms count here, the summary takes archived
    firms' rows away. Sums are bigint fen per year and stripe: 92 quadrillion yuan."""

    __tablename__ = "totals_by_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    stripe: Mapped[int] = mapped_column(Integer, primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    demands_raised: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    demands_resolved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    demands_resolved_on_time: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    firms_visited: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    tech_sme_firms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rd_subsidy_firms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rd_subsidy_approved: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
    rd_subsidy_disbursed: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
    loans: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    loan_firms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    loan_disbursed: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
    recommended_firms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_recognized_firms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    renewed_firms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    high_tech_income: Mapped[Decimal] = mapped_column(
        Money, default=Decimal(0), server_default="0", doc="The annual figures' high-tech income, of every firm.")
    rd_expense_above_scale: Mapped[Decimal] = mapped_column(
        Money, default=Decimal(0), server_default="0", doc="The annual figures' R&D expense of firms above scale.")
    firms_registered: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Active firms not archived registered in the year (0: unknown).")


class TotalsByDay(Base):
    """The summary's visit, demand and loan figures per business day, split over ``stripe`` (the firm's id modulo 16),
    kept by database triggers (migration 0026) in the transaction of every write to ``visits``, ``demands``,
    ``applications`` and ``stage_events``, so a period ending inside its year (a year in progress, and the same days
    a year earlier) is the sum of its days. Records count as in ``activity_by_year`` and ``applications_by_year``;
    the firm counts count the firms whose first visit, loan, recommendation, certificate or renewal of the calendar
    year is on the day, so the firms of 1 January to a day are a sum too. All firms count here; the summary takes
    archived firms' records away, and recommendations of archived applications."""

    __tablename__ = "totals_by_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    stripe: Mapped[int] = mapped_column(Integer, primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    demands_raised: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    demands_resolved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    demands_resolved_on_time: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    loans: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    firms_visited: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Firms whose first visit of the year is on the day.")
    loan_firms: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Firms whose first loan of the year was disbursed on the day.")
    recommended_firms: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Firms whose first recommendation of the year is on the day.")
    first_recognized_firms: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Firms whose first high-tech certificate was issued on the day.")
    renewed_firms: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="Firms whose first renewal of the year was issued on the day.")
    loan_disbursed: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
