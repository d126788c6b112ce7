"""Probes and documentation: /healthz, /readyz, and /docs and /redoc working without the internet."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app import migrate
from app.config import Settings
from app.main import create_app
from tests.support.databases import temporary_database

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration


def _client_for(url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=url, environment="test"))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client
    finally:
        app.state.engine.dispose()


@pytest.fixture
def unmigrated_client() -> Iterator[TestClient]:
    with temporary_database("seedbed_unmigrated") as url:
        yield from _client_for(url)


@pytest.fixture
def half_migrated_client() -> Iterator[TestClient]:
    with temporary_database("seedbed_half") as url:
        migrate.upgrade(url, "0001")
        yield from _client_for(url)


@pytest.fixture
def unreachable_client() -> Iterator[TestClient]:
    yield from _client_for("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")


class TestHealthz:
    def test_ok_without_a_token(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_ok_even_when_the_database_is_not_ready(self, unmigrated_client: TestClient) -> None:
        assert unmigrated_client.get("/healthz").status_code == 200


class TestReadyz:
    def test_ok_at_head(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_503_problem_on_an_unmigrated_database(self, unmigrated_client: TestClient) -> None:
        response = unmigrated_client.get("/readyz")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 503
        assert "seedbed migrate" in problem["detail"]

    def test_503_problem_below_head(self, half_migrated_client: TestClient) -> None:
        response = half_migrated_client.get("/readyz")
        assert response.status_code == 503
        assert "latest migration" in response.json()["detail"]

    def test_503_problem_when_the_database_is_unreachable(self, unreachable_client: TestClient) -> None:
        response = unreachable_client.get("/readyz")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert "cannot be reached" in response.json()["detail"]


_URL_IN_HTML = re.compile(r"""(?:src|href|url)\s*[=:(]\s*['"]?([^'"\s)]+)""", re.IGNORECASE)


class TestDocsWorkOffline:
    @pytest.mark.parametrize("page", ["/docs", "/redoc"])
    def test_no_cdn_and_every_asset_is_served(self, anonymous_client: TestClient, page: str) -> None:
        response = anonymous_client.get(page)
        assert response.status_code == 200
        html = response.text
        assert "http://" not in html
        assert "https://" not in html
        assets = [url for url in _URL_IN_HTML.findall(html) if url.startswith("/")]
        assert assets, "the page references no local assets"
        for asset in assets:
            assert anonymous_client.get(asset).status_code == 200, asset

    def test_swagger_ui_assets_are_the_real_thing(self, anonymous_client: TestClient) -> None:
        script = anonymous_client.get("/static/docs/swagger-ui-bundle.js")
        assert "javascript" in script.headers["content-type"]
        assert len(script.content) > 100_000

    def test_openapi_document_is_public(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get("/openapi.json")
        assert response.status_code == 200
        assert response.json()["info"]["title"] == "Seedbed"
