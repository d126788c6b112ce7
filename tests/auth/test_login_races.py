"""Logging in is not an edit of the account: it neither moves the account's ETag nor collides with the same
user logging in elsewhere at the same moment."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from app.auth.roles import Role
from tests.support import apps

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

LOGIN = "/api/v1/auth/token"
DEVICES = 5


class TestLogin:
    def test_simultaneous_logins_of_one_user_all_succeed(self) -> None:
        with apps.committed_app(Role.admin) as (client, token):
            admin = {"Authorization": f"Bearer {token}"}
            created = client.post("/api/v1/users", headers=admin, json={
                "username": "zhangwei", "display_name": "张伟", "role": "staff", "password": "a-long-secret-9"})
            assert created.status_code == 201, created.text
            barrier = threading.Barrier(DEVICES)
            statuses: list[int] = []

            def log_in() -> None:
                with TestClient(client.app, raise_server_exceptions=False) as own:
                    barrier.wait()
                    form = {"username": "zhangwei", "password": "a-long-secret-9"}
                    statuses.append(own.post(LOGIN, data=form).status_code)

            threads = [threading.Thread(target=log_in) for _ in range(DEVICES)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert statuses == [200] * DEVICES
            account = client.get(f"/api/v1/users/{created.json()['id']}", headers=admin)
            assert account.json()["last_login_at"] is not None
            assert account.headers["etag"] == created.headers["etag"]
