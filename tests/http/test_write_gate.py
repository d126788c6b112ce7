"""SQLite's write gate: no password hashing while it is held, and a bounded wait (503 + Retry-After) instead
of a request hanging behind it. Always on an SQLite file of its own: PostgreSQL has no gate."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import migrate
from app.auth import passwords
from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.service import issue_session_token
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.http.transaction import sqlite_write_gate_of
from app.main import create_app
from tests.conftest import PASSWORD


@pytest.fixture
def sqlite_app() -> Iterator[tuple[FastAPI, str]]:
    with tempfile.TemporaryDirectory(prefix="seedbed_gate") as directory:
        url = f"sqlite:///{Path(directory) / 'gate.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        settings = Settings(database_url=url, environment="test", sqlite_write_wait_seconds=0.2)
        with make_session_factory(engine)() as session:
            user = User(username="gatekeeper", display_name="门卫", role="admin", password_hash=hash_password(PASSWORD))
            session.add(user)
            session.flush()
            _, token = issue_session_token(session, user, settings=settings)
            session.commit()
        try:
            yield create_app(settings, engine=engine), token
        finally:
            engine.dispose()


def _gate_held(app: FastAPI) -> bool:
    gates: Any = getattr(app.state, "sqlite_write_gates", {})
    return any(gate.locked() for gate in gates.values())


class _Spy:
    """The real hasher, noting for each hash or verification whether the write gate was held meanwhile."""

    def __init__(self, app: FastAPI, real: Any) -> None:
        self.app, self.real = app, real
        self.held: list[bool] = []

    def hash(self, password: str) -> str:
        self.held.append(_gate_held(self.app))
        return str(self.real.hash(password))

    def verify(self, password: str, password_hash: str) -> bool:
        self.held.append(_gate_held(self.app))
        return bool(self.real.verify(password, password_hash))


class TestPasswordsOutsideTheGate:
    def test_logins_and_new_passwords_are_hashed_while_the_gate_is_free(
        self, sqlite_app: tuple[FastAPI, str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        app, token = sqlite_app
        spy = _Spy(app, passwords._hasher())
        monkeypatch.setattr(passwords, "_hasher", lambda: spy)
        with TestClient(app) as client:
            assert client.post("/api/v1/auth/token", data={"username": "gatekeeper", "password": PASSWORD}
                               ).status_code == 200
            assert client.post("/api/v1/auth/token", data={"username": "nobody", "password": PASSWORD}
                               ).status_code == 401
            created = client.post("/api/v1/users", headers={"Authorization": f"Bearer {token}"}, json={
                "username": "newcomer", "display_name": "新同事", "role": "staff", "password": "a-fresh-long-one"})
            assert created.status_code == 201, created.text
            changed = client.post("/api/v1/auth/password", headers={"Authorization": f"Bearer {token}"}, json={
                "current_password": PASSWORD, "new_password": "another-long-pass-9"})
            assert changed.status_code == 204, changed.text
        assert spy.held, "no password was hashed or verified"
        assert not any(spy.held)


class TestBoundedWait:
    def test_a_write_waiting_too_long_is_a_503_with_retry_after(self, sqlite_app: tuple[FastAPI, str]) -> None:
        app, token = sqlite_app
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(app) as client:
            assert client.post("/api/v1/auth/logout", headers={"Authorization": "Bearer nothing"}).status_code == 401

            async def hold() -> None:
                gate = sqlite_write_gate_of(app)
                assert gate is not None
                await gate.acquire()

            async def release() -> None:
                gate = sqlite_write_gate_of(app)
                assert gate is not None
                gate.release()

            assert client.portal is not None
            client.portal.call(hold)
            try:
                busy = client.post("/api/v1/enterprises", headers=headers, json={
                    "credit_code": "91430702MA4L16AR1A", "name": "等待测试公司", "district": "丹阳街道"})
            finally:
                client.portal.call(release)
            assert busy.status_code == 503
            assert busy.headers["content-type"] == "application/problem+json"
            assert int(busy.headers["retry-after"]) >= 1
            assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
