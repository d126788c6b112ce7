"""Demo step of the pipeline: applications of the four programs with their stage histories.

Innovative firms apply more and get further: the firm's hidden ``intensity`` drives who is a high-tech
enterprise, who registers as a tech-SME each year, who claims the R&D subsidy and who borrows. Each
application walks a declared path of its program, one dated stage event per step, so histories, alerts
(expiring certificates, lapsed registrations, overdue loans, stuck cases) and the summary all have data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from typing import Any
from zoneinfo import ZoneInfo

from app.config import BUSINESS_TIMEZONE
from app.demo.context import DemoContext, DemoFirm, reserve_ids, yuan
from app.enterprises.enums import EnterpriseStatus
from app.pipeline import programs as p
from app.pipeline.declarations import Program
from app.pipeline.models import Application, StageEvent

_ZONE = ZoneInfo(BUSINESS_TIMEZONE)
_BANKS = ("常德农商银行武陵支行", "中国银行常德分行", "建设银行常德分行", "长沙银行常德分行", "华融湘江银行常德分行")
_PRODUCTS = ("知识价值信用贷款", "科技担保贷", "知识产权质押贷款", "科技保险贷")


def _path(program: Program, stage: str) -> list[str]:
    """Stages from the program's first to ``stage``, the shortest declared way."""
    start = program.starts[0]
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for nxt in program.allowed_from(current):
            if nxt not in previous and nxt != start:
                previous[nxt] = current
                queue.append(nxt)
    chain = [stage]
    while chain[-1] != start:
        chain.append(previous[chain[-1]])
    return list(reversed(chain))


