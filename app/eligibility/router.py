"""HTTP route of the eligibility engine: ``/enterprises/{id}/eligibility``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import Field

from app.eligibility import candidates, service
from app.eligibility.candidates import CandidateFilter, CandidateRead
from app.eligibility.schemas import Claims, EligibilityRead
from app.enterprises.schemas import validate_year
from app.errors import InvalidInput, problem_responses
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging
from app.http.transaction import TransactionalRoute
from app.messages import Text

router = APIRouter(prefix="/enterprises", tags=["eligibility"], route_class=TransactionalRoute)
cultivation_router = APIRouter(prefix="/cultivation", tags=["eligibility"], route_class=TransactionalRoute)

EnterpriseId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Firm id.")]


class EligibilityQuery(Claims):
    year: int | None = Field(default=None, ge=1900, le=2200,
                             description="Fiscal year whose figures are evaluated; default: the last complete year. "
                             "High-tech R&D sums this year and the two before it.")


@router.get("/{enterprise_id}/eligibility", responses=problem_responses(404, 422))
def get_enterprise_eligibility(
    enterprise_id: EnterpriseId, session: SessionDep, query: Annotated[EligibilityQuery, Query()]
) -> EligibilityRead:
    """Evaluate a firm for tech-SME registration and high-tech recognition, indicator by indicator."""
    year = query.year
    if year is not None:
        try:
            validate_year(year)
        except ValueError as exc:
            message = exc.args[0] if exc.args else str(exc)
            raise InvalidInput.at(["query", "year"], message if isinstance(message, Text)
                                  else Text(str(exc), "年度超出可选范围（1990 年至今年）")) from exc
    claims = Claims.model_validate(query.model_dump(exclude={"year"}))
    return service.evaluate_enterprise(session, enterprise_id, year, claims=claims)


@cultivation_router.get("/candidates", responses=problem_responses(422))
def list_candidates(session: SessionDep, page: Paging, filters: Annotated[CandidateFilter, Query()]
                    ) -> Page[CandidateRead]:
    """The cultivation pool: active firms not yet holding the status, closest to qualifying first."""
    items, total = candidates.candidates_page(session, filters, offset=page.offset, limit=page.limit)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset, next=page.next_url(total))
