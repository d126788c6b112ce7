from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.auth.roles import Role
from app.visits.models import Visit
from tests.conftest import Account
from tests.factories import create_enterprise, if_match
from tests.visits.factories import create_policy, create_visit, days_ago, visit_payload

URL = "/api/v1/visits"


def _errors(response: Response) -> list[list[object]]:
    return [e["loc"] for e in response.json()["errors"]]


class TestLogVisitFromAPhone:
    def test_four_fields_are_enough_and_the_logger_is_the_staff(
        self, staff_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        firm = create_enterprise(staff_client)
        response = staff_client.post(URL, json=visit_payload(firm["id"]))
        assert response.status_code == 201, response.text
        visit = response.json()
        assert visit["staff_ids"] == [accounts[Role.staff].user_id]
        assert visit["logged_by"] == accounts[Role.staff].user_id
        assert visit["policy_ids"] == []
        assert visit["purpose"] is None
        assert response.headers["location"] == f"{URL}/{visit['id']}"
        assert response.headers["etag"] == '"1"'

    def test_named_staff_replace_the_default(self, client: TestClient, accounts: dict[Role, Account]) -> None:
        firm = create_enterprise(client)
        staff = [accounts[Role.staff].user_id, accounts[Role.viewer].user_id]
        visit = create_visit(client, firm["id"], staff_ids=staff)
        assert visit["staff_ids"] == sorted(staff)

    def test_everything_optional_round_trips(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client)
        contact = client.post(f"/api/v1/enterprises/{firm['id']}/contacts", json={"name": "李经理"}).json()
        policy = create_policy(client)
        visit = create_visit(client, firm["id"], kind="meeting", purpose="高企申报辅导", participants="王总、李经理",
                             contact_ids=[contact["id"]], policy_ids=[policy["id"], policy["id"]],
                             follow_up_on=days_ago(-14))
        got = client.get(f"{URL}/{visit['id']}").json()
        assert got["contact_ids"] == [contact["id"]]
        assert got["policy_ids"] == [policy["id"]]
        assert got["follow_up_on"] == days_ago(-14)
        assert got["participants"] == "王总、李经理"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "visit")).one()
        assert entry.enterprise_id == firm["id"]
        assert entry.action == "create"


