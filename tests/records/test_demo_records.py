"""The demo district holds a year of each record kind, and its years compare with each other."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app import demo
from app.stats.service import RECORD_UNITS, annual_summary

AS_OF = dt.date(2026, 6, 30)


class TestDemoRecords:
    def test_every_figure_has_data_and_years_are_comparable(self, session: Session) -> None:
        made = demo.generate(session, enterprises=400, seed=3, as_of=AS_OF)
        for kind in ("technology_contracts", "innovation_platforms", "cooperation_agreements", "commissioners",
                     "commissioner_services", "district_indicators", "yearly_targets"):
            assert made[kind] > 0, kind
        summary = annual_summary(session, year=2025)
        for name in RECORD_UNITS:
            assert getattr(summary, name).value is not None, name
        assert summary.technology_contract_amount.target is not None
        # Records spread over whole years: 2024 and 2025 are of one size (the old 730-day window gave 2024 a
        # single month of visits). The larger counts only: a handful of agreements is noise.
        for figure in (summary.visits, summary.technology_contracts, summary.commissioner_trainees):
            assert figure.previous, figure
            assert 0.5 <= float(figure.value or 0) / float(figure.previous) <= 2, figure

    def test_a_year_in_progress_compares_with_the_same_period(self, session: Session) -> None:
        demo.generate(session, enterprises=400, seed=3, as_of=AS_OF)
        summary = annual_summary(session, year=2026, as_of=AS_OF)
        assert summary.in_progress
        assert summary.visits.previous
        assert 0.5 <= summary.visits.value / summary.visits.previous <= 2
