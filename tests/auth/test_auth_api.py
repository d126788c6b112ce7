from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import LoginFailure, Token, User
from app.auth.roles import Role
from app.config import Settings
from tests.conftest import PASSWORD, Account
from tests.factories import if_match

LOGIN = "/api/v1/auth/token"


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post(LOGIN, data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class TestLogin:
    def test_right_password_gives_a_token_that_works(self, anonymous_client: TestClient,
                                                     accounts: dict[Role, Account]) -> None:
        response = anonymous_client.post(LOGIN, data={"username": "TEST-staff", "password": PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["role"] == "staff"
        me = anonymous_client.get("/api/v1/auth/me", headers=bearer(body["access_token"]))
        assert me.status_code == 200
        assert me.json()["user"]["username"] == "test-staff"
        assert me.json()["token_kind"] == "session"

    def test_token_is_stored_hashed(self, anonymous_client: TestClient, accounts: dict[Role, Account],
                                    session: Session) -> None:
        token = login(anonymous_client, "test-staff")
        stored = session.scalars(select(Token.token_hash)).all()
        assert token not in stored
        assert all(len(h) == 64 for h in stored)

    @pytest.mark.parametrize(("username", "password"), [("test-staff", "wrong-password"), ("nobody", PASSWORD)])
    def test_wrong_credentials_are_401_problem(self, anonymous_client: TestClient, accounts: dict[Role, Account],
                                              username: str, password: str) -> None:
        response = anonymous_client.post(LOGIN, data={"username": username, "password": password})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"

    def test_a_failed_login_is_remembered(self, anonymous_client: TestClient, accounts: dict[Role, Account],
                                          session: Session) -> None:
        anonymous_client.post(LOGIN, data={"username": "test-staff", "password": "wrong-password"})
        assert session.scalar(select(func.count()).select_from(LoginFailure).where(
            LoginFailure.username == "test-staff")) == 1

    def test_missing_form_fields_are_422(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.post(LOGIN, data={"username": "x"})
        assert response.status_code == 422
        assert ["body", "password"] in [e["loc"] for e in response.json()["errors"]]


class TestThrottling:
    def test_too_many_failures_for_a_username_are_refused_with_retry_after(
        self, anonymous_client: TestClient, accounts: dict[Role, Account], settings: Settings
    ) -> None:
        for _ in range(settings.login_max_failures_per_user):
            assert anonymous_client.post(LOGIN, data={"username": "test-staff", "password": "bad-guess-1"}
                                         ).status_code == 401
        refused = anonymous_client.post(LOGIN, data={"username": "test-staff", "password": PASSWORD})
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= settings.login_window_minutes * 60
        # Another user from the same address is not locked out by one user's failures.
        assert anonymous_client.post(LOGIN, data={"username": "test-viewer", "password": PASSWORD}).status_code == 200

    def test_too_many_failures_from_one_address_are_refused(
        self, anonymous_client: TestClient, accounts: dict[Role, Account], settings: Settings
    ) -> None:
        for i in range(settings.login_max_failures_per_address):
            anonymous_client.post(LOGIN, data={"username": f"guess{i}", "password": "bad-guess-1"})
        refused = anonymous_client.post(LOGIN, data={"username": "test-viewer", "password": PASSWORD})
        assert refused.status_code == 429

    def test_failures_older_than_the_window_do_not_count(
        self, anonymous_client: TestClient, accounts: dict[Role, Account], settings: Settings, session: Session
    ) -> None:
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=settings.login_window_minutes + 1)
        session.add_all([LoginFailure(username="test-staff", client_address="testclient", failed_at=long_ago)
                         for _ in range(settings.login_max_failures_per_user)])
        session.commit()
        assert anonymous_client.post(LOGIN, data={"username": "test-staff", "password": PASSWORD}).status_code == 200


class TestTokenLifetime:
    def test_logout_revokes_the_token(self, anonymous_client: TestClient, accounts: dict[Role, Account]) -> None:
        token = login(anonymous_client, "test-staff")
        assert anonymous_client.post("/api/v1/auth/logout", headers=bearer(token)).status_code == 204
        assert anonymous_client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 401

    def test_expired_token_is_refused(self, anonymous_client: TestClient, accounts: dict[Role, Account],
                                      session: Session) -> None:
        token = login(anonymous_client, "test-staff")
        for row in session.scalars(select(Token).where(Token.kind == "session")):
            row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.commit()
        response = anonymous_client.get("/api/v1/auth/me", headers=bearer(token))
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]

    def test_default_lifetime_is_twelve_hours(self, anonymous_client: TestClient,
                                              accounts: dict[Role, Account]) -> None:
        response = anonymous_client.post(LOGIN, data={"username": "test-staff", "password": PASSWORD})
        expires = dt.datetime.fromisoformat(response.json()["expires_at"])
        remaining = expires - dt.datetime.now(dt.UTC)
        assert dt.timedelta(hours=11, minutes=59) < remaining <= dt.timedelta(hours=12)

    def test_deactivating_a_user_stops_their_tokens_at_once(
        self, client: TestClient, staff_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        staff = accounts[Role.staff]
        assert staff_client.get("/api/v1/auth/me").status_code == 200
        user = client.get(f"/api/v1/users/{staff.user_id}").json()
        assert client.patch(f"/api/v1/users/{staff.user_id}", json={"active": False},
                            headers=if_match(user)).status_code == 200
        assert staff_client.get("/api/v1/auth/me").status_code == 401
        assert staff_client.post(LOGIN, data={"username": staff.username, "password": PASSWORD}).status_code == 401


class TestOwnPassword:
    def test_change_requires_the_current_password_and_ends_other_logins(
        self, anonymous_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        first, second = login(anonymous_client, "test-staff"), login(anonymous_client, "test-staff")
        wrong = anonymous_client.post("/api/v1/auth/password", headers=bearer(first),
                                      json={"current_password": "not-it-at-all", "new_password": "new-secret-1"})
        assert wrong.status_code == 422
        ok = anonymous_client.post("/api/v1/auth/password", headers=bearer(first),
                                   json={"current_password": PASSWORD, "new_password": "new-secret-1"})
        assert ok.status_code == 204
        assert anonymous_client.get("/api/v1/auth/me", headers=bearer(second)).status_code == 401
        assert anonymous_client.post(LOGIN, data={"username": "test-staff", "password": "new-secret-1"}
                                     ).status_code == 200

    @pytest.mark.parametrize("weak", ["short", "12345678901", "test-staff"])
    def test_weak_passwords_are_refused(self, staff_client: TestClient, weak: str) -> None:
        response = staff_client.post("/api/v1/auth/password",
                                     json={"current_password": PASSWORD, "new_password": weak})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "new_password"]


class TestApiTokens:
    def test_created_token_is_shown_once_and_works(self, staff_client: TestClient,
                                                   anonymous_client: TestClient) -> None:
        created = staff_client.post("/api/v1/api-tokens", json={"name": "月报脚本", "role": "viewer"})
        assert created.status_code == 201
        token = created.json()["token"]
        assert token.startswith("sbk_")
        assert created.headers["location"].endswith(f"/api-tokens/{created.json()['id']}")
        listed = staff_client.get("/api/v1/api-tokens").json()
        assert listed["total"] == 1
        assert "token" not in listed["items"][0]
        me = anonymous_client.get("/api/v1/auth/me", headers=bearer(token)).json()
        assert (me["role"], me["token_kind"]) == ("viewer", "api")
        # A viewer token cannot write even though its user could.
        assert anonymous_client.post("/api/v1/enterprises", json={}, headers=bearer(token)).status_code == 403

    def test_role_cannot_exceed_the_creators(self, staff_client: TestClient) -> None:
        assert staff_client.post("/api/v1/api-tokens", json={"name": "x", "role": "admin"}).status_code == 403

    def test_defaults_to_the_creators_role(self, viewer_client: TestClient) -> None:
        created = viewer_client.post("/api/v1/api-tokens", json={"name": "统计"})
        assert created.status_code == 201
        assert created.json()["role"] == "viewer"

    def test_revoked_token_stops_working(self, staff_client: TestClient, anonymous_client: TestClient) -> None:
        created = staff_client.post("/api/v1/api-tokens", json={"name": "sync"}).json()
        assert staff_client.delete(f"/api/v1/api-tokens/{created['id']}").status_code == 204
        assert anonymous_client.get("/api/v1/auth/me", headers=bearer(created["token"])).status_code == 401
        assert staff_client.get(f"/api/v1/api-tokens/{created['id']}").json()["revoked_at"] is not None

    def test_expiry_date_must_be_in_the_future(self, staff_client: TestClient) -> None:
        response = staff_client.post("/api/v1/api-tokens", json={"name": "x", "expires_on": "2020-01-01"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "expires_on"]

    def test_others_tokens_are_invisible(self, staff_client: TestClient, viewer_client: TestClient) -> None:
        created = staff_client.post("/api/v1/api-tokens", json={"name": "mine"}).json()
        assert viewer_client.get(f"/api/v1/api-tokens/{created['id']}").status_code == 404
        assert viewer_client.delete(f"/api/v1/api-tokens/{created['id']}").status_code == 404

    def test_demoting_the_user_demotes_their_tokens(
        self, client: TestClient, staff_client: TestClient, anonymous_client: TestClient,
        accounts: dict[Role, Account]
    ) -> None:
        token = staff_client.post("/api/v1/api-tokens", json={"name": "sync"}).json()["token"]
        staff_id = accounts[Role.staff].user_id
        user = client.get(f"/api/v1/users/{staff_id}").json()
        client.patch(f"/api/v1/users/{staff_id}", json={"role": "viewer"}, headers=if_match(user))
        assert anonymous_client.get("/api/v1/auth/me", headers=bearer(token)).json()["role"] == "viewer"


class TestUsers:
    def test_admin_creates_a_user_who_can_log_in(self, client: TestClient, anonymous_client: TestClient) -> None:
        created = client.post("/api/v1/users", json={"username": "Zhang.Wei", "display_name": "张伟",
                                                     "role": "staff", "password": "s3cret-pass"})
        assert created.status_code == 201, created.text
        assert created.json()["username"] == "zhang.wei"
        assert "password" not in created.json()
        assert "password_hash" not in created.json()
        assert login(anonymous_client, "zhang.wei", "s3cret-pass")

    def test_duplicate_username_is_409(self, client: TestClient) -> None:
        body = {"username": "li", "display_name": "李", "password": "s3cret-pass"}
        assert client.post("/api/v1/users", json=body).status_code == 201
        assert client.post("/api/v1/users", json={**body, "username": "LI"}).status_code == 409

    def test_invalid_fields_name_their_path(self, client: TestClient) -> None:
        response = client.post("/api/v1/users", json={"username": "a b", "display_name": "", "role": "boss",
                                                      "password": "x"})
        assert response.status_code == 422
        locs = {tuple(e["loc"]) for e in response.json()["errors"]}
        assert {("body", "username"), ("body", "display_name"), ("body", "role")} <= locs

    def test_the_last_admin_cannot_be_demoted_or_deactivated(
        self, client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        admin_id = accounts[Role.admin].user_id
        user = client.get(f"/api/v1/users/{admin_id}").json()
        for change in ({"role": "staff"}, {"active": False}):
            assert client.patch(f"/api/v1/users/{admin_id}", json=change, headers=if_match(user)).status_code == 409

    def test_reset_password_ends_the_users_logins(
        self, client: TestClient, anonymous_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        token = login(anonymous_client, "test-viewer")
        viewer_id = accounts[Role.viewer].user_id
        assert client.post(f"/api/v1/users/{viewer_id}/password", json={"new_password": "fresh-pass-9"}
                           ).status_code == 204
        assert anonymous_client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 401
        assert login(anonymous_client, "test-viewer", "fresh-pass-9")

    def test_users_are_never_deleted(self, client: TestClient, accounts: dict[Role, Account]) -> None:
        assert client.delete(f"/api/v1/users/{accounts[Role.staff].user_id}").status_code == 405

    def test_list_filters_by_state(self, client: TestClient, session: Session, accounts: dict[Role, Account]) -> None:
        user = session.get(User, accounts[Role.viewer].user_id)
        assert user is not None
        user.active = False
        session.commit()
        active = client.get("/api/v1/users?active=true").json()
        assert "test-viewer" not in [u["username"] for u in active["items"]]
        assert client.get("/api/v1/users?active=false").json()["total"] == 1
