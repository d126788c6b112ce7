"""``create_app()``: routers, middleware, error handlers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from app import __version__
from app.audit.router import audit_router, timeline_router
from app.auth.dependencies import current_principal, writers_only
from app.auth.people import people_router
from app.auth.router import account_router, login_router, users_router
from app.commissioners.router import commissioners_router, services_router
from app.config import Settings, get_settings
from app.contracts.router import router as contracts_router
from app.cooperation.router import router as cooperation_router
from app.db import engine_session_factory, make_engine
from app.eligibility.router import cultivation_router
from app.eligibility.router import router as eligibility_router
from app.enterprises.router import router as enterprises_router
from app.errors import install_error_handlers
from app.exports.router import router as exports_router
from app.health import router as health_router
from app.http.middleware import install_middleware
from app.http.openapi import contract_openapi
from app.http.routing import under
from app.imports.router import MAX_UPLOAD_BODY
from app.imports.router import router as imports_router
from app.indicators.router import indicators_router, targets_router
from app.ip_rights.router import router as ip_rights_router
from app.logs import configure_logging
from app.meta import router as meta_router
from app.metrics import Metrics
from app.metrics import router as metrics_router
from app.pipeline.router import alerts_router, calendar_router, filings_router, programs_router
from app.pipeline.router import router as applications_router
from app.platforms.router import router as platforms_router
from app.publicity.router import events_router, policies_router
from app.stats.router import reports_router, stats_router
from app.visits.router import demands_router, visits_router
from app.webapp import mount_web_app

API_PREFIX = "/api/v1"
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"

DESCRIPTION = """\
Seedbed keeps the records of a district Science & Technology Bureau's enterprise-cultivation work:
the firm registry, the cultivation programmes, visits, demands and policy publicity.

Conventions: lists take `limit`/`offset` and answer `{items, total, limit, offset}`; writes to an
existing record need `If-Match` with the ETag you read (428 without, 412 when stale); errors are
RFC 9457 `application/problem+json` with an `errors` list naming each field. Money is a decimal
string in yuan; dates are `YYYY-MM-DD` business dates (Asia/Shanghai); timestamps are UTC.

Personal data: a `viewer` reads every phone number and e-mail address masked (`138****5678`,
`w***@example.cn`) — contacts' fields and anything typed into free text, in every answer, list, timeline,
replay and export. Staff and admins read them as typed.
"""


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(
        settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        pool_size=settings.database_pool_size,
    )
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Seedbed",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = engine_session_factory(engine)
    app.state.metrics = Metrics()

    install_error_handlers(app)
    install_middleware(app, settings, upload_limits={f"{API_PREFIX}/imports/": MAX_UPLOAD_BODY})

    # Each router straight under the app (one level of inclusion to walk, not two), in a router that turns away,
    # by its path's start, a request for another's routes (app.http.routing). The order is the routes' order.
    signed_in = [Depends(current_principal)]
    writers = [Depends(writers_only)]
    for router, dependencies in [
        (login_router, []),
        (account_router, signed_in), (users_router, signed_in), (people_router, signed_in),
        (audit_router, signed_in), (meta_router, signed_in),
        (enterprises_router, writers), (ip_rights_router, writers), (eligibility_router, writers),
        (cultivation_router, writers), (timeline_router, writers), (exports_router, writers),
        (imports_router, writers), (visits_router, writers), (demands_router, writers),
        (policies_router, writers), (events_router, writers), (programs_router, writers),
        (applications_router, writers), (alerts_router, writers), (calendar_router, writers),
        (filings_router, writers), (contracts_router, writers), (platforms_router, writers),
        (cooperation_router, writers), (indicators_router, writers), (targets_router, writers),
        (commissioners_router, writers), (services_router, writers), (stats_router, writers),
        (reports_router, writers),
    ]:
        app.include_router(under(API_PREFIX, router), prefix=API_PREFIX, dependencies=dependencies)
    app.include_router(health_router)
    app.include_router(metrics_router)
    _mount_docs(app)
    app.openapi = lambda: contract_openapi(app)  # type: ignore[method-assign]
    mount_web_app(app, settings.web_dist)
    return app


def _mount_docs(app: FastAPI) -> None:
    # Bureau networks are often offline: the docs load their scripts from this server, not a CDN.
    app.mount("/static/docs", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Seedbed API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True},
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Seedbed API",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        )


def openapi_document(app: FastAPI | None = None) -> dict[str, Any]:
    return (app or create_app(Settings(database_url="sqlite://"))).openapi()
