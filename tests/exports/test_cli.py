"""``seedbed export KIND``: the same files as the /exports routes, from the shell."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.db import make_engine
from app.enterprises.models import Enterprise
from tests.factories import credit_code
from tests.support.databases import command_database

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

runner = CliRunner()


@pytest.fixture(scope="module")
def firms() -> Iterator[list[str]]:
    """Three firms on two streets, one archived."""
    with pytest.MonkeyPatch.context() as monkeypatch, command_database(monkeypatch, "seedbed_export") as url:
        engine = make_engine(url)
        codes = [credit_code() for _ in range(3)]
        with Session(engine) as session:
            for n, (code, district) in enumerate(zip(codes, ("丹阳街道", "丹阳街道", "芙蓉街道"), strict=True)):
                session.add(Enterprise(credit_code=code, name=f"常德导出命令{n}有限公司", district=district,
                                       industry="C", above_scale=n == 0))
            session.commit()
        engine.dispose()
        yield codes


def _rows(output: bytes) -> list[dict[str, str]]:
    assert output.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(output.decode("utf-8-sig"))))


class TestExportCommand:
    def test_csv_to_stdout_with_filters(self, firms: list[str]) -> None:
        result = runner.invoke(cli, ["export", "enterprises", "--filter", "district=丹阳街道", "--headers", "en",
                                     "--filter", "sort=-name"])
        assert result.exit_code == 0, result.output
        rows = _rows(result.stdout_bytes)
        assert [(r["credit_code"], r["above_scale"]) for r in rows] == [(firms[1], "false"), (firms[0], "true")]

    def test_a_repeated_filter_matches_either_value(self, firms: list[str]) -> None:
        result = runner.invoke(cli, ["export", "enterprises", "--filter", "district=丹阳街道",
                                     "--filter", "district=芙蓉街道"])
        assert {r["统一社会信用代码"] for r in _rows(result.stdout_bytes)} == set(firms)

    def test_xlsx_to_a_file_with_chinese_headers(self, firms: list[str], tmp_path: Path) -> None:
        target = tmp_path / "名录.xlsx"
        result = runner.invoke(cli, ["export", "enterprises", "--format", "xlsx", "-o", str(target)])
        assert result.exit_code == 0, result.output
        sheet = load_workbook(target, read_only=True).active
        assert sheet is not None
        header, *rows = list(sheet.iter_rows(values_only=True))
        assert header[:3] == ("编号", "统一社会信用代码", "企业名称")
        assert sorted(row[1] for row in rows) == sorted(firms)
        assert {row[8] for row in rows} == {"是", "否"}

    @pytest.mark.parametrize(("args", "says"), [
        (["firms"], "KIND must be one of"),
        (["enterprises", "--filter", "distrct=丹阳街道"], "no filter 'distrct'; known: q, id, district"),
        (["enterprises", "--filter", "status=dead"], "filter status.0: Input should be 'active'"),
        (["enterprises", "--filter", "丹阳街道"], "name=value"),
        (["enterprises", "--filter", "sort=-foo"], "cannot sort by 'foo'"),
        (["visits", "--format", "xlsx"], "needs -o FILE"),
        (["visits", "--format", "pdf"], "--format must be csv or xlsx"),
    ])
    def test_mistakes_exit_2_with_the_reason(self, firms: list[str], args: list[str], says: str) -> None:
        result = runner.invoke(cli, ["export", *args])
        assert result.exit_code == 2
        assert says in result.stderr
