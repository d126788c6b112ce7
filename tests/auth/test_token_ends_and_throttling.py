"""Tokens end with what should end them (a new password, deactivation — for good), and failed logins cannot
be used to lock an account's owner out; X-Forwarded-For counts only from a configured proxy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import LoginFailure
from app.auth.roles import Role
from app.config import Settings
from tests.conftest import PASSWORD, Account

LOGIN = "/api/v1/auth/token"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _api_token(client: TestClient, account: Account) -> str:
    response = client.post("/api/v1/api-tokens", json={"name": "月报脚本"}, headers=account.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def _works(client: TestClient, token: str) -> bool:
    return client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 200


class TestTokensEnd:
    def test_a_password_reset_ends_the_users_api_tokens_and_logins(
        self, client: TestClient, anonymous_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        staff = accounts[Role.staff]
        script = _api_token(anonymous_client, staff)
        assert _works(anonymous_client, script)
        reset = client.post(f"/api/v1/users/{staff.user_id}/password", json={"new_password": "another-long-pass-9"})
        assert reset.status_code == 204
        assert not _works(anonymous_client, script)
        assert not _works(anonymous_client, staff.token)

    def test_changing_ones_own_password_ends_ones_api_tokens(
        self, anonymous_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        staff = accounts[Role.staff]
        script = _api_token(anonymous_client, staff)
        changed = anonymous_client.post("/api/v1/auth/password", headers=staff.headers, json={
            "current_password": PASSWORD, "new_password": "another-long-pass-9"})
        assert changed.status_code == 204
        assert not _works(anonymous_client, script)

    def test_reactivating_a_user_does_not_revive_old_tokens(
        self, client: TestClient, anonymous_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        staff = accounts[Role.staff]
        script = _api_token(anonymous_client, staff)
        url = f"/api/v1/users/{staff.user_id}"
        user = client.get(url)
        off = client.patch(url, json={"active": False}, headers={"If-Match": user.headers["etag"]})
        assert off.status_code == 200
        on = client.patch(url, json={"active": True}, headers={"If-Match": off.headers["etag"]})
        assert on.status_code == 200
        assert not _works(anonymous_client, staff.token)
        assert not _works(anonymous_client, script)
        # The account itself works again: a new login does.
        login = anonymous_client.post(LOGIN, data={"username": staff.username, "password": PASSWORD})
        assert login.status_code == 200
        assert _works(anonymous_client, login.json()["access_token"])


@pytest.fixture
def proxied(app: FastAPI, settings: Settings) -> Iterator[FastAPI]:
    app.state.settings = settings.model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    yield app
    app.state.settings = settings


def _from(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000), raise_server_exceptions=False)


class TestThrottling:
    def test_a_stranger_cannot_lock_the_owner_out(self, app: FastAPI, accounts: dict[Role, Account],
                                                  settings: Settings) -> None:
        stranger, owner = _from(app, "203.0.113.9"), _from(app, "198.51.100.20")
        for _ in range(settings.login_max_failures_per_user + 3):
            stranger.post(LOGIN, data={"username": "test-admin", "password": "guessing-wrong"})
        assert stranger.post(LOGIN, data={"username": "test-admin", "password": PASSWORD}).status_code == 429
        assert owner.post(LOGIN, data={"username": "test-admin", "password": PASSWORD}).status_code == 200

    def test_each_further_failure_doubles_the_wait(self, app: FastAPI, accounts: dict[Role, Account],
                                                   settings: Settings, session: Session) -> None:
        limit, window = settings.login_max_failures_per_user, settings.login_window_minutes * 60
        now = dt.datetime.now(dt.UTC)
        session.add_all([LoginFailure(username="test-staff", client_address="203.0.113.9", failed_at=now)
                         for _ in range(limit + 2)])
        session.commit()
        refused = _from(app, "203.0.113.9").post(LOGIN, data={"username": "test-staff", "password": PASSWORD})
        assert refused.status_code == 429
        assert window * 3 < int(refused.headers["retry-after"]) <= window * 4

    def test_forwarded_for_is_ignored_from_an_untrusted_peer(self, app: FastAPI, accounts: dict[Role, Account],
                                                             settings: Settings, session: Session) -> None:
        attacker = _from(app, "203.0.113.9")
        for i in range(settings.login_max_failures_per_address):
            attacker.post(LOGIN, data={"username": f"guess{i}", "password": "guessing-wrong"},
                          headers={"X-Forwarded-For": f"192.0.2.{i}"})
        addresses = set(session.scalars(select(LoginFailure.client_address)))
        assert addresses == {"203.0.113.9"}
        assert attacker.post(LOGIN, data={"username": "test-viewer", "password": PASSWORD},
                             headers={"X-Forwarded-For": "192.0.2.200"}).status_code == 429

    def test_forwarded_for_names_the_client_behind_a_trusted_proxy(
        self, proxied: FastAPI, accounts: dict[Role, Account], session: Session
    ) -> None:
        proxy = _from(proxied, "10.1.2.3")
        proxy.post(LOGIN, data={"username": "test-staff", "password": "guessing-wrong"},
                   headers={"X-Forwarded-For": "192.0.2.77, 198.51.100.5, 10.9.9.9"})
        assert list(session.scalars(select(LoginFailure.client_address))) == ["198.51.100.5"]
