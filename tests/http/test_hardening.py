"""What every request gets before and after the application: body limits, security headers, 5xx accounting,
bounded metric labels."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator

import psycopg.errors
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from app.config import Settings
from app.logs import ACCESS_LOGGER, JsonFormatter
from app.main import create_app
from tests.factories import enterprise_payload

MB = 1024 * 1024


def _series(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = client.get("/metrics").text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


class TestBodyLimits:
    def test_a_large_body_without_a_token_is_refused_before_authentication(self, anonymous_client: TestClient
                                                                             ) -> None:
        response = anonymous_client.post("/api/v1/enterprises", content=b"x" * (2 * MB),
                                         headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/payload-too-large"
        assert response.headers["x-request-id"]

    def test_a_declared_length_over_the_limit_is_refused_unread(self, app: FastAPI) -> None:
        received: list[int] = []

        async def never_read(scope: object, receive: object, send: object) -> None:
            received.append(1)

        from app.http.middleware import RequestContext

        guarded = RequestContext(never_read, metrics=app.state.metrics, body_limit=1024, upload_limits={})  # type: ignore[arg-type]
        raw = TestClient(guarded)  # type: ignore[arg-type]
        response = raw.post("/api/v1/visits", content=b"{}", headers={"Content-Length": str(300 * MB)})
        assert response.status_code == 413
        assert received == []

    def test_a_chunked_body_is_stopped_at_the_limit(self, staff_client: TestClient) -> None:
        def chunks() -> Iterator[bytes]:
            for _ in range(3):
                yield b" " * MB

        response = staff_client.post("/api/v1/visits", content=chunks(), headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert response.json()["status"] == 413

    def test_json_routes_take_small_bodies_and_uploads_large_ones(self, staff_client: TestClient) -> None:
        big = enterprise_payload(notes="备" * 1000)
        assert staff_client.post("/api/v1/enterprises", json=big).status_code == 201
        padding = b"x" * (2 * MB)
        upload = staff_client.post("/api/v1/imports/enterprises?dry_run=true",
                                   files={"file": ("firms.csv", "统一社会信用代码,企业名称\n".encode(), "text/csv"),
                                          "note": ("pad.txt", padding, "text/plain")})
        assert upload.status_code != 413
        json_too_big = staff_client.post("/api/v1/enterprises", content=b" " * (2 * MB),
                                         headers={"Content-Type": "application/json"})
        assert json_too_big.status_code == 413

    def test_an_anonymous_upload_is_held_to_the_small_limit(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.post("/api/v1/imports/enterprises",
                                         files={"file": ("firms.csv", b"x" * (2 * MB), "text/csv")})
        assert response.status_code == 413


class TestSecurityHeaders:
    def test_every_response_says_nosniff_and_no_server_banner_from_the_app(self, client: TestClient) -> None:
        for response in (client.get("/healthz"), client.get("/api/v1/enterprises"), client.get("/no/such")):
            assert response.headers["x-content-type-options"] == "nosniff"

    def test_api_responses_are_not_stored_by_caches(self, anonymous_client: TestClient,
                                                    client: TestClient) -> None:
        assert client.get("/api/v1/auth/me").headers["cache-control"] == "no-store"
        response = client.post("/api/v1/api-tokens", json={"name": "月报脚本"})
        assert response.status_code == 201
        assert response.headers["cache-control"] == "no-store"

    def test_the_login_token_is_not_stored_by_caches(self, anonymous_client: TestClient,
                                                     accounts: dict[object, object]) -> None:
        response = anonymous_client.post("/api/v1/auth/token",
                                         data={"username": "test-staff", "password": "correct-horse-battery"})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"

    @pytest.mark.parametrize("path", ["/docs", "/redoc"])
    def test_html_pages_cannot_be_framed(self, anonymous_client: TestClient, path: str) -> None:
        response = anonymous_client.get(path)
        assert response.status_code == 200
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy
        assert "default-src 'self'" in policy
        assert response.headers["x-frame-options"] == "DENY"


@pytest.fixture
def failing_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """An application of its own (the run's one stays as it is) with a route that fails unexpectedly."""
    failing = create_app(settings, engine=engine)

    @failing.get("/api/v1/explode")
    def explode() -> None:
        raise RuntimeError("boom")

    # Before the web app's catch-all route, which a local `web/dist` build adds.
    failing.router.routes.insert(0, failing.router.routes.pop())

    with TestClient(failing, raise_server_exceptions=False) as test_client:
        yield test_client


class TestServerErrors:
    def test_a_500_carries_its_request_id_is_logged_and_counted(
        self, failing_client: TestClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        client = failing_client
        before = _series(client)
        key = ("seedbed_http_requests_total", (("method", "GET"), ("route", "/api/v1/explode"), ("status", "500")))
        errors = logging.getLogger("seedbed.errors")
        errors.addHandler(caplog.handler)
        try:
            with caplog.at_level(logging.INFO, logger="seedbed"):
                response = client.get("/api/v1/explode", headers={"X-Request-ID": "bad-day-1"})
        finally:
            errors.removeHandler(caplog.handler)
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["x-request-id"] == "bad-day-1"
        assert "boom" not in response.text
        assert _series(client).get(key, 0) == before.get(key, 0) + 1
        lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records]
        assert any(line["logger"] == "seedbed.errors" and line.get("request_id") == "bad-day-1" and "exc" in line
                   for line in lines)
        assert any(line["logger"] == ACCESS_LOGGER and line["request_id"] == "bad-day-1" and line["status"] == 500
                   for line in lines)


class TestMetricLabels:
    def test_made_up_methods_and_paths_share_one_label(self, client: TestClient) -> None:
        for n in range(20):
            client.request(f"BREW{n}", "/api/v1/enterprises")
            client.request(f"X{n}", f"/made/up/{n}")
        series = _series(client)
        methods = {dict(labels).get("method") for _name, labels in series} - {None}
        routes = {dict(labels).get("route") for _name, labels in series} - {None}
        assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}
        assert "other" in methods
        assert not any(route.startswith("/made/") for route in routes)


@pytest.fixture
def contended_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """An application of its own whose routes fail as the database fails when another transaction wins."""
    contended = create_app(settings, engine=engine)
    failures = {
        "deadlock": psycopg.errors.DeadlockDetected("deadlock detected"),
        "serialization": psycopg.errors.SerializationFailure("could not serialize access"),
        "locked": sqlite3.OperationalError("database is locked"),
        "missing": sqlite3.OperationalError("no such table: enterprises"),
    }

    @contended.post("/api/v1/contend/{kind}")
    def contend(kind: str) -> None:
        raise OperationalError("UPDATE totals_by_year SET …", {}, failures[kind])

    contended.router.routes.insert(0, contended.router.routes.pop())
    with TestClient(contended, raise_server_exceptions=False) as test_client:
        yield test_client


class TestGivingWay:
    @pytest.mark.parametrize("kind", ["deadlock", "serialization", "locked"])
    def test_a_transaction_that_gave_way_is_a_503_to_send_again(self, contended_client: TestClient,
                                                                kind: str) -> None:
        response = contended_client.post(f"/api/v1/contend/{kind}", headers={"Accept-Language": "zh-CN"})
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
        body = response.json()
        assert body["type"].endswith("/busy")
        assert "未保存任何内容" in body["detail"]
        assert "totals_by_year" not in response.text

    def test_any_other_database_error_is_still_a_500_that_tells_nothing(self, contended_client: TestClient) -> None:
        response = contended_client.post("/api/v1/contend/missing")
        assert response.status_code == 500
        assert "no such table" not in response.text
        assert "retry-after" not in response.headers
