"""The programme calendar (/calendar, seeded with the known years) and the alerts that read it: high-tech
expiry from 1 January of the expiry year naming the batch deadlines, the tech-SME countdown to the window's
end, and the 年度发展情况报表 due 31 May (two missing years put the certificate at risk)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.pipeline import queries
from app.pipeline.schemas import AlertKind, AlertRead
from tests.factories import if_match
from tests.pipeline.helpers import application_at, move

CALENDAR = "/api/v1/calendar"


def _alerts(session: Session, on: dt.date, kind: AlertKind) -> list[AlertRead]:
    return queries.alerts(session, today=on, within_days=90, stuck_days=60, kinds={kind})


def _recognized(client: TestClient, issued_on: dt.date, **overrides: Any) -> dict[str, Any]:
    start = (issued_on - dt.timedelta(days=60)).isoformat()
    application = application_at(client, "high_tech", "publicized", year=issued_on.year, on=start, **overrides)
    response = move(client, application, "recognized", on=issued_on.isoformat())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()["application"]
    return body


def _entry(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(CALENDAR, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


class TestCalendarApi:
    def test_known_years_are_seeded(self, client: TestClient) -> None:
        entries = client.get(CALENDAR, params={"year": 2025, "program": "tech_sme"}).json()
        assert [(e["kind"], e["falls_on"]) for e in entries] == [
            ("window_opens", "2025-06-30"), ("window_closes", "2025-09-30"), ("publicity_ends", "2025-10-31"),
            ("checks_end", "2025-12-15")]
        batches = client.get(CALENDAR, params={"year": 2019, "program": "high_tech"}).json()
        assert [e["falls_on"] for e in batches] == ["2019-05-16", "2019-07-16", "2019-09-16"]

    def test_staff_edit_viewers_read(self, staff_client: TestClient, viewer_client: TestClient) -> None:
        body = {"program": "high_tech", "year": 2031, "kind": "batch_deadline", "falls_on": "2031-05-16",
                "label": "第一批"}
        assert viewer_client.post(CALENDAR, json=body).status_code == 403
        response = staff_client.post(CALENDAR, json=body)
        assert response.status_code == 201, response.text
        entry = response.json()
        assert response.headers["location"].endswith(f"/calendar/{entry['id']}")
        assert staff_client.post(CALENDAR, json=body).status_code == 409
        url = f"{CALENDAR}/{entry['id']}"
        assert staff_client.patch(url, json={"falls_on": "2031-05-20"}).status_code == 428
        moved = staff_client.patch(url, json={"falls_on": "2031-05-20"}, headers=if_match(entry))
        assert moved.status_code == 200, moved.text
        assert viewer_client.get(url).json()["falls_on"] == "2031-05-20"
        assert staff_client.delete(url, headers=if_match(moved.json())).status_code == 204

    def test_unknown_program_is_422(self, client: TestClient) -> None:
        response = client.post(CALENDAR, json={"program": "nope", "year": 2030, "kind": "window_opens",
                                               "falls_on": "2030-06-01"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "program"]


class TestHighTechExpiry:
    def test_from_the_first_of_january_naming_the_batches(self, client: TestClient, session: Session) -> None:
        certificate = _recognized(client, dt.date(2023, 12, 8))
        assert certificate["valid_until"] == "2026-12-07"
        _entry(client, program="high_tech", year=2026, kind="batch_deadline", falls_on="2026-05-16", label="第一批")
        _entry(client, program="high_tech", year=2026, kind="batch_deadline", falls_on="2026-07-16", label="第二批")
        assert _alerts(session, dt.date(2025, 12, 31), AlertKind.certificate_expiring) == []
        [alert] = _alerts(session, dt.date(2026, 1, 1), AlertKind.certificate_expiring)
        assert alert.days == 340
        assert alert.deadlines == [dt.date(2026, 5, 16), dt.date(2026, 7, 16)]
        assert "第一批 2026-05-16" in alert.message
        [later] = _alerts(session, dt.date(2026, 6, 1), AlertKind.certificate_expiring)
        assert later.deadlines == [dt.date(2026, 7, 16)], "a passed batch is no longer named"

    def test_without_batches_the_alert_says_so(self, client: TestClient, session: Session) -> None:
        _recognized(client, dt.date(2029, 3, 1) - dt.timedelta(days=365 * 3 + 1))
        [alert] = _alerts(session, dt.date(2029, 1, 2), AlertKind.certificate_expiring)
        assert alert.deadlines == []
        assert "尚未录入培育日历" in alert.message


class TestTechSmeCountdown:
    def test_counts_down_to_the_window_end(self, client: TestClient, session: Session) -> None:
        application = application_at(client, "tech_sme", "submitted", year=2024, on="2024-07-01")
        assert move(client, application, "registered", on="2024-09-01").status_code == 201
        [alert] = _alerts(session, dt.date(2025, 7, 1), AlertKind.tech_sme_renewal_due)
        assert (alert.due_on, alert.days) == (dt.date(2025, 9, 30), 91)
        assert alert.deadlines == [dt.date(2025, 9, 30)]


class TestDevelopmentReports:
    def test_missing_report_and_two_missing_years(self, client: TestClient, session: Session) -> None:
        certificate = _recognized(client, dt.date(2022, 3, 1))  # valid through 2025-02-28
        firm = certificate["enterprise_id"]
        on = dt.date(2024, 6, 15)  # reports on 2022 (due 2023-05-31) and 2023 (due 2024-05-31) both late
        [missing] = _alerts(session, on, AlertKind.development_report_missing)
        assert (missing.enterprise_id, missing.due_on, missing.days) == (firm, dt.date(2024, 5, 31), -15)
        [risk] = _alerts(session, on, AlertKind.certificate_at_risk)
        assert "2022、2023" in risk.message
        url = f"/api/v1/enterprises/{firm}/development-reports/2022"
        response = client.put(url, json={"filed_on": "2023-05-20"})
        assert response.status_code == 201, response.text
        assert _alerts(session, on, AlertKind.certificate_at_risk) == []
        assert len(_alerts(session, on, AlertKind.development_report_missing)) == 1
        assert client.put(url.replace("2022", "2023"), json={"filed_on": "2024-05-30"}).status_code == 201
        assert _alerts(session, on, AlertKind.development_report_missing) == []
        listed = client.get(f"/api/v1/enterprises/{firm}/development-reports").json()
        assert [r["year"] for r in listed] == [2023, 2022]
