"""The summary reads each big table once for this year and last year (``periods_figures``); on random data —
archived records and firms, amounts with fen, dates on the years' edges, a year in progress — every figure
equals the one its own straightforward query gives (``YearFigures.figures``), to the fen and the count."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy.orm import Session

from app.stats.service import YearFigures, periods_figures
from tests.stats.random_records import fill


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("as_of", [dt.date(2025, 12, 31), dt.date(2025, 6, 30), dt.date(2026, 2, 28)])
def test_every_figure_equals_its_own_query(session: Session, seed: int, as_of: dt.date) -> None:
    fill(session, random.Random(seed))
    year = as_of.year
    earlier = as_of.replace(year=year - 1)
    periods = [YearFigures(session, year, as_of), YearFigures(session, year - 1, earlier)]
    combined, valid_two_years_back = periods_figures(session, periods, valid_on=earlier.replace(year=year - 2))
    assert combined == [period.figures() for period in periods]
    assert valid_two_years_back == YearFigures(session, year - 2, earlier.replace(year=year - 2)).high_tech_valid()
    # The data exercises the figures: not all of them zero.
    assert sum(1 for value in combined[0].values() if value) >= 10
    if as_of.month == 12:  # whole years: renewals among the certificates
        assert combined[0]["high_tech_renewed"] + combined[1]["high_tech_renewed"] > 0
