"""A list's total comes from the count cache while the tables it reads are unchanged, and is counted again after
any write to them — through the API, an import or SQL by hand — so it always equals a fresh count."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.orm import Session

from app.enterprises import reads
from app.enterprises.models import Enterprise
from app.enterprises.schemas import EnterpriseFilter
from app.enterprises.service import filtered_enterprises
from app.http import counts
from app.http.idempotency import IdempotencyKey
from app.imports import service as import_service
from tests.factories import create_enterprise, credit_code, if_match
from tests.imports.files import FIRM_HEADERS, csv_bytes, firm_row, upload
from tests.support.databases import backend_name

# Lists whose totals are watched: a word of two characters (the grams), one of four (the trigrams), a credit code
# prefix, the whole registry, the archived too.
LISTS: list[dict[str, Any]] = [{"q": "计数"}, {"q": "计数器材"}, {"q": "91430702"}, {}, {"include_archived": True},
                               {"q": "计数 常德", "include_archived": True}]


def _total(client: TestClient, params: dict[str, Any]) -> int:
    response = client.get("/api/v1/enterprises", params={**params, "limit": 1})
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


def _fresh(session: Session, params: dict[str, Any]) -> int:
    query = filtered_enterprises(EnterpriseFilter(**params))
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _check(client: TestClient, session: Session) -> list[int]:
    """Every watched list's total equals a fresh count; read twice, the second from a cache (the page's own, or
    else the count's)."""
    totals = []
    for params in LISTS:
        first = _total(client, params)
        hits = counts.COUNTS.hits + reads.PAGES.hits
        assert _total(client, params) == first
        assert counts.COUNTS.hits + reads.PAGES.hits == hits + 1, params
        assert first == _fresh(session, params), params
        totals.append(first)
    return totals


class TestTotalsFollowEveryWrite:
    def test_api_writes(self, client: TestClient, session: Session) -> None:
        before = _check(client, session)
        firm = create_enterprise(client, name="常德计数器材有限公司")
        created = _check(client, session)
        assert [b - a for a, b in zip(before, created, strict=True)] == [1, 1, 1, 1, 1, 1]

        response = client.patch(f"/api/v1/enterprises/{firm['id']}", json={"name": "常德某某有限公司"},
                                headers=if_match(firm))
        assert response.status_code == 200, response.text
        renamed = _check(client, session)
        assert renamed[:2] == before[:2]

        response = client.delete(f"/api/v1/enterprises/{firm['id']}", headers=if_match(response.json()))
        assert response.status_code == 204, response.text
        archived = _check(client, session)
        assert (archived[3], archived[4]) == (before[3], created[4])

        response = client.post(f"/api/v1/enterprises/{firm['id']}/restore")
        assert response.status_code == 200, response.text
        assert _check(client, session) == renamed

        response = client.post(f"/api/v1/enterprises/{firm['id']}/contacts", json={"name": "计数员"})
        assert response.status_code == 201, response.text
        with_contact = _check(client, session)
        assert with_contact[0] == renamed[0] + 1  # a contact's name matches too

        contact = response.json()
        response = client.delete(f"/api/v1/enterprises/{firm['id']}/contacts/{contact['id']}",
                                 headers=if_match(contact))
        assert response.status_code == 204, response.text
        assert _check(client, session) == renamed

    def test_a_bulk_import(self, client: TestClient, session: Session) -> None:
        before = _check(client, session)
        rows = [FIRM_HEADERS, *(firm_row(credit_code(), f"常德计数器材{n}有限公司") for n in range(5))]
        response = upload(client, "enterprises", csv_bytes(rows), "firms.csv")
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 5
        after = _check(client, session)
        assert [b - a for a, b in zip(before, after, strict=True)] == [5] * 6

    def test_a_bulk_import_in_batches_then_again(self, client: TestClient, session: Session,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
        # Several multi-row statements (PostgreSQL: COPY) per table; then the same file, updated in place.
        monkeypatch.setattr(import_service, "BATCH_SIZE", 3)
        before = _check(client, session)
        codes = [credit_code() for _ in range(8)]
        rows = [FIRM_HEADERS, *(firm_row(code, f"常德计数器材{n}有限公司") for n, code in enumerate(codes))]
        assert upload(client, "enterprises", csv_bytes(rows), "firms.csv").json()["created"] == 8
        after = _check(client, session)
        assert [b - a for a, b in zip(before, after, strict=True)] == [8] * 6
        rows = [FIRM_HEADERS, *(firm_row(code, f"常德别的{n}有限公司") for n, code in enumerate(codes[:5]))]
        assert upload(client, "enterprises", csv_bytes(rows), "firms.csv").json()["updated"] == 5
        renamed = _check(client, session)
        assert renamed[:2] == [after[0] - 5, after[1] - 5]

    def test_sql_by_hand(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client, name="常德计数器材有限公司")
        before = _check(client, session)
        session.execute(update(Enterprise).where(Enterprise.id == firm["id"]).values(name="常德别的有限公司"))
        session.flush()
        assert _check(client, session)[:2] == [before[0] - 1, before[1] - 1]
        session.execute(delete(Enterprise).where(Enterprise.id == firm["id"]))
        session.flush()
        after = _check(client, session)
        assert after[3:5] == [before[3] - 1, before[4] - 1]

    def test_a_write_rolled_back_leaves_no_count_behind(self, client: TestClient, session: Session) -> None:
        before = _check(client, session)
        with session.begin_nested() as savepoint:
            session.add(Enterprise(credit_code=credit_code(), name="常德计数器材有限公司", district="丹阳街道"))
            session.flush()
            assert _check(client, session)[0] == before[0] + 1
            savepoint.rollback()
        assert _check(client, session) == before
        # Another write after the rollback is a state never seen before, though it counts as many rows.
        session.add(Enterprise(credit_code=credit_code(), name="常德计数仪表有限公司", district="丹阳街道"))
        session.flush()
        assert _check(client, session)[0] == before[0] + 1


class TestWhatIsCached:
    def test_raw_sql_text_is_counted_every_time(self, session: Session) -> None:
        query = select(Enterprise).where(text("name LIKE '%计数%'"))
        assert counts.tables_read(select(func.count()).select_from(query.subquery())) is None
        cached = len(counts.COUNTS)
        session.add(Enterprise(credit_code=credit_code(), name="常德计数器材有限公司", district="丹阳街道"))
        session.flush()
        expected = session.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.name.like("%计数%")))
        assert counts.count(session, query) == expected
        assert len(counts.COUNTS) == cached

    def test_a_table_without_a_generation_is_counted_every_time(self, session: Session) -> None:
        query = select(IdempotencyKey)
        misses = counts.COUNTS.misses
        first = counts.count(session, query)
        assert counts.count(session, query) == first == session.scalar(
            select(func.count()).select_from(IdempotencyKey))
        assert counts.COUNTS.misses == misses + 2

    def test_the_cache_keeps_the_most_recent_counts(self) -> None:
        cache = counts.CountCache(size=2)
        cache.put("a", (("t", 0, 1),), 1)
        cache.put("b", (("t", 0, 1),), 2)
        assert cache.get("a") is not None  # now the most recent
        cache.put("c", (("t", 0, 1),), 3)
        assert (cache.get("b"), cache.get("a") is not None, len(cache)) == (None, True, 2)


