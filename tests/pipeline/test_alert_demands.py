"""Overdue demands feed /alerts: past due and still open or in progress, of firms not archived."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import create_enterprise, if_match
from tests.visits.factories import create_demand, days_ago


def _demand_alerts(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/v1/alerts", params={"kind": "demand_overdue"})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


class TestOverdueDemandAlerts:
    def test_pending_demands_past_due_longest_overdue_first(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="长沙星辰智能科技有限公司")
        late = create_demand(client, firm["id"], raised_on=days_ago(30), due_on=days_ago(2))
        later = create_demand(client, firm["id"], raised_on=days_ago(30), due_on=days_ago(9), category="talent")
        moved = client.post(f"/api/v1/demands/{later['id']}/transitions", json={"to": "in_progress"})
        assert moved.status_code == 201, moved.text
        create_demand(client, firm["id"], raised_on=days_ago(30), due_on=days_ago(0))
        create_demand(client, firm["id"], raised_on=days_ago(30))
        found = _demand_alerts(client)
        assert [(a["demand_id"], a["days"], a["stage"]) for a in found] == [
            (later["id"], -9, "in_progress"), (late["id"], -2, "open")]
        first = found[0]
        assert first["enterprise_id"] == firm["id"]
        assert first["enterprise_name"] == "长沙星辰智能科技有限公司"
        assert first["application_id"] is None
        assert first["program"] is None
        assert first["due_on"] == days_ago(9)
        assert "人才" in first["message"]
        assert "9 天" in first["message"]

    def test_resolved_demands_raise_no_alert(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        demand = create_demand(client, firm["id"], raised_on=days_ago(30), due_on=days_ago(3))
        body = {"to": "resolved", "resolution": "已对接银行"}
        assert client.post(f"/api/v1/demands/{demand['id']}/transitions", json=body).status_code == 201
        assert _demand_alerts(client) == []

    def test_archived_firm_raises_no_alert(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        create_demand(client, firm["id"], raised_on=days_ago(30), due_on=days_ago(3))
        assert len(_demand_alerts(client)) == 1
        archived = client.delete(f"/api/v1/enterprises/{firm['id']}", headers=if_match(firm))
        assert archived.status_code == 204, archived.text
        assert _demand_alerts(client) == []

    def test_included_when_no_kind_is_asked(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        demand = create_demand(client, firm["id"], raised_on=days_ago(30), due_on=days_ago(3))
        items = client.get("/api/v1/alerts").json()["items"]
        assert [a["demand_id"] for a in items if a["kind"] == "demand_overdue"] == [demand["id"]]
