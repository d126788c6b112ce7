"""GET /api/v1/enterprises/{id}/eligibility and the service functions other domains call."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.eligibility import service
from app.enterprises.models import Enterprise
from app.fields import business_today
from tests.eligibility.builders import put_figures
from tests.factories import create_enterprise

LAST_YEAR = business_today().year - 1


def url(enterprise_id: int) -> str:
    return f"/api/v1/enterprises/{enterprise_id}/eligibility"


def innovative_firm(client: TestClient, **overrides: Any) -> dict[str, Any]:
    firm = create_enterprise(client, registered_on="2015-03-01", industry="C", industry_code="39",
                             tech_domain="electronic_information", **overrides)
    for year in range(LAST_YEAR - 2, LAST_YEAR + 1):
        put_figures(client, firm["id"], year)
    return firm


def by_code(items: list[dict[str, Any]], code: str) -> dict[str, Any]:
    return next(item for item in items if item["code"] == code)


class TestEvaluateFirm:
    def test_both_evaluations_with_versions_on_the_last_complete_year(self, client: TestClient) -> None:
        firm = innovative_firm(client)
        response = client.get(url(firm["id"]))
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["enterprise_id"], body["year"]) == (firm["id"], LAST_YEAR)
        assert body["tech_sme"]["rule_version"] == "tech_sme:2022.1"
        assert (body["tech_sme"]["outcome"], body["tech_sme"]["score"]) == ("pass", 100)
        assert body["high_tech"]["rule_version"] == "high_tech:2016.1"
        assert body["high_tech"]["window"] == [LAST_YEAR - 2, LAST_YEAR - 1, LAST_YEAR]
        # Innovation capability is judged by experts: unknown unless the caller states a self-assessment.
        assert (body["high_tech"]["outcome"], body["high_tech"]["undetermined"]) == ("unknown", ["innovation_score"])
        staff = by_code(body["tech_sme"]["indicators"], "tech_staff_share")
        assert (staff["points"], staff["value"], staff["unit"]) == (20, "30.00", "percent")
        assert {i["name"]: i["value"] for i in staff["inputs"]} == {"employees": 100, "tech_staff": 30}

    def test_stated_claims_decide_what_the_registry_cannot(self, client: TestClient) -> None:
        firm = innovative_firm(client)
        body = client.get(url(firm["id"]), params={"innovation_score": "75.5", "national_award": "true"}).json()
        assert body["high_tech"]["outcome"] == "pass"
        assert by_code(body["tech_sme"]["direct_confirmation"], "national_award")["status"] == "pass"

    def test_gaps_in_plain_numbers(self, client: TestClient) -> None:
        firm = innovative_firm(client)
        put_figures(client, firm["id"], LAST_YEAR, rd_expense="800000.00", rd_expense_domestic="800000.00")
        body = client.get(url(firm["id"])).json()
        rd = by_code(body["high_tech"]["conditions"], "rd_intensity")
        assert rd["status"] == "fail"
        assert (rd["gap"], rd["gap_unit"]) == ("400000.00", "yuan")  # 5% of 120M = 6M; 2.4M + 2.4M + 0.8M spent
        assert "按现有收入还需增加研发投入 ¥400,000.00" in rd["note"]
        assert body["high_tech"]["blocking"] == ["rd_intensity"]

    def test_an_earlier_year(self, client: TestClient) -> None:
        firm = innovative_firm(client)
        body = client.get(url(firm["id"]), params={"year": LAST_YEAR - 1}).json()
        assert body["year"] == LAST_YEAR - 1
        assert body["tech_sme"]["outcome"] == "pass"
        assert "rd_intensity" in body["high_tech"]["undetermined"]  # the year before the window has no figures

    def test_viewers_may_read(self, client: TestClient, viewer_client: TestClient) -> None:
        firm = innovative_firm(client)
        assert viewer_client.get(url(firm["id"])).status_code == 200


class TestMissingFigures:
    def test_no_figures_at_all_names_every_missing_input(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        body = client.get(url(firm["id"])).json()
        assert body["tech_sme"]["outcome"] == "unknown"
        assert body["tech_sme"]["score"] is None
        assert (body["tech_sme"]["score_min"], body["tech_sme"]["score_max"]) == (0, 100)
        assert f"{LAST_YEAR} 研发费用" in body["tech_sme"]["missing"]
        assert f"{LAST_YEAR - 2} 销售收入" in body["high_tech"]["missing"]
        assert "成立日期" in body["high_tech"]["missing"]

    def test_one_missing_figure(self, client: TestClient) -> None:
        firm = innovative_firm(client)
        put_figures(client, firm["id"], LAST_YEAR, total_assets=None)
        body = client.get(url(firm["id"])).json()
        assert body["tech_sme"]["outcome"] == "unknown"
        assert body["tech_sme"]["undetermined"] == ["total_assets_cap"]
        assert body["tech_sme"]["missing"] == [f"{LAST_YEAR} 资产总额"]


class TestRefusals:
    def test_unknown_firm_is_404(self, client: TestClient) -> None:
        response = client.get(url(999_999))
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")

    @pytest.mark.parametrize(("params", "loc"), [
        pytest.param({"year": 1800}, ["query", "year"], id="year before 1900"),
        pytest.param({"year": business_today().year + 1}, ["query", "year"], id="a year not yet begun"),
        pytest.param({"year": "last"}, ["query", "year"], id="year not a number"),
        pytest.param({"innovation_score": "100.5"}, ["query", "innovation_score"], id="score over 100"),
        pytest.param({"led_standard": "perhaps"}, ["query", "led_standard"], id="flag not a boolean"),
    ])
    def test_bad_query_is_422(self, client: TestClient, params: dict[str, Any], loc: list[str]) -> None:
        firm = create_enterprise(client)
        response = client.get(url(firm["id"]), params=params)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"] == loc

    def test_anonymous_is_401(self, anonymous_client: TestClient, client: TestClient) -> None:
        firm = create_enterprise(client)
        assert anonymous_client.get(url(firm["id"])).status_code == 401


class TestServiceForOtherDomains:
    def test_tech_sme_score_details(self, client: TestClient, session: Session) -> None:
        firm = innovative_firm(client)
        details = service.tech_sme_score_details(session, firm["id"], LAST_YEAR)
        assert details == {
            "rule_version": "tech_sme:2022.1", "year": LAST_YEAR, "score": 100, "score_min": 100, "score_max": 100,
            "outcome": "pass", "points": {"tech_staff_share": 20, "rd_intensity": 50, "ip": 30}, "missing": [],
            "confirmed_by": [],
        }

    def test_rank_pool_reads_figures_in_batches(self, client: TestClient, session: Session) -> None:
        ready = innovative_firm(client)
        short = innovative_firm(client)
        put_figures(client, short["id"], LAST_YEAR, tech_staff=9)
        empty = create_enterprise(client)
        firms = list(session.scalars(select(Enterprise).where(Enterprise.id.in_([ready["id"], short["id"],
                                                                                 empty["id"]]))))
        ranked = service.rank_pool(session, firms, program="high_tech", year=LAST_YEAR)
        assert [c.enterprise_id for c in ranked] == [ready["id"], short["id"], empty["id"]]
        assert [b.code for b in ranked[1].blocking] == ["tech_staff_share"]
        single = service.evaluate_enterprise(session, short["id"], LAST_YEAR)
        assert service.evaluate_enterprises(session, firms, LAST_YEAR)[short["id"]] == single
