"""The annual-figures export, one operation per format, and exports written for people: names, local times."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from app.auth.roles import Role
from tests.conftest import Account
from tests.factories import create_enterprise
from tests.visits.factories import create_visit

FIGURES = {"employees": 80, "tech_staff": 20, "revenue": "12000000.00", "rd_expense": "900000.50"}


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _firm_with_figures(client: TestClient, years: dict[int, dict[str, Any]], **firm: Any) -> dict[str, Any]:
    created = create_enterprise(client, **firm)
    for year, figures in years.items():
        response = client.put(f"/api/v1/enterprises/{created['id']}/figures/{year}", json=figures)
        assert response.status_code == 201, response.text
    return created


class TestFiguresExport:
    def test_filters_by_year_district_and_scale(self, client: TestClient) -> None:
        big = _firm_with_figures(client, {2024: FIGURES, 2025: {**FIGURES, "employees": 95}},
                                 district="导出甲街道", above_scale=True)
        _firm_with_figures(client, {2025: FIGURES}, district="导出甲街道", above_scale=False)
        _firm_with_figures(client, {2025: FIGURES}, district="导出乙街道", above_scale=True)
        response = client.get("/api/v1/exports/figures.csv", params={
            "year": 2025, "district": "导出甲街道", "above_scale": "true", "lang": "en"})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = _rows(response.content)
        assert [(r["enterprise_id"], r["year"], r["employees"]) for r in rows] == [(str(big["id"]), "2025", "95")]
        assert rows[0]["rd_expense"] == "900000.50"
        assert rows[0]["credit_code"] == big["credit_code"]

    def test_every_year_of_chosen_firms_in_a_workbook(self, client: TestClient) -> None:
        firm = _firm_with_figures(client, {2023: FIGURES, 2024: FIGURES})
        response = client.get("/api/v1/exports/figures.xlsx", params={"enterprise_id": firm["id"]})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("企业编号", "统一社会信用代码", "企业名称")
        assert [row[5] for row in rows[1:]] == [2023, 2024]

    def test_a_bad_year_is_422_on_the_parameter(self, client: TestClient) -> None:
        response = client.get("/api/v1/exports/figures.csv", params={"year": "last"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "year", 0]


class TestOneOperationPerFormat:
    def test_each_format_is_its_own_operation_with_a_binary_media_type(self, client: TestClient) -> None:
        paths = client.get("/openapi.json").json()["paths"]
        csv_op = paths["/api/v1/exports/visits.csv"]["get"]
        xlsx_op = paths["/api/v1/exports/visits.xlsx"]["get"]
        assert csv_op["operationId"] == "export_visits_csv"
        assert csv_op["responses"]["200"]["content"] == {"text/csv": {"schema": {"type": "string",
                                                                                 "format": "binary"}}}
        assert list(xlsx_op["responses"]["200"]["content"]) == [
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
        assert not any("{fmt}" in path for path in paths)

    def test_the_old_path_with_the_format_as_a_parameter_still_answers(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德旧路径导出有限公司")
        response = client.get("/api/v1/exports/enterprises.{fmt}".replace("{fmt}", "xlsx"),
                              params={"id": firm["id"]})
        assert response.status_code == 200
        assert response.content[:2] == b"PK"
        assert client.get("/api/v1/exports/enterprises.pdf").status_code == 422


class TestExportsForPeople:
    def test_people_by_name_and_times_in_shanghai(self, client: TestClient, accounts: dict[Role, Account]) -> None:
        staff = accounts[Role.staff]
        firm = create_enterprise(client, name="常德人名导出有限公司", owner_id=staff.user_id)
        rows = _rows(client.get("/api/v1/exports/enterprises.csv", params={"id": firm["id"]}).content)
        assert rows[0]["包联干部"] == "测试staff"
        utc = dt.datetime.fromisoformat(firm["updated_at"].replace("Z", "+00:00"))
        local = utc.astimezone(dt.timezone(dt.timedelta(hours=8)))
        assert rows[0]["更新时间(北京时间)"] == local.strftime("%Y-%m-%d %H:%M:%S")

        en = _rows(client.get("/api/v1/exports/enterprises.csv", params={"id": firm["id"], "lang": "en"}).content)
        assert en[0]["owner_id"] == str(staff.user_id)
        assert en[0]["updated_at"] == utc.strftime("%Y-%m-%dT%H:%M:%SZ")

    def test_visit_staff_are_named(self, client: TestClient, accounts: dict[Role, Account]) -> None:
        firm = create_enterprise(client)
        create_visit(client, firm["id"], staff_ids=[accounts[Role.staff].user_id, accounts[Role.admin].user_id])
        rows = _rows(client.get("/api/v1/exports/visits.csv", params={"enterprise_id": firm["id"]}).content)
        assert sorted(rows[0]["走访人员"].split("、")) == ["测试admin", "测试staff"]
