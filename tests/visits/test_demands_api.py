from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.auth.roles import Role
from app.fields import business_today
from app.visits.models import Demand
from app.visits.service import overdue_demands_query
from tests.conftest import Account
from tests.factories import create_enterprise, if_match
from tests.visits.factories import create_demand, create_visit, days_ago, demand_payload

URL = "/api/v1/demands"


def _move(client: TestClient, demand: dict[str, object], **body: object) -> dict[str, object]:
    response = client.post(f"{URL}/{demand['id']}/transitions", json=body)
    assert response.status_code == 201, response.text
    moved: dict[str, object] = response.json()
    return moved


class TestRaiseDemand:
    def test_standalone_demand_starts_open_today(self, client: TestClient, accounts: dict[Role, Account]) -> None:
        firm = create_enterprise(client)
        demand = create_demand(client, firm["id"], assignee_id=accounts[Role.staff].user_id, due_on=days_ago(-30))
        assert demand["status"] == "open"
        assert demand["raised_on"] == business_today().isoformat()
        assert demand["assignee_id"] == accounts[Role.staff].user_id
        assert demand["overdue"] is False
        assert demand["visit_id"] is None

    def test_raised_in_a_visit_takes_the_visit_date(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        visit = create_visit(client, firm["id"], visited_on=days_ago(4))
        demand = create_demand(client, firm["id"], visit_id=visit["id"])
        assert demand["raised_on"] == days_ago(4)
        listed = client.get(URL, params={"visit_id": visit["id"]}).json()
        assert [d["id"] for d in listed["items"]] == [demand["id"]]

    def test_visit_of_another_firm_is_refused(self, client: TestClient) -> None:
        visit = create_visit(client, create_enterprise(client)["id"])
        response = client.post(URL, json=demand_payload(create_enterprise(client)["id"], visit_id=visit["id"]))
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "visit_id"]

    def test_unknown_visit_assignee_and_firm_are_named(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        for field in ("visit_id", "assignee_id"):
            response = client.post(URL, json=demand_payload(firm["id"], **{field: 999_999}))
            assert response.status_code == 422
            assert response.json()["errors"][0]["loc"] == ["body", field]
        assert client.post(URL, json=demand_payload(999_999)).json()["errors"][0]["loc"] == ["body", "enterprise_id"]

    def test_due_date_cannot_precede_the_day_raised(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json=demand_payload(firm["id"], raised_on=days_ago(3), due_on=days_ago(4)))
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "due_on"]

    def test_category_must_be_known_and_description_not_blank(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json=demand_payload(firm["id"], category="money", description=""))
        assert {tuple(e["loc"]) for e in response.json()["errors"]} == {("body", "category"), ("body", "description")}


