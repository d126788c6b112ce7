"""An app over its own temporary database with real commits: for races between simultaneous requests,
which the per-test rolled-back transaction cannot show."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from app import migrate
from app.auth.models import User
from app.auth.roles import Role
from app.auth.service import issue_session_token
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.main import create_app
from tests.support.databases import temporary_database


@contextmanager
def committed_app(role: Role = Role.staff, **settings_: Any) -> Iterator[tuple[TestClient, str]]:
    """Yield a client of a freshly migrated database and the bearer token of one user with ``role``
    (``settings_``: settings other than the defaults)."""
    with temporary_database() as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        settings = Settings(database_url=url, environment="test", **settings_)
        with make_session_factory(engine)() as session:
            user = User(username="racer", display_name="racer", role=role.value, password_hash="x")
            session.add(user)
            session.flush()
            _, token = issue_session_token(session, user, settings=settings)
            session.commit()
        app = create_app(settings, engine=engine)
        try:
            yield TestClient(app), token
        finally:
            engine.dispose()
