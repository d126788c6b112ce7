"""The summary's figures from the records of technology contracts, platforms, cooperation agreements,
district indicators and commissioners. A figure is ``None`` (未录入) when nothing of its kind is recorded
for the period, so the report never prints a 0 nobody counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.commissioners.models import Commissioner, CommissionerService
from app.contracts.models import TechnologyContract
from app.cooperation.models import CooperationAgreement
from app.enums import label_of
from app.indicators import service as indicators
from app.platforms import service as platforms
from app.platforms.enums import PlatformKind
from app.platforms.models import InnovationPlatform
from app.records.crud import live_firm
from app.records.enums import LEVEL_RANK, AdministrativeLevel
from app.stats.schemas import PlatformCount

Value = Decimal | int | None


def _or_none(count: int, value: Any) -> Value:
    return value if count else None


def _between(column: Any, start: dt.date, end: dt.date) -> Any:
    return column.between(start, end)


class RecordFigures:
    """The figures of one period (1 January to ``end``)."""

    def __init__(self, session: Session, year: int, end: dt.date) -> None:
        self.session, self.year, self.end = session, year, end
        self.start = dt.date(year, 1, 1)

    def _contracts(self) -> dict[str, Value]:
        model = TechnologyContract
        count, technology, turnover = self.session.execute(
            select(func.count(), func.coalesce(func.sum(model.technology_amount), 0),
                   func.coalesce(func.sum(model.contract_amount), 0))
            .where(model.archived_at.is_(None), _between(model.registered_on, self.start, self.end),
                   live_firm(model.enterprise_id))).one()
        return {"technology_contracts": _or_none(count, count),
                "technology_contract_amount": _or_none(count, _yuan(technology)),
                "technology_contract_turnover": _or_none(count, _yuan(turnover))}

    def _cooperation(self) -> dict[str, Value]:
        model = CooperationAgreement
        count, amount = self.session.execute(
            select(func.count(), func.coalesce(func.sum(model.amount), 0))
            .where(model.archived_at.is_(None), _between(model.signed_on, self.start, self.end),
                   live_firm(model.enterprise_id))).one()
        return {"cooperation_agreements": _or_none(count, count), "cooperation_amount": _or_none(count, _yuan(amount))}

    def _live_platforms(self) -> Any:
        return select(InnovationPlatform).where(InnovationPlatform.archived_at.is_(None),
                                                live_firm(InnovationPlatform.enterprise_id))

    def platforms_recognized(self) -> Value:
        count = self.session.scalar(self._live_platforms().with_only_columns(func.count()).where(
            _between(InnovationPlatform.recognised_on, self.start, self.end))) or 0
        return _or_none(count, count)

    def platform_counts(self) -> list[PlatformCount]:
        rows = list(self.session.scalars(self._live_platforms().where(InnovationPlatform.recognised_on <= self.end)))
        standing = {p.id for p in self.session.scalars(self._live_platforms().where(
            platforms.standing_condition(self.end)))}
        result = []
        for kind in PlatformKind:
            for level in AdministrativeLevel:
                of_kind = [p for p in rows if p.kind == kind.value and p.level == level.value]
                if not of_kind:
                    continue
                new = [p for p in of_kind if p.recognised_on >= self.start]
                before = [p for p in rows if p.kind == kind.value and p.recognised_on < self.start
                          and LEVEL_RANK[AdministrativeLevel(p.level)] <= LEVEL_RANK[level]]
                result.append(PlatformCount(
                    kind=kind.value, kind_label=label_of(kind), level=level.value, level_label=label_of(level),
                    recognised=len(new), standing=sum(1 for p in of_kind if p.id in standing),
                    first_at_level=bool(new) and not before))
        return result

    def _official(self) -> dict[str, Value]:
        values = indicators.indicator_values(self.session, [self.year])
        return {"high_tech_value_added": values.get((self.year, "high_tech_value_added")),
                "rd_expense_official": values.get((self.year, "rd_expense_above_scale")),
                "rd_intensity": values.get((self.year, "rd_intensity"))}

    def _commissioners(self) -> dict[str, Value]:
        model = Commissioner
        live = select(model).where(model.archived_at.is_(None), model.appointed_on <= self.end)
        serving = live.where((model.ended_on.is_(None)) | (model.ended_on >= self.start))
        any_recorded = self.session.scalar(live.with_only_columns(func.count())) or 0
        counts = {level: n for level, n in self.session.execute(
            serving.with_only_columns(model.level, func.count()).group_by(model.level))}
        foreign = self.session.scalar(live.with_only_columns(func.count()).where(
            model.foreign_expert.is_(True), model.appointed_on >= self.start)) or 0
        figures: dict[str, Value] = {f"commissioners_{level.value}": _or_none(any_recorded, counts.get(level.value, 0))
                                     for level in AdministrativeLevel}
        figures["foreign_experts_introduced"] = _or_none(any_recorded, foreign)
        return figures

    def _services(self) -> dict[str, Value]:
        model = CommissionerService
        rows = list(self.session.scalars(select(model).join(Commissioner, Commissioner.id == model.commissioner_id)
                                         .where(model.archived_at.is_(None), Commissioner.archived_at.is_(None),
                                                _between(model.served_on, self.start, self.end),
                                                live_firm(model.enterprise_id))))
        trainings = [r for r in rows if r.kind == "training"]
        areas: dict[str, Decimal] = {}
        for r in rows:
            if r.demonstration_base:
                areas[r.demonstration_base] = max(areas.get(r.demonstration_base, Decimal(0)),
                                                  r.demonstration_area_mu or Decimal(0))
        n = len(rows)
        return {
            "commissioner_trainings": _or_none(n, len(trainings)),
            "commissioner_trainees": _or_none(n, sum(r.headcount for r in trainings)),
            "techniques_promoted": _or_none(n, len({t for r in rows for t in r.techniques})),
            "varieties_promoted": _or_none(n, len({v for r in rows for v in r.varieties})),
            "demonstration_bases": _or_none(n, len(areas)),
            "demonstration_area_mu": _or_none(n, sum(areas.values(), Decimal("0.00"))),
        }

    def figures(self) -> dict[str, Value]:
        return {**self._contracts(), "platforms_recognized": self.platforms_recognized(), **self._cooperation(),
                **self._official(), **self._commissioners(), **self._services()}


def _yuan(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
