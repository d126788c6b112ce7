"""One firm's life: create, read, change under If-Match, duplicates, archive and restore."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.roles import Role
from tests.conftest import Account
from tests.factories import create_enterprise, credit_code, enterprise_payload, if_match

URL = "/api/v1/enterprises"


def _url(firm: dict[str, Any]) -> str:
    return f"{URL}/{firm['id']}"


class TestCreateEnterprise:
    def test_201_with_location_and_etag(self, client: TestClient) -> None:
        response = client.post(URL, json=enterprise_payload(name="常德高新电子有限公司", tags=["专精特新", "专精特新"]))
        assert response.status_code == 201, response.text
        body = response.json()
        assert response.headers["location"] == f"{URL}/{body['id']}"
        assert response.headers["etag"] == '"1"'
        assert body["version"] == 1
        assert body["tags"] == ["专精特新"]
        assert body["status"] == "active"
        assert body["archived_at"] is None
        read = client.get(response.headers["location"]).json()
        assert read.pop("status_summary") is not None
        assert read == body

    def test_staff_may_create(self, staff_client: TestClient) -> None:
        assert staff_client.post(URL, json=enterprise_payload()).status_code == 201

    def test_unknown_id_is_404_problem(self, client: TestClient) -> None:
        response = client.get(f"{URL}/999999")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 404

    def test_read_is_never_a_304(self, client: TestClient) -> None:
        # The status summary changes with the firm's applications and with the date, not with its version:
        # a matching If-None-Match must not let a client keep a stale summary.
        firm = create_enterprise(client)
        response = client.get(_url(firm), headers={"If-None-Match": '"1"'})
        assert response.status_code == 200
        assert response.headers["etag"] == '"1"'
        assert "status_summary" in response.json()


class TestOwner:
    def test_owner_must_be_an_active_account(self, client: TestClient, accounts: dict[Role, Account],
                                             session: Session) -> None:
        staff = accounts[Role.staff].user_id
        assert create_enterprise(client, owner_id=staff)["owner_id"] == staff
        response = client.post(URL, json=enterprise_payload(owner_id=999_999))
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "owner_id"]
        session.get_one(User, staff).active = False
        session.commit()
        assert client.post(URL, json=enterprise_payload(owner_id=staff)).status_code == 422

    def test_a_firm_keeps_an_owner_who_was_deactivated(self, client: TestClient, accounts: dict[Role, Account],
                                                       session: Session) -> None:
        staff = accounts[Role.staff].user_id
        firm = create_enterprise(client, owner_id=staff)
        session.get_one(User, staff).active = False
        session.commit()
        response = client.patch(_url(firm), json={"name": "改名公司", "owner_id": staff}, headers=if_match(firm))
        assert response.status_code == 200
        moved = client.patch(_url(firm), json={"owner_id": 999_999}, headers={"If-Match": '"2"'})
        assert moved.status_code == 422


class TestDuplicateCreditCode:
    def test_409_names_the_existing_firm(self, client: TestClient) -> None:
        first = create_enterprise(client)
        response = client.post(URL, json=enterprise_payload(credit_code=first["credit_code"]))
        assert response.status_code == 409
        problem = response.json()
        assert problem["existing_id"] == first["id"]
        assert str(first["id"]) in problem["detail"]
        assert problem["errors"][0]["loc"] == ["body", "credit_code"]

    def test_differently_typed_same_code_is_a_duplicate(self, client: TestClient) -> None:
        first = create_enterprise(client)
        typed = " ".join([first["credit_code"][:9].lower(), first["credit_code"][9:]])
        response = client.post(URL, json=enterprise_payload(credit_code=typed))
        assert response.status_code == 409
        assert response.json()["existing_id"] == first["id"]

    def test_archived_firm_still_holds_its_code(self, client: TestClient) -> None:
        first = create_enterprise(client)
        assert client.delete(_url(first), headers=if_match(first)).status_code == 204
        response = client.post(URL, json=enterprise_payload(credit_code=first["credit_code"]))
        assert response.status_code == 409
        assert response.json()["existing_id"] == first["id"]
        assert "restore" in response.json()["detail"]

    def test_patch_to_a_taken_code_is_409(self, client: TestClient) -> None:
        first = create_enterprise(client)
        second = create_enterprise(client)
        response = client.patch(_url(second), json={"credit_code": first["credit_code"]}, headers=if_match(second))
        assert response.status_code == 409
        assert response.json()["existing_id"] == first["id"]
        assert client.get(_url(second)).json()["credit_code"] == second["credit_code"]

    def test_patch_keeping_ones_own_code_is_fine(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.patch(_url(firm), json={"credit_code": firm["credit_code"].lower(), "name": "改名公司"},
                                headers=if_match(firm))
        assert response.status_code == 200, response.text
        assert response.json()["credit_code"] == firm["credit_code"]


class TestUpdateEnterprise:
    def test_patch_changes_only_sent_fields(self, client: TestClient) -> None:
        firm = create_enterprise(client, park="常德经开区", tags=["瞪羚"])
        response = client.patch(_url(firm), json={"name": "新名称有限公司", "above_scale": True},
                                headers=if_match(firm))
        assert response.status_code == 200
        body = response.json()
        assert (body["name"], body["above_scale"], body["park"], body["tags"]) == (
            "新名称有限公司", True, "常德经开区", ["瞪羚"])
        assert body["version"] == 2
        assert response.headers["etag"] == '"2"'

    def test_null_clears_an_optional_field(self, client: TestClient) -> None:
        firm = create_enterprise(client, park="常德经开区")
        response = client.patch(_url(firm), json={"park": None}, headers=if_match(firm))
        assert response.json()["park"] is None

    def test_null_for_a_required_field_is_422(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.patch(_url(firm), json={"name": None}, headers=if_match(firm))
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "name"]

    def test_changing_only_tags_moves_the_version(self, client: TestClient) -> None:
        firm = create_enterprise(client, tags=["a"])
        response = client.patch(_url(firm), json={"tags": ["b", "c"]}, headers=if_match(firm))
        assert response.json()["tags"] == ["b", "c"]
        assert response.json()["version"] == 2
        assert response.json()["updated_at"] > firm["updated_at"]

    def test_tags_are_a_set_returned_sorted(self, client: TestClient) -> None:
        firm = create_enterprise(client, tags=["瞪羚", "专精特新", "b", "a"])
        assert firm["tags"] == ["a", "b", "专精特新", "瞪羚"]
        assert client.get(_url(firm)).json()["tags"] == firm["tags"]
        reordered = client.patch(_url(firm), json={"tags": ["专精特新", "a", "瞪羚", "b", "a"]}, headers=if_match(firm))
        assert reordered.json()["tags"] == firm["tags"]
        assert reordered.json()["version"] == 1, "the same tags in another order are no change"

    def test_a_patch_that_changes_nothing_keeps_the_version(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.patch(_url(firm), json={"name": firm["name"]}, headers=if_match(firm))
        assert response.json()["version"] == 1

    def test_viewer_cannot_patch(self, client: TestClient, viewer_client: TestClient) -> None:
        firm = create_enterprise(client)
        assert viewer_client.patch(_url(firm), json={"name": "x公司"}, headers=if_match(firm)).status_code == 403


class TestPreconditions:
    def test_patch_without_if_match_is_428(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.patch(_url(firm), json={"name": "新名称"})
        assert response.status_code == 428
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["current_etag"] == '"1"'

    def test_patch_with_a_stale_etag_is_412_and_changes_nothing(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        assert client.patch(_url(firm), json={"name": "甲公司"}, headers=if_match(firm)).status_code == 200
        response = client.patch(_url(firm), json={"name": "乙公司"}, headers=if_match(firm))
        assert response.status_code == 412
        assert response.json()["current_etag"] == '"2"'
        assert client.get(_url(firm)).json()["name"] == "甲公司"

    def test_listed_etags_match_and_weak_ones_never_do(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        weak = client.patch(_url(firm), json={"name": "甲公司"}, headers={"If-Match": 'W/"1"'})
        assert weak.status_code == 412
        assert 'not a weak one (W/"1")' in weak.json()["detail"]
        response = client.patch(_url(firm), json={"name": "甲公司"}, headers={"If-Match": '"9", "1"'})
        assert response.status_code == 200

    def test_delete_without_if_match_is_428(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        assert client.delete(_url(firm)).status_code == 428
        assert client.get(_url(firm)).json()["archived_at"] is None

    def test_delete_with_a_stale_etag_is_412(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        assert client.delete(_url(firm), headers={"If-Match": '"5"'}).status_code == 412
        assert client.get(_url(firm)).json()["archived_at"] is None


class TestArchiveAndRestore:
    def test_archived_firm_leaves_the_list_and_comes_back(self, client: TestClient) -> None:
        firm = create_enterprise(client, credit_code=credit_code("91430781"))
        query = {"q": firm["credit_code"]}
        assert client.get(URL, params=query).json()["total"] == 1

        archived = client.delete(_url(firm), headers=if_match(firm))
        assert archived.status_code == 204
        assert archived.headers["etag"] == '"2"'
        assert client.get(URL, params=query).json()["total"] == 0
        with_archived = client.get(URL, params={**query, "include_archived": "true"}).json()
        assert with_archived["total"] == 1
        assert with_archived["items"][0]["archived_at"] is not None
        assert client.get(_url(firm)).json()["archived_at"] is not None

        restored = client.post(f"{_url(firm)}/restore")
        assert restored.status_code == 200
        assert restored.json()["archived_at"] is None
        assert restored.json()["version"] == 3
        assert client.get(URL, params=query).json()["total"] == 1

    def test_archiving_twice_is_harmless(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        client.delete(_url(firm), headers=if_match(firm))
        again = client.delete(_url(firm), headers={"If-Match": '"2"'})
        assert again.status_code == 204
        assert again.headers["etag"] == '"2"'

    def test_an_archived_firm_cannot_be_edited(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        client.delete(_url(firm), headers=if_match(firm))
        response = client.patch(_url(firm), json={"name": "新名称"}, headers={"If-Match": '"2"'})
        assert response.status_code == 409
        assert "restore" in response.json()["detail"]

    def test_restore_with_a_stale_etag_is_412(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        client.delete(_url(firm), headers=if_match(firm))
        assert client.post(f"{_url(firm)}/restore", headers=if_match(firm)).status_code == 412
        assert client.post(f"{_url(firm)}/restore", headers={"If-Match": '"2"'}).status_code == 200

    def test_restoring_an_active_firm_changes_nothing(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(f"{_url(firm)}/restore")
        assert response.status_code == 200
        assert response.json()["version"] == 1

    def test_viewer_cannot_archive(self, client: TestClient, viewer_client: TestClient) -> None:
        firm = create_enterprise(client)
        assert viewer_client.delete(_url(firm), headers=if_match(firm)).status_code == 403


class TestIndustryCodeWrittenForm:
    def test_section_letter_is_accepted_and_stored_as_digits(self, client: TestClient) -> None:
        firm = create_enterprise(client, industry="C", industry_code="C3911")
        assert firm["industry_code"] == "3911"
        assert create_enterprise(client, industry_code="3911")["industry_code"] == "3911"
        bad = client.post("/api/v1/enterprises", json=enterprise_payload(industry_code="CC39"))
        assert bad.status_code == 422
