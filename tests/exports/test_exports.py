"""Exports stream the filtered list as CSV (UTF-8 with BOM) or XLSX, and read back to the same records."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from app.exports import kinds as export_kinds
from tests.factories import create_enterprise


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read Chinese as UTF-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


class TestEnterpriseCsv:
    def test_chinese_headers_and_labels_by_default(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德导出测试科技有限公司", industry="C", tags=["高企培育", "专精特新"],
                                 above_scale=True)
        response = client.get("/api/v1/exports/enterprises.csv", params={"q": "导出测试"})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        rows = _csv_rows(response.content)
        assert len(rows) == 1
        assert rows[0]["统一社会信用代码"] == firm["credit_code"]
        assert rows[0]["企业名称"] == "常德导出测试科技有限公司"
        assert rows[0]["行业门类"] == "制造业"
        assert rows[0]["规上企业"] == "是"
        assert rows[0]["标签"] == "专精特新、高企培育"

    def test_english_headers_and_codes_for_scripts(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德脚本导出有限公司", industry="I")
        rows = _csv_rows(client.get("/api/v1/exports/enterprises.csv",
                                    params={"q": "脚本导出", "headers": "en"}).content)
        assert rows == [rows[0]]
        assert rows[0]["id"] == str(firm["id"])
        assert rows[0]["industry"] == "I"
        assert rows[0]["above_scale"] == "false"
        assert rows[0]["updated_at"].endswith("Z")

    def test_takes_the_list_filters_and_sort(self, client: TestClient) -> None:
        for n in range(3):
            create_enterprise(client, name=f"常德筛选导出{n}有限公司", district="白马湖街道" if n else "穿紫河街道")
        rows = _csv_rows(client.get("/api/v1/exports/enterprises.csv",
                                    params={"q": "筛选导出", "district": "白马湖街道", "sort": "-name",
                                            "headers": "en"}).content)
        assert [r["name"] for r in rows] == ["常德筛选导出2有限公司", "常德筛选导出1有限公司"]

    def test_each_firm_keeps_its_own_tags_across_batches(self, client: TestClient,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
        # Firms are read a batch at a time with their tags fetched per batch: batches of 2 over 5 firms.
        monkeypatch.setattr(export_kinds, "YIELD_PER", 2)
        for n in range(5):
            create_enterprise(client, name=f"常德分批导出{n}有限公司", tags=[f"标签{n}", "共同"] if n % 2 else [])
        rows = _csv_rows(client.get("/api/v1/exports/enterprises.csv",
                                    params={"q": "分批导出", "sort": "name", "headers": "en"}).content)
        assert [(r["name"], r["tags"]) for r in rows] == [
            (f"常德分批导出{n}有限公司", f"共同、标签{n}" if n % 2 else "") for n in range(5)]

    def test_archived_firms_only_when_asked(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德归档导出有限公司")
        client.delete(f"/api/v1/enterprises/{firm['id']}", headers={"If-Match": '"1"'})
        assert _csv_rows(client.get("/api/v1/exports/enterprises.csv", params={"q": "归档导出"}).content) == []
        archived = _csv_rows(client.get("/api/v1/exports/enterprises.csv",
                                        params={"q": "归档导出", "include_archived": "true"}).content)
        assert len(archived) == 1

    def test_a_formula_in_a_cell_is_neutralised(self, client: TestClient) -> None:
        create_enterprise(client, name="常德公式导出有限公司", address="=HYPERLINK(\"http://x\")")
        rows = _csv_rows(client.get("/api/v1/exports/enterprises.csv", params={"q": "公式导出"}).content)
        assert rows[0]["地址"].startswith("'=")

    def test_viewers_may_export(self, client: TestClient, viewer_client: TestClient) -> None:
        create_enterprise(client, name="常德只读导出有限公司")
        assert len(_csv_rows(viewer_client.get("/api/v1/exports/enterprises.csv",
                                               params={"q": "只读导出"}).content)) == 1

    def test_bad_filters_are_422(self, client: TestClient) -> None:
        response = client.get("/api/v1/exports/enterprises.csv", params={"industry": "Z"})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert client.get("/api/v1/exports/enterprises.pdf").status_code == 422


class TestEnterpriseXlsx:
    def test_reads_back_with_openpyxl(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德表格导出有限公司", registered_on="2015-03-08")
        response = client.get("/api/v1/exports/enterprises.xlsx", params={"q": "表格导出"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        assert sheet is not None
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert header[:3] == ["编号", "统一社会信用代码", "企业名称"]
        assert len(rows) == 1
        record = dict(zip(header, rows[0], strict=True))
        assert record["统一社会信用代码"] == firm["credit_code"]
        assert str(record["成立日期"])[:10] == "2015-03-08"

    @pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example/","点此")', "=cmd|' /C calc'!A0"])
    def test_text_that_looks_like_a_formula_is_written_as_text(self, client: TestClient, name: str) -> None:
        create_enterprise(client, name="常德公式表格有限公司", address=name)
        response = client.get("/api/v1/exports/enterprises.xlsx", params={"q": "公式表格", "headers": "en"})
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        cell = sheet.cell(row=2, column=header.index("address") + 1)
        assert cell.data_type == "s"
        assert cell.value == name
