"""Each summary figure from the records of contracts, platforms, cooperation, indicators, targets and
commissioners, pinned on the hand-made district of records_dataset; and the report's sentences of them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.stats.records_dataset import build


@pytest.fixture
def summary(client: TestClient) -> dict[str, Any]:
    build(client)
    response = client.get("/api/v1/stats/summary", params={"year": 2025})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _figure(value: str | None, previous: str | None, change: str | None, unit: str, target: str | None = None,
            completion: str | None = None) -> dict[str, Any]:
    return {"value": value, "previous": previous, "change_percent": change, "unit": unit, "target": target,
            "completion_percent": completion}


class TestContracts:
    def test_count_amount_and_turnover_with_growth_and_target(self, summary: dict[str, Any]) -> None:
        assert summary["technology_contracts"] == _figure("2", "1", "100.00", "items")
        # (1,470,000.50 − 500,000) ÷ 500,000 = 194.0001 %; target 1,000,000 → 147.00005 %.
        assert summary["technology_contract_amount"] == _figure("1470000.50", "500000.00", "194.00", "yuan",
                                                                "1000000.00", "147.00")
        assert summary["technology_contract_turnover"] == _figure("1670000.50", "600000.00", "178.33", "yuan")


class TestPlatforms:
    def test_recognised_in_the_year_and_the_split_by_kind_and_level(self, summary: dict[str, Any]) -> None:
        assert summary["platforms_recognized"] == _figure("2", "1", "100.00", "firms")
        split = {(c["kind"], c["level"]): (c["recognised"], c["standing"], c["first_at_level"])
                 for c in summary["platforms"]}
        assert split == {("engineering_center", "provincial"): (0, 1, False),
                         ("key_laboratory", "provincial"): (1, 1, True),
                         ("star_maker", "provincial"): (0, 1, False),
                         ("star_maker", "municipal"): (1, 1, False)}


class TestCooperation:
    def test_no_agreement_last_year_is_no_data_not_zero(self, summary: dict[str, Any]) -> None:
        assert summary["cooperation_agreements"] == _figure("2", None, None, "items", "4.00", "50.00")
        assert summary["cooperation_amount"] == _figure("500000.00", None, None, "yuan")


class TestOfficialIndicators:
    def test_entered_values_with_growth_and_none_where_not_entered(self, summary: dict[str, Any]) -> None:
        # (147 − 130) ÷ 130 = 13.0769 %.
        assert summary["high_tech_value_added"] == _figure("14700000000.00", "13000000000.00", "13.08", "yuan")
        assert summary["rd_expense_official"] == _figure("320000000.00", None, None, "yuan")
        assert summary["rd_intensity"] == _figure(None, None, None, "percent")


class TestCommissioners:
    def test_serving_by_level_and_foreign_experts(self, summary: dict[str, Any]) -> None:
        assert summary["commissioners_provincial"] == _figure("1", "1", "0.00", "persons")
        assert summary["commissioners_municipal"] == _figure("1", "0", None, "persons")
        assert summary["commissioners_district"] == _figure("0", "1", "-100.00", "persons")
        assert summary["commissioners_national"] == _figure("0", "0", None, "persons")
        assert summary["foreign_experts_introduced"] == _figure("1", "0", None, "persons")

    def test_services(self, summary: dict[str, Any]) -> None:
        assert summary["commissioner_trainings"] == _figure("2", None, None, "times")
        assert summary["commissioner_trainees"] == _figure("100", None, None, "people")
        assert summary["techniques_promoted"] == _figure("3", None, None, "entries")
        assert summary["varieties_promoted"] == _figure("2", None, None, "entries")
        assert summary["demonstration_bases"] == _figure("2", None, None, "places")
        assert summary["demonstration_area_mu"] == _figure("230.00", None, None, "mu")


class TestTargetsOnExistingFigures:
    def test_a_target_on_a_count_figure(self, summary: dict[str, Any]) -> None:
        assert summary["tech_sme_registered"]["target"] == "300.00"
        assert summary["tech_sme_registered"]["completion_percent"] == "0.00"
        assert summary["visits"]["target"] is None


class TestYearInProgress:
    def test_counts_stop_at_as_of_and_compare_with_the_same_period(self, client: TestClient) -> None:
        build(client)
        body = client.get("/api/v1/stats/summary", params={"year": 2025, "as_of": "2025-06-30"}).json()
        assert body["in_progress"] is True
        assert body["technology_contracts"] == _figure("1", None, None, "items")  # A's 01-01; none by 2024-06-30
        assert body["commissioner_trainings"]["value"] == "1"
        assert body["cooperation_agreements"]["value"] == "1"


class TestReportSentences:
    def test_every_figure_in_the_bureaus_phrasing(self, client: TestClient) -> None:
        build(client)
        text = client.get("/api/v1/reports/annual", params={"year": 2025, "format": "markdown"}).text
        assert ("登记技术合同2件，企业技术合同交易额147.00万元，同比增长194.00%，"
                "完成年度目标（100.00万元）的147.00%") in text
        assert "（合同成交额167.00万元）" in text
        assert "共签订产学研合作协议2件，完成年度目标（4件）的50.00%，协议金额50.00万元" in text
        assert "全区高新技术产业增加值147.00亿元，同比增长13.08%" in text
        assert "规上企业研发投入3.20亿元" in text
        assert ("新认定各类创新平台2家，同比增长100.00%，其中省级重点实验室1家、市级星创天地1家，"
                "实现省级重点实验室零的突破") in text
        assert "引进外籍专家1个，在岗省级科技特派员1个、市级科技特派员1个" in text
        assert "开展技术培训2次、100人次，推广新技术3项、新品种2项，建立示范基地2个、230亩" in text
        assert "3项考核指标已完成1项，科技型中小企业入库、产学研合作协议未完成" in text
        assert "| 技术合同交易额 | 100.00万元 | 147.00万元 | 147.00% |" in text

    def test_a_year_without_records_is_refused(self, client: TestClient) -> None:
        build(client)
        response = client.get("/api/v1/reports/annual", params={"year": 2031})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "year"]
        assert client.get("/api/v1/stats/summary", params={"year": 2031}).status_code == 200
