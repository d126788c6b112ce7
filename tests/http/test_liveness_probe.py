"""``/healthz`` is answered by the request middleware before routing: the same answer as its route gives (the
route still answers a request carrying an Origin, for CORS), with the request id, the headers, the access log
and the metrics of any other request."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from app.logs import ACCESS_LOGGER, JsonFormatter

COMPARED = ("content-type", "content-length", "x-content-type-options", "cache-control", "content-security-policy")


def test_the_probe_answers_as_its_route_does(anonymous_client: TestClient) -> None:
    direct = anonymous_client.get("/healthz")
    # An Origin (no CORS origins configured here) takes the request through the router to the route itself.
    routed = anonymous_client.get("/healthz", headers={"Origin": "http://localhost:5173"})
    assert direct.status_code == routed.status_code == 200
    assert direct.content == routed.content
    assert direct.json() == {"status": "ok"}
    assert {h: direct.headers.get(h) for h in COMPARED} == {h: routed.headers.get(h) for h in COMPARED}
    assert direct.headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in direct.headers


def test_the_probe_keeps_the_request_id_and_is_logged(anonymous_client: TestClient,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        response = anonymous_client.get("/healthz", headers={"X-Request-ID": "probe-9"})
    assert response.headers["x-request-id"] == "probe-9"
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == ACCESS_LOGGER]
    line = next(item for item in lines if item["request_id"] == "probe-9")
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/healthz", 200, None)


def test_other_methods_still_reach_the_router(anonymous_client: TestClient) -> None:
    response = anonymous_client.post("/healthz")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
