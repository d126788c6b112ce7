"""Random records for the summary's exactness tests: firms (some archived, some moved out), applications of every
program at every stage (some archived, amounts with fen up to a trillion yuan, dates on the years' edges), renewals,
stage events, annual figures, visits and demands."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from app.db import utcnow
from app.enterprises.models import AnnualFigures, Enterprise
from app.pipeline.models import Application, StageEvent
from app.visits.models import Demand, Visit

YEARS = (2022, 2023, 2024, 2025, 2026)
STAGES = {
    "tech_sme": ("draft", "submitted", "registered", "rejected"),
    "high_tech": ("submitted", "recommended", "recognized", "revoked", "rejected"),
    "rd_subsidy": ("submitted", "approved", "disbursed", "rejected"),
    "tech_loan": ("applied", "disbursed", "overdue", "repaid"),
}


def day(rng: random.Random) -> dt.date:
    # Often on the first or last day of a year or a month, or on the days a year in progress is cut at.
    year = rng.choice(YEARS)
    month = dt.date(year, rng.randrange(1, 13), 1)
    month_end = (month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return rng.choice([dt.date(year, 1, 1), dt.date(year, 12, 31), dt.date(year, 6, 30), dt.date(year, 7, 1),
                       month, month_end, dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))])


def yuan(rng: random.Random) -> Decimal | None:
    if rng.random() < 0.15:
        return None
    return Decimal(rng.randrange(0, 10**14)) / 100  # up to a trillion yuan, with fen


@dataclass
class Records:
    firms: list[Enterprise]
    applications: list[Application]
    events: list[StageEvent]


def fill(session: Session, rng: random.Random) -> Records:
    firms = [Enterprise(credit_code=f"91430702MA{n:08d}", name=f"常德汇总测试{n}有限公司", district="丹阳街道",
                        above_scale=rng.random() < 0.5, status=rng.choice(("active", "active", "moved_out")),
                        registered_on=rng.choice([None, day(rng)])) for n in range(40)]
    session.add_all(firms)
    session.flush()
    applications = []
    for _ in range(400):
        program = rng.choice(list(STAGES))
        valid_from = rng.choice([None, day(rng)])
        applications.append(Application(
            program=program, enterprise_id=rng.choice(firms).id, year=rng.choice(YEARS),
            stage=rng.choice(STAGES[program]), stage_entered_on=day(rng), amount_approved=yuan(rng),
            amount_disbursed=yuan(rng), valid_from=valid_from,
            valid_until=None if valid_from is None else valid_from + dt.timedelta(days=rng.randrange(1, 1200)),
            archived_at=utcnow() if rng.random() < 0.1 else None))
    # Renewals (重新认定): an earlier certificate of the same firm, three years before.
    applications += [Application(program="high_tech", enterprise_id=a.enterprise_id, year=a.year - 3,
                                 stage="recognized", stage_entered_on=a.valid_from - dt.timedelta(days=1095),
                                 valid_from=a.valid_from - dt.timedelta(days=1095), valid_until=a.valid_from)
                     for a in applications if a.program == "high_tech" and a.valid_from is not None
                     and a.stage in ("recognized", "revoked") and rng.random() < 0.5]
    session.add_all(applications)
    session.flush()
    events = [StageEvent(application_id=a.id, enterprise_id=a.enterprise_id, program=a.program,
                         to_stage=rng.choice(("recommended", "submitted")), occurred_on=day(rng), actor_name="测试")
              for a in applications if a.program == "high_tech"]
    session.add_all(events)
    session.add_all([AnnualFigures(enterprise_id=firm.id, year=year, rd_expense=yuan(rng),
                                   high_tech_income=yuan(rng))
                     for firm in firms for year in YEARS if rng.random() < 0.7])
    session.add_all([Visit(enterprise_id=rng.choice(firms).id, visited_on=day(rng), kind="phone",
                           summary="电话回访", archived_at=utcnow() if rng.random() < 0.1 else None)
                     for _ in range(200)])
    for _ in range(120):
        raised = day(rng)
        resolved = rng.random() < 0.5
        session.add(Demand(enterprise_id=rng.choice(firms).id, category="funding", description="资金",
                           raised_on=raised, status="resolved" if resolved else "open",
                           due_on=rng.choice([None, raised + dt.timedelta(days=rng.randrange(60))]),
                           resolved_on=raised + dt.timedelta(days=rng.randrange(90)) if resolved else None))
    for firm in rng.sample(firms, 6):
        firm.archived_at = utcnow()
    session.flush()
    return Records(firms, applications, events)
