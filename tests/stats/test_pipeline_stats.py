"""GET /stats/pipeline and /stats/funnel over the known district of tests/stats/dataset.py."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.stats.dataset import build


@pytest.fixture
def district(client: TestClient) -> dict[str, dict[str, Any]]:
    return build(client)


def _stages(group: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {stage["stage"]: stage for stage in group["stages"]}


@pytest.mark.usefixtures("district")
class TestPipelineCounts:
    def test_counts_per_stage_with_labels_and_amounts(self, viewer_client: TestClient) -> None:
        response = viewer_client.get("/api/v1/stats/pipeline", params={"program": "rd_subsidy", "year": 2025})
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["program"], body["program_label"], body["year"], body["group_by"]) == (
            "rd_subsidy", "研发财政奖补", 2025, None)
        [whole] = body["groups"]
        stages = _stages(whole)
        assert whole["total"] == 3
        assert stages["approved"] == {"stage": "approved", "label": "已批准", "count": 1,
                                      "amount_requested": "0.00", "amount_approved": "120000.50",
                                      "amount_disbursed": "0.00"}
        assert stages["disbursed"]["amount_disbursed"] == "250000.00"
        assert stages["rejected"]["count"] == 1
        assert stages["applied"]["count"] == 0

    def test_programs_without_amounts_give_null_sums(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/pipeline", params={"program": "tech_sme", "year": 2025}).json()
        registered = _stages(body["groups"][0])["registered"]
        # D's archived registration and E's (archived firm) are left out.
        assert (registered["count"], registered["amount_approved"]) == (2, None)

    def test_grouped_by_district(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/pipeline",
                          params={"program": "tech_sme", "year": 2025, "group_by": "district"}).json()
        totals = {group["key"]: (group["total"], _stages(group)["registered"]["count"]) for group in body["groups"]}
        assert totals == {"丹阳街道": (2, 2), "河洑镇": (1, 0)}

    def test_grouped_by_industry_has_chinese_labels(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/pipeline",
                          params={"program": "tech_sme", "year": 2025, "group_by": "industry"}).json()
        labels = {group["key"]: group["label"] for group in body["groups"]}
        assert labels == {"C": "制造业", "I": "信息传输、软件和信息技术服务业"}

    def test_without_a_year_all_years_count(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/pipeline", params={"program": "tech_loan"}).json()
        stages = _stages(body["groups"][0])
        assert stages["disbursed"]["count"] == 2  # A's first and B's; A's second is repaid, D's archived
        assert stages["disbursed"]["amount_disbursed"] == "3000000.00"
        assert stages["repaid"]["count"] == 1


class TestPipelineInput:
    def test_an_unknown_program_is_422_naming_the_known_ones(self, client: TestClient) -> None:
        response = client.get("/api/v1/stats/pipeline", params={"program": "nope"})
        assert response.status_code == 422
        assert "high_tech" in response.json()["errors"][0]["msg"]
        assert response.json()["errors"][0]["loc"] == ["query", "program"]

    def test_an_unknown_grouping_is_422(self, client: TestClient) -> None:
        response = client.get("/api/v1/stats/pipeline", params={"program": "high_tech", "group_by": "colour"})
        assert response.status_code == 422

    def test_grouped_over_no_records_gives_no_groups(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/pipeline", params={"program": "high_tech", "group_by": "owner"}).json()
        assert body["groups"] == []


@pytest.mark.usefixtures("district")
class TestFunnel:
    def test_steps_conversions_and_the_year_before(self, viewer_client: TestClient) -> None:
        response = viewer_client.get("/api/v1/stats/funnel", params={"year": 2025})
        assert response.status_code == 200, response.text
        steps = [(s["step"], s["firms"], s["previous"], s["conversion_percent"], s["previous_conversion_percent"])
                 for s in response.json()["steps"]]
        assert steps == [
            ("registry", 4, 3, None, None),
            ("tech_sme_registered", 2, 1, "50.00", "33.33"),
            ("high_tech_prospects", 2, 1, "100.00", "100.00"),
            ("high_tech_recommended", 2, 1, "100.00", "100.00"),
            ("high_tech_recognized", 1, 0, "50.00", "0.00"),
        ]
