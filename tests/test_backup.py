"""``seedbed backup``: a copy that restores to the same records, written under its final name only when
complete, never over an existing file."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import backup, migrate
from app.cli import cli
from app.db import make_engine
from app.enterprises.models import Enterprise
from tests.factories import credit_code
from tests.support.databases import command_database, temporary_database

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

runner = CliRunner()


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with command_database(monkeypatch, "seedbed_backup") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            session.add(Enterprise(credit_code=credit_code(), name="常德备份测试有限公司", district="丹阳街道"))
            session.commit()
        engine.dispose()
        yield url


def _names(engine: Engine) -> list[str]:
    with Session(engine) as session, session.begin():
        return list(session.scalars(select(Enterprise.name)))


@pytest.fixture
def restored(database: str, tmp_path: Path) -> Iterator[Engine]:
    """The database as restored from a fresh `seedbed backup`."""
    target = tmp_path / "nightly" / ("seedbed.db" if database.startswith("sqlite") else "seedbed.dump")
    result = runner.invoke(cli, ["backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial or journal files left
    if database.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{target}")
        yield engine
        engine.dispose()
        return
    pg_dump = backup.pg_dump_path()
    assert pg_dump is not None
    with temporary_database("seedbed_restored") as url:
        libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run([str(Path(pg_dump).with_name("pg_restore")), "--no-owner", f"--dbname={libpq}", str(target)],
                       check=True, capture_output=True)
        engine = make_engine(url)
        yield engine
        engine.dispose()


class TestBackup:
    def test_restores_to_the_same_records_at_the_latest_migration(self, restored: Engine) -> None:
        assert _names(restored) == ["常德备份测试有限公司"]
        with restored.connect() as connection:
            assert migrate.is_at_head(connection)

    def test_never_overwrites_a_file(self, database: str, tmp_path: Path) -> None:
        target = tmp_path / "kept.db"
        target.write_bytes(b"yesterday's backup")
        result = runner.invoke(cli, ["backup", "-o", str(target)])
        assert result.exit_code == 2
        assert "never overwrites" in result.stderr
        assert target.read_bytes() == b"yesterday's backup"

    def test_default_name_under_backups(self, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)
        result = runner.invoke(cli, ["backup"])
        assert result.exit_code == 0, result.output
        [written] = (tmp_path / "backups").iterdir()
        assert written.name.startswith("seedbed-")
        assert written.suffix == (".db" if database.startswith("sqlite") else ".dump")

    def test_a_missing_sqlite_file_is_a_clear_error(self, tmp_path: Path) -> None:
        with pytest.raises(backup.BackupError, match="no SQLite database file"):
            backup.backup(f"sqlite:///{tmp_path / 'absent.db'}", tmp_path / "copy.db")
        assert not (tmp_path / "absent.db").exists()


class TestPermissions:
    def test_only_the_owner_may_read_a_backup(self, database: str, tmp_path: Path) -> None:
        target = tmp_path / "fresh-directory" / ("seedbed.db" if database.startswith("sqlite") else "seedbed.dump")
        result = runner.invoke(cli, ["backup", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_mode & 0o777 == 0o600
        assert target.parent.stat().st_mode & 0o777 == 0o700
