"""The cultivation pool: active firms not yet holding a status, ranked closest-to-qualifying first.

Which firms hold the status is the pipeline's business (``held_condition``); how close the others are is
the rules' (``rank_pool``). This module only chooses the firms and shapes the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.eligibility import service
from app.eligibility.schemas import Candidate, Program
from app.enterprises.enums import EnterpriseStatus
from app.enterprises.models import Enterprise
from app.fields import Line, business_today
from app.pipeline import service as pipeline
from app.pipeline.models import Application


class CandidateFirm(BaseModel):
    id: int
    name: str
    credit_code: str
    district: str
    park: str | None
    owner_id: int | None = Field(description="Staff user who looks after the firm (包联干部).")


class CandidateRead(Candidate):
    firm: CandidateFirm


class CandidateFilter(BaseModel):
    program: Program = Field(description="tech_sme: not registered for `year`; high_tech: no certificate valid on "
                             "31 December of `year` (one expiring that year must be renewed in it).")
    year: int | None = Field(default=None, ge=1991, le=2200, description="Year of the registration or recognition "
                             "sought; default: this year. Firms are ranked on the figures of the year before.")
    district: list[Annotated[Line, Field(max_length=50)]] = Field(default_factory=list,
                                                                  description="所属街道/乡镇; repeatable.")
    park: list[Annotated[Line, Field(max_length=100)]] = Field(default_factory=list,
                                                               description="所在园区; repeatable.")
    owner_id: int | None = Field(default=None, ge=1, le=2_147_483_647, description="Firms looked after by this user.")


def candidates_page(session: Session, filters: CandidateFilter, *, offset: int, limit: int,
                    today: dt.date | None = None) -> tuple[list[CandidateRead], int]:
    """One page of the ranked pool and its size. Ranking needs every firm of the pool evaluated, so the
    database cannot page it; only the page's items are shaped for the response."""
    today = today or business_today()
    year = filters.year or today.year
    holders = select(Application.enterprise_id).where(
        Application.program == filters.program, Application.archived_at.is_(None),
        pipeline.held_condition(dt.date(year, 12, 31)),
    )
    query = select(Enterprise).where(Enterprise.archived_at.is_(None),
                                     Enterprise.status == EnterpriseStatus.active.value,
                                     Enterprise.id.not_in(holders))
    if filters.district:
        query = query.where(Enterprise.district.in_(filters.district))
    if filters.park:
        query = query.where(Enterprise.park.in_(filters.park))
    if filters.owner_id is not None:
        query = query.where(Enterprise.owner_id == filters.owner_id)
    firms = list(session.scalars(query))
    by_id = {firm.id: firm for firm in firms}
    ranked = service.rank_pool(session, firms, program=filters.program, year=year - 1, as_of=today)
    items = [CandidateRead(**dict(candidate), firm=CandidateFirm.model_validate(by_id[candidate.enterprise_id],
                                                                                from_attributes=True))
             for candidate in ranked[offset:offset + limit]]
    return items, len(ranked)