class TestDemandStatusFlow:
    def test_open_to_in_progress_to_resolved(self, client: TestClient, session: Session) -> None:
        demand = create_demand(client, create_enterprise(client)["id"], raised_on=days_ago(10))
        working = _move(client, demand, to="in_progress")
        assert working["status"] == "in_progress"
        assert working["version"] == 2
        done = _move(client, working, to="resolved", resolution="已对接农商行科技贷款，获批200万元。",
                     resolved_on=days_ago(1))
        assert done["status"] == "resolved"
        assert done["resolved_on"] == days_ago(1)
        assert done["resolution"] == "已对接农商行科技贷款，获批200万元。"
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "demand")
                                  .order_by(AuditEntry.id)).all()
        assert actions == ["create", "transition", "transition"]

    def test_resolved_needs_resolution_text(self, client: TestClient) -> None:
        demand = create_demand(client, create_enterprise(client)["id"])
        response = client.post(f"{URL}/{demand['id']}/transitions", json={"to": "resolved"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "resolution"]
        assert client.get(f"{URL}/{demand['id']}").json()["status"] == "open"

    def test_resolution_date_not_before_raised(self, client: TestClient) -> None:
        demand = create_demand(client, create_enterprise(client)["id"], raised_on=days_ago(2))
        response = client.post(f"{URL}/{demand['id']}/transitions",
                               json={"to": "resolved", "resolution": "已答复", "resolved_on": days_ago(3)})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "resolved_on"]

    def test_closed_needs_a_reason(self, client: TestClient) -> None:
        demand = create_demand(client, create_enterprise(client)["id"], category="land_space")
        response = client.post(f"{URL}/{demand['id']}/transitions", json={"to": "closed"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "reason"]
        closed = _move(client, demand, to="closed", reason="园区暂无空置厂房，企业另行选址。")
        assert closed["status"] == "closed"
        assert closed["close_reason"] == "园区暂无空置厂房，企业另行选址。"
        assert closed["closed_on"] == business_today().isoformat()

    def test_finished_demand_cannot_move_and_409_lists_allowed(self, client: TestClient) -> None:
        demand = create_demand(client, create_enterprise(client)["id"])
        working = _move(client, demand, to="in_progress")
        back = client.post(f"{URL}/{demand['id']}/transitions", json={"to": "open"})
        assert back.status_code == 409
        assert back.json()["allowed"] == ["closed", "resolved"]
        _move(client, working, to="closed", reason="企业已迁出")
        again = client.post(f"{URL}/{demand['id']}/transitions", json={"to": "in_progress"})
        assert again.status_code == 409
        assert again.json()["allowed"] == []

    def test_stale_if_match_is_412(self, client: TestClient) -> None:
        demand = create_demand(client, create_enterprise(client)["id"])
        _move(client, demand, to="in_progress")
        stale = client.post(f"{URL}/{demand['id']}/transitions", json={"to": "closed", "reason": "x"},
                            headers=if_match(demand))
        assert stale.status_code == 412

    def test_patch_changes_details_but_not_status(self, client: TestClient) -> None:
        demand = create_demand(client, create_enterprise(client)["id"])
        url = f"{URL}/{demand['id']}"
        assert client.patch(url, json={"status": "resolved"}, headers=if_match(demand)).status_code == 422
        ok = client.patch(url, json={"category": "talent", "due_on": days_ago(-7)}, headers=if_match(demand))
        assert ok.status_code == 200, ok.text
        assert ok.json()["category"] == "talent"
        assert ok.json()["status"] == "open"


class TestOverdueDemands:
    def test_overdue_means_past_due_and_still_pending(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client)
        late = create_demand(client, firm["id"], raised_on=days_ago(20), due_on=days_ago(1))
        late_working = create_demand(client, firm["id"], raised_on=days_ago(20), due_on=days_ago(5))
        _move(client, late_working, to="in_progress")
        due_today = create_demand(client, firm["id"], raised_on=days_ago(20), due_on=days_ago(0))
        late_but_resolved = create_demand(client, firm["id"], raised_on=days_ago(20), due_on=days_ago(3))
        _move(client, late_but_resolved, to="resolved", resolution="已办结")
        undated = create_demand(client, firm["id"], raised_on=days_ago(20))
        overdue = client.get(URL, params={"overdue": True, "sort": "id"}).json()
        assert [d["id"] for d in overdue["items"]] == [late["id"], late_working["id"]]
        assert all(d["overdue"] for d in overdue["items"])
        others = client.get(URL, params={"overdue": False, "sort": "id"}).json()
        assert [d["id"] for d in others["items"]] == [due_today["id"], late_but_resolved["id"], undated["id"]]
        query_ids = set(session.scalars(overdue_demands_query(business_today()).with_only_columns(Demand.id)))
        assert query_ids == {late["id"], late_working["id"]}

    def test_archived_demands_are_not_overdue(self, client: TestClient) -> None:
        late = create_demand(client, create_enterprise(client)["id"], raised_on=days_ago(9), due_on=days_ago(2))
        assert client.delete(f"{URL}/{late['id']}", headers=if_match(late)).status_code == 204
        assert client.get(URL, params={"overdue": True}).json()["total"] == 0


class TestDemandFilters:
    def test_filters_narrow(self, client: TestClient, accounts: dict[Role, Account]) -> None:
        north = create_enterprise(client, district="芙蓉街道")
        south = create_enterprise(client, district="丹阳街道")
        staff_id = accounts[Role.staff].user_id
        a = create_demand(client, north["id"], category="talent", raised_on=days_ago(30))
        b = create_demand(client, north["id"], assignee_id=staff_id, raised_on=days_ago(3))
        c = create_demand(client, south["id"], category="talent", raised_on=days_ago(10))
        _move(client, c, to="in_progress")

        def ids(**params: object) -> list[int]:
            response = client.get(URL, params=params)
            assert response.status_code == 200, response.text
            return [d["id"] for d in response.json()["items"]]

        assert ids() == [b["id"], c["id"], a["id"]]
        assert ids(enterprise_id=north["id"]) == [b["id"], a["id"]]
        assert ids(category="talent", sort="raised_on") == [a["id"], c["id"]]
        assert ids(status="in_progress") == [c["id"]]
        assert ids(assignee_id=staff_id) == [b["id"]]
        assert ids(raised_from=days_ago(12), raised_to=days_ago(5)) == [c["id"]]
        assert ids(district="芙蓉街道", sort="-id") == [b["id"], a["id"]]


class TestTransitionAnswersLikeApplications:
    def test_201_with_location_and_etag(self, client: TestClient) -> None:
        demand = create_demand(client, create_enterprise(client)["id"])
        response = client.post(f"{URL}/{demand['id']}/transitions", json={"to": "in_progress"})
        assert response.status_code == 201
        assert response.headers["location"] == f"{URL}/{demand['id']}"
        assert response.headers["etag"] == '"2"'
