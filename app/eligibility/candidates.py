"""The cultivation pool: active firms not yet holding a status, ranked closest-to-qualifying first.

Which firms hold the status is the pipeline's business (``held_condition``); how close the others are is
the rules' (``rank_pool``). This module only chooses the firms and shapes the page.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Annotated, Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.eligibility import service
from app.eligibility.schemas import Candidate, Program
from app.enterprises.enums import EnterpriseStatus
from app.enterprises.models import AnnualFigures, Enterprise
from app.fields import Line, business_today
from app.ip_rights.models import IpRight
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
    database cannot page it; the ranked pool is kept while the records it was computed from are unchanged,
    so the next pages (and the next clerk's first one) cost a few queries, not the pool's evaluation."""
    today = today or business_today()
    year = filters.year or today.year
    key = (str(session.get_bind().engine.url), filters.program, year, today, tuple(filters.district),
           tuple(filters.park), filters.owner_id, _data_version(session))
    ranked = _RANKED.get(key)
    if ranked is None:
        firms = list(session.scalars(_pool(filters, year)))
        ranked = [CandidateRead(**dict(candidate), firm=CandidateFirm.model_validate(firm, from_attributes=True))
                  for candidate, firm in _ranked_with_firms(session, firms, filters.program, year, today)]
        _RANKED.put(key, ranked)
    return ranked[offset:offset + limit], len(ranked)


def _pool(filters: CandidateFilter, year: int) -> Any:
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
    return query


def _ranked_with_firms(session: Session, firms: list[Enterprise], program: Program, year: int, today: dt.date
                       ) -> list[tuple[Any, Enterprise]]:
    by_id = {firm.id: firm for firm in firms}
    ranked = service.rank_pool(session, firms, program=program, year=year - 1, as_of=today)
    return [(candidate, by_id[candidate.enterprise_id]) for candidate in ranked]


def _data_version(session: Session) -> tuple[Any, ...]:
    """What the ranking reads, in a few index lookups: any firm, figure, application or IP item created, changed,
    archived or deleted changes its count or its latest ``updated_at``."""
    version: list[Any] = []
    for model in (Enterprise, AnnualFigures, Application, IpRight):
        version.extend(session.execute(select(func.count(), func.max(model.updated_at)).select_from(model)).one())
    return tuple(version)


class _RankedPools:
    """The last few ranked pools of this process, small ones only (a city's whole registry is not kept)."""

    KEEP, LARGEST = 4, 20_000

    def __init__(self) -> None:
        self._pools: OrderedDict[tuple[Any, ...], list[CandidateRead]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> list[CandidateRead] | None:
        with self._lock:
            pool = self._pools.get(key)
            if pool is not None:
                self._pools.move_to_end(key)
            return pool

    def put(self, key: tuple[Any, ...], pool: list[CandidateRead]) -> None:
        if len(pool) > self.LARGEST:
            return
        with self._lock:
            self._pools[key] = pool
            while len(self._pools) > self.KEEP:
                self._pools.popitem(last=False)


_RANKED = _RankedPools()
