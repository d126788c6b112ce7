"""The built web app is served at ``/`` with client routes falling back to its page; the API, docs and
probes keep their own answers; without a build ``/`` says how to make one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

# Each test module's app is made once: an app holds on to its dependency caches for the run.
pytestmark = pytest.mark.integration

INDEX = '<!doctype html><html><body><div id="app"></div><script src="/assets/index-abc123.js"></script></body></html>'


def _client(dist: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url="sqlite://", web_dist=dist))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp_path = tmp_path_factory.mktemp("dist")
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('企业')", encoding="utf-8")
    (tmp_path / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    yield from _client(tmp_path)


@pytest.fixture(scope="module")
def not_built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from _client(tmp_path_factory.mktemp("empty") / "missing")


class TestBuiltApp:
    def test_root_is_the_apps_page_and_never_cached(self, built: TestClient) -> None:
        response = built.get("/")
        assert response.status_code == 200
        assert response.text == INDEX
        assert response.headers["cache-control"] == "no-cache"

    def test_a_client_route_gets_the_apps_page(self, built: TestClient) -> None:
        for path in ("/enterprises/12", "/visits/new", "/login"):
            response = built.get(path)
            assert response.status_code == 200, path
            assert response.text == INDEX

    def test_built_assets_are_served_and_cached_for_good(self, built: TestClient) -> None:
        response = built.get("/assets/index-abc123.js")
        assert response.status_code == 200
        assert response.text == "console.log('企业')"
        assert "immutable" in response.headers["cache-control"]
        assert built.get("/favicon.svg").text == "<svg/>"

    def test_a_missing_file_is_404_not_the_page(self, built: TestClient) -> None:
        assert built.get("/assets/gone-000.js").status_code == 404
        assert built.get("/robots.txt").status_code == 404

    def test_an_unknown_api_path_is_the_apis_problem_not_the_page(self, built: TestClient) -> None:
        response = built.get("/api/v1/no-such-thing")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")

    def test_api_docs_and_probes_keep_their_answers(self, built: TestClient) -> None:
        assert built.get("/api/v1/auth/me").status_code == 401
        assert "swagger-ui" in built.get("/docs").text
        assert built.get("/openapi.json").json()["info"]["title"] == "Seedbed"
        assert built.get("/healthz").json() == {"status": "ok"}


class TestNotBuilt:
    def test_root_says_how_to_build_the_app(self, not_built: TestClient) -> None:
        response = not_built.get("/")
        assert response.status_code == 200
        assert "npm run build" in response.text
        assert "make run" in response.text

    def test_the_api_still_runs(self, not_built: TestClient) -> None:
        assert not_built.get("/api/v1/auth/me").status_code == 401
        assert not_built.get("/enterprises/12").status_code == 404
