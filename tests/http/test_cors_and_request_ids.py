from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.config import Settings
from app.logs import ACCESS_LOGGER, JsonFormatter
from app.main import create_app
from tests.conftest import Account
from tests.factories import enterprise_payload

ORIGIN = "https://crm.example.gov.cn"


@pytest.fixture
def cors_client(database_url: str, engine: Engine, connection: Connection) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, environment="test", cors_origins=f"{ORIGIN}, http://localhost:5173")
    app: FastAPI = create_app(settings, engine=engine)
    app.state.session_factory = lambda write: Session(bind=connection, join_transaction_mode="create_savepoint")
    with TestClient(app) as client:
        yield client


class TestCors:
    def test_preflight_from_an_allowed_origin(self, cors_client: TestClient) -> None:
        response = cors_client.options("/api/v1/enterprises", headers={
            "Origin": ORIGIN, "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, if-match, content-type",
        })
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert response.headers["access-control-allow-credentials"] == "true"
        assert "PATCH" in response.headers["access-control-allow-methods"]
        assert "if-match" in response.headers["access-control-allow-headers"].lower()

    def test_etag_and_location_are_exposed(self, cors_client: TestClient) -> None:
        response = cors_client.get("/healthz", headers={"Origin": ORIGIN})
        exposed = response.headers["access-control-expose-headers"].lower()
        assert {"etag", "location", "x-request-id"} <= {h.strip() for h in exposed.split(",")}

    def test_other_origins_get_no_cors_headers(self, cors_client: TestClient) -> None:
        response = cors_client.options("/api/v1/enterprises", headers={
            "Origin": "https://evil.example.com", "Access-Control-Request-Method": "GET"})
        assert "access-control-allow-origin" not in response.headers

    def test_no_origins_by_default(self, client: TestClient) -> None:
        response = client.get("/healthz", headers={"Origin": ORIGIN})
        assert "access-control-allow-origin" not in response.headers


class TestRequestIds:
    def test_echoed_when_sent_and_generated_when_not(self, client: TestClient) -> None:
        assert client.get("/healthz", headers={"X-Request-ID": "phone-42"}).headers["x-request-id"] == "phone-42"
        generated = client.get("/healthz").headers["x-request-id"]
        assert len(generated) == 32
        assert client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"}).headers["x-request-id"] != (
            "bad id\twith spaces")

    def test_appears_in_the_audit_row_and_the_access_log(
        self, client: TestClient, session: Session, accounts: dict[object, Account], caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
            response = client.post("/api/v1/enterprises", json=enterprise_payload(),
                                   headers={"X-Request-ID": "visit-7f3a"})
        assert response.status_code == 201
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "enterprise")).one()
        assert entry.request_id == "visit-7f3a"
        lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == ACCESS_LOGGER]
        line = next(item for item in lines if item["request_id"] == "visit-7f3a")
        assert line["status"] == 201
        assert line["method"] == "POST"
        assert line["user_id"] is not None
        assert line["duration_ms"] >= 0
