"""POST /imports/figures: annual figures by credit code and year."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.enterprises.models import AnnualFigures
from tests.factories import create_enterprise, credit_code
from tests.imports.files import csv_bytes, upload, xlsx

HEADERS = ["统一社会信用代码", "企业名称", "年度", "从业人员", "科技人员", "营业收入", "研发费用", "Ⅰ类知识产权"]


def _figures(session: Session, enterprise_id: int, year: int) -> AnnualFigures:
    row = session.scalars(select(AnnualFigures).where(AnnualFigures.enterprise_id == enterprise_id,
                                                      AnnualFigures.year == year)).one()
    session.refresh(row)
    return row


class TestImportFigures:
    def test_rows_become_figures_with_money_and_counts_parsed(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client)
        rows = [HEADERS, [firm["credit_code"], firm["name"], "2024年", "1,200", 300, "25,000,000.50", "150万元", 3]]
        response = upload(client, "figures", xlsx(rows))
        assert response.status_code == 200, response.text
        figures = _figures(session, firm["id"], 2024)
        assert (figures.employees, figures.tech_staff, figures.ip_class1) == (1200, 300, 3)
        assert (figures.revenue, figures.rd_expense) == (Decimal("25000000.50"), Decimal("1500000.00"))

    def test_a_unit_in_the_header_scales_every_amount(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client)
        rows = [["信用代码", "年份", "营业收入（万元）", "资产总额(千元)"],
                [firm["credit_code"], 2023, 2500.5, "40,000"]]
        response = upload(client, "figures", csv_bytes(rows, "gbk"), "figures.csv")
        assert response.status_code == 200, response.text
        assert response.json()["columns"][2]["unit"] == "万元"
        figures = _figures(session, firm["id"], 2023)
        assert (figures.revenue, figures.total_assets) == (Decimal("25005000.00"), Decimal("40000000.00"))

    def test_total_income_column_and_its_alias(self, client: TestClient, session: Session) -> None:
        first, second = create_enterprise(client), create_enterprise(client)
        rows = [["信用代码", "年份", "营业收入（万元）", "高新技术产品收入（万元）", "总收入（万元）"],
                [first["credit_code"], 2024, 4500, 3000, 5100]]
        assert upload(client, "figures", xlsx(rows)).status_code == 200
        assert _figures(session, first["id"], 2024).total_income == Decimal("51000000.00")
        rows = [["信用代码", "年份", "收入总额减不征税收入"], [second["credit_code"], 2024, "6,000,000.00"]]
        assert upload(client, "figures", xlsx(rows)).status_code == 200
        assert _figures(session, second["id"], 2024).total_income == Decimal("6000000.00")

    def test_high_tech_income_above_total_income_is_rejected(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        rows = [["信用代码", "年份", "高新技术产品收入", "总收入"], [firm["credit_code"], 2024, 200, 100]]
        response = upload(client, "figures", xlsx(rows))
        assert response.status_code == 422
        problems = response.json()["report"]["problems"]
        assert [(p["row"], p["field"]) for p in problems] == [(2, "high_tech_income")]

    def test_an_unknown_money_unit_is_refused(self, client: TestClient) -> None:
        rows = [["信用代码", "年份", "营业收入（美元）"], [credit_code(), 2023, 1]]
        response = upload(client, "figures", xlsx(rows))
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "unknown_unit"

    def test_blank_cells_keep_stored_figures_and_reimport_is_unchanged(self, client: TestClient,
                                                                       session: Session) -> None:
        firm = create_enterprise(client)
        client.put(f"/api/v1/enterprises/{firm['id']}/figures/2023", json={"employees": 50, "revenue": "100.00"})
        rows = [["统一社会信用代码", "年度", "从业人员", "营业收入"], [firm["credit_code"], 2023, 60, None]]
        assert upload(client, "figures", xlsx(rows)).json()["updated"] == 1
        figures = _figures(session, firm["id"], 2023)
        assert (figures.employees, figures.revenue) == (60, Decimal("100.00"))
        again = upload(client, "figures", xlsx(rows)).json()
        assert (again["updated"], again["unchanged"]) == (0, 1)

    def test_the_same_firm_and_year_twice_is_a_duplicate_other_years_are_not(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        code = firm["credit_code"]
        rows = [["统一社会信用代码", "年度", "从业人员"], [code, 2022, 10], [code, 2023, 11], [code, 2023, 12]]
        report = upload(client, "figures", xlsx(rows), on_error="skip").json()
        assert (report["created"], report["rejected"]) == (2, 1)
        assert report["problems"][0]["row"] == 4


class TestRejectedFigures:
    def test_the_api_rules_apply(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client)
        rows = [HEADERS, [firm["credit_code"], "", 2024, 10, 20, 100, None, -1],
                [credit_code(), "", 2024, 1, None, None, None, None],
                [firm["credit_code"], "", 1980, 1, None, None, None, None]]
        response = upload(client, "figures", xlsx(rows))
        assert response.status_code == 422
        reasons = {(p["row"], p["field"]): p["reason"] for p in response.json()["report"]["problems"]}
        assert "greater than or equal to 0" in reasons[(2, "ip_class1")]
        assert "no firm has this credit code" in reasons[(3, "credit_code")]
        assert "between 1990" in reasons[(4, "year")]

    def test_inconsistent_figures_name_the_field(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        rows = [HEADERS, [firm["credit_code"], "", 2024, 10, 20, None, None, None]]
        problems = upload(client, "figures", xlsx(rows)).json()["report"]["problems"]
        assert problems[0]["field"] == "tech_staff"
        assert problems[0]["column"] == "科技人员"
        assert "cannot exceed employees" in problems[0]["reason"]

    def test_more_than_two_decimals_of_yuan_is_refused_not_rounded(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        rows = [["统一社会信用代码", "年度", "营业收入"], [firm["credit_code"], 2024, "100.005"]]
        problems = upload(client, "figures", xlsx(rows)).json()["report"]["problems"]
        assert problems[0]["field"] == "revenue"
        assert "decimal" in problems[0]["reason"]

    def test_an_archived_firm_or_an_absurd_year_rejects_only_its_row(self, client: TestClient) -> None:
        archived = create_enterprise(client)
        client.delete(f"/api/v1/enterprises/{archived['id']}", headers={"If-Match": '"1"'})
        active = create_enterprise(client)
        rows = [["统一社会信用代码", "年度", "从业人员"], [archived["credit_code"], 2024, 5],
                [active["credit_code"], 10**15, 5], [active["credit_code"], 2024, 5]]
        report = upload(client, "figures", xlsx(rows), on_error="skip").json()
        assert (report["created"], report["rejected"]) == (1, 2)
        reasons = {p["row"]: p["reason"] for p in report["problems"]}
        assert "archived" in reasons[2]
        assert "between 1990" in reasons[3]
