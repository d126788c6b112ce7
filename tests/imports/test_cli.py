"""``seedbed import KIND FILE``: the same import from the shell, committed to a real database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import migrate
from app.audit.models import AuditEntry
from app.cli import cli
from app.config import get_settings
from app.db import make_engine
from app.enterprises.models import Enterprise
from tests.factories import credit_code
from tests.imports.files import FIRM_HEADERS, csv_bytes, firm_row, xlsx
from tests.support.databases import command_database, rows_known_to_planner, temporary_database

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

runner = CliRunner()


@pytest.fixture(scope="module")
def cli_database() -> Iterator[str]:
    with temporary_database("seedbed_cli") as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture
def cli_engine(cli_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("SEEDBED_DATABASE_URL", cli_database)
    get_settings.cache_clear()
    engine = make_engine(cli_database)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def _names(engine: Engine, codes: list[str]) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(Enterprise.name).where(Enterprise.credit_code.in_(codes))
                                    .order_by(Enterprise.name)))


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


class TestImportCommand:
    def test_imports_and_commits(self, cli_engine: Engine, tmp_path: Path) -> None:
        codes = [credit_code(), credit_code()]
        path = _write(tmp_path, "名单.xlsx", xlsx([FIRM_HEADERS, *[firm_row(c, name=f"命令行公司{c[-4:]}")
                                                                 for c in codes]]))
        result = runner.invoke(cli, ["import", "enterprises", str(path)])
        assert result.exit_code == 0, result.output
        assert "2 created" in result.output
        assert len(_names(cli_engine, codes)) == 2
        with Session(cli_engine) as session:
            entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")
                                    .order_by(AuditEntry.id.desc())).first()
            assert entry is not None
            assert entry.actor_name.startswith("cli:")

    def test_dry_run_saves_nothing(self, cli_engine: Engine, tmp_path: Path) -> None:
        code = credit_code()
        path = _write(tmp_path, "f.csv", csv_bytes([FIRM_HEADERS, firm_row(code)], "gbk"))
        result = runner.invoke(cli, ["import", "enterprises", str(path), "--dry-run", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["created"] == 1
        assert _names(cli_engine, [code]) == []

    def test_rejected_rows_exit_1_and_save_nothing_unless_skipped(self, cli_engine: Engine, tmp_path: Path) -> None:
        code = credit_code()
        path = _write(tmp_path, "f.xlsx", xlsx([FIRM_HEADERS, firm_row(code), firm_row("91430702XXXXXXXXX0")]))
        result = runner.invoke(cli, ["import", "enterprises", str(path)])
        assert result.exit_code == 1
        assert "row 3 统一社会信用代码" in result.output
        assert _names(cli_engine, [code]) == []
        skipped = runner.invoke(cli, ["import", "enterprises", str(path), "--on-error", "skip"])
        assert skipped.exit_code == 0, skipped.output
        assert len(_names(cli_engine, [code])) == 1

    def test_a_dry_run_exits_as_the_real_import_would(self, cli_engine: Engine, tmp_path: Path) -> None:
        code = credit_code()
        path = _write(tmp_path, "f.xlsx", xlsx([FIRM_HEADERS, firm_row(code), firm_row("91430702XXXXXXXXX0")]))
        dry = runner.invoke(cli, ["import", "enterprises", str(path), "--dry-run"])
        assert dry.exit_code == runner.invoke(cli, ["import", "enterprises", str(path)]).exit_code == 1
        assert "row 3 统一社会信用代码" in dry.output
        skipped = runner.invoke(cli, ["import", "enterprises", str(path), "--dry-run", "--on-error", "skip"])
        assert skipped.exit_code == 0, skipped.output
        assert _names(cli_engine, [code]) == []

    def test_an_unusable_file_or_kind_exits_2(self, cli_engine: Engine, tmp_path: Path) -> None:
        path = _write(tmp_path, "f.csv", b"")
        assert runner.invoke(cli, ["import", "enterprises", str(path)]).exit_code == 2
        unknown = runner.invoke(cli, ["import", "visits", str(path)])
        assert unknown.exit_code == 2
        assert "applications, commissioner_services, commissioners, cooperation_agreements" in unknown.output

    def test_a_crash_at_commit_leaves_the_database_as_before(self, cli_engine: Engine, tmp_path: Path) -> None:
        code = credit_code()
        path = _write(tmp_path, "f.xlsx", xlsx([FIRM_HEADERS, firm_row(code)]))

        def crash(_: Session) -> NoReturn:
            raise RuntimeError("power cut")

        with Session(cli_engine) as session:
            audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
        event.listen(Session, "before_commit", crash)
        try:
            result = runner.invoke(cli, ["import", "enterprises", str(path)])
        finally:
            event.remove(Session, "before_commit", crash)
        assert isinstance(result.exception, RuntimeError)
        assert _names(cli_engine, [code]) == []
        with Session(cli_engine) as session:
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


@pytest.fixture
def fresh_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A database of its own: PostgreSQL keeps planner statistics even when a transaction rolls back."""
    with command_database(monkeypatch, "seedbed_statistics") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


class TestPlannerStatistics:
    def _import(self, tmp_path: Path, firms: int) -> None:
        rows = [FIRM_HEADERS, *(firm_row(credit_code(), f"常德批量{n}有限公司") for n in range(firms))]
        result = runner.invoke(cli, ["import", "enterprises", str(_write(tmp_path, "firms.csv", csv_bytes(rows)))])
        assert result.exit_code == 0, result.output

    def test_a_bulk_import_refreshes_the_registrys_statistics(self, fresh_engine: Engine, tmp_path: Path) -> None:
        with fresh_engine.connect() as connection:
            assert rows_known_to_planner(connection, "enterprises") == 0
        self._import(tmp_path, 1000)
        with fresh_engine.connect() as connection:
            assert rows_known_to_planner(connection, "enterprises") == 1000

    def test_a_small_import_leaves_them(self, fresh_engine: Engine, tmp_path: Path) -> None:
        self._import(tmp_path, 3)
        with fresh_engine.connect() as connection:
            assert rows_known_to_planner(connection, "enterprises") == 0