class TestVisitFieldRules:
    def test_missing_required_fields_are_named(self, client: TestClient) -> None:
        response = client.post(URL, json={})
        assert response.status_code == 422
        assert {tuple(loc) for loc in _errors(response)} == {
            ("body", "enterprise_id"), ("body", "visited_on"), ("body", "kind"), ("body", "summary")}

    def test_visit_date_cannot_be_in_the_future(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json=visit_payload(firm["id"], visited_on=days_ago(-1)))
        assert response.status_code == 422
        assert _errors(response) == [["body", "visited_on"]]

    def test_follow_up_cannot_precede_the_visit(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json=visit_payload(firm["id"], visited_on=days_ago(5), follow_up_on=days_ago(6)))
        assert response.status_code == 422
        assert _errors(response) == [["body", "follow_up_on"]]

    def test_unknown_kind_and_blank_summary(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json=visit_payload(firm["id"], kind="lunch", summary="   "))
        assert response.status_code == 422
        assert {tuple(loc) for loc in _errors(response)} == {("body", "kind"), ("body", "summary")}

    def test_unknown_firm_is_422_on_the_field(self, client: TestClient) -> None:
        response = client.post(URL, json=visit_payload(999_999))
        assert response.status_code == 422
        assert _errors(response) == [["body", "enterprise_id"]]

    def test_archived_firm_is_409(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        assert client.delete(f"/api/v1/enterprises/{firm['id']}", headers=if_match(firm)).status_code == 204
        assert client.post(URL, json=visit_payload(firm["id"])).status_code == 409

    def test_unknown_policy_staff_and_foreign_contact_are_named(self, client: TestClient) -> None:
        firm, other = create_enterprise(client), create_enterprise(client)
        contact = client.post(f"/api/v1/enterprises/{other['id']}/contacts", json={"name": "张三"}).json()
        policy = client.post(URL, json=visit_payload(firm["id"], policy_ids=[999_999]))
        assert _errors(policy) == [["body", "policy_ids", 0]]
        staff = client.post(URL, json=visit_payload(firm["id"], staff_ids=[999_999]))
        assert _errors(staff) == [["body", "staff_ids", 0]]
        foreign = client.post(URL, json=visit_payload(firm["id"], contact_ids=[contact["id"]]))
        assert _errors(foreign) == [["body", "contact_ids", 0]]

    def test_unknown_fields_are_refused(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json=visit_payload(firm["id"], sumary="typo"))
        assert response.status_code == 422


class TestEditVisit:
    def test_patch_needs_if_match_and_bumps_version(self, client: TestClient, session: Session) -> None:
        visit = create_visit(client, create_enterprise(client)["id"])
        url = f"{URL}/{visit['id']}"
        assert client.patch(url, json={"summary": "补充记录"}).status_code == 428
        ok = client.patch(url, json={"summary": "补充记录", "kind": "phone"}, headers=if_match(visit))
        assert ok.status_code == 200, ok.text
        assert ok.json()["version"] == 2
        assert ok.json()["kind"] == "phone"
        assert client.patch(url, json={"summary": "再改"}, headers=if_match(visit)).status_code == 412
        update = session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
        assert set(update.changes) == {"summary", "kind"}

    def test_changing_only_a_list_moves_the_version(self, client: TestClient) -> None:
        visit = create_visit(client, create_enterprise(client)["id"])
        policy = create_policy(client)
        ok = client.patch(f"{URL}/{visit['id']}", json={"policy_ids": [policy["id"]]}, headers=if_match(visit))
        assert ok.json()["policy_ids"] == [policy["id"]]
        assert ok.json()["version"] == 2

    def test_staff_cannot_be_emptied_and_required_fields_cannot_be_null(self, client: TestClient) -> None:
        visit = create_visit(client, create_enterprise(client)["id"])
        url = f"{URL}/{visit['id']}"
        assert client.patch(url, json={"staff_ids": []}, headers=if_match(visit)).status_code == 422
        assert client.patch(url, json={"summary": None}, headers=if_match(visit)).status_code == 422

    def test_archive_hides_and_restore_brings_back(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        visit = create_visit(client, firm["id"])
        url = f"{URL}/{visit['id']}"
        assert client.delete(url).status_code == 428
        assert client.delete(url, headers=if_match(visit)).status_code == 204
        assert client.get(URL, params={"enterprise_id": firm["id"]}).json()["total"] == 0
        listed = client.get(URL, params={"enterprise_id": firm["id"], "include_archived": True}).json()
        assert listed["items"][0]["archived_at"] is not None
        assert client.patch(url, json={"summary": "x"}, headers={"If-Match": "*"}).status_code == 409
        restored = client.post(f"{url}/restore")
        assert restored.status_code == 200
        assert restored.json()["archived_at"] is None
        assert client.get(URL, params={"enterprise_id": firm["id"]}).json()["total"] == 1

    def test_unknown_visit_is_404(self, client: TestClient) -> None:
        assert client.get(f"{URL}/999999").status_code == 404


class TestVisitFilters:
    def test_each_filter_narrows(self, client: TestClient, accounts: dict[Role, Account]) -> None:
        north = create_enterprise(client, district="芙蓉街道")
        south = create_enterprise(client, district="丹阳街道")
        policy = create_policy(client)
        staff_id = accounts[Role.staff].user_id
        a = create_visit(client, north["id"], visited_on=days_ago(30), kind="phone", policy_ids=[policy["id"]])
        b = create_visit(client, north["id"], visited_on=days_ago(10), staff_ids=[staff_id])
        c = create_visit(client, south["id"], visited_on=days_ago(2), kind="online")

        def ids(**params: object) -> list[int]:
            response = client.get(URL, params=params)
            assert response.status_code == 200, response.text
            return [v["id"] for v in response.json()["items"]]

        assert ids(enterprise_id=north["id"]) == [b["id"], a["id"]]
        assert ids(staff_id=staff_id) == [b["id"]]
        assert ids(kind=["phone", "online"], sort="visited_on") == [a["id"], c["id"]]
        assert ids(visited_from=days_ago(15), visited_to=days_ago(5)) == [b["id"]]
        assert ids(district="丹阳街道") == [c["id"]]
        assert ids(policy_id=policy["id"]) == [a["id"]]
        assert ids(sort="-id") == [c["id"], b["id"], a["id"]]
        later = client.get(f"{URL}/{c['id']}").json()["updated_at"]
        assert c["id"] in ids(updated_since=later)
        assert a["id"] not in ids(updated_since="2999-01-01T00:00:00")

    def test_unknown_sort_field_is_422(self, client: TestClient) -> None:
        assert client.get(URL, params={"sort": "summary"}).status_code == 422


class TestIdempotentVisitRetry:
    def test_a_retry_with_the_same_key_logs_one_visit(self, staff_client: TestClient, session: Session) -> None:
        firm = create_enterprise(staff_client)
        headers, body = {"Idempotency-Key": str(uuid.uuid4())}, visit_payload(firm["id"])
        first = staff_client.post(URL, json=body, headers=headers)
        again = staff_client.post(URL, json=body, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert again.headers["idempotent-replayed"] == "true"
        assert session.scalar(select(func.count()).select_from(Visit)) == 1

    def test_without_a_key_a_retry_is_a_second_visit(self, staff_client: TestClient, session: Session) -> None:
        firm = create_enterprise(staff_client)
        body = visit_payload(firm["id"])
        assert staff_client.post(URL, json=body).status_code == 201
        assert staff_client.post(URL, json=body).status_code == 201
        assert session.scalar(select(func.count()).select_from(Visit)) == 2


class TestViewersCannotWrite:
    def test_viewer_reads_but_cannot_log_edit_or_archive(self, client: TestClient, viewer_client: TestClient) -> None:
        firm = create_enterprise(client)
        visit = create_visit(client, firm["id"])
        assert viewer_client.get(f"{URL}/{visit['id']}").status_code == 200
        assert viewer_client.post(URL, json=visit_payload(firm["id"])).status_code == 403
        assert viewer_client.patch(f"{URL}/{visit['id']}", json={"summary": "x"},
                                   headers=if_match(visit)).status_code == 403
        assert viewer_client.delete(f"{URL}/{visit['id']}", headers=if_match(visit)).status_code == 403
        for url, body in (("/api/v1/demands", {"enterprise_id": firm["id"], "category": "other",
                                                "description": "x"}),
                          ("/api/v1/policies", {"title": "x", "issuer": "y", "category": "tax", "level": "national"}),
                          ("/api/v1/publicity-events", {"title": "x", "held_on": days_ago(1), "kind": "online"})):
            assert viewer_client.post(url, json=body).status_code == 403
