"""A revocation's reason and the bar on applying again: tech-SME revoked → not again that year (2019 notice);
tech-SME fraud → three years (2025 MIIT notice); high-tech cancelled under 办法 第十九条 → five years."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from app.fields import business_today
from app.pipeline.programs import revocation_bar
from tests.eligibility.builders import put_figures
from tests.factories import create_enterprise
from tests.pipeline.helpers import URL, application_at, move

TODAY = business_today()


def _revoked(client: TestClient, program: str, reason: str, on: str, **overrides: Any) -> dict[str, Any]:
    held = "registered" if program == "tech_sme" else "recognized"
    application = application_at(client, program, held, **overrides)
    response = move(client, application, "revoked", on=on, details={"revocation_reason": reason})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()["application"]
    return body


def _apply(client: TestClient, firm_id: int, program: str, year: int, on: str) -> Any:
    return client.post(URL, json={"program": program, "enterprise_id": firm_id, "year": year, "on": on})


class TestBarDates:
    def test_the_official_periods(self) -> None:
        assert revocation_bar("tech_sme", "other", dt.date(2025, 7, 1))[0] == dt.date(2025, 12, 31)  # type: ignore[index]
        assert revocation_bar("tech_sme", "fraud", dt.date(2025, 7, 1))[0] == dt.date(2028, 6, 30)  # type: ignore[index]
        assert revocation_bar("high_tech", "missed_reports", dt.date(2024, 3, 1))[0] == dt.date(2029, 2, 28)  # type: ignore[index]
        assert revocation_bar("high_tech", "fraud", dt.date(2024, 2, 29))[0] == dt.date(2029, 2, 28)  # type: ignore[index]
        assert revocation_bar("high_tech", "other", dt.date(2024, 3, 1)) is None


class TestRevocationNeedsAReason:
    def test_revoking_without_a_reason_is_422(self, client: TestClient) -> None:
        application = application_at(client, "tech_sme", "registered")
        response = client.post(f"{URL}/{application['id']}/transitions", json={"to": "revoked", "on": "2024-06-01"})
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"] == ["body", "details", "revocation_reason"]

    def test_an_unknown_reason_is_422(self, client: TestClient) -> None:
        application = application_at(client, "high_tech", "recognized")
        response = move(client, application, "revoked", on="2024-06-01", details={"revocation_reason": "bad_luck"})
        assert response.status_code == 422


class TestNewApplication:
    def test_tech_sme_revoked_not_again_that_year(self, client: TestClient) -> None:
        revoked = _revoked(client, "tech_sme", "other", "2024-07-01")
        firm = revoked["enterprise_id"]
        response = _apply(client, firm, "tech_sme", 2024, "2024-08-01")
        assert response.status_code == 409, response.text
        problem = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        assert problem["barred_until"] == "2024-12-31"
        assert "2025-01-01" in problem["detail"]
        assert problem["errors"][0]["loc"] == ["body", "year"]
        # The next year's application, even made in December, is not held back.
        assert _apply(client, firm, "tech_sme", 2025, "2024-12-15").status_code == 201

    def test_tech_sme_fraud_three_years(self, client: TestClient) -> None:
        firm = _revoked(client, "tech_sme", "fraud", "2024-07-01")["enterprise_id"]
        refused = _apply(client, firm, "tech_sme", 2026, "2026-06-30")
        assert refused.status_code == 409
        assert refused.json()["barred_until"] == "2027-06-30"
        assert _apply(client, firm, "high_tech", 2026, "2026-06-30").status_code == 201, "the bar is per program"

    def test_high_tech_article_19_five_years_other_reasons_none(self, client: TestClient) -> None:
        firm = _revoked(client, "high_tech", "missed_reports", "2024-03-01")["enterprise_id"]
        refused = _apply(client, firm, "high_tech", 2026, "2026-03-01")
        assert refused.status_code == 409
        assert refused.json()["barred_until"] == "2029-02-28"
        other = _revoked(client, "high_tech", "other", "2024-03-01")["enterprise_id"]
        assert _apply(client, other, "high_tech", 2025, "2025-03-01").status_code == 201


class TestEligibilityAndPool:
    def test_a_barred_firm_fails_eligibility_and_leaves_the_pool(self, client: TestClient) -> None:
        firm = create_enterprise(client, registered_on="2015-03-01", industry="C", industry_code="39",
                                 tech_domain="electronic_information")
        clean = create_enterprise(client, registered_on="2015-03-01", industry="C", industry_code="39",
                                  tech_domain="electronic_information")
        for target in (firm, clean):
            for year in range(TODAY.year - 3, TODAY.year):
                put_figures(client, target["id"], year)
        revoked_on = (TODAY - dt.timedelta(days=30)).isoformat()
        _revoked(client, "tech_sme", "fraud", revoked_on, enterprise_id=firm["id"])
        body = client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["tech_sme"]
        assert body["outcome"] == "fail"
        assert "revocation_bar" in body["blocking"]
        bar = next(c for c in body["conditions"] if c["code"] == "revocation_bar")
        assert "三年内不得参与评价" in bar["note"]
        pool = client.get("/api/v1/cultivation/candidates", params={"program": "tech_sme"}).json()
        ids = [c["enterprise_id"] for c in pool["items"]]
        assert clean["id"] in ids
        assert firm["id"] not in ids
