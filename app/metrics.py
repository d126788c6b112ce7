"""``/metrics`` for Prometheus: requests answered by route and status, and how long they took.

Routes are labelled by their template (``/api/v1/enterprises/{enterprise_id}``), never the raw path, so a
scraper sees a few dozen series however many firms there are. Counts are this worker process's own: with
``--workers N`` each scrape reaches one worker, as for any multi-process server without a shared registry.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import Scope

router = APIRouter(tags=["health"])

# Seconds: a firm page takes milliseconds, a summary or an export of 100,000 firms seconds.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    def __init__(self) -> None:
        # A registry per application, so tests can build many apps in one process.
        self.registry = CollectorRegistry()
        self.requests = Counter("seedbed_http_requests", "HTTP requests answered, by method, route and status.",
                                ["method", "route", "status"], registry=self.registry)
        self.duration = Histogram("seedbed_http_request_duration_seconds", "Time to answer a request (until the "
                                  "response starts; a streamed export's body is not in it).", ["method", "route"],
                                  buckets=_BUCKETS, registry=self.registry)
        self.in_flight = Gauge("seedbed_http_requests_in_flight", "Requests being answered now.",
                               registry=self.registry)
        # The children of each (method, route, status) met so far: ``labels()`` checks and locks on every call,
        # a tenth of a small request's time on the event loop. Few keys: methods and routes are a closed set.
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, scope: Scope, status: int, seconds: float, *, route: str | None = None) -> None:
        """``route``: the template, for a request answered before routing (else taken from the scope)."""
        # A client chooses the method and the path: anything but a known method or a route of this app
        # shares one label, so made-up requests cannot add series.
        method = scope["method"] if scope["method"] in KNOWN_METHODS else "other"
        route = route or route_template(scope)
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = (
                self.requests.labels(method, route, str(status) if 100 <= status <= 599 else "other"),
                self.duration.labels(method, route))
        series[0].inc()
        series[1].observe(seconds)


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_template(scope: Scope) -> str:
    """The matched route's template with the prefixes of the routers it sits in ("unmatched" for a 404 of an
    unknown path). A route knows its template only below its router's prefix, so the prefix is what the
    request's path has before the part the template renders to."""
    route = scope.get("route")
    template = getattr(route, "path_format", None)
    if not isinstance(template, str):
        return "unmatched"
    path: str = scope.get("path", "")
    try:
        rendered = template.format(**{name: str(value) for name, value in scope.get("path_params", {}).items()})
    except (KeyError, IndexError, ValueError):
        return template
    return path[: len(path) - len(rendered)] + template if path.endswith(rendered) else template


@router.get("/metrics", response_class=Response, responses={200: {
    "description": "Prometheus text format.", "content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}})
def get_metrics(request: Request) -> Response:
    """Request counts, durations and requests in flight, for Prometheus (no authentication, like the probes:
    it holds route names and numbers, no records)."""
    metrics: Metrics = request.app.state.metrics
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
