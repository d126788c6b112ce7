"""Applications, visits and demands exported with their list filters, read back with csv and openpyxl."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.factories import create_enterprise
from tests.stats.dataset import build


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_rows(body: bytes) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    assert sheet is not None
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


def _listed(client: TestClient, url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    body = client.get(url, params={**params, "limit": 200}).json()
    items: list[dict[str, Any]] = body["items"]
    return items


@pytest.fixture
def district(client: TestClient) -> dict[str, dict[str, Any]]:
    return build(client)


class TestApplicationExport:
    def test_csv_holds_what_the_list_holds(self, client: TestClient, district: dict[str, Any]) -> None:
        params = {"program": "rd_subsidy", "year": 2025, "sort": "-id"}
        response = client.get("/api/v1/exports/applications.csv", params={**params, "headers": "en"})
        assert response.status_code == 200, response.text
        rows = _csv_rows(response.content)
        listed = _listed(client, "/api/v1/applications", params)
        assert [int(r["id"]) for r in rows] == [a["id"] for a in listed]
        assert {(r["stage"], r["amount_approved"], r["amount_disbursed"]) for r in rows} == {
            ("disbursed", "300000.00", "250000.00"), ("approved", "120000.50", ""), ("rejected", "", "")}
        by_firm = {r["enterprise_name"]: r for r in rows}
        assert by_firm["甲科技有限公司"]["credit_code"] == district["a"]["credit_code"]

    def test_xlsx_has_chinese_headers_and_labels(self, client: TestClient, district: dict[str, Any]) -> None:
        response = client.get("/api/v1/exports/applications.xlsx",
                              params={"program": "high_tech", "enterprise_id": district["a"]["id"]})
        assert response.status_code == 200, response.text
        [row] = _xlsx_rows(response.content)
        assert (row["培育项目"], row["阶段"], row["阶段名称"], row["编号/证书号"]) == (
            "高新技术企业认定", "recognized", "已认定", "GR202443000240")
        assert row["有效期至/到期日"].date().isoformat() == "2028-05-31"

    def test_archived_applications_only_when_asked(self, client: TestClient, district: dict[str, Any]) -> None:
        params = {"program": "tech_loan", "enterprise_id": district["d"]["id"], "headers": "en"}
        assert _csv_rows(client.get("/api/v1/exports/applications.csv", params=params).content) == []
        archived = _csv_rows(client.get("/api/v1/exports/applications.csv",
                                        params={**params, "include_archived": "true"}).content)
        assert [r["archived_at"] != "" for r in archived] == [True]


class TestVisitExport:
    def test_filtered_by_dates_in_the_list_order(self, client: TestClient, district: dict[str, Any]) -> None:
        params = {"visited_from": "2025-01-01", "visited_to": "2025-12-31"}
        rows = _csv_rows(client.get("/api/v1/exports/visits.csv", params={**params, "headers": "en"}).content)
        listed = _listed(client, "/api/v1/visits", params)
        assert [int(r["id"]) for r in rows] == [v["id"] for v in listed]
        assert [r["visited_on"] for r in rows] == ["2025-12-31", "2025-06-01", "2025-04-04", "2025-01-01"]

    def test_xlsx_labels_the_kind(self, client: TestClient, district: dict[str, Any]) -> None:
        rows = _xlsx_rows(client.get("/api/v1/exports/visits.xlsx",
                                     params={"enterprise_id": district["b"]["id"]}).content)
        assert [(r["企业名称"], r["走访方式"]) for r in rows] == [("乙科技有限公司", "上门")]


class TestDemandExport:
    def test_status_filter_and_labels(self, client: TestClient, district: dict[str, Any]) -> None:
        rows = _csv_rows(client.get("/api/v1/exports/demands.csv", params={"status": "resolved"}).content)
        # Lists keep the records of archived firms (E's, resolved 2025-04-10); only the statistics leave them out.
        assert sorted(r["解决日期"] for r in rows) == ["2025-01-05", "2025-02-20", "2025-03-02", "2025-04-10"]
        assert {r["办理状态"] for r in rows} == {"已解决"}
        listed = _listed(client, "/api/v1/demands", {"status": "resolved"})
        assert [int(r["编号"]) for r in rows] == [d["id"] for d in listed]

    def test_xlsx_round_trip_of_english_columns(self, client: TestClient, district: dict[str, Any]) -> None:
        rows = _xlsx_rows(client.get("/api/v1/exports/demands.xlsx",
                                     params={"enterprise_id": district["d"]["id"], "headers": "en"}).content)
        assert [(r["status"], r["category"], r["raised_on"].date().isoformat()) for r in rows] == [
            ("open", "financing", "2025-05-01")]

    def test_a_bad_filter_is_422(self, client: TestClient) -> None:
        assert client.get("/api/v1/exports/demands.csv", params={"status": "lost"}).status_code == 422


class TestFiguresTotalIncome:
    def test_total_income_is_exported(self, client: TestClient) -> None:
        firm = create_enterprise(client, district="德山街道")
        response = client.put(f"/api/v1/enterprises/{firm['id']}/figures/2024",
                              json={"revenue": "45000000.00", "total_income": "51000000.00",
                                    "high_tech_income": "30000000.00"})
        assert response.status_code == 201, response.text
        response = client.get("/api/v1/exports/figures.csv", params={"district": "德山街道", "year": 2024})
        assert response.status_code == 200, response.text
        [row] = [r for r in _csv_rows(response.content) if r["统一社会信用代码"] == firm["credit_code"]]
        assert (row["总收入(元)"], row["高新技术产品收入(元)"]) == ("51000000.00", "30000000.00")
