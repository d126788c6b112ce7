"""Every mutation of a firm, a contact or a year's figures leaves an audit row: who, what, before/after, and
the request it came from."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.roles import Role
from tests.conftest import Account
from tests.factories import create_enterprise, if_match

AUDIT = "/api/v1/audit"


def entries(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get(AUDIT, params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def latest(client: TestClient, **params: Any) -> dict[str, Any]:
    found = entries(client, **params)
    assert found, f"no audit entry for {params}"
    return found[0]


@pytest.fixture
def firm(staff_client: TestClient) -> dict[str, Any]:
    return create_enterprise(staff_client, name="常德审计测试有限公司", district="丹阳街道", tags=["瞪羚"],
                             registered_on="2018-05-04")


class TestEnterpriseMutations:
    def test_create_records_every_given_field_from_nothing(self, client: TestClient, firm: dict[str, Any],
                                                           accounts: dict[Role, Account]) -> None:
        entry = latest(client, entity_type="enterprise", entity_id=firm["id"])
        assert (entry["action"], entry["enterprise_id"]) == ("create", firm["id"])
        assert (entry["actor_id"], entry["actor_name"]) == (accounts[Role.staff].user_id, "test-staff")
        changes = entry["changes"]
        assert changes["name"] == {"before": None, "after": "常德审计测试有限公司"}
        assert changes["tags"] == {"before": None, "after": ["瞪羚"]}
        assert changes["registered_on"] == {"before": None, "after": "2018-05-04"}
        assert changes["credit_code"]["after"] == firm["credit_code"]
        assert "park" not in changes, "fields left empty are not listed"

    def test_update_records_only_what_changed(self, client: TestClient, staff_client: TestClient,
                                              firm: dict[str, Any]) -> None:
        staff_client.patch(f"/api/v1/enterprises/{firm['id']}",
                           json={"name": "常德审计测试有限公司", "district": "武陵镇", "tags": ["瞪羚", "专精特新"],
                                 "above_scale": True},
                           headers={**if_match(firm), "X-Request-ID": "edit-42"})
        entry = latest(client, entity_type="enterprise", entity_id=firm["id"], action="update")
        assert entry["changes"] == {
            "district": {"before": "丹阳街道", "after": "武陵镇"},
            "tags": {"before": ["瞪羚"], "after": ["专精特新", "瞪羚"]},
            "above_scale": {"before": False, "after": True},
        }
        assert entry["request_id"] == "edit-42"

    def test_a_patch_that_changes_nothing_writes_no_row(self, client: TestClient, staff_client: TestClient,
                                                        firm: dict[str, Any]) -> None:
        staff_client.patch(f"/api/v1/enterprises/{firm['id']}", json={"name": firm["name"]}, headers=if_match(firm))
        assert [e["action"] for e in entries(client, entity_type="enterprise", entity_id=firm["id"])] == ["create"]

    def test_a_refused_change_writes_no_row(self, client: TestClient, staff_client: TestClient,
                                            firm: dict[str, Any]) -> None:
        staff_client.patch(f"/api/v1/enterprises/{firm['id']}", json={"name": "x"}, headers={"If-Match": '"9"'})
        assert len(entries(client, entity_type="enterprise", entity_id=firm["id"])) == 1

    def test_archive_and_restore(self, client: TestClient, staff_client: TestClient, firm: dict[str, Any]) -> None:
        url = f"/api/v1/enterprises/{firm['id']}"
        staff_client.delete(url, headers={**if_match(firm), "X-Request-ID": "archive-1"})
        archived_at = staff_client.get(url).json()["archived_at"]
        staff_client.post(f"{url}/restore", headers={"X-Request-ID": "restore-1"})
        restore, archive = entries(client, entity_type="enterprise", entity_id=firm["id"])[:2]
        assert (archive["action"], archive["request_id"]) == ("archive", "archive-1")
        assert archive["changes"]["archived_at"]["before"] is None
        assert archive["changes"]["archived_at"]["after"].replace("+00:00", "Z") == archived_at
        assert (restore["action"], restore["request_id"]) == ("restore", "restore-1")
        assert restore["changes"]["archived_at"]["after"] is None


class TestContactMutations:
    def test_create_update_delete(self, client: TestClient, staff_client: TestClient, firm: dict[str, Any]) -> None:
        base = f"/api/v1/enterprises/{firm['id']}/contacts"
        contact = staff_client.post(base, json={"name": "王芳", "phone": "13812345678"}).json()
        staff_client.patch(f"{base}/{contact['id']}", json={"phone": "0736-7788123", "title": "财务"},
                           headers=if_match(contact))
        staff_client.delete(f"{base}/{contact['id']}", headers={"If-Match": '"2"'})

        deleted, updated, created = entries(client, entity_type="contact", entity_id=contact["id"])
        assert created["action"] == "create"
        assert created["enterprise_id"] == firm["id"]
        assert created["changes"]["phone"] == {"before": None, "after": "13812345678"}
        assert updated["action"] == "update"
        assert updated["changes"] == {"phone": {"before": "13812345678", "after": "0736-7788123"},
                                      "title": {"before": None, "after": "财务"}}
        assert deleted["action"] == "delete"
        assert deleted["changes"]["name"] == {"before": "王芳", "after": None}


    def test_demoting_the_previous_primary_contact_is_audited(self, client: TestClient, staff_client: TestClient,
                                                               firm: dict[str, Any]) -> None:
        base = f"/api/v1/enterprises/{firm['id']}/contacts"
        first = staff_client.post(base, json={"name": "王芳", "is_primary": True}).json()
        staff_client.post(base, json={"name": "李强", "is_primary": True}, headers={"X-Request-ID": "primary-2"})
        demoted = latest(client, entity_type="contact", entity_id=first["id"])
        assert demoted["action"] == "update"
        assert demoted["changes"] == {"is_primary": {"before": True, "after": False}}
        assert demoted["request_id"] == "primary-2"
        assert staff_client.get(f"{base}/{first['id']}").json()["version"] == 2


class TestFiguresMutations:
    def test_create_replace_delete_with_money_as_strings(self, client: TestClient, staff_client: TestClient,
                                                         firm: dict[str, Any]) -> None:
        url = f"/api/v1/enterprises/{firm['id']}/figures/2024"
        staff_client.put(url, json={"revenue": "1250000.00", "employees": 50})
        staff_client.put(url, json={"revenue": "1300000.50", "employees": 50})
        staff_client.put(url, json={"revenue": "1300000.50", "employees": 50})
        staff_client.delete(url, headers={"If-Match": '"2"'})

        deleted, replaced, created = entries(client, entity_type="annual_figures", enterprise_id=firm["id"])
        assert created["action"] == "create"
        assert created["changes"]["revenue"] == {"before": None, "after": "1250000.00"}
        assert replaced["action"] == "update"
        assert replaced["changes"] == {"revenue": {"before": "1250000.00", "after": "1300000.50"}}
        assert deleted["action"] == "delete"
        assert deleted["changes"]["revenue"] == {"before": "1300000.50", "after": None}
        assert created["summary"] == "2024年度经营数据"

    def test_creating_an_empty_year_is_audited_too(self, client: TestClient, staff_client: TestClient,
                                                   firm: dict[str, Any]) -> None:
        staff_client.put(f"/api/v1/enterprises/{firm['id']}/figures/2023", json={})
        entry = latest(client, entity_type="annual_figures", enterprise_id=firm["id"])
        assert (entry["action"], entry["changes"]) == ("create", {})
