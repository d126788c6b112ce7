"""Derived state: a firm's status summary, alerts and timeline, all computed from applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.fields import business_today
from app.pipeline import queries
from app.pipeline.programs import add_years
from app.pipeline.schemas import AlertKind
from tests.factories import create_enterprise
from tests.pipeline.helpers import URL, application_at, create_application, move


def today() -> dt.date:
    """Read at each use: a run that crosses midnight in Shanghai must not compare against yesterday."""
    return business_today()


def recognized(client: TestClient, issued_on: dt.date, **overrides: Any) -> dict[str, Any]:
    start = (issued_on - dt.timedelta(days=60)).isoformat()
    application = application_at(client, "high_tech", "publicized", year=issued_on.year, on=start, **overrides)
    response = move(client, application, "recognized", on=issued_on.isoformat())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()["application"]
    return body


def alerts(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/alerts", params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


class TestStatusSummary:
    def test_firm_shows_certificate_registration_and_open_cases(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        certificate = recognized(client, today() - dt.timedelta(days=100), enterprise_id=firm["id"])
        sme = application_at(client, "tech_sme", "submitted", enterprise_id=firm["id"], year=today().year,
                             on=today().isoformat())
        move(client, sme, "registered", reference_no=f"{today().year}430702000001")
        create_application(client, "tech_loan", enterprise_id=firm["id"], year=today().year, on=today().isoformat())
        create_application(client, "tech_loan", enterprise_id=firm["id"], year=today().year, on=today().isoformat())
        summary = client.get(f"/api/v1/enterprises/{firm['id']}").json()["status_summary"]
        assert summary == {
            "high_tech_valid": True, "high_tech_certificate_no": certificate["reference_no"],
            "high_tech_valid_until": certificate["valid_until"], "tech_sme_registered_this_year": True,
            "open_applications": {"tech_loan": 2}, "platforms": [],
        }

    def test_expired_certificate_is_not_valid(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        recognized(client, add_years(today(), -3), enterprise_id=firm["id"])
        summary = client.get(f"/api/v1/enterprises/{firm['id']}").json()["status_summary"]
        assert summary["high_tech_valid"] is False
        assert summary["open_applications"] == {}


class TestAlerts:
    def test_certificate_expiring_within_the_window(self, client: TestClient, session: Session) -> None:
        # Issued 2023-11-10 → valid through 2026-11-09; issued 2024-01-20 → through 2027-01-19.
        recognized(client, dt.date(2023, 11, 10))
        next_year = recognized(client, dt.date(2024, 1, 20))
        on = dt.date(2026, 12, 1)  # the first has lapsed; the second expires next year, within 90 days
        found = queries.alerts(session, today=on, within_days=90, stuck_days=60,
                               kinds={AlertKind.certificate_expiring})
        assert [(a.application_id, a.days) for a in found] == [(next_year["id"], 49)]
        assert queries.alerts(session, today=on, within_days=20, stuck_days=60,
                              kinds={AlertKind.certificate_expiring}) == []

    def test_a_firm_already_renewing_is_not_reminded(self, client: TestClient) -> None:
        old = recognized(client, add_years(today(), -3) + dt.timedelta(days=30))
        create_application(client, "high_tech", enterprise_id=old["enterprise_id"], year=today().year,
                           previous_id=old["id"], on=today().isoformat())
        assert alerts(client, kind="certificate_expiring") == []

    def test_tech_sme_registered_last_year_not_this_year(self, client: TestClient) -> None:
        last_year = today().year - 1
        renewed, lapsed = (application_at(client, "tech_sme", "submitted", year=last_year,
                                          on=f"{last_year}-06-01") for _ in range(2))
        for application in (renewed, lapsed):
            move(client, application, "registered", on=f"{last_year}-09-01", reference_no=f"{last_year}4307")
        again = application_at(client, "tech_sme", "submitted", enterprise_id=renewed["enterprise_id"],
                               year=today().year, on=today().isoformat())
        move(client, again, "registered", reference_no=f"{today().year}4307")
        found = alerts(client, kind="tech_sme_renewal_due")
        assert [a["enterprise_id"] for a in found] == [lapsed["enterprise_id"]]

    def test_loan_past_maturity_not_repaid(self, client: TestClient) -> None:
        start = (today() - dt.timedelta(days=400)).isoformat()
        maturity = (today() - dt.timedelta(days=10)).isoformat()
        late, repaid = (application_at(client, "tech_loan", "approved", on=start) for _ in range(2))
        for loan in (late, repaid):
            assert move(client, loan, "disbursed", on=start, valid_until=maturity).status_code == 201
        move(client, repaid, "repaid")
        found = alerts(client, kind="loan_past_maturity")
        assert [(a["application_id"], a["days"]) for a in found] == [(late["id"], -10)]

    def test_stuck_in_one_stage(self, client: TestClient) -> None:
        stuck = create_application(client, "rd_subsidy", on=(today() - dt.timedelta(days=100)).isoformat())
        create_application(client, "rd_subsidy", on=today().isoformat())
        found = alerts(client, kind="stuck", stuck_days=60)
        assert [(a["application_id"], a["days"]) for a in found] == [(stuck["id"], 100)]
        assert alerts(client, kind="stuck", stuck_days=101) == []

    def test_unknown_kind_is_422(self, client: TestClient) -> None:
        assert client.get("/api/v1/alerts", params={"kind": "weather"}).status_code == 422


class TestTimeline:
    def test_stage_events_appear_newest_first(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        move(client, application, "preparing")
        timeline = client.get(f"/api/v1/enterprises/{application['enterprise_id']}/timeline").json()["items"]
        events = [e for e in timeline if e["kind"] == "stage_event"]
        assert [e["details"]["to_stage"] for e in events] == ["preparing", "prospect"]
        assert events[0]["title"] == "「科技型中小企业评价入库」培育 → 准备材料"
        assert any(e["kind"] == "audit" and e["entity_type"] == "application" for e in timeline)


class TestListUrl:
    def test_alerts_page(self, client: TestClient) -> None:
        for _ in range(3):
            create_application(client, "rd_subsidy", on=(today() - dt.timedelta(days=100)).isoformat())
        page = client.get("/api/v1/alerts", params={"kind": "stuck", "limit": 2, "offset": 1}).json()
        assert (page["total"], len(page["items"])) == (3, 2)
        assert client.get(URL, params={"limit": 1}).json()["total"] == 3