class _Maker:
    def __init__(self, ctx: DemoContext, rng: random.Random, ids: list[int]) -> None:
        self.ctx, self.rng, self.ids = ctx, rng, ids
        self.applications: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []

    def add(self, firm: DemoFirm, program: Program, year: int, stage: str, start: dt.date,
            pins: dict[str, dt.date] | None = None, **values: Any) -> None:
        """An application walked from its first stage to ``stage``, a step every few weeks from ``start``;
        ``pins`` fixes the dates of some stages (an issue date, a disbursement)."""
        app_id = self.ids[len(self.applications)]
        steps = _path(program, stage)
        pins = pins or {}
        dates, day = [], start
        for step in steps:
            day = pins.get(step, day)
            dates.append(day)
            day += dt.timedelta(days=self.rng.randint(10, 60))
        # Walk back so that dates never decrease and none lies after the anchor date.
        later = self.ctx.as_of
        for n in range(len(dates) - 1, -1, -1):
            later = dates[n] = min(dates[n], later)
        for n, (step, on) in enumerate(zip(steps, dates, strict=True)):
            at = dt.datetime.combine(on, dt.time(9 + n % 8, self.rng.randrange(60)), _ZONE).astimezone(dt.UTC)
            self.events.append({
                "application_id": app_id, "enterprise_id": firm.id, "program": program.code,
                "from_stage": steps[n - 1] if n else None, "to_stage": step, "occurred_on": on,
                "at": min(at, self.ctx.now), "actor_id": None, "actor_name": "system", "note": None, "fields": {},
            })
        row = {
            "id": app_id, "program": program.code, "enterprise_id": firm.id, "year": year, "stage": stage,
            "stage_entered_on": dates[-1],
            "unique_slot": f"{program.code}:{firm.id}:{year}" if program.unique_per_year else None,
            "reference_no": None, "amount_requested": None, "amount_approved": None, "amount_disbursed": None,
            "decided_on": None, "issued_on": None, "valid_from": None, "valid_until": None, "owner_id": None,
            "previous_id": None,
            "details": {}, "notes": None, "version": len(steps), "archived_at": None,
            "created_at": self.ctx.now, "updated_at": self.ctx.now,
        }
        row.update(values)
        self.applications.append(row)

    def high_tech(self, firm: DemoFirm) -> None:
        rng, as_of = self.rng, self.ctx.as_of
        issued = dt.date(as_of.year - rng.randint(0, 3), rng.choice((10, 11, 12)), rng.randint(1, 28))
        if issued > as_of:
            issued = issued.replace(year=issued.year - 1)
        valid_from, valid_until = p.high_tech_validity(issued)
        serial = f"GR{issued.year}43{rng.randrange(1_000_000):06d}"
        start = issued - dt.timedelta(days=rng.randint(150, 220))
        if valid_until >= as_of:
            self.add(firm, p.HIGH_TECH, issued.year, "recognized", start, {"recognized": issued}, reference_no=serial,
                     decided_on=issued, issued_on=issued, valid_from=valid_from, valid_until=valid_until,
                     details={"self_score": rng.randint(71, 92), "batch": f"{issued.year}年第{rng.randint(1, 3)}批"})
        elif rng.random() < 0.7:
            self.add(firm, p.HIGH_TECH, as_of.year, rng.choice(("preparing", "recommended", "submitted")),
                     as_of - dt.timedelta(days=rng.randint(30, 200)),
                     details={"previous_certificate_no": serial})

    def tech_sme(self, firm: DemoFirm) -> None:
        rng, as_of = self.rng, self.ctx.as_of
        # Registration is yearly: the two years before this one as well, fewer firms further back, so a report
        # shows the growth a cultivated district has.
        for year in (as_of.year - 2, as_of.year - 1, as_of.year):
            window = dt.date(year, 6, 27)
            if window > as_of or rng.random() < 0.15 + 0.1 * (as_of.year - year):
                continue
            if year < as_of.year or rng.random() < 0.6:
                on = min(dt.date(year, 10, rng.randint(1, 31)), as_of)
                self.add(firm, p.TECH_SME, year, "registered", window, {"registered": on},
                         reference_no=f"{year}4307020{rng.randrange(10_000):04d}", decided_on=on, valid_from=on,
                         valid_until=dt.date(year, 12, 31), details={"self_score": rng.randint(60, 95)})
            else:
                self.add(firm, p.TECH_SME, year, rng.choice(("preparing", "submitted", "returned")), window)

    def rd_subsidy(self, firm: DemoFirm) -> None:
        # Earlier rounds are settled (mostly paid out); this year's is spread over the stages.
        rng, as_of = self.rng, self.ctx.as_of
        settled = ("disbursed",) * 6 + ("approved", "rejected")
        for year, stages in ((as_of.year - 2, settled), (as_of.year - 1, settled),
                             (as_of.year, ("applied", "under_review", "approved", "disbursed", "disbursed",
                                           "rejected"))):
            start = dt.date(year, 3, rng.randint(1, 28))
            if start > as_of or (year < as_of.year and rng.random() < 0.3):
                continue
            increase = rng.randrange(200_000_00, 8_000_000_00)
            computed = min(increase // 10, 5_000_000_00)
            stage = rng.choice(stages)
            values: dict[str, Any] = {"amount_requested": yuan(computed), "details": {
                "base_year": year - 1, "computed_amount": str(yuan(computed)),
                "rule_version": p.RD_SUBSIDY.rule_version}}
            if stage in ("approved", "disbursed"):
                values.update(amount_approved=yuan(computed), decided_on=min(start + dt.timedelta(days=60), as_of))
            if stage == "disbursed":
                values["amount_disbursed"] = yuan(computed)
            self.add(firm, p.RD_SUBSIDY, year, stage, start, **values)

    def tech_loan(self, firm: DemoFirm) -> None:
        rng, as_of = self.rng, self.ctx.as_of
        amount = rng.choice((50, 100, 200, 300, 500, 1000)) * 10_000_00
        term = rng.choice((12, 12, 24, 36))
        disbursed_on = as_of - dt.timedelta(days=rng.randint(30, 900))
        maturity = disbursed_on + dt.timedelta(days=term * 365 // 12)
        stage = "repaid" if maturity < as_of and rng.random() < 0.85 else (
            "overdue" if maturity < as_of else "disbursed")
        details = {"bank": rng.choice(_BANKS), "product": rng.choice(_PRODUCTS), "term_months": term,
                   "annual_rate": f"{rng.uniform(3.0, 4.6):.4f}", "guarantee_type": rng.choice(list(p.GuaranteeType)),
                   "risk_compensation": rng.random() < 0.5}
        pins = {"approved": disbursed_on - dt.timedelta(days=7), "disbursed": disbursed_on}
        if stage != "disbursed":
            pins[stage] = maturity + dt.timedelta(days=rng.randint(0, 20))
        self.add(firm, p.TECH_LOAN, disbursed_on.year, stage, disbursed_on - dt.timedelta(days=rng.randint(30, 70)),
                 pins,
                 amount_requested=yuan(amount), amount_approved=yuan(amount), amount_disbursed=yuan(amount),
                 decided_on=disbursed_on - dt.timedelta(days=7), valid_from=disbursed_on, valid_until=maturity,
                 details=details)


def applications(ctx: DemoContext) -> dict[str, int]:
    """Applications for the more innovative active firms, each with its dated stage history."""
    rng = ctx.rng("applications")
    active = [f for f in ctx.firms if f.status == EnterpriseStatus.active.value]
    plan: list[tuple[DemoFirm, str]] = []
    for firm in active:
        # ~1 in 4 of the innovative firms in a tech domain: a district of 2,000 firms holds ~100 certificates.
        if firm.tech_domain and firm.intensity > 0.5 and rng.random() < 0.25:
            plan.append((firm, "high_tech"))
        if firm.employees <= 500 and firm.intensity > 0.4 and rng.random() < 0.6:
            plan.append((firm, "tech_sme"))
        if firm.intensity > 0.4 and rng.random() < 0.25:
            plan.append((firm, "rd_subsidy"))
        if rng.random() < 0.08 + 0.2 * firm.intensity:
            plan.append((firm, "tech_loan"))
    # tech_sme and rd_subsidy make up to three applications (one a year): enough ids for every case.
    maker = _Maker(ctx, rng, reserve_ids(ctx.session, Application, 3 * len(plan)))
    for firm, program in plan:
        getattr(maker, program)(firm)
    return {"applications": ctx.insert(Application, maker.applications),
            "stage_events": ctx.insert(StageEvent, maker.events)}
