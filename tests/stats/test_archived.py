"""Records of archived firms, asked of the archived firms' ids: PostgreSQL is handed them as one array, which it
looks up in the records' index by firm; SQLite as a list. The same rows either way."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.enterprises.models import ARCHIVED_FIRM_IDS, Enterprise
from app.stats.archived import of_archived_firm
from app.visits.models import Demand
from tests.factories import credit_code


def test_the_records_of_archived_firms_are_those_of_the_firms_listed_as_archived(session: Session) -> None:
    rng = random.Random(2811)
    firms = [Enterprise(credit_code=credit_code(), name=f"档案测试企业{n}", district="丹阳街道") for n in range(30)]
    session.add_all(firms)
    session.flush()
    for firm in rng.sample(firms, 9):
        firm.archived_at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    session.add_all(Demand(enterprise_id=rng.choice(firms).id, category="land_space", description="缺少中试场地",
                           raised_on=dt.date(2026, 5, 1))
                    for _ in range(80))
    session.flush()
    ours = [firm.id for firm in firms]

    def ids(condition: ColumnElement[bool]) -> list[int]:
        return list(session.scalars(select(Demand.id).where(condition, Demand.enterprise_id.in_(ours))
                                    .order_by(Demand.id)))

    expected = ids(Demand.enterprise_id.in_(ARCHIVED_FIRM_IDS))
    assert expected  # some demands are of archived firms, and some not
    assert len(expected) < session.scalar(select(func.count()).where(Demand.enterprise_id.in_(ours)))
    assert ids(of_archived_firm(Demand.enterprise_id)) == expected
    sql = str(select(Demand.id).where(of_archived_firm(Demand.enterprise_id)).compile(bind=session.get_bind()))
    if session.get_bind().dialect.name == "postgresql":
        assert "= ANY (ARRAY((SELECT enterprises.id" in sql
    else:
        assert "IN (SELECT enterprises.id" in sql
