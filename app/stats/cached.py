"""The annual summary, worked out once for each state of the tables it reads (``app/http/kept.py``).

A dashboard asks for the same summary again and again, and each answer costs about 95 ms of CPU at city scale:
eight at once queued to half a second. A summary is kept per database, year and day counted to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.http.counts import StateCache, database_of
from app.http.kept import kept
from app.stats.schemas import AnnualSummary

MAX_SUMMARIES = 32

# Per database, year and day counted to: the tables read, and the summary.
SUMMARIES: StateCache[tuple[frozenset[str], AnnualSummary]] = StateCache(MAX_SUMMARIES)


def annual_summary(session: Session, *, year: int, as_of: dt.date,
                   work_out: Callable[..., AnnualSummary]) -> AnnualSummary:
    """``work_out(session, year=…, as_of=…)``, or the summary kept for the tables' present state."""
    return kept(SUMMARIES, session, (database_of(session), year, as_of),
                lambda: work_out(session, year=year, as_of=as_of),
                copy=lambda summary: summary.model_copy(deep=True))
