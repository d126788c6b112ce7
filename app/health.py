"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from app.errors import problem_response, problem_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz")
def get_health() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=problem_responses(503))
def get_readiness(request: Request) -> Any:
    """The database answers and its schema is at the latest migration."""
    try:
        session = request.app.state.session_factory(False)
        try:
            session.execute(text("SELECT 1"))
            from app import migrate  # Alembic loaded on the first probe, not by every worker at start

            ready = migrate.is_at_head(session.connection())
        finally:
            session.close()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database means "not ready"
        return _not_ready(request, f"The database cannot be reached ({type(exc).__name__}).")
    if not ready:
        return _not_ready(request, "The database schema is not at the latest migration: run `seedbed migrate`.")
    return Health(status="ok")


def _not_ready(request: Request, detail: str) -> JSONResponse:
    return problem_response(503, "not-ready", "Service not ready", detail, instance=request.url.path)
