from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.audit.timeline import registered_kinds
from tests.factories import create_enterprise, if_match
from tests.visits.factories import create_demand, create_event, create_visit, days_ago


def _timeline(client: TestClient, firm_id: int, **params: object) -> dict[str, Any]:
    response = client.get(f"/api/v1/enterprises/{firm_id}/timeline", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _dated(items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(e["kind"], e["entity_id"]) for e in items if e["kind"] != "audit"]


class TestTimelineSources:
    def test_visit_demand_and_publicity_are_registered(self) -> None:
        assert {"visit", "demand", "publicity"} <= set(registered_kinds())


class TestTimelineOfAFirm:
    def test_entries_of_every_kind_newest_first_in_one_shape(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        old_visit = create_visit(client, firm["id"], visited_on=days_ago(30), purpose="首次走访")
        demand = create_demand(client, firm["id"], raised_on=days_ago(20))
        event = create_event(client, held_on=days_ago(10), attendance=[{"enterprise_id": firm["id"],
                                                                          "attendee_count": 2}])
        new_visit = create_visit(client, firm["id"], visited_on=days_ago(3), kind="phone")
        create_visit(client, create_enterprise(client)["id"])  # another firm's: not in this timeline
        body = _timeline(client, firm["id"])
        items = body["items"]
        assert _dated(items) == [("visit", new_visit["id"]), ("publicity", event["id"]),
                                 ("demand", demand["id"]), ("visit", old_visit["id"])]
        moments = [e["at"] for e in items]
        assert moments == sorted(moments, reverse=True)
        for entry in items:
            assert set(entry) == {"kind", "at", "actor_id", "actor_name", "title", "entity_type", "entity_id",
                                  "details"}
        publicity = next(e for e in items if e["kind"] == "publicity")
        assert publicity["details"]["attendee_count"] == 2
        visit = next(e for e in items if e["entity_id"] == old_visit["id"] and e["kind"] == "visit")
        assert "首次走访" in visit["title"]
        assert visit["at"].startswith(days_ago(31))
        assert visit["at"].endswith("16:00:00Z")

    def test_pages_partition_the_timeline(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        for days in (9, 7, 5, 3, 1):
            create_visit(client, firm["id"], visited_on=days_ago(days))
        create_demand(client, firm["id"], raised_on=days_ago(4))
        whole = _timeline(client, firm["id"], limit=200)
        total = whole["total"]
        assert total == len(whole["items"])
        pages = [_timeline(client, firm["id"], limit=3, offset=o)["items"] for o in range(0, total, 3)]
        assert [e for page in pages for e in page] == whole["items"]

    def test_archived_visits_leave_the_timeline(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        visit = create_visit(client, firm["id"])
        client.delete(f"/api/v1/visits/{visit['id']}", headers=if_match(visit))
        assert _dated(_timeline(client, firm["id"])["items"]) == []
