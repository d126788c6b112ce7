"""GET /reports/annual in its three formats, and `seedbed report annual`, over known records."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import demo
from app.cli import cli
from app.db import make_engine
from app.stats.service import annual_summary
from tests.stats.dataset import build
from tests.support.databases import command_database

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

URL = "/api/v1/reports/annual"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def district(client: TestClient) -> None:
    build(client)


@pytest.mark.usefixtures("district")
class TestAnnualReportJson:
    def test_summary_and_a_table_per_program(self, viewer_client: TestClient) -> None:
        response = viewer_client.get(URL, params={"year": 2025})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["summary"]["tech_sme_registered"]["value"] == 2
        assert [table["program"] for table in body["programs"]] == ["tech_sme", "high_tech", "rd_subsidy",
                                                                     "tech_loan"]
        assert all(table["year"] == 2025 for table in body["programs"])


@pytest.mark.usefixtures("district")
class TestAnnualReportMarkdown:
    def test_figures_in_the_bureaus_phrasing(self, client: TestClient) -> None:
        response = client.get(URL, params={"year": 2025, "format": "markdown"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/markdown; charset=utf-8"
        text = response.text
        assert text.startswith("# 区科学技术局2025年度科技创新工作总结")
        assert "完成科技型中小企业入库2家，同比增长100.00%" in text
        assert "全区高企推荐2家，新认定高新技术企业1家，有效高企总数达2家，与上年持平，净增0家" in text
        assert "在库规上企业研发投入300.00万元，同比增长275.00%" in text
        assert "2家企业争取研发财政奖补资金42.00万元，同比增长320.00%，已拨付25.00万元" in text
        assert "发放科技贷款2笔、250.00万元，同比增长150.00%，惠及企业1家" in text
        assert "走访企业2家、3次，同比增长200.00%，收集诉求3件，同比增长200.00%，解决诉求3件（按期解决2件）" in text
        assert "开展政策宣讲2场，同比增长100.00%，覆盖企业2家、45人次" in text
        assert "技术合同登记未录入" in text
        # Only stages holding records, only amount columns with amounts.
        assert "| 已批准 | 1 | 12.00 | — |" in text  # nothing disbursed yet: a dash, not 0.00
        assert "| 已申报 |" not in text


@pytest.mark.usefixtures("district")
class TestAnnualReportDocx:
    def test_a_word_document_that_reads_back(self, client: TestClient) -> None:
        response = client.get(URL, params={"year": 2025, "format": "docx"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == DOCX
        disposition = response.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="annual-report-2025.docx"')
        assert unquote(disposition.split("UTF-8''")[1]) == "2025年度科技创新工作总结.docx"
        document = Document(io.BytesIO(response.content))
        texts = [p.text for p in document.paragraphs]
        assert texts[0] == "区科学技术局2025年度科技创新工作总结"
        assert any("完成科技型中小企业入库2家" in t and "有效高企总数达2家" in t for t in texts)
        assert any("覆盖企业2家、45人次" in t for t in texts)
        assert len(document.tables) == 4
        loan_rows = [[cell.text for cell in row.cells] for row in document.tables[3].rows]
        assert ["已放款", "1", "200.00", "200.00"] in loan_rows

    def test_a_year_without_any_record_is_refused(self, client: TestClient) -> None:
        response = client.get(URL, params={"year": 2031, "format": "docx"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "no_data"

    def test_an_unknown_format_is_422(self, client: TestClient) -> None:
        assert client.get(URL, params={"year": 2025, "format": "pdf"}).status_code == 422


@pytest.fixture
def cli_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with command_database(monkeypatch, "seedbed_report") as url:
        yield url


class TestReportCommand:
    def test_docx_of_a_demo_district_carries_its_figures(self, cli_database: str, tmp_path: Path) -> None:
        engine = make_engine(cli_database)
        try:
            with Session(engine) as session:
                demo.generate(session, enterprises=60, seed=5, as_of=dt.date(2026, 6, 30))
                session.commit()
                summary = annual_summary(session, year=2025)
        finally:
            engine.dispose()
        assert summary.tech_sme_registered.value > 0
        assert summary.visits.value > 0
        target = tmp_path / "report.docx"
        result = CliRunner().invoke(cli, ["report", "annual", "--year", "2025", "--format", "docx", "-o",
                                          str(target)])
        assert result.exit_code == 0, result.output
        text = "\n".join(p.text for p in Document(str(target)).paragraphs)
        assert f"完成科技型中小企业入库{summary.tech_sme_registered.value}家" in text
        assert f"走访企业{summary.firms_visited.value}家、{summary.visits.value}次" in text

    def test_docx_needs_an_output_file(self, cli_database: str) -> None:
        result = CliRunner().invoke(cli, ["report", "annual", "--year", "2025", "--format", "docx"])
        assert result.exit_code == 2
