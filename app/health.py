"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from app import migrate

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz")
def get_health() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", responses={503: {"description": "Database unreachable or schema not at the latest migration"}})
def get_readiness(request: Request) -> Health:
    """The database answers and its schema is at the latest migration."""
    try:
        session = request.app.state.session_factory(False)
        try:
            session.execute(text("SELECT 1"))
            ready = migrate.is_at_head(session.connection())
        finally:
            session.close()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database means "not ready"
        return JSONResponse({"status": f"database unreachable: {type(exc).__name__}"}, status_code=503)  # type: ignore[return-value]
    if not ready:
        return JSONResponse({"status": "database schema is not at the latest migration; run `seedbed migrate`"},  # type: ignore[return-value]
                            status_code=503)
    return Health(status="ok")
