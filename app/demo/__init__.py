"""Demo data: a realistic, deterministic district for trying Seedbed out (``seedbed demo-data``).

The district is Wuling District (武陵区), Changde: firms sit in its streets and towns and its parks, carry
valid credit codes of Changde registering authorities, and have contacts and three years of figures.

- **Deterministic.** The content depends only on ``seed``, ``as_of`` and how many firms the database
  already holds: the same seed on an empty database gives the same district, byte for byte, except
  row ids and the ``created_at``/``updated_at`` timestamps (which honestly say when the rows were made).
  Each step draws from a generator of its own (``DemoContext.rng``), so adding a step changes nobody
  else's data.
- **Dates.** Everything is anchored on ``as_of`` (default: today's business date, read once): figures
  cover the three complete years before it, firms were registered between 1998 and the end of the last
  complete year. Pass ``as_of`` to reproduce a district exactly in a later year.
- **Running again appends.** A second run adds ``enterprises`` more firms; codes and names already in
  the database are never drawn again, and the existing count is part of the seed, so the new firms are
  a different set rather than near-copies.
- **Fast.** Rows go in with bulk INSERTs in batches of ``BATCH_SIZE``; firm ids come back through
  RETURNING in parameter order. Nothing is committed: the caller commits.
- **Extending.** A domain adds a ``Step`` — a function taking the ``DemoContext`` and returning
  ``{what: count}`` — and appends it to ``STEPS``. ``ctx.firms`` holds every firm made in this run with
  the traits (status, innovation intensity, size…) its records should follow.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.demo import innovation, outreach, pipeline, registry
from app.demo.context import BATCH_SIZE, DemoContext, DemoFirm, Step
from app.enterprises.models import Enterprise
from app.fields import business_today

__all__ = ["BATCH_SIZE", "STEPS", "DemoContext", "DemoFirm", "Step", "generate"]

STEPS: tuple[Step, ...] = (
    registry.enterprises,
    registry.contacts,
    registry.annual_figures,
    outreach.policies,
    outreach.visits,
    outreach.publicity_events,
    pipeline.applications,
    innovation.records,
)


def generate(session: Session, *, enterprises: int, seed: int, as_of: dt.date | None = None,
             visits_per_firm: float | None = None) -> dict[str, int]:
    """Add ``enterprises`` demo firms and everything the steps hang on them; returns {what: how many}."""
    if enterprises < 0:
        raise ValueError("enterprises must be zero or more")
    if visits_per_firm is not None and visits_per_firm < 0:
        raise ValueError("visits_per_firm must be zero or more")
    ctx = DemoContext(
        session=session,
        seed=seed,
        as_of=as_of or business_today(),
        now=utcnow(),
        enterprises_wanted=enterprises,
        preexisting=session.scalar(select(func.count()).select_from(Enterprise)) or 0,
        visits_per_firm=visits_per_firm,
    )
    summary: dict[str, int] = {}
    for step in STEPS:
        for what, count in step(ctx).items():
            summary[what] = summary.get(what, 0) + count
    return summary
