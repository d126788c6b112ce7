"""The street list — one district's firms (of one status or any), newest first — reads its indexes, not the registry."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event

from tests.factories import create_enterprise
from tests.support.databases import backend_name

# The live firms of a street in the order of its busiest page, newest first.
STREET_PAGE = "ix_enterprises_live_street_newest"


@pytest.mark.skipif(backend_name() != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's plans "
                    "depend on its statistics of the moment")
def test_count_and_page_of_a_street_need_no_rows_and_no_sort(client: TestClient, connection: Connection) -> None:
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if "FROM enterprises" in statement and statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    create_enterprise(client, district="丹阳街道")  # a page to read: an empty street's page is not looked for
    event.listen(connection, "before_cursor_execute", grab)
    try:
        response = client.get("/api/v1/enterprises", params={"district": "丹阳街道", "status": "active",
                                                             "sort": "-registered_on", "limit": 50})
    finally:
        event.remove(connection, "before_cursor_execute", grab)
    assert response.status_code == 200
    count, page = captured[:2]
    plans = [" | ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                      parameters).all())
             for statement, parameters in (count, page)]
    street = "ix_enterprises_district_status_archived_at_registered_on"
    assert f"COVERING INDEX {street}" in plans[0]
    # The page walks one of the street's indexes: never a sort of the whole street.
    assert street in plans[1] or STREET_PAGE in plans[1], plans[1]
    assert "TEMP B-TREE FOR ORDER BY" not in plans[1]


def test_a_street_of_any_status_newest_first_needs_no_sort(client: TestClient, connection: Connection) -> None:
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if "FROM enterprises" in statement and statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    create_enterprise(client, district="丹阳街道")  # a page to read: an empty street's page is not looked for
    event.listen(connection, "before_cursor_execute", grab)
    try:
        response = client.get("/api/v1/enterprises", params={"district": "丹阳街道", "sort": "-registered_on",
                                                             "limit": 50})
    finally:
        event.remove(connection, "before_cursor_execute", grab)
    assert response.status_code == 200
    count, page = captured[:2]
    if connection.dialect.name == "postgresql":
        # A test database holds a few rows, and with them a sort of one row costs the planner nothing: forbid
        # the scan and the sort, so the plan shows whether an index can give the page in its order at all.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_sort = off")
        plan = " | ".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + page[0], page[1]).all())
        # The index holds the page's order (registered_on DESC, id): walked up to the page's last row, no sort.
        assert f"using {STREET_PAGE} on enterprises" in plan, plan
        assert "Sort" not in plan, plan
        return
    plans = [" | ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                      parameters).all())
             for statement, parameters in (count, page)]
    assert "COVERING INDEX ix_enterprises_" in plans[0], plans[0]
    assert "district=?" in plans[0], plans[0]
    # Not even the firms registered the same day are sorted by id: the index holds them in that order.
    assert STREET_PAGE in plans[1], plans[1]
    assert "TEMP B-TREE" not in plans[1], plans[1]
