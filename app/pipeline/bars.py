"""Bars on applying again after a revocation, derived from the revoked applications (never stored)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.enums import label_of
from app.errors import Conflict, ErrorItem
from app.messages import Text
from app.pipeline.models import Application
from app.pipeline.programs import RevocationReason, revocation_bar

_BATCH = 1000


@dataclass(frozen=True)
class Bar:
    program: str
    until: dt.date
    rule: str
    application_id: int
    revoked_on: dt.date
    reason: str | None

    @property
    def note(self) -> str:
        reason = RevocationReason(self.reason) if self.reason in set(RevocationReason) else None
        why = f"（{label_of(reason)}）" if reason else ""
        return (f"{self.revoked_on} 被撤销{why}：{self.rule}，至 {self.until} 止（{self.until + dt.timedelta(days=1)} "
                "起可再次申请）")


def bars_on(session: Session, ids: Sequence[int], program: str, day: dt.date) -> dict[int, Bar]:
    """The bar in force on ``day`` for each of the firms (the longest when several)."""
    found: dict[int, Bar] = {}
    for start in range(0, len(ids), _BATCH):
        query = select(Application).where(
            Application.enterprise_id.in_(ids[start:start + _BATCH]), Application.program == program,
            Application.stage == "revoked", Application.archived_at.is_(None))
        for application in session.scalars(query):
            reason = (application.details or {}).get("revocation_reason")
            bar = revocation_bar(program, reason, application.stage_entered_on)
            if bar is None or bar[0] < day:
                continue
            current = found.get(application.enterprise_id)
            if current is None or current.until < bar[0]:
                found[application.enterprise_id] = Bar(program, bar[0], bar[1], application.id,
                                                       application.stage_entered_on, reason)
    return found


def first_day_sought(year: int, on: dt.date) -> dt.date:
    """The day a bar is judged on for an application (or a pool) of ``year`` made on ``on``: a bar ending in an
    earlier year does not hold back an application for the next one."""
    return max(on, dt.date(year, 1, 1))


def refuse_if_barred(session: Session, *, enterprise_id: int, program: str, year: int, on: dt.date) -> None:
    bar = bars_on(session, [enterprise_id], program, first_day_sought(year, on)).get(enterprise_id)
    if bar is None:
        return
    raise Conflict(
        Text(f"This firm may not apply again until {bar.until + dt.timedelta(days=1)}: {bar.note}.",
             f"该企业 {bar.until + dt.timedelta(days=1)} 起才能再次申请：{bar.note}。"),
        errors=[ErrorItem(loc=["body", "year"], msg=Text(f"barred until {bar.until}", f"至 {bar.until} 止不得再次申请"),
                          type="barred")],
        barred_until=bar.until.isoformat(), revoked_application_id=bar.application_id,
    )
