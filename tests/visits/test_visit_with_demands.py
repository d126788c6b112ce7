"""A visit and the demands raised in it, logged in one request under one Idempotency-Key."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.roles import Role
from app.fields import business_today
from app.visits.models import Demand, Visit
from tests.conftest import Account
from tests.factories import create_enterprise
from tests.visits.factories import days_ago, visit_payload

URL = "/api/v1/visits"


def _count(session: Session, model: type[Visit] | type[Demand]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


class TestVisitWithDemands:
    def test_demands_take_the_visits_firm_and_date(
        self, staff_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        firm = create_enterprise(staff_client)
        due = (business_today() + dt.timedelta(days=30)).isoformat()
        body = visit_payload(firm["id"], visited_on=days_ago(2), demands=[
            {"category": "financing", "description": "希望对接科技贷款。", "due_on": due,
             "assignee_id": accounts[Role.staff].user_id},
            {"category": "talent", "description": "需要招聘软件工程师。"},
        ])
        response = staff_client.post(URL, json=body)
        assert response.status_code == 201, response.text
        visit = response.json()
        assert [d["category"] for d in visit["demands"]] == ["financing", "talent"]
        for demand in visit["demands"]:
            assert demand["visit_id"] == visit["id"]
            assert demand["enterprise_id"] == firm["id"]
            assert demand["raised_on"] == days_ago(2)
            assert demand["status"] == "open"
        assert visit["demands"][0]["due_on"] == due
        listed = staff_client.get("/api/v1/demands", params={"visit_id": visit["id"]}).json()
        assert listed["total"] == 2

    def test_a_bad_demand_stores_nothing_and_is_named_by_its_place(
        self, staff_client: TestClient, session: Session
    ) -> None:
        firm = create_enterprise(staff_client)
        body = visit_payload(firm["id"], visited_on=days_ago(2), demands=[
            {"category": "talent", "description": "需要招聘软件工程师。"},
            {"category": "funding", "description": "申请补助。", "due_on": days_ago(5)},
        ])
        response = staff_client.post(URL, json=body)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"] == ["body", "demands", 1, "due_on"]
        assert _count(session, Visit) == 0
        assert _count(session, Demand) == 0

    def test_an_unknown_assignee_is_named_by_its_place(self, staff_client: TestClient) -> None:
        firm = create_enterprise(staff_client)
        body = visit_payload(firm["id"], demands=[{"category": "talent", "description": "x", "assignee_id": 999999}])
        response = staff_client.post(URL, json=body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "demands", 0, "assignee_id"]

    def test_a_retry_with_the_same_key_stores_the_visit_and_its_demands_once(
        self, staff_client: TestClient, session: Session
    ) -> None:
        firm = create_enterprise(staff_client)
        body = visit_payload(firm["id"], demands=[{"category": "policy", "description": "想了解研发奖补。"}])
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        first = staff_client.post(URL, json=body, headers=headers)
        again = staff_client.post(URL, json=body, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
        assert _count(session, Visit) == 1
        assert _count(session, Demand) == 1
