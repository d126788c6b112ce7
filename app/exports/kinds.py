"""What each export holds: its columns, its file name, and its rows for the list filters — shared by the
``/exports`` routes and ``seedbed export``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any, get_origin

from pydantic import BaseModel, ValidationError
from sqlalchemy import Select, SQLColumnExpression, select
from sqlalchemy.orm import Session

from app.enterprises import service as enterprises
from app.enterprises.models import AnnualFigures, Enterprise, EnterpriseTag
from app.enterprises.schemas import EnterpriseFilter, FiguresFilter
from app.errors import InvalidInput
from app.exports.columns import (
    APPLICATION_COLUMNS,
    DEMAND_COLUMNS,
    ENTERPRISE_COLUMNS,
    FIGURES_COLUMNS,
    VISIT_COLUMNS,
)
from app.exports.records import record_export
from app.exports.tabular import Export, RecordSource
from app.http.pagination import parse_sort
from app.imports.record_kinds import RECORD_FILES
from app.messages import Text
from app.pipeline import service as pipeline
from app.pipeline.models import Application
from app.pipeline.schemas import ApplicationFilter
from app.visits import demands
from app.visits import service as visits
from app.visits.models import Demand, Visit
from app.visits.schemas import DemandFilter, VisitFilter

YIELD_PER = 1000


def _firms_with_tags(query: Select[Any]) -> RecordSource:
    """Plain rows of the firms, with each firm's sorted tags fetched a thousand firms at a time: building
    ORM objects cost more than reading and writing the rows."""
    plain = query.with_only_columns(*Enterprise.__table__.columns).execution_options(yield_per=YIELD_PER)

    def records(session: Session) -> Iterator[tuple[Any, list[str]]]:
        for part in session.execute(plain).partitions():
            tags: dict[int, list[str]] = defaultdict(list)
            tagged = select(EnterpriseTag.enterprise_id, EnterpriseTag.tag).where(
                EnterpriseTag.enterprise_id.in_([row.id for row in part]))
            for firm_id, tag in session.execute(tagged):
                tags[firm_id].append(tag)
            for row in part:
                yield row, sorted(tags.get(row.id, ()))

    return records


def _with_firm(query: Select[Any], enterprise_id: Any, order: list[SQLColumnExpression[Any]]) -> RecordSource:
    """Rows of (record, firm name, credit code): staff read firms by name."""
    named = (query.add_columns(Enterprise.name, Enterprise.credit_code)
             .join(Enterprise, Enterprise.id == enterprise_id).order_by(*order)
             .execution_options(yield_per=YIELD_PER))

    def records(session: Session) -> Any:
        return session.execute(named)

    return records


def enterprises_export(filters: EnterpriseFilter) -> Export:
    order = parse_sort(filters.sort, enterprises.SORTABLE, default=["id"], tiebreaker=Enterprise.id)
    query = enterprises.filtered_enterprises(filters).order_by(*order)
    return Export("企业名录", ENTERPRISE_COLUMNS, _firms_with_tags(query))


def applications_export(filters: ApplicationFilter) -> Export:
    order = parse_sort(filters.sort, pipeline.SORTABLE, default=["id"], tiebreaker=Application.id)
    query = pipeline.filtered_applications(filters)
    return Export("培育项目申报", APPLICATION_COLUMNS, _with_firm(query, Application.enterprise_id, order))


def visits_export(filters: VisitFilter) -> Export:
    order = parse_sort(filters.sort, visits.SORTS, default=["-visited_on"], tiebreaker=Visit.id)
    query = visits.filtered_visits(filters)
    return Export("走访记录", VISIT_COLUMNS, _with_firm(query, Visit.enterprise_id, order))


def demands_export(filters: DemandFilter) -> Export:
    order = parse_sort(filters.sort, demands.SORTS, default=["-raised_on"], tiebreaker=Demand.id)
    query = demands.filtered_demands(filters)
    return Export("企业诉求", DEMAND_COLUMNS, _with_firm(query, Demand.enterprise_id, order))


def figures_export(filters: FiguresFilter) -> Export:
    """Every firm's figures of the chosen years in one file: a statistics script's one request."""
    firms = enterprises.filtered_enterprises(filters.firms()).with_only_columns(Enterprise.id)
    query = (select(AnnualFigures, Enterprise.name, Enterprise.credit_code, Enterprise.district,
                    Enterprise.above_scale)
             .join(Enterprise, Enterprise.id == AnnualFigures.enterprise_id)
             .where(AnnualFigures.enterprise_id.in_(firms))
             .order_by(AnnualFigures.year, AnnualFigures.enterprise_id)
             .execution_options(yield_per=YIELD_PER))
    if filters.year:
        query = query.where(AnnualFigures.year.in_(filters.year))
    if filters.updated_since is not None:
        query = query.where(AnnualFigures.updated_at >= filters.updated_since)

    def records(session: Session) -> Any:
        return session.execute(query)

    return Export("企业年度经营数据", FIGURES_COLUMNS, records)


# kind → (its list's filter model, the export built from those filters)
EXPORTS: dict[str, tuple[type[BaseModel], Callable[[Any], Export]]] = {
    "enterprises": (EnterpriseFilter, enterprises_export),
    "applications": (ApplicationFilter, applications_export),
    "visits": (VisitFilter, visits_export),
    "demands": (DemandFilter, demands_export),
    "figures": (FiguresFilter, figures_export),
    **{spec.name: (spec.filters, record_export(spec)) for spec in RECORD_FILES},
}


def parse_filters(kind: str, pairs: Sequence[str]) -> BaseModel:
    """``name=value`` pairs from the command line as the kind's list filters (a name given twice matches
    either value, as a repeated query parameter does). Raises ``InvalidInput`` naming the filter."""
    model = EXPORTS[kind][0]
    values: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InvalidInput.at(["filter", pair], Text(
                "write a filter as name=value, e.g. district=丹阳街道",
                "筛选条件应写成 名称=值，例如 district=丹阳街道"))
        if name not in model.model_fields:
            known = ", ".join(model.model_fields)
            raise InvalidInput.at(["filter", name], Text(
                f"{kind} have no filter {name!r}; known: {known}", f"{kind} 没有筛选条件 {name!r}；可用的有：{known}"))
        values.setdefault(name, []).append(value)
    data = {name: given if get_origin(model.model_fields[name].annotation) is list else given[-1]
            for name, given in values.items()}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(part) for part in first["loc"]]
        raise InvalidInput.at(["filter", *loc], f"filter {'.'.join(loc)}: {first['msg']}") from exc