def _add_user(connection: Any, name: str) -> None:
    connection.execute(text(
        "INSERT INTO users (username, display_name, role, active, password_hash, version, created_at, updated_at) "
        "VALUES (:name, :name, 'viewer', true, 'x', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"name": name})


def test_two_writers_of_one_table_do_not_wait_for_each_other(engine: Engine) -> None:
    """PostgreSQL: the second writer takes another slot of the table (SQLite has one writer at a time and one
    slot per table)."""
    with engine.connect() as first, engine.connect() as second:
        first.begin()
        second.begin()
        try:
            _add_user(first, "generation-first")
            slots = "SELECT count(*) FROM seedbed_generations WHERE table_name = 'users'"
            if backend_name() == "postgresql":
                second.execute(text("SET LOCAL lock_timeout = '5s'"))
                _add_user(second, "generation-second")  # would fail after 5 s if it waited for the first
                assert second.scalar(text(slots)) == first.scalar(text(slots)) + 1
            else:
                assert first.scalar(text(slots)) == 1
        finally:
            first.rollback()
            second.rollback()


def test_every_table_with_a_generation_has_its_triggers(session: Session) -> None:
    """A table rebuilt by a later migration (SQLite's batch mode drops a table's triggers) would keep a generation
    that no write changes, and its lists' cached totals would go stale: its triggers must be made again."""
    tables = set(session.scalars(select(counts.TableGeneration.table_name)))
    assert {"enterprises", "contacts", "visits"} <= tables
    if backend_name() == "sqlite":
        found = session.execute(text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")).all()
        expected = {(table, f"{table}_generation_{event}") for table in tables
                    for event in ("insert", "update", "delete")}
    else:
        found = session.execute(text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                                     "WHERE NOT tgisinternal")).all()
        expected = {(table, f"{table}_generation") for table in tables}
    assert expected <= {(str(table), str(name)) for table, name in found}
