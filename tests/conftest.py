"""Fixtures: the real Alembic migrations once per run, then one rolled-back transaction per test, with
every request of the test in its own savepoint inside it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from app import migrate
from app.config import Settings
from app.db import make_engine
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


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, environment="test")


@pytest.fixture
def app(settings: Settings, engine: Engine, connection: Connection) -> FastAPI:
    application = create_app(settings, engine=engine)
    application.state.session_factory = lambda write: _session_on(connection)
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
