"""Contacts: phone numbers as staff type them, one primary contact, and personal data masked for viewers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.enterprises.phone import PhoneError, mask_email, mask_phone, normalize_phone
from tests.factories import create_enterprise, if_match


def contacts_url(firm: dict[str, Any]) -> str:
    return f"/api/v1/enterprises/{firm['id']}/contacts"


def add_contact(client: TestClient, firm: dict[str, Any], **fields: Any) -> dict[str, Any]:
    response = client.post(contacts_url(firm), json={"name": "王芳", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


class TestPhoneNumbers:
    @pytest.mark.parametrize(("typed", "canonical"), [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0736-7788123", "0736-7788123"),
        ("(0736) 7788123", "0736-7788123"),
        ("（0736）77881234", "0736-77881234"),
        ("010-12345678", "010-12345678"),
        ("010-1234-5678", "010-12345678"),
        ("+86 736 7788123", "0736-7788123"),
        ("0736-7788123 转 205", "0736-7788123-205"),
        ("0736-7788123分机205", "0736-7788123-205"),
        ("0736-7788123 ext. 205", "0736-7788123-205"),
        ("0736-7788123-205", "0736-7788123-205"),
        ("400-123-4567", "400-123-4567"),
        ("8001234567", "800-123-4567"),
        ("400-123-4567 转 8", "400-123-4567-8"),
        ("4001234567-8021", "400-123-4567-8021"),
    ])
    def test_accepted_and_canonical(self, typed: str, canonical: str) -> None:
        assert normalize_phone(typed) == canonical

    @pytest.mark.parametrize("canonical", ["13812345678", "0736-7788123", "0736-7788123-205", "010-12345678",
                                           "400-123-4567", "400-123-4567-8"])
    def test_the_canonical_form_reads_back_unchanged(self, canonical: str) -> None:
        assert normalize_phone(canonical) == canonical

    @pytest.mark.parametrize(("typed", "reason"), [
        ("7788123", "area code"),
        ("1381234567", "not a mainland"),
        ("12812345678", "not a mainland"),
        ("+1 415 555 0100", r"\(\+86\)"),
        ("0736-0788123", "7- or 8-digit"),
        ("0736-778812", "7- or 8-digit"),
        ("13812345678 转 1", "no extension"),
        ("138abc45678", "only digits"),
        ("0", "area code"),
        ("138\x0012345678", "only digits"),
    ])
    def test_rejected_with_a_reason(self, typed: str, reason: str) -> None:
        with pytest.raises(PhoneError, match=reason):
            normalize_phone(typed)


class TestMasking:
    @pytest.mark.parametrize(("phone", "masked"), [
        ("13812345678", "138****5678"),
        ("0736-7788123", "0736-****8123"),
        ("010-12345678", "010-****5678"),
        ("0736-7788123-205", "0736-****8123"),
        ("400-123-4567", "400****4567"),
        ("400-123-4567-8", "400****4567"),
    ])
    def test_phone(self, phone: str, masked: str) -> None:
        assert mask_phone(phone) == masked

    def test_email(self) -> None:
        assert mask_email("wangfang@hnkj.com.cn") == "w***@hnkj.com.cn"


class TestCreateContact:
    def test_201_with_location_stores_the_canonical_phone(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(contacts_url(firm), json={"name": "王芳", "title": "财务总监",
                                                         "phone": "138 1234 5678", "email": "wf@hnkj.cn"})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["phone"] == "13812345678"
        assert response.headers["location"] == f"{contacts_url(firm)}/{body['id']}"
        assert response.headers["etag"] == '"1"'
        assert client.get(response.headers["location"]).json() == body

    @pytest.mark.parametrize(("field", "value"), [("phone", "12345"), ("email", "not-an-address"),
                                                  ("name", ""), ("phone", "0736-7788\x00123")])
    def test_invalid_field_is_422_with_its_path(self, client: TestClient, field: str, value: str) -> None:
        firm = create_enterprise(client)
        response = client.post(contacts_url(firm), json={"name": "王芳", field: value})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", field]

    def test_unknown_firm_is_404(self, client: TestClient) -> None:
        assert client.post("/api/v1/enterprises/999999/contacts", json={"name": "王芳"}).status_code == 404

    def test_archived_firm_takes_no_new_contacts(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        client.delete(f"/api/v1/enterprises/{firm['id']}", headers=if_match(firm))
        assert client.post(contacts_url(firm), json={"name": "王芳"}).status_code == 409

    def test_contact_of_another_firm_is_404(self, client: TestClient) -> None:
        firm, other = create_enterprise(client), create_enterprise(client)
        contact = add_contact(client, firm)
        assert client.get(f"{contacts_url(other)}/{contact['id']}").status_code == 404


class TestPrimaryContact:
    def test_only_one_primary_and_listed_first(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        first = add_contact(client, firm, name="甲", is_primary=True)
        second = add_contact(client, firm, name="乙")
        third = add_contact(client, firm, name="丙", is_primary=True)
        listed = client.get(contacts_url(firm)).json()
        assert [c["id"] for c in listed] == [third["id"], first["id"], second["id"]]
        assert [c["is_primary"] for c in listed] == [True, False, False]


class TestUpdateAndDeleteContact:
    def test_patch_needs_if_match_and_moves_the_version(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        contact = add_contact(client, firm, phone="13812345678")
        url = f"{contacts_url(firm)}/{contact['id']}"
        assert client.patch(url, json={"title": "总经理"}).status_code == 428
        changed = client.patch(url, json={"title": "总经理"}, headers=if_match(contact))
        assert changed.status_code == 200
        assert changed.json()["version"] == 2
        assert changed.json()["phone"] == "13812345678"
        assert client.patch(url, json={"title": "董事长"}, headers=if_match(contact)).status_code == 412

    def test_contacts_of_an_archived_firm_can_be_deleted_not_edited(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        contact = add_contact(client, firm, phone="13812345678")
        url = f"{contacts_url(firm)}/{contact['id']}"
        client.delete(f"/api/v1/enterprises/{firm['id']}", headers=if_match(firm))
        assert client.patch(url, json={"title": "总经理"}, headers=if_match(contact)).status_code == 409
        assert client.delete(url, headers=if_match(contact)).status_code == 204

    def test_delete_removes_it(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        contact = add_contact(client, firm)
        url = f"{contacts_url(firm)}/{contact['id']}"
        assert client.delete(url).status_code == 428
        assert client.delete(url, headers=if_match(contact)).status_code == 204
        assert client.get(url).status_code == 404
        assert client.get(contacts_url(firm)).json() == []


class TestViewerSeesPersonalDataMasked:
    @pytest.fixture
    def firm_with_contact(self, client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
        firm = create_enterprise(client)
        contact = add_contact(client, firm, phone="138-1234-5678", email="wangfang@hnkj.com.cn")
        return firm, contact

    def test_in_the_list(self, viewer_client: TestClient,
                         firm_with_contact: tuple[dict[str, Any], dict[str, Any]]) -> None:
        firm, _ = firm_with_contact
        seen = viewer_client.get(contacts_url(firm)).json()[0]
        assert seen["phone"] == "138****5678"
        assert seen["email"] == "w***@hnkj.com.cn"
        assert seen["name"] == "王芳"

    def test_in_one_contact(self, viewer_client: TestClient,
                            firm_with_contact: tuple[dict[str, Any], dict[str, Any]]) -> None:
        firm, contact = firm_with_contact
        seen = viewer_client.get(f"{contacts_url(firm)}/{contact['id']}").json()
        assert (seen["phone"], seen["email"]) == ("138****5678", "w***@hnkj.com.cn")

    def test_staff_see_them_in_full(self, staff_client: TestClient,
                                    firm_with_contact: tuple[dict[str, Any], dict[str, Any]]) -> None:
        firm, _ = firm_with_contact
        seen = staff_client.get(contacts_url(firm)).json()[0]
        assert (seen["phone"], seen["email"]) == ("13812345678", "wangfang@hnkj.com.cn")

    def test_viewer_cannot_add_contacts(self, viewer_client: TestClient,
                                        firm_with_contact: tuple[dict[str, Any], dict[str, Any]]) -> None:
        firm, _ = firm_with_contact
        assert viewer_client.post(contacts_url(firm), json={"name": "李四"}).status_code == 403
