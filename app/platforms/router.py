"""HTTP routes of innovation platforms (``/innovation-platforms``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from app.errors import problem_responses
from app.http.deps import SessionDep
from app.http.transaction import TransactionalRoute
from app.platforms import service
from app.platforms.schemas import PlatformCreate, PlatformFilter, PlatformRead, PlatformUpdate, RdPlatformHeld
from app.platforms.service import KIND
from app.records.routes import RecordSchemas, add_record_routes

router = APIRouter(prefix="/innovation-platforms", tags=["innovation platforms"], route_class=TransactionalRoute)


@router.get("/provincial-rd-held", responses=problem_responses(422))
def get_provincial_rd_held(
    session: SessionDep,
    enterprise_id: Annotated[int, Query(ge=1, le=2_147_483_647, description="The firm.")],
    on: Annotated[dt.date, Query(ge=dt.date(1949, 10, 1), le=dt.date(2200, 12, 31), description="The day.")],
) -> RdPlatformHeld:
    """Say whether a firm hosts a provincial-or-higher R&D platform standing on a date."""
    return service.provincial_rd_platforms(session, enterprise_id, on)


add_record_routes(router, KIND, RecordSchemas(
    PlatformCreate, PlatformUpdate, PlatformRead, PlatformFilter,
    create_example={"name": "湖南省智能装备工程技术研究中心", "kind": "engineering_center", "level": "provincial",
                    "enterprise_id": 12, "recognised_on": "2026-03-01", "document_no": "湘科发〔2026〕12号"},
    update_example={"evaluations": [{"evaluated_on": "2026-10-15", "result": "good"}]}),
                  singular="innovation_platform", plural="innovation_platforms", described="innovation platform")
