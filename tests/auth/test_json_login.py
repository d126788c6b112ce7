"""POST /auth/token takes the credentials as JSON as well as the OAuth2 password form."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.auth.roles import Role
from tests.conftest import Account

URL = "/api/v1/auth/token"


class TestJsonLogin:
    def test_json_body_logs_in(self, anonymous_client: TestClient, accounts: dict[Role, Account]) -> None:
        account = accounts[Role.staff]
        response = anonymous_client.post(URL, json={"username": account.username, "password": account.password})
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        me = anonymous_client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["user"]["username"] == account.username

    def test_the_form_still_logs_in(self, anonymous_client: TestClient, accounts: dict[Role, Account]) -> None:
        account = accounts[Role.viewer]
        response = anonymous_client.post(URL, data={"username": account.username, "password": account.password})
        assert response.status_code == 200, response.text

    def test_wrong_password_is_401_either_way(
        self, anonymous_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        account = accounts[Role.staff]
        assert anonymous_client.post(URL, json={"username": account.username, "password": "nope"}).status_code == 401
        assert anonymous_client.post(URL, data={"username": account.username, "password": "nope"}).status_code == 401

    def test_missing_fields_are_named(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.post(URL, json={"username": "x"})
        assert response.status_code == 422
        assert [e["loc"] for e in response.json()["errors"]] == [["body", "password"]]
        form = anonymous_client.post(URL, data={"password": "x"})
        assert [e["loc"] for e in form.json()["errors"]] == [["body", "username"]]

    def test_a_body_that_is_not_json_is_422(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.post(URL, content=b"{not json", headers={"Content-Type": "application/json"})
        assert response.status_code == 422


class TestCorsExposesWhatClientsRead:
    def test_exposed_headers(self, settings: object) -> None:
        from app.config import Settings
        from app.main import create_app

        assert isinstance(settings, Settings)
        app = create_app(settings.model_copy(update={"cors_origins": ["http://localhost:5173"]}))
        with TestClient(app) as client:
            response = client.get("/healthz", headers={"Origin": "http://localhost:5173"})
        exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
        assert {"content-disposition", "etag", "idempotent-replayed", "x-request-id", "location"} <= exposed
