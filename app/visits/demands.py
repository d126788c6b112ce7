"""Demands (诉求) firms raise, tracked open → in_progress → resolved | closed. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, func, not_, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.schemas import TimelineEntry
from app.audit.service import Actor
from app.audit.timeline import TimelineSource, register_source
from app.auth.models import User
from app.enterprises.models import Enterprise
from app.enums import label_of
from app.errors import Conflict, InvalidInput, NotFound
from app.fields import business_today
from app.http.pagination import PageParams, paginate, parse_sort
from app.messages import Text
from app.publicity import records
from app.visits.enums import ALLOWED_TRANSITIONS, DemandCategory, DemandStatus
from app.visits.models import Demand, Visit
from app.visits.schemas import DemandCreate, DemandFilter, DemandTransition, VisitDemand
from app.visits.service import enterprise_for_write, overdue_demands_query

FIELDS = ("category", "description", "visit_id", "raised_on", "assignee_id", "due_on")
OUTCOME_FIELDS = ("status", "resolution", "resolved_on", "close_reason", "closed_on")
SORTS: dict[str, SQLColumnExpression[Any]] = {
    "id": Demand.id, "raised_on": Demand.raised_on, "due_on": Demand.due_on, "status": Demand.status,
    "created_at": Demand.created_at, "updated_at": Demand.updated_at,
}


def get_demand(session: Session, demand_id: int) -> Demand:
    demand = session.get(Demand, demand_id)
    if demand is None:
        raise NotFound(Text(f"No demand has id {demand_id}.", f"没有编号为 {demand_id} 的诉求。"))
    return demand


def filtered_demands(filters: DemandFilter) -> Select[Demand]:
    query = select(Demand)
    if not filters.include_archived:
        query = query.where(Demand.archived_at.is_(None))
    for column, value in ((Demand.enterprise_id, filters.enterprise_id), (Demand.visit_id, filters.visit_id),
                          (Demand.assignee_id, filters.assignee_id)):
        if value is not None:
            query = query.where(column == value)
    if filters.category:
        query = query.where(Demand.category.in_([c.value for c in filters.category]))
    if filters.status:
        query = query.where(Demand.status.in_([s.value for s in filters.status]))
    if filters.overdue is not None:
        overdue = Demand.id.in_(overdue_demands_query(business_today()).with_only_columns(Demand.id))
        query = query.where(overdue if filters.overdue else not_(overdue))
    if filters.raised_from is not None:
        query = query.where(Demand.raised_on >= filters.raised_from)
    if filters.raised_to is not None:
        query = query.where(Demand.raised_on <= filters.raised_to)
    if filters.district:
        in_district = select(Enterprise.id).where(Enterprise.district.in_(filters.district))
        query = query.where(Demand.enterprise_id.in_(in_district))
    if filters.updated_since is not None:
        query = query.where(records.changed_since(Demand.updated_at, filters.updated_since))
    return query


def list_demands(session: Session, *, filters: DemandFilter, page: PageParams) -> tuple[list[Demand], int]:
    order = parse_sort(filters.sort, SORTS, default=["-raised_on"], tiebreaker=Demand.id)
    return paginate(session, filtered_demands(filters), order, page)


def _check_refs(session: Session, enterprise_id: int, values: dict[str, Any]) -> None:
    visit_id = values.get("visit_id")
    if visit_id is not None:
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise InvalidInput.at(["body", "visit_id"], Text(f"no visit has id {visit_id}",
                                                             f"没有编号为 {visit_id} 的走访记录"), "not_found")
        if visit.enterprise_id != enterprise_id:
            raise InvalidInput.at(["body", "visit_id"], Text(f"visit {visit_id} was to another firm",
                                                             f"走访记录 {visit_id} 属于另一家企业"))
    assignee_id = values.get("assignee_id")
    if assignee_id is not None and session.get(User, assignee_id) is None:
        raise InvalidInput.at(["body", "assignee_id"], Text(f"no user has id {assignee_id}",
                                                            f"没有编号为 {assignee_id} 的用户"), "not_found")
    due_on, raised_on = values.get("due_on"), values["raised_on"]
    if due_on is not None and due_on < raised_on:
        raise InvalidInput.at(["body", "due_on"], Text(f"cannot be before the day it was raised ({raised_on})",
                                                       f"不能早于诉求提出日期（{raised_on}）"))


def create_demand(session: Session, data: DemandCreate, *, actor: Actor) -> Demand:
    enterprise = enterprise_for_write(session, data.enterprise_id)
    values = data.model_dump()
    if values["raised_on"] is None:
        visit = session.get(Visit, data.visit_id) if data.visit_id is not None else None
        values["raised_on"] = visit.visited_on if visit is not None else business_today()
    _check_refs(session, enterprise.id, values)
    demand = Demand(**{k: getattr(v, "value", v) for k, v in values.items()}, status=DemandStatus.open.value,
                    logged_by=actor.user_id)
    session.add(demand)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="demand", entity_id=demand.id,
                 enterprise_id=demand.enterprise_id,
                 changes=audit.created(records.values_of(demand, (*FIELDS, "status"))),
                 summary=f"诉求（{label_of(DemandCategory(demand.category))}）")
    return demand


def create_raised_in_visit(session: Session, visit: Visit, items: Sequence[VisitDemand], *, actor: Actor
                           ) -> list[Demand]:
    """The demands sent with a new visit: each of the visit's firm, raised on its date. An error names the
    demand by its place in the visit's body (``body.demands.1.due_on``)."""
    created = []
    for index, item in enumerate(items):
        data = DemandCreate(enterprise_id=visit.enterprise_id, visit_id=visit.id, raised_on=visit.visited_on,
                            **item.model_dump())
        try:
            created.append(create_demand(session, data, actor=actor))
        except InvalidInput as exc:
            for error in exc.errors or ():
                if error.loc[:1] == ["body"]:
                    error.loc = ["body", "demands", index, *error.loc[1:]]
            raise
    return created


