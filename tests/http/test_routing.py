"""Routers turn a request away by the literal start of its path (app.http.routing): every operation is still
answered by its own route, and a turned-away path is one none of the router's routes could match."""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from starlette.routing import Match

from app.http.routing import LiteralPrefixRouter, literal_start, under
from app.main import openapi_document


def _counts(client: TestClient) -> dict[tuple[str, str, str], float]:
    text = client.get("/metrics").text
    return {(s.labels["method"], s.labels["route"], s.labels["status"]): s.value
            for family in text_string_to_metric_families(text) for s in family.samples
            if s.name == "seedbed_http_requests_total"}


class TestEveryOperationReachesItsRoute:
    def test_an_anonymous_request_to_each_protected_operation_is_refused_by_that_route(
        self, anonymous_client: TestClient
    ) -> None:
        operations = [(method.upper(), path) for path, item in openapi_document()["paths"].items()
                      for method, operation in item.items() if operation.get("security") != []]
        assert len(operations) > 150
        before = _counts(anonymous_client)
        for method, path in operations:
            sample = re.sub(r"\{[^}]+\}", "1", path)
            response = anonymous_client.request(method, sample)
            assert response.status_code == 401, (method, path, response.status_code)
        after = _counts(anonymous_client)
        for method, path in operations:
            key = (method, path, "401")
            assert after.get(key, 0) - before.get(key, 0) == operations.count((method, path)), key


class TestLiteralStart:
    def test_is_what_every_route_of_the_router_starts_with(self) -> None:
        router = APIRouter(prefix="/enterprises")

        @router.get("")
        def list_firms() -> None: ...

        @router.get("/{firm_id}/contacts")
        def list_contacts() -> None: ...

        @router.get("/export")
        def export_firms() -> None: ...

        assert literal_start(router) == "/enterprises"
        wrapped = under("/api/v1", router)
        assert isinstance(wrapped, LiteralPrefixRouter)
        assert wrapped.literal == "/api/v1/enterprises"

    def test_a_router_of_routers_is_filtered_by_the_prefix_alone(self) -> None:
        outer = APIRouter()
        outer.include_router(APIRouter(prefix="/visits"))
        outer.add_api_route("/visits/{visit_id}", lambda: None)
        assert under("/api/v1", outer).literal == "/api/v1"

    def test_a_path_elsewhere_is_turned_away_before_any_route_is_tried(self) -> None:
        router = LiteralPrefixRouter(literal="/api/v1/visits")
        scope = {"type": "http", "path": "/api/v1/demands/1", "root_path": "", "method": "GET"}
        assert router.matches(scope) == (Match.NONE, {})
