"""Commands other than ``migrate`` and ``serve`` never create a database: a missing or unmigrated one is
refused with the reason and exit status 2 (cron starts in $HOME, where ./data/seedbed.db is not)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings

runner = CliRunner()

COMMANDS = [
    ["backup"],
    ["report", "annual", "--year", "2025"],
    ["export", "enterprises"],
    ["analyze"],
    ["demo-data", "--enterprises", "1"],
]


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory without a database, and the default relative database URL."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SEEDBED_DATABASE_URL", "sqlite:///./data/seedbed.db")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_missing_database_is_refused_not_created(elsewhere: Path, command: list[str]) -> None:
    result = runner.invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert "no database at" in result.stderr
    assert "seedbed migrate" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_import_refuses_a_missing_database(elsewhere: Path) -> None:
    sheet = elsewhere / "firms.csv"
    sheet.write_text("统一社会信用代码,企业名称\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", "enterprises", str(sheet)])
    assert result.exit_code == 2
    assert [p.name for p in elsewhere.iterdir()] == ["firms.csv"]


def test_create_user_refuses_a_missing_database(elsewhere: Path) -> None:
    result = runner.invoke(cli, ["create-user", "zhangsan", "--password-stdin"], input="a-long-secret-9\n")
    assert result.exit_code == 2
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS[:3], ids=lambda c: c[0])
def test_an_unmigrated_database_is_refused(elsewhere: Path, command: list[str]) -> None:
    (elsewhere / "data").mkdir()
    sqlite3.connect(elsewhere / "data" / "seedbed.db").close()
    result = runner.invoke(cli, command)
    assert result.exit_code == 2
    assert "no Seedbed schema" in result.stderr
    assert not (elsewhere / "backups").exists()
