"""A tech-SME application records the score Seedbed computed, on the figures of the year before it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.eligibility.builders import put_figures
from tests.factories import create_enterprise, if_match
from tests.pipeline.helpers import URL, create_application, move

YEAR = 2025


def _scored_firm(client: TestClient) -> dict[str, Any]:
    firm = create_enterprise(client, registered_on="2015-03-01", industry="C", industry_code="39")
    put_figures(client, firm["id"], YEAR - 1)
    put_figures(client, firm["id"], YEAR, tech_staff=0)
    return firm


class TestScoreRecordedOnCreate:
    def test_evaluation_of_the_year_before_with_rule_version(self, client: TestClient) -> None:
        firm = _scored_firm(client)
        application = create_application(client, "tech_sme", enterprise_id=firm["id"], year=YEAR,
                                          details={"self_score": 80})
        assert application["details"]["self_score"] == 80
        assert application["details"]["evaluation"] == {
            "rule_version": "tech_sme:2022.1", "year": YEAR - 1, "score": 100, "score_min": 100, "score_max": 100,
            "outcome": "pass", "points": {"tech_staff_share": 20, "rd_intensity": 50, "ip": 30}, "missing": [],
            "confirmed_by": [],
        }
        stored = client.get(f"{URL}/{application['id']}").json()
        assert stored["details"]["evaluation"]["year"] == YEAR - 1

    def test_missing_figures_are_named_not_guessed(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        evaluation = create_application(client, "tech_sme", enterprise_id=firm["id"], year=YEAR)["details"][
            "evaluation"]
        assert "score" not in evaluation
        assert evaluation["score_min"] == 0
        assert evaluation["score_max"] == 100
        assert f"{YEAR - 1} 研发费用" in evaluation["missing"]

    def test_other_programs_get_no_evaluation(self, client: TestClient) -> None:
        application = create_application(client, "high_tech", enterprise_id=_scored_firm(client)["id"], year=YEAR)
        assert "evaluation" not in application["details"]


class TestScoreCannotBeForged:
    def test_create_with_evaluation_is_422(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        forged = {"rule_version": "tech_sme:2022.1", "year": YEAR - 1, "score": 100, "score_min": 100,
                  "score_max": 100, "outcome": "pass", "points": {}, "missing": []}
        body = {"program": "tech_sme", "enterprise_id": firm["id"], "year": YEAR, "details": {"evaluation": forged}}
        response = client.post(URL, json=body)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"] == ["body", "details", "evaluation"]

    def test_patch_cannot_change_or_remove_it(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme", enterprise_id=_scored_firm(client)["id"], year=YEAR)
        url = f"{URL}/{application['id']}"
        for value in ({"score": 0}, None):
            response = client.patch(url, json={"details": {"evaluation": value}}, headers=if_match(application))
            assert response.status_code == 422, response.text
        kept = client.patch(url, json={"details": {"self_score": 70}}, headers=if_match(application))
        assert kept.status_code == 200, kept.text
        assert kept.json()["details"]["evaluation"] == application["details"]["evaluation"]

    def test_transition_cannot_set_it(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme", enterprise_id=_scored_firm(client)["id"], year=YEAR)
        response = move(client, application, "preparing", details={"evaluation": None})
        assert response.status_code == 422, response.text
        assert move(client, application, "preparing").status_code == 201
