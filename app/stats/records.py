"""The summary's figures from the records of technology contracts, platforms, cooperation agreements,
district indicators and commissioners. A figure is ``None`` (未录入) when nothing of its kind is recorded
for the period, so the report never prints a 0 nobody counted."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, case, cast, func, select
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
        model = InnovationPlatform
        # Per (kind, level), counted by the database: the platforms recognised by the end of the period, those
        # recognised in it, those standing at its end, and those recognised before it.
        rows = self.session.execute(self._live_platforms().with_only_columns(
            model.kind, model.level, func.count(), func.count(case((model.recognised_on >= self.start, 1))),
            func.count(case((platforms.standing_condition(self.end), 1))),
            func.count(case((model.recognised_on < self.start, 1))))
            .where(model.recognised_on <= self.end).group_by(model.kind, model.level)).all()
        # Per kind, the highest level (lowest rank) recognised before the period — a level below it is not a first.
        found: dict[tuple[str, str], list[int]] = {}
        highest_before: dict[str, int] = {}
        for kind, level, recognised, new, standing, before in rows:
            found[kind, level] = [recognised, new, standing]
            if before:
                rank = LEVEL_RANK[AdministrativeLevel(level)]
                highest_before[kind] = min(rank, highest_before.get(kind, rank))
        result = []
        for kind in PlatformKind:
            for level in AdministrativeLevel:
                of_kind = found.get((kind.value, level.value))
                if not of_kind:
                    continue
                _, new, standing_count = of_kind
                before = highest_before.get(kind.value, len(LEVEL_RANK) + 1) <= LEVEL_RANK[level]
                result.append(PlatformCount(
                    kind=kind.value, kind_label=label_of(kind), level=level.value, level_label=label_of(level),
                    recognised=new, standing=standing_count, first_at_level=bool(new) and not before))
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
        served = (select(model).join(Commissioner, Commissioner.id == model.commissioner_id)
                  .where(model.archived_at.is_(None), Commissioner.archived_at.is_(None),
                         _between(model.served_on, self.start, self.end), live_firm(model.enterprise_id)))
        training = model.kind == "training"
        n, trainings, trainees = self.session.execute(served.with_only_columns(
            func.count(), func.count(case((training, 1))), func.coalesce(func.sum(case((training, model.headcount))), 0)
        )).one()
        # Techniques and varieties promoted: the distinct lists (few) are read and their entries collected.
        promoted = [{entry for text in self.session.scalars(served.with_only_columns(cast(column, Text)).distinct())
                     if text for entry in json.loads(text)} for column in (model.techniques, model.varieties)]
        # A demonstration base counts once, with the largest area recorded for it.
        areas = self.session.execute(served.with_only_columns(
            model.demonstration_base, func.max(model.demonstration_area_mu))
            .where(model.demonstration_base.is_not(None), model.demonstration_base != "")
            .group_by(model.demonstration_base)).all()
        return {
            "commissioner_trainings": _or_none(n, trainings),
            "commissioner_trainees": _or_none(n, int(trainees)),
            "techniques_promoted": _or_none(n, len(promoted[0])),
            "varieties_promoted": _or_none(n, len(promoted[1])),
            "demonstration_bases": _or_none(n, len(areas)),
            "demonstration_area_mu": _or_none(n, sum((area or Decimal(0) for _, area in areas), Decimal("0.00"))),
        }

    def figures(self) -> dict[str, Value]:
        return {**self._contracts(), "platforms_recognized": self.platforms_recognized(), **self._cooperation(),
                **self._official(), **self._commissioners(), **self._services()}


def _yuan(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
