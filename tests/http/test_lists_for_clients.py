"""Lists as generated clients use them: the firm named in each item (one query per page), the id filter,
a ``next`` link on every page, and the keyset cursor that never skips nor repeats a row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from app.visits.models import Visit
from tests.factories import create_enterprise
from tests.pipeline.helpers import create_application
from tests.visits.factories import create_demand, create_visit


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.get_bind().engine

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


class TestItemsNameTheirFirm:
    def test_visits_demands_and_applications_carry_the_firm(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德列表命名科技有限公司")
        visit = create_visit(client, firm["id"])
        create_demand(client, firm["id"])
        create_application(client, enterprise_id=firm["id"])
        expected = {"id": firm["id"], "name": "常德列表命名科技有限公司", "credit_code": firm["credit_code"]}
        for url in ("/api/v1/visits", "/api/v1/demands", "/api/v1/applications"):
            items = client.get(url, params={"enterprise_id": firm["id"]}).json()["items"]
            assert [item["enterprise"] for item in items] == [expected], url
        assert client.get(f"/api/v1/visits/{visit['id']}").json()["enterprise"] == expected

    def test_event_attendance_names_each_firm(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德宣讲参会科技有限公司")
        response = client.post("/api/v1/publicity-events", json={
            "title": "高企政策宣讲会", "held_on": "2026-11-01", "kind": "lecture",
            "attendance": [{"enterprise_id": firm["id"], "attendee_count": 2}]})
        assert response.status_code == 201, response.text
        attendance = response.json()["attendance"]
        assert attendance[0]["enterprise"] == {"id": firm["id"], "name": "常德宣讲参会科技有限公司",
                                               "credit_code": firm["credit_code"]}
        listed = client.get("/api/v1/publicity-events", params={"enterprise_id": firm["id"]}).json()["items"]
        assert listed[0]["attendance"][0]["enterprise"]["name"] == "常德宣讲参会科技有限公司"

    def test_one_query_names_the_firms_of_a_page(self, client: TestClient, session: Session) -> None:
        firms = [create_enterprise(client) for _ in range(4)]
        for firm in firms:
            create_visit(client, firm["id"])
        with statements(session) as seen:
            page = client.get("/api/v1/visits", params={"limit": 200}).json()
        assert {item["enterprise"]["id"] for item in page["items"]} >= {f["id"] for f in firms}
        naming = [s for s in seen if "FROM enterprises" in s]
        assert len(naming) == 1, naming

    def test_enterprises_by_repeated_id(self, client: TestClient) -> None:
        a, _, c = (create_enterprise(client) for _ in range(3))
        page = client.get("/api/v1/enterprises", params=[("id", a["id"]), ("id", c["id"])]).json()
        assert sorted(item["id"] for item in page["items"]) == sorted([a["id"], c["id"]])


class TestNextLink:
    def test_offset_pages_link_to_the_next_and_the_last_to_null(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        for _ in range(3):
            create_visit(client, firm["id"])
        first = client.get("/api/v1/visits", params={"enterprise_id": firm["id"], "limit": 2}).json()
        assert first["next"].startswith("/api/v1/visits?")
        second = client.get(first["next"]).json()
        assert second["offset"] == 2
        assert len(second["items"]) == 1
        assert second["next"] is None
        ids = [v["id"] for v in first["items"] + second["items"]]
        assert len(set(ids)) == 3

    def test_lists_without_a_cursor_refuse_one(self, client: TestClient) -> None:
        response = client.get("/api/v1/alerts", params={"after": "abc"})
        assert response.status_code == 422


class TestSyncCursor:
    def test_rows_sharing_a_timestamp_are_neither_skipped_nor_repeated(
        self, client: TestClient, session: Session
    ) -> None:
        firm = create_enterprise(client)
        made = [create_visit(client, firm["id"])["id"] for _ in range(5)]
        same = dt.datetime(2031, 5, 1, 8, 0, tzinfo=dt.UTC)
        session.execute(update(Visit).where(Visit.id.in_(made)).values(updated_at=same))
        session.flush()
        url: str | None = "/api/v1/visits?updated_since=2031-01-01T00:00:00Z&limit=2"
        seen: list[int] = []
        pages = 0
        while url:
            page = client.get(url).json()
            seen += [item["id"] for item in page["items"]]
            assert page["total"] == 5
            url = page["next"]
            pages += 1
        assert seen == sorted(made)
        assert pages == 3

    def test_a_row_changed_during_the_sync_comes_again_at_the_end(
        self, client: TestClient, session: Session
    ) -> None:
        firm = create_enterprise(client)
        made = [create_visit(client, firm["id"])["id"] for _ in range(3)]
        for n, visit_id in enumerate(made):
            session.execute(update(Visit).where(Visit.id == visit_id)
                            .values(updated_at=dt.datetime(2031, 5, 1, 8, n, tzinfo=dt.UTC)))
        session.flush()
        first = client.get("/api/v1/visits", params={"updated_since": "2031-01-01T00:00:00Z", "limit": 2}).json()
        assert [v["id"] for v in first["items"]] == made[:2]
        session.execute(update(Visit).where(Visit.id == made[0])
                        .values(updated_at=dt.datetime(2031, 6, 1, tzinfo=dt.UTC)))
        session.flush()
        rest = client.get(first["next"]).json()
        assert [v["id"] for v in rest["items"]] == [made[2], made[0]]
        assert rest["next"] is None

    def test_a_sync_paged_by_offset_reads_the_same_stable_order(
        self, client: TestClient, session: Session
    ) -> None:
        firm = create_enterprise(client)
        made = [create_visit(client, firm["id"])["id"] for _ in range(3)]
        session.execute(update(Visit).where(Visit.id.in_(made))
                        .values(updated_at=dt.datetime(2031, 5, 1, tzinfo=dt.UTC)))
        session.flush()
        params = {"updated_since": "2031-01-01T00:00:00Z", "limit": 2}
        first = client.get("/api/v1/visits", params=params).json()
        second = client.get("/api/v1/visits", params={**params, "offset": 2}).json()
        assert [v["id"] for v in first["items"] + second["items"]] == sorted(made)
        assert client.get("/api/v1/visits", params={**params, "offset": 2, "after": "x"}).status_code == 422

    def test_a_forged_cursor_is_422_on_after(self, client: TestClient) -> None:
        response = client.get("/api/v1/visits", params={"updated_since": "2031-01-01T00:00:00Z",
                                                        "after": "not-a-cursor"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "after"]