def update_demand(session: Session, demand: Demand, changes: dict[str, Any], *, actor: Actor) -> audit.Diff:
    records.ensure_not_archived(demand, "Demand")
    before = records.values_of(demand, FIELDS)
    _check_refs(session, demand.enterprise_id, {**before, **changes})
    for field, value in changes.items():
        setattr(demand, field, getattr(value, "value", value))
    diff = records.diff(before, records.values_of(demand, FIELDS))
    if diff:
        session.flush()
        audit.record(session, actor=actor, action="update", entity_type="demand", entity_id=demand.id,
                     enterprise_id=demand.enterprise_id, changes=diff)
    return diff


def transition_demand(session: Session, demand: Demand, data: DemandTransition, *, actor: Actor) -> audit.Diff:
    """Move a demand along its status flow; 409 lists the statuses it may move to."""
    records.ensure_not_archived(demand, "Demand")
    current = DemandStatus(demand.status)
    allowed = ALLOWED_TRANSITIONS[current]
    if data.to not in allowed:
        options = ", ".join(sorted(allowed)) or "none (it is finished)"
        labels = "、".join(label_of(status) for status in sorted(allowed)) or "无（已办结）"
        raise Conflict(Text(f"A demand that is {current.value} cannot become {data.to.value}; allowed: {options}.",
                            f"“{label_of(current)}”的诉求不能变为“{label_of(data.to)}”；可变为：{labels}。"),
                       allowed=sorted(allowed))
    before = records.values_of(demand, OUTCOME_FIELDS)
    if data.to is DemandStatus.resolved:
        if not data.resolution:
            raise InvalidInput.at(["body", "resolution"], Text("say how the demand was resolved",
                                                                 "请说明诉求是如何解决的"), "missing")
        resolved_on = data.resolved_on or business_today()
        if resolved_on < demand.raised_on:
            raise InvalidInput.at(["body", "resolved_on"], Text(
                f"cannot be before it was raised ({demand.raised_on})", f"不能早于诉求提出日期（{demand.raised_on}）"))
        demand.resolution, demand.resolved_on = data.resolution, resolved_on
    elif data.to is DemandStatus.closed:
        if not data.reason:
            raise InvalidInput.at(["body", "reason"], Text("say why the demand cannot be resolved",
                                                             "请说明诉求无法解决的原因"), "missing")
        demand.close_reason, demand.closed_on = data.reason, business_today()
    demand.status = data.to.value
    diff = records.diff(before, records.values_of(demand, OUTCOME_FIELDS))
    session.flush()
    audit.record(session, actor=actor, action="transition", entity_type="demand", entity_id=demand.id,
                 enterprise_id=demand.enterprise_id, changes=diff,
                 summary=f"诉求 {label_of(current)} → {label_of(data.to)}")
    return diff


def archive_demand(session: Session, demand: Demand, *, actor: Actor) -> bool:
    return records.archive(session, demand, actor=actor, entity_type="demand", enterprise_id=demand.enterprise_id)


def restore_demand(session: Session, demand: Demand, *, actor: Actor) -> bool:
    return records.restore(session, demand, actor=actor, entity_type="demand", enterprise_id=demand.enterprise_id)


# --- timeline -------------------------------------------------------------------------------------


def _firm_demands(enterprise_id: int) -> Select[Demand]:
    return select(Demand).where(Demand.enterprise_id == enterprise_id, Demand.archived_at.is_(None))


def _newest_demands(session: Session, enterprise_id: int, n: int) -> list[TimelineEntry]:
    query = _firm_demands(enterprise_id).order_by(Demand.raised_on.desc(), Demand.id.desc()).limit(n)
    return [
        TimelineEntry(
            kind="demand", at=records.business_moment(d.raised_on), actor_id=d.logged_by, actor_name=None,
            title=f"诉求（{label_of(DemandCategory(d.category))}，{label_of(DemandStatus(d.status))}）："
                  f"{d.description[:60]}",
            entity_type="demand", entity_id=d.id,
            details={"raised_on": d.raised_on.isoformat(), "category": d.category, "status": d.status,
                     "due_on": d.due_on.isoformat() if d.due_on else None, "overdue": d.overdue,
                     "visit_id": d.visit_id},
        )
        for d in session.scalars(query)
    ]


def _count_demands(session: Session, enterprise_id: int) -> int:
    return session.scalar(select(func.count()).select_from(_firm_demands(enterprise_id).subquery())) or 0


register_source(TimelineSource(kind="demand", newest=_newest_demands, count=_count_demands))
