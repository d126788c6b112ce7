"""The summary's platforms per kind and level, counted by the database in one grouped statement, equal a count of
the platforms one by one: random platforms of every kind and level, of live and archived firms and of none, some
archived, revoked or failed, dates on the edges of the periods."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.enterprises.models import Enterprise
from app.platforms.enums import PlatformKind
from app.platforms.models import InnovationPlatform
from app.records.enums import LEVEL_RANK, AdministrativeLevel
from app.stats.records import RecordFigures
from tests.stats.exact import EDGES


def _day(rng: random.Random) -> dt.date:
    return rng.choice([*EDGES, dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(1100))])


def _counted(session: Session, start: dt.date, end: dt.date) -> list[tuple[str, str, int, int, bool]]:
    """(kind, level, recognised in the period, standing at its end, first at its level) from each platform."""
    archived = set(session.scalars(select(Enterprise.id).where(Enterprise.archived_at.is_not(None))))
    live = [p for p in session.scalars(select(InnovationPlatform)) if p.archived_at is None
            and p.enterprise_id not in archived and p.recognised_on <= end]
    result = []
    for kind in PlatformKind:
        for level in AdministrativeLevel:
            of_level = [p for p in live if p.kind == kind.value and p.level == level.value]
            if not of_level:
                continue
            new = sum(1 for p in of_level if p.recognised_on >= start)
            standing = sum(1 for p in of_level if (p.revoked_on is None or p.revoked_on > end)
                           and (p.failed_on is None or p.failed_on > end))
            before = any(p.kind == kind.value and p.recognised_on < start
                         and LEVEL_RANK[AdministrativeLevel(p.level)] <= LEVEL_RANK[level] for p in live)
            result.append((kind.value, level.value, new, standing, bool(new) and not before))
    return result


@pytest.mark.parametrize("seed", [3, 4])
def test_platform_counts_equal_counting_each_platform(session: Session, seed: int) -> None:
    rng = random.Random(seed)
    firms = [Enterprise(credit_code=f"91430702MP{n:08d}", name=f"常德平台测试{n}有限公司", district="丹阳街道")
             for n in range(12)]
    session.add_all(firms)
    session.flush()
    for n in range(300):
        firm = rng.choice([None, *firms])
        session.add(InnovationPlatform(
            name=f"平台{n}", kind=rng.choice(list(PlatformKind)).value,
            level=rng.choice(list(AdministrativeLevel)).value, enterprise_id=firm.id if firm else None,
            host_institution=None if firm else "常德职业技术学院", recognised_on=_day(rng),
            revoked_on=rng.choice([None, None, _day(rng)]), failed_on=rng.choice([None, None, _day(rng)]),
            archived_at=utcnow() if rng.random() < 0.1 else None))
    for firm in rng.sample(firms, 3):
        firm.archived_at = utcnow()
    session.flush()
    checked = 0
    for end in EDGES:
        start = dt.date(end.year, 1, 1)
        found = [(c.kind, c.level, c.recognised, c.standing, c.first_at_level)
                 for c in RecordFigures(session, end.year, end).platform_counts()]
        assert found == _counted(session, start, end), end
        checked += sum(1 for row in found if row[2] and row[3] and row[4])
    assert checked  # some kinds and levels recognised, standing and first
