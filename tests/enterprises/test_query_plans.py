"""The street list — one district's firms of one status, newest first — reads its index, not the registry."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event

from tests.support.databases import backend_name


@pytest.mark.skipif(backend_name() != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's plans "
                    "depend on its statistics of the moment")
def test_count_and_page_of_a_street_need_no_rows_and_no_sort(client: TestClient, connection: Connection) -> None:
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if "FROM enterprises" in statement and statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

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
    # Only firms registered the same day are put in id order: "RIGHT PART OF ORDER BY", never the whole street.
    assert street in plans[1]
    assert "TEMP B-TREE FOR ORDER BY" not in plans[1]


def test_a_street_of_any_status_newest_first_needs_no_sort(client: TestClient, connection: Connection) -> None:
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if "FROM enterprises" in statement and statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", grab)
    try:
        response = client.get("/api/v1/enterprises", params={"district": "丹阳街道", "sort": "-registered_on",
                                                             "limit": 50})
    finally:
        event.remove(connection, "before_cursor_execute", grab)
    assert response.status_code == 200
    count, page = captured[:2]
    street = "ix_enterprises_district_archived_at_registered_on"
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a few rows: show the index serves
        plan = " | ".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + page[0], page[1]).all())
        # Whether it sorts the street's page or walks the index depends on PostgreSQL's statistics of the moment.
        assert f"using {street} on enterprises" in plan, plan
        return
    plans = [" | ".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                      parameters).all())
             for statement, parameters in (count, page)]
    assert f"COVERING INDEX {street}" in plans[0]
    assert street in plans[1]
    assert "TEMP B-TREE FOR ORDER BY" not in plans[1]
