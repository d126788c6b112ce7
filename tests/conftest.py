"""Fixtures: the real Alembic migrations once per run (per xdist worker), one application per run, then one
rolled-back transaction per test, with every request of the test in its own savepoint inside it.

One application serves the whole run: building one per test kept every app alive through FastAPI's
module-level dependency caches (hundreds of MB over a run). Each test points it at its own transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from app import migrate
from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.roles import Role
from app.auth.service import issue_session_token
from app.config import Settings
from app.db import engine_session_factory, make_engine
from app.main import create_app
from tests.support.databases import temporary_database


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with temporary_database() as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


def _session_on(connection: Connection) -> Session:
    return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session inside the test's transaction, for arranging data and checking what requests wrote."""
    with _session_on(connection) as session:
        yield session


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # No web app: a local `web/dist` build would otherwise answer unknown paths with its page.
    return Settings(database_url=database_url, environment="test", web_dist=Path("/nonexistent/web-dist"))


@pytest.fixture(scope="session")
def shared_app(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(settings, engine=engine)


@pytest.fixture
def app(shared_app: FastAPI, engine: Engine, connection: Connection) -> Iterator[FastAPI]:
    """The run's application, its requests inside this test's transaction."""
    shared_app.state.session_factory = lambda write: _session_on(connection)
    yield shared_app
    shared_app.state.session_factory = engine_session_factory(engine)


@dataclass(frozen=True)
class Account:
    user_id: int
    username: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def password_hash() -> str:
    # Argon2 is slow on purpose; hash the shared test password once per run.
    return hash_password(PASSWORD)


def make_account(session: Session, settings: Settings, password_hash: str, role: Role, username: str) -> Account:
    user = User(username=username, display_name=f"测试{role.value}", role=role.value, password_hash=password_hash)
    session.add(user)
    session.flush()
    _, token = issue_session_token(session, user, settings=settings)
    session.commit()
    return Account(user_id=user.id, username=username, password=PASSWORD, token=token)


@pytest.fixture
def accounts(session: Session, settings: Settings, password_hash: str) -> dict[Role, Account]:
    """One signed-in account per role."""
    return {role: make_account(session, settings, password_hash, role, f"test-{role.value}") for role in Role}


def _client(app: FastAPI, account: Account | None) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    # Messages for people are Chinese by default; these clients read the English ones, as scripts may.
    client.headers["Accept-Language"] = "en"
    if account is not None:
        client.headers.update(account.headers)
    return client


@pytest.fixture
def client(app: FastAPI, accounts: dict[Role, Account]) -> Iterator[TestClient]:
    """Signed in as an admin: the role that may do everything."""
    with _client(app, accounts[Role.admin]) as test_client:
        yield test_client


@pytest.fixture
def staff_client(app: FastAPI, accounts: dict[Role, Account]) -> Iterator[TestClient]:
    with _client(app, accounts[Role.staff]) as test_client:
        yield test_client


@pytest.fixture
def viewer_client(app: FastAPI, accounts: dict[Role, Account]) -> Iterator[TestClient]:
    with _client(app, accounts[Role.viewer]) as test_client:
        yield test_client


@pytest.fixture
def anonymous_client(app: FastAPI) -> Iterator[TestClient]:
    with _client(app, None) as test_client:
        yield test_client


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that reaches no database, app or server is a unit test: `make test-fast` runs only those."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "database_url" not in fixtures and item.get_closest_marker("integration") is None \
                and item.get_closest_marker("fuzz") is None:
            item.add_marker(pytest.mark.unit)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Building the fuzz tests renders the whole OpenAPI document and schemathesis' coverage cases, seconds of
    work per worker: skip it when only the unit tests were asked for."""
    if collection_path.name == "test_fuzz.py" and config.getoption("markexpr") == "unit":
        return True
    return None
