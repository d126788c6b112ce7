"""``GET /audit`` (admins only, filtered) and a firm's timeline (newest first, paginated)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.roles import Role
from tests.conftest import Account
from tests.factories import create_enterprise, if_match

AUDIT = "/api/v1/audit"


def audit_page(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(AUDIT, params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def edit(client: TestClient, firm: dict[str, Any], **changes: Any) -> dict[str, Any]:
    response = client.patch(f"/api/v1/enterprises/{firm['id']}", json=changes, headers=if_match(firm))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def history(client: TestClient, staff_client: TestClient) -> dict[str, Any]:
    """Two firms: one made and edited twice by staff, one made by the admin and archived."""
    edited = create_enterprise(staff_client, name="时间线公司")
    edited = edit(staff_client, edited, notes="第一次走访")
    edited = edit(staff_client, edited, notes="第二次走访")
    other = create_enterprise(client, name="另一家公司")
    client.delete(f"/api/v1/enterprises/{other['id']}", headers=if_match(other))
    return {"edited": edited, "other": other}


class TestAccess:
    def test_staff_and_viewers_are_refused(self, staff_client: TestClient, viewer_client: TestClient) -> None:
        assert staff_client.get(AUDIT).status_code == 403
        assert viewer_client.get(AUDIT).status_code == 403

    def test_anonymous_is_401(self, anonymous_client: TestClient) -> None:
        assert anonymous_client.get(AUDIT).status_code == 401


class TestFilters:
    def test_newest_first(self, client: TestClient, history: dict[str, Any]) -> None:
        items = audit_page(client, entity_type="enterprise")["items"]
        moments = [item["at"] for item in items]
        assert moments == sorted(moments, reverse=True)
        assert items[0]["action"] == "archive"

    def test_by_entity(self, client: TestClient, history: dict[str, Any]) -> None:
        page = audit_page(client, entity_type="enterprise", entity_id=history["edited"]["id"])
        assert page["total"] == 3
        assert [item["action"] for item in page["items"]] == ["update", "update", "create"]

    def test_by_firm(self, client: TestClient, history: dict[str, Any]) -> None:
        items = audit_page(client, enterprise_id=history["other"]["id"])["items"]
        assert [item["action"] for item in items] == ["archive", "create"]

    def test_by_actor(self, client: TestClient, history: dict[str, Any], accounts: dict[Role, Account]) -> None:
        staff_items = audit_page(client, actor_id=accounts[Role.staff].user_id, entity_type="enterprise")["items"]
        assert {item["entity_id"] for item in staff_items} == {history["edited"]["id"]}
        admin_items = audit_page(client, actor_id=accounts[Role.admin].user_id, entity_type="enterprise")["items"]
        assert {item["entity_id"] for item in admin_items} == {history["other"]["id"]}

    def test_by_action(self, client: TestClient, history: dict[str, Any]) -> None:
        items = audit_page(client, action="archive")["items"]
        assert [item["entity_id"] for item in items] == [history["other"]["id"]]

    def test_by_time_range(self, client: TestClient, history: dict[str, Any]) -> None:
        firm_entries = audit_page(client, enterprise_id=history["edited"]["id"])["items"]
        newest, middle, oldest = firm_entries
        since_middle = audit_page(client, enterprise_id=history["edited"]["id"], since=middle["at"])
        assert [item["id"] for item in since_middle["items"]] == [newest["id"], middle["id"]]
        before_middle = audit_page(client, enterprise_id=history["edited"]["id"], until=middle["at"])
        assert [item["id"] for item in before_middle["items"]] == [oldest["id"]]
        window = audit_page(client, enterprise_id=history["edited"]["id"], since=middle["at"], until=newest["at"])
        assert [item["id"] for item in window["items"]] == [middle["id"]]

    def test_a_time_without_offset_is_utc(self, client: TestClient, history: dict[str, Any]) -> None:
        oldest = audit_page(client, enterprise_id=history["edited"]["id"])["items"][-1]
        naive = oldest["at"].replace("Z", "").replace("+00:00", "")
        assert audit_page(client, enterprise_id=history["edited"]["id"], since=naive)["total"] == 3

    def test_pagination_total(self, client: TestClient, history: dict[str, Any]) -> None:
        first = client.get(AUDIT, params={"entity_type": "enterprise", "limit": 2}).json()
        second = client.get(AUDIT, params={"entity_type": "enterprise", "limit": 2, "offset": 2}).json()
        assert first["total"] == second["total"] == 5
        assert len(first["items"]) == 2
        assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})

    @pytest.mark.parametrize("params", [{"since": "yesterday"}, {"entity_id": 0}, {"until": "9999-12-31T23:00-05:00"},
                                        {"action": "x" * 31}])
    def test_bad_filters_are_422(self, client: TestClient, params: dict[str, Any]) -> None:
        response = client.get(AUDIT, params=params)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", next(iter(params))]


class TestTimeline:
    def url(self, firm: dict[str, Any]) -> str:
        return f"/api/v1/enterprises/{firm['id']}/timeline"

    def test_lists_the_firms_audit_entries_newest_first(self, viewer_client: TestClient,
                                                        history: dict[str, Any]) -> None:
        page = viewer_client.get(self.url(history["edited"])).json()
        assert page["total"] == 3
        assert [entry["details"]["action"] for entry in page["items"]] == ["update", "update", "create"]
        assert all(entry["kind"] == "audit" for entry in page["items"])
        newest = page["items"][0]
        assert newest["details"]["changes"]["notes"] == {"before": "第一次走访", "after": "第二次走访"}
        assert newest["actor_name"] == "test-staff"
        assert newest["entity_type"] == "enterprise"
        assert page["items"][-1]["title"] == "登记企业「时间线公司」"

    def test_includes_contacts_and_figures(self, client: TestClient, history: dict[str, Any]) -> None:
        firm = history["edited"]
        client.post(f"/api/v1/enterprises/{firm['id']}/contacts", json={"name": "王芳"})
        client.put(f"/api/v1/enterprises/{firm['id']}/figures/2024", json={"employees": 9})
        page = client.get(self.url(firm)).json()
        assert page["total"] == 5
        assert [entry["entity_type"] for entry in page["items"][:2]] == ["annual_figures", "contact"]

    def test_pages_are_consecutive_with_the_same_total(self, client: TestClient, history: dict[str, Any]) -> None:
        everything = client.get(self.url(history["edited"])).json()["items"]
        pages = [client.get(self.url(history["edited"]), params={"limit": 2, "offset": offset}).json()
                 for offset in (0, 2, 4)]
        assert [page["total"] for page in pages] == [3, 3, 3]
        assert [item for page in pages for item in page["items"]] == everything
        assert pages[2]["items"] == []

    def test_other_firms_do_not_leak_in(self, client: TestClient, history: dict[str, Any]) -> None:
        page = client.get(self.url(history["other"])).json()
        assert [entry["details"]["action"] for entry in page["items"]] == ["archive", "create"]

    def test_unknown_firm_is_404(self, client: TestClient) -> None:
        assert client.get("/api/v1/enterprises/999999/timeline").status_code == 404
