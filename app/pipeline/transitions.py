"""An application's stage changes: what the program allows from here, what each move requires and derives,
and the history of stage events. Never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import Actor
from app.errors import Conflict, ErrorItem, InvalidInput
from app.fields import business_today
from app.messages import Text
from app.pipeline.checks import ensure_active, joined, refuse_computed, refuse_derived, stage_labels, valid_details
from app.pipeline.declarations import COMMON_FIELDS, Entered, StageKind
from app.pipeline.models import Application, StageEvent
from app.pipeline.schemas import TransitionCreate
from app.pipeline.service import flush_versioned, program_of, snapshot


def list_events(session: Session, application: Application) -> list[StageEvent]:
    query = (select(StageEvent).where(StageEvent.application_id == application.id)
             .order_by(StageEvent.at, StageEvent.id))
    return list(session.scalars(query))


def transition_application(session: Session, application: Application, data: TransitionCreate, *, actor: Actor,
                           imported: bool = False) -> StageEvent:
    """Move an application to another stage: 409 if the program does not allow it from here, 422 if a
    required field is missing or a value breaks the stage's rules.

    ``imported``: a historic record from a spreadsheet may skip stages still open (the bureau's list says
    where the case ended, not every step); the fields and checks of every skipped step still apply."""
    ensure_active(application)
    program = program_of(application)
    target = program.stage(data.to)
    if target is None:
        codes = [s.code for s in program.all_stages]
        stages = ", ".join(codes)
        raise InvalidInput.at(["body", "to"], Text(
            f"program {program.code} has no stage '{data.to}'; stages: {stages}",
            f"「{program.label}」没有“{data.to}”这个阶段；可选：{stage_labels(program, codes)}"))
    direct = program.transition(application.stage, data.to)
    rules = [direct] if direct is not None else None
    current_open = application.stage in program.stages_of_kind(StageKind.open)
    if rules is None and imported and current_open:
        rules = program.path(application.stage, data.to)
    if rules is None:
        allowed = program.allowed_from(application.stage)
        current = program.stage(application.stage)
        options = ", ".join(allowed) if allowed else "none: the application is closed"
        options_zh = stage_labels(program, allowed) if allowed else "无（申报已办结）"
        raise Conflict(
            Text(f"「{program.label}」: cannot move from {application.stage} ({current.label if current else '?'}) "
                 f"to {data.to} ({target.label}). Allowed from here: {options}.",
                 f"「{program.label}」：不能从「{current.label if current else application.stage}」变更为"
                 f"「{target.label}」。当前可变更为：{options_zh}。"),
            current_stage=application.stage, allowed_transitions=allowed,
        )
    on = data.on or business_today()
    if on < application.stage_entered_on:
        raise InvalidInput.at(["body", "on"], Text(
            f"cannot be before {application.stage_entered_on.isoformat()}, "
            "when the application entered its current stage",
            f"不能早于 {application.stage_entered_on.isoformat()}（申报进入当前阶段的日期）"))
    refuse_computed(program, data.details, ["body", "details"])
    details = valid_details(program, {**application.details, **data.details}, ["body", "details"])
    sent = {f: getattr(data, f) for f in COMMON_FIELDS if getattr(data, f) is not None}
    refuse_derived(program, sent)
    merged = {f: sent.get(f, getattr(application, f)) for f in COMMON_FIELDS}
    requires = list(dict.fromkeys(r for rule in rules for r in rule.requires))
    missing = [r for r in requires
               if (details.get(r.field.removeprefix("details.")) if r.field.startswith("details.")
                   else merged[r.field]) is None]
    if missing:
        raise InvalidInput(
            Text(f"Moving to {target.label} needs: {', '.join(r.label for r in missing)}.",
                 f"变更为「{target.label}」须填写：{'、'.join(r.label for r in missing)}。"),
            errors=[ErrorItem(loc=["body", *r.field.split(".")],
                              msg=Text(f"required to move to {data.to} ({r.label})",
                                       f"变更为「{target.label}」须填写{r.label}"),
                              type="missing") for r in missing],
        )
    entered = Entered(year=application.year, on=on, valid_from=application.valid_from, details=details, **merged)
    problems = [problem for rule in rules if rule.check for problem in rule.check(entered)]
    if problems:
        raise InvalidInput(joined([m for _, m in problems]),
                           errors=[ErrorItem(loc=["body", f], msg=m, type="value_error") for f, m in problems])
    before = snapshot(application)
    derived: dict[str, Any] = {}
    for rule in rules:
        derived.update(rule.derive(entered) if rule.derive else {})
    values = {**sent, "details": details, **derived}
    for field, value in values.items():
        setattr(application, field, value)
    from_stage = application.stage
    from_label = current.label if (current := program.stage(from_stage)) else from_stage
    application.stage = data.to
    application.stage_entered_on = on
    event = StageEvent(application_id=application.id, enterprise_id=application.enterprise_id,
                       program=program.code, from_stage=from_stage, to_stage=data.to, occurred_on=on,
                       actor_id=actor.user_id, actor_name=actor.name, note=data.note,
                       fields=audit.jsonable({k: v for k, v in values.items() if k != "details"}
                                             | ({"details": data.details} if data.details else {})))
    session.add(event)
    flush_versioned(session, application)
    after = snapshot(application)
    audit.record(session, actor=actor, action="transition", entity_type="application", entity_id=application.id,
                 enterprise_id=application.enterprise_id,
                 changes={k: (before[k], after[k]) for k in after if before[k] != after[k]},
                 summary=f"「{program.label}」{from_label} → {target.label}")
    return event
