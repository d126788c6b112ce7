"""``seedbed export <kind>`` and ``seedbed import <kind> FILE`` for the annual summary's record kinds, on a
real database: a dry run saves nothing and exits as the import would, rejected rows exit 1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.cooperation.models import CooperationAgreement
from app.db import make_engine
from app.enterprises.models import Enterprise
from app.imports.kinds import KINDS
from tests.factories import credit_code
from tests.support.databases import command_database

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

runner = CliRunner()


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    with command_database(monkeypatch, "seedbed_record_files") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _agreements(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(CooperationAgreement)) or 0


def test_help_names_every_import_kind() -> None:
    for command in ("import", "export"):
        result = runner.invoke(cli, [command, "--help"], terminal_width=400)
        text = " ".join(result.output.split())
        missing = [kind for kind in KINDS if kind not in text and (command == "import" or kind not in
                                                                    ("enterprises", "figures", "applications"))]
        assert missing == [], command


def test_export_then_import_agreements_from_the_shell(engine: Engine, tmp_path: Path) -> None:
    code = credit_code()
    with Session(engine) as session:
        firm = Enterprise(credit_code=code, name="常德命令行合作有限公司", district="丹阳街道", industry="C")
        session.add(firm)
        session.flush()
        session.add_all([CooperationAgreement(enterprise_id=firm.id, partner=partner, partner_kind="university",
                                              subject="联合研发", signed_on=dt.date(2025, 4, day))
                         for day, partner in ((1, "湖南大学"), (2, "中南大学"))])
        session.commit()
    exported = tmp_path / "协议.xlsx"
    result = runner.invoke(cli, ["export", "cooperation_agreements", "--format", "xlsx", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        session.execute(delete(CooperationAgreement))
        session.commit()

    dry = runner.invoke(cli, ["import", "cooperation_agreements", str(exported), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 created" in dry.output
    assert "dry run, nothing saved" in dry.output
    assert _agreements(engine) == 0
    real = runner.invoke(cli, ["import", "cooperation_agreements", str(exported)])
    assert real.exit_code == 0, real.output
    assert _agreements(engine) == 2

    bad = tmp_path / "bad.csv"
    bad.write_bytes("统一社会信用代码,合作单位,合作内容,签订日期\n91430702MA4L0X123X,湖南大学,中试,2025-05-01\n"
                    .encode("gbk"))
    dry_bad = runner.invoke(cli, ["import", "cooperation_agreements", str(bad), "--dry-run"])
    real_bad = runner.invoke(cli, ["import", "cooperation_agreements", str(bad)])
    assert dry_bad.exit_code == real_bad.exit_code == 1
    assert "row 2 统一社会信用代码" in real_bad.output
    assert _agreements(engine) == 2
