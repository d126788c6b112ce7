"""The ``seedbed`` command against a real, migrated temporary database named by SEEDBED_DATABASE_URL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import demo
from app.audit.models import AuditEntry
from app.auth.models import User
from app.auth.passwords import verify_password
from app.auth.service import ensure_first_admin
from app.cli import _first_run_admin, cli
from app.db import make_engine
from app.enterprises.credit_code import is_valid
from app.enterprises.models import AnnualFigures, Enterprise
from tests.factories import credit_code
from tests.support.databases import command_database, rows_known_to_planner

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

runner = CliRunner()


@pytest.fixture
def cli_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with command_database(monkeypatch, "seedbed_cli") as url:
        yield url


@pytest.fixture
def cli_engine(cli_database: str) -> Iterator[Engine]:
    engine = make_engine(cli_database)
    yield engine
    engine.dispose()


def users(engine: Engine) -> list[User]:
    with Session(engine) as session:
        return list(session.scalars(select(User).order_by(User.id)))


class TestCreateUser:
    def test_password_from_stdin(self, cli_engine: Engine) -> None:
        result = runner.invoke(cli, ["create-user", "ZhangWei", "--role", "admin", "--display-name", "张伟",
                                     "--password-stdin"], input="a-long-secret-9\n")
        assert result.exit_code == 0, result.output
        assert "created user zhangwei" in result.output
        [user] = users(cli_engine)
        assert (user.username, user.display_name, user.role, user.active) == ("zhangwei", "张伟", "admin", True)
        assert verify_password("a-long-secret-9", user.password_hash)
        assert "a-long-secret-9" not in user.password_hash
        with Session(cli_engine) as session:
            entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "user")).one()
        assert (entry.action, entry.actor_id, entry.actor_name) == ("create", None, "system")

    def test_prompted_password_with_confirmation(self, cli_engine: Engine) -> None:
        result = runner.invoke(cli, ["create-user", "lisi"], input="another-secret-1\nanother-secret-1\n")
        assert result.exit_code == 0, result.output
        [user] = users(cli_engine)
        assert (user.username, user.display_name, user.role) == ("lisi", "lisi", "staff")
        assert verify_password("another-secret-1", user.password_hash)

    def test_weak_password_is_refused(self, cli_engine: Engine) -> None:
        result = runner.invoke(cli, ["create-user", "wangwu", "--password-stdin"], input="1234\n")
        assert result.exit_code == 1
        assert "at least 10 characters" in result.output
        assert users(cli_engine) == []

    def test_bad_username_is_refused(self, cli_engine: Engine) -> None:
        result = runner.invoke(cli, ["create-user", "王五", "--password-stdin"], input="a-long-secret-9\n")
        assert result.exit_code == 2
        assert "username" in result.output
        assert users(cli_engine) == []

    def test_taken_username_is_refused(self, cli_engine: Engine) -> None:
        runner.invoke(cli, ["create-user", "zhaoliu", "--password-stdin"], input="a-long-secret-9\n")
        result = runner.invoke(cli, ["create-user", "ZHAOLIU", "--password-stdin"], input="other-secret-77\n")
        assert result.exit_code == 1
        assert "taken" in result.output
        assert len(users(cli_engine)) == 1

    def test_unknown_role_is_refused(self, cli_engine: Engine) -> None:
        result = runner.invoke(cli, ["create-user", "sunqi", "--role", "root", "--password-stdin"],
                               input="a-long-secret-9\n")
        assert result.exit_code == 2
        assert users(cli_engine) == []


class TestFirstRunAdmin:
    def test_created_once_with_a_random_password(self, session: Session) -> None:
        with session.begin_nested() as attempt:
            first = ensure_first_admin(session)
            attempt.rollback()
        password = ensure_first_admin(session)
        assert first is not None
        assert password is not None
        assert first != password
        assert len(password) >= 16
        admin = session.scalars(select(User)).one()
        assert (admin.username, admin.role, admin.active) == ("admin", "admin", True)
        assert verify_password(password, admin.password_hash)
        assert ensure_first_admin(session) is None
        assert session.scalar(select(func.count()).select_from(User)) == 1

    def test_not_when_any_user_exists(self, session: Session, accounts: object) -> None:
        assert ensure_first_admin(session) is None
        assert session.scalar(select(func.count()).select_from(User).where(User.username == "admin")) == 0

    def test_serve_prints_the_password_once_and_never_again(self, cli_engine: Engine, cli_database: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
        _first_run_admin(cli_database)
        shown = capsys.readouterr().out
        [admin] = users(cli_engine)
        password = shown.split("password\n\n", 1)[1].split("\n", 1)[0].strip()
        assert verify_password(password, admin.password_hash)
        assert "shown only this once" in shown

        _first_run_admin(cli_database)
        assert capsys.readouterr().out == ""
        assert len(users(cli_engine)) == 1


class TestMigrateAndDemoData:
    def test_migrate_is_idempotent(self, cli_database: str) -> None:
        result = runner.invoke(cli, ["migrate"])
        assert result.exit_code == 0, result.output
        assert "database at head" in result.output

    def test_analyze_gives_the_planner_the_tables_sizes(self, cli_engine: Engine) -> None:
        now = dt.datetime.now(dt.UTC)
        with cli_engine.begin() as connection:  # loaded behind the application's back, as a script might
            connection.execute(insert(Enterprise), [
                {"credit_code": credit_code(), "name": f"常德分析{n}有限公司", "district": "丹阳街道",
                 "above_scale": False, "status": "active", "version": 1, "created_at": now, "updated_at": now}
                for n in range(3)])
        with cli_engine.connect() as connection:
            assert rows_known_to_planner(connection, "enterprises") == 0
        result = runner.invoke(cli, ["analyze"])
        assert result.exit_code == 0, result.output
        with cli_engine.connect() as connection:
            assert rows_known_to_planner(connection, "enterprises") == 3

    def test_demo_data_fills_the_database_with_valid_firms(self, cli_engine: Engine) -> None:
        result = runner.invoke(cli, ["demo-data", "--enterprises", "12", "--seed", "3"])
        assert result.exit_code == 0, result.output
        with Session(cli_engine) as session:
            firms = list(session.scalars(select(Enterprise).order_by(Enterprise.id)))
            figures = session.scalar(select(func.count()).select_from(AnnualFigures))
        assert len(firms) == 12
        assert all(is_valid(firm.credit_code) for firm in firms)
        assert figures
        assert "12 " in result.output
        with cli_engine.connect() as connection:  # the planner knows the new district's size
            assert rows_known_to_planner(connection, "enterprises") == 12

    def test_the_same_seed_gives_the_same_district(self, session: Session) -> None:
        def district() -> list[tuple[str, str, str]]:
            with session.begin_nested() as attempt:
                demo.generate(session, enterprises=15, seed=7, as_of=dt.date(2026, 6, 30))
                made = [(f.credit_code, f.name, f.district) for f in session.scalars(
                    select(Enterprise).order_by(Enterprise.credit_code))]
                attempt.rollback()
            return made

        first = district()
        assert len(first) == 15
        assert district() == first
