"""The summary's figures of a year and the same period a year earlier (``periods_figures``, from the counts kept by
triggers) against each figure's own straightforward query on the records (``YearFigures.figures``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app.stats.service import YearFigures, a_year_earlier, periods_figures

# Days a year in progress is cut at: a year's and a month's first and last days, a leap day, the middle of a year.
EDGES = (dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2025, 1, 31), dt.date(2025, 3, 1),
         dt.date(2024, 2, 29), dt.date(2025, 6, 30), dt.date(2025, 7, 1), dt.date(2026, 2, 28),
         dt.date(2026, 11, 30))


def assert_periods_exact(session: Session, as_of: dt.date) -> list[dict[str, Any]]:
    """The figures of ``as_of``'s year up to it and of the same days a year earlier, each equal to its own query."""
    session.flush()
    year, earlier = as_of.year, a_year_earlier(as_of)
    periods = [YearFigures(session, year, as_of), YearFigures(session, year - 1, earlier)]
    combined, valid_two_years_back = periods_figures(session, periods, valid_on=a_year_earlier(earlier))
    assert combined == [period.figures() for period in periods], as_of
    assert valid_two_years_back == YearFigures(session, year - 2, a_year_earlier(earlier)).high_tech_valid(), as_of
    return combined
