"""``/metrics``: Prometheus text with requests by route template and status, open to the scraper."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import create_enterprise


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def _count(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], method: str, route: str, status: str
           ) -> float:
    key = ("seedbed_http_requests_total", (("method", method), ("route", route), ("status", status)))
    return samples.get(key, 0.0)


class TestMetrics:
    def test_requests_are_counted_by_route_template_and_status(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        before = _samples(client)
        client.get(f"/api/v1/enterprises/{firm['id']}")
        client.get("/api/v1/enterprises/999999999")
        client.get("/no/such/page")
        after = _samples(client)
        route = "/api/v1/enterprises/{enterprise_id}"
        assert _count(after, "GET", route, "200") == _count(before, "GET", route, "200") + 1
        assert _count(after, "GET", route, "404") == _count(before, "GET", route, "404") + 1
        assert _count(after, "GET", "unmatched", "404") == _count(before, "GET", "unmatched", "404") + 1
        # Raw ids never become labels: one series per route, however many firms are read.
        assert not any(re.search(r"/enterprises/\d", dict(labels).get("route", "")) for _name, labels in after)

    def test_durations_are_a_histogram(self, client: TestClient) -> None:
        client.get("/healthz")
        samples = _samples(client)
        labels = (("method", "GET"), ("route", "/healthz"))
        count = samples[("seedbed_http_request_duration_seconds_count", labels)]
        infinite = samples[("seedbed_http_request_duration_seconds_bucket", tuple(sorted((*labels, ("le", "+Inf")))))]
        assert count >= 1
        assert infinite == count

    def test_a_scraper_needs_no_token(self, anonymous_client: TestClient) -> None:
        assert anonymous_client.get("/metrics").status_code == 200

    def test_an_unexpected_error_is_counted_as_a_500(self, app: FastAPI) -> None:
        @app.get("/boom-for-metrics")
        def boom() -> None:
            raise RuntimeError("boom")

        with TestClient(app, raise_server_exceptions=False) as client:
            before = _samples(client)
            response = client.get("/boom-for-metrics")
            after = _samples(client)
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert _count(after, "GET", "/boom-for-metrics", "500") == _count(before, "GET", "/boom-for-metrics", "500") + 1
