"""The bulk writer's look-ups of many firms at once (one parameter: an array on PostgreSQL, a JSON array on
SQLite) find exactly the rows ``IN (…)`` finds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.db import one_of
from app.enterprises import bulk
from app.enterprises import service as enterprises
from app.enterprises.models import Enterprise, EnterpriseTag
from app.enterprises.schemas import EnterpriseCreate
from tests.factories import credit_code


def _firms(session: Session, n: int) -> list[Enterprise]:
    created = [enterprises.create_enterprise(session, EnterpriseCreate(
        credit_code=credit_code(), name=f"常德批量查找{i}科技有限公司", district="丹阳街道", industry="C",
        tags=["高企", "瞪羚"][: i % 3]), actor=SYSTEM) for i in range(n)]
    session.flush()
    return created


def test_one_of_finds_what_in_finds(session: Session) -> None:
    firms = _firms(session, 6)
    codes = [firm.credit_code for firm in firms[:4]] + [credit_code(), credit_code()]
    ids = [firm.id for firm in firms[2:]] + [-1]
    for column, values in ((Enterprise.credit_code, codes), (Enterprise.id, ids), (Enterprise.id, [])):
        fast = set(session.scalars(select(Enterprise.id).where(one_of(column, values))))
        plain = set(session.scalars(select(Enterprise.id).where(column.in_(values))))
        assert fast == plain
    tagged = set(session.scalars(select(EnterpriseTag.enterprise_id).where(
        one_of(EnterpriseTag.enterprise_id, [firm.id for firm in firms]))))
    assert tagged == {firm.id for n, firm in enumerate(firms) if n % 3}


def test_stored_and_stale_see_the_firms_as_stored(session: Session) -> None:
    firms = _firms(session, 5)
    unknown = credit_code()
    found = bulk.stored(session, [firm.credit_code for firm in firms] + [unknown])
    assert set(found) == {firm.credit_code for firm in firms}
    for n, firm in enumerate(firms):
        state = found[firm.credit_code]
        assert (state.id, state.version, state.archived_at, state.name) == (firm.id, firm.version, None, firm.name)
        assert state.fields["tags"] == sorted(["高企", "瞪羚"][: n % 3])
    planned: dict[str, bulk.Version | None] = {code: state.key for code, state in found.items()}
    assert bulk.stale(session, {**planned, unknown: None}) is False
    assert bulk.stale(session, {**planned, firms[0].credit_code: None}) is True
