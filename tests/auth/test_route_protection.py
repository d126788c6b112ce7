"""Walks every operation of the OpenAPI document, so a route added without protection fails here."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import openapi_document

PUBLIC = {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"), ("POST", "/api/v1/auth/token")}
# Every signed-in user, viewers included, may manage their own login and API tokens.
SELF_SERVICE = re.compile(r"^/api/v1/(auth/|api-tokens)")
ADMIN_ONLY = re.compile(r"^/api/v1/(users|audit)(/|$)")
# Read by everyone, changed by admins only: the yearly targets the bureau is assessed on.
ADMIN_WRITES = re.compile(r"^/api/v1/yearly-targets(/|$)")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _operations() -> list[tuple[str, str]]:
    paths: dict[str, dict[str, Any]] = openapi_document()["paths"]
    return sorted((method.upper(), path) for path, item in paths.items() for method in item
                  if method in {"get", "post", "put", "patch", "delete"})


OPERATIONS = _operations()


def _call(client: TestClient, method: str, path: str) -> int:
    url = re.sub(r"\{[^}]+\}", "1", path)
    kwargs: dict[str, Any] = {"json": {}} if method in WRITE_METHODS else {}
    return client.request(method, url, headers={"If-Match": '"1"'}, **kwargs).status_code


def test_the_walk_sees_the_whole_api() -> None:
    assert len(OPERATIONS) >= 20
    assert ("POST", "/api/v1/enterprises") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), [op for op in OPERATIONS if op not in PUBLIC])
class TestEveryRoute:
    def test_refuses_a_request_without_token(self, anonymous_client: TestClient, method: str, path: str) -> None:
        assert _call(anonymous_client, method, path) == 401

    def test_refuses_an_unknown_token(self, anonymous_client: TestClient, method: str, path: str) -> None:
        anonymous_client.headers["Authorization"] = "Bearer sbs_not-a-real-token"
        assert _call(anonymous_client, method, path) == 401

    def test_viewer_may_read_but_not_write(self, viewer_client: TestClient, method: str, path: str) -> None:
        status = _call(viewer_client, method, path)
        if ADMIN_ONLY.match(path) or (method in WRITE_METHODS and not SELF_SERVICE.match(path)):
            assert status == 403
        else:
            assert status not in (401, 403)

    def test_only_admins_manage_users_and_read_audit(self, staff_client: TestClient, method: str, path: str) -> None:
        status = _call(staff_client, method, path)
        if ADMIN_ONLY.match(path) or (method in WRITE_METHODS and ADMIN_WRITES.match(path)):
            assert status == 403
        else:
            assert status not in (401, 403)


@pytest.mark.parametrize(("method", "path"), sorted(PUBLIC))
def test_public_routes_need_no_token(anonymous_client: TestClient, method: str, path: str) -> None:
    assert _call(anonymous_client, method, path) not in (401, 403)
