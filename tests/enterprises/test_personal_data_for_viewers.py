"""Viewers read contacts' phone numbers and e-mails masked everywhere: the timeline's audit entries (of deleted
contacts too), free text such as a visit's participants, exports, and idempotent replays."""

from __future__ import annotations

import csv
import io
import uuid

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from app.auth.roles import Role
from tests.conftest import Account
from tests.factories import create_enterprise, if_match

PHONE, NEW_PHONE, EMAIL = "13812345678", "13987654321", "wang.li@example.cn"
TYPED = "王总、财务李经理（13712345678，0736-7788123 转 205，li@firm.cn）"
TYPED_MASKED = "王总、财务李经理（137****5678，0736-****8123，l***@firm.cn）"
RAW = ("13812345678", "13987654321", "wang.li@example.cn", "13712345678", "7788123", "li@firm.cn")


def _contact_history(client: TestClient) -> dict[str, object]:
    firm = create_enterprise(client)
    contact = client.post(f"/api/v1/enterprises/{firm['id']}/contacts",
                          json={"name": "王丽", "phone": PHONE, "email": EMAIL, "notes": f"备用手机 {NEW_PHONE}"})
    assert contact.status_code == 201, contact.text
    url = f"/api/v1/enterprises/{firm['id']}/contacts/{contact.json()['id']}"
    changed = client.patch(url, json={"phone": NEW_PHONE}, headers=if_match(contact.json()))
    assert changed.status_code == 200, changed.text
    assert client.delete(url, headers=if_match(changed.json())).status_code == 204
    return firm


def _visit(client: TestClient, firm: dict[str, object]) -> dict[str, object]:
    response = client.post("/api/v1/visits", json={
        "enterprise_id": firm["id"], "visited_on": "2026-11-02", "kind": "on_site",
        "summary": f"约定下周回访，联系 {PHONE}", "participants": TYPED})
    assert response.status_code == 201, response.text
    return dict(response.json())


class TestTimeline:
    def test_viewers_see_audited_contact_details_masked_also_of_deleted_contacts(
        self, client: TestClient, viewer_client: TestClient
    ) -> None:
        firm = _contact_history(client)
        url = f"/api/v1/enterprises/{firm['id']}/timeline"
        seen = viewer_client.get(url)
        assert seen.status_code == 200
        for raw in (PHONE, NEW_PHONE, EMAIL):
            assert raw not in seen.text
        assert "138****5678" in seen.text
        assert "w***@example.cn" in seen.text
        # Staff and admins still read the history as it was.
        assert PHONE in client.get(url).text

    def test_phone_numbers_typed_into_a_visit_are_masked_in_the_timeline(
        self, client: TestClient, viewer_client: TestClient
    ) -> None:
        firm = create_enterprise(client)
        _visit(client, firm)
        text = viewer_client.get(f"/api/v1/enterprises/{firm['id']}/timeline").text
        assert PHONE not in text
        assert "138****5678" in text


class TestFreeText:
    def test_viewers_read_participants_and_summary_masked(self, client: TestClient,
                                                           viewer_client: TestClient) -> None:
        visit = _visit(client, create_enterprise(client))
        one = viewer_client.get(f"/api/v1/visits/{visit['id']}").json()
        listed = viewer_client.get("/api/v1/visits", params={"enterprise_id": visit["enterprise_id"]}).json()
        for read in (one, listed["items"][0]):
            assert read["participants"] == TYPED_MASKED
            assert not any(raw in read["participants"] + read["summary"] for raw in RAW)
            assert "137****5678" in read["participants"]
            assert "0736-****8123" in read["participants"]
        assert client.get(f"/api/v1/visits/{visit['id']}").json()["participants"] == TYPED

    def test_a_contact_note_is_masked_for_viewers(self, client: TestClient, viewer_client: TestClient) -> None:
        firm = create_enterprise(client)
        client.post(f"/api/v1/enterprises/{firm['id']}/contacts", json={"name": "王丽", "notes": f"手机 {PHONE}"})
        contacts = viewer_client.get(f"/api/v1/enterprises/{firm['id']}/contacts").json()
        assert contacts[0]["notes"] == "手机 138****5678"

    def test_demands_are_masked_for_viewers(self, client: TestClient, viewer_client: TestClient) -> None:
        firm = create_enterprise(client)
        demand = client.post("/api/v1/demands", json={
            "enterprise_id": firm["id"], "category": "funding", "description": f"贷款事宜请联系 {PHONE}"})
        assert demand.status_code == 201, demand.text
        assert viewer_client.get(f"/api/v1/demands/{demand.json()['id']}").json()["description"] == (
            "贷款事宜请联系 138****5678")


class TestExports:
    def test_a_viewers_csv_and_xlsx_carry_masked_free_text(self, client: TestClient,
                                                           viewer_client: TestClient) -> None:
        visit = _visit(client, create_enterprise(client))
        params = {"enterprise_id": visit["enterprise_id"], "headers": "en"}
        viewer_csv = viewer_client.get("/api/v1/exports/visits.csv", params=params)
        rows = list(csv.DictReader(io.StringIO(viewer_csv.content.decode("utf-8-sig"))))
        assert rows[0]["participants"] == TYPED_MASKED
        viewer_xlsx = viewer_client.get("/api/v1/exports/visits.xlsx", params=params)
        sheet = load_workbook(io.BytesIO(viewer_xlsx.content), read_only=True).worksheets[0]
        values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        assert not any(raw in value for value in values for raw in RAW)
        staff_csv = client.get("/api/v1/exports/visits.csv", params=params).content.decode("utf-8-sig")
        assert "13712345678" in staff_csv


class TestIdempotentReplay:
    def test_a_viewer_token_of_the_same_user_gets_no_replay_of_a_write(
        self, staff_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        firm = create_enterprise(staff_client)
        created = staff_client.post("/api/v1/api-tokens", json={"name": "只读脚本", "role": "viewer"})
        viewer_token = created.json()["token"]
        key = {"Idempotency-Key": str(uuid.uuid4())}
        body = {"name": "王丽", "phone": PHONE, "email": EMAIL}
        url = f"/api/v1/enterprises/{firm['id']}/contacts"
        assert staff_client.post(url, json=body, headers=key).status_code == 201
        replay = staff_client.post(url, json=body, headers={**key, "Authorization": f"Bearer {viewer_token}"})
        assert replay.status_code == 403
        assert PHONE not in replay.text
        assert EMAIL not in replay.text
        # The user's own staff token still gets the replay.
        again = staff_client.post(url, json=body, headers=key)
        assert again.status_code == 201
        assert again.headers["idempotent-replayed"] == "true"
