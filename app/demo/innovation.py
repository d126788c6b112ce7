"""Demo step of the summary's other records: technology contracts, innovation platforms, cooperation
agreements, commissioners and their services over the two years before ``as_of`` and the year in progress;
the statistics bureau's figures for the complete years; and the bureau's targets.

Every kind spreads evenly over whole years (``DemoContext.history_day``), so each year of the demo district
compares with the one before. Only this run's firms get records; indicators and targets are added for a
year that has none yet.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app.commissioners.models import Commissioner, CommissionerFirm, CommissionerService
from app.contracts.models import TechnologyContract
from app.cooperation.models import CooperationAgreement
from app.demo.context import DemoContext, DemoFirm, reserve_ids
from app.enterprises.enums import EnterpriseStatus
from app.enterprises.models import AnnualFigures, Enterprise
from app.indicators.enums import INDICATOR_UNITS, TARGET_UNITS, DistrictIndicator, TargetIndicator
from app.indicators.models import IndicatorValue, YearlyTarget
from app.pipeline.models import Application
from app.platforms.models import InnovationPlatform

CONTRACT_TYPES = (("development", 5), ("service", 3), ("transfer", 1), ("licensing", 1), ("consulting", 1))
BUYERS = ("常德市鼎城区", "长沙市", "株洲市", "岳阳市", "武汉市", "广州市", "深圳市", "益阳市")
PARTNERS = (("湖南大学", "university"), ("中南大学", "university"), ("湖南文理学院", "university"),
            ("湖南农业大学", "university"), ("湖南应用技术学院", "university"),
            ("湖南省农业科学院", "institute"), ("常德市农林科学研究院", "institute"))
SUBJECTS = ("智能装备控制系统联合研发", "新型复合材料中试", "特色农产品精深加工工艺", "工业废水处理技术",
            "新能源汽车零部件轻量化", "生物医药制剂工艺改进", "智慧农业物联网平台")
PLATFORMS = (("engineering_center", "工程技术研究中心"), ("key_laboratory", "重点实验室"),
             ("enterprise_tech_center", "企业技术中心"), ("new_rd_institution", "新型研发机构"))
CARRIERS = (("star_maker", "星创天地", "丹阳柑橘合作社"), ("maker_space", "众创空间", "武陵区青年创业园"),
            ("incubator", "科技企业孵化器", "常德高新区创业服务中心"))
EXPERTISE = ("柑橘栽培", "茶叶加工", "水产养殖", "蔬菜种植", "机械制造", "食品检测", "中药材种植", "畜禽养殖")
VILLAGES = ("河洑镇太阳山村", "丹洲乡丹洲村", "芦荻山乡金家湾村", "东江乡白马湖村", "河洑镇桃花源村")
TECHNIQUES = ("柑橘高接换种", "稻虾共作", "水肥一体化", "茶园绿色防控", "大棚蔬菜轮作", "测土配方施肥",
              "病虫害统防统治", "生猪健康养殖", "鱼塘尾水治理", "果园生草栽培")
VARIETIES = ("爱媛38号", "甘平", "沃柑", "碧香早", "湘研812", "中华鳖日本品系", "黄金茶1号", "湘杂桔")
BASES = (("太阳山柑橘示范基地", 320), ("白马湖稻虾示范基地", 560), ("桃花源茶叶示范基地", 210),
         ("金家湾蔬菜示范基地", 150))
SURNAMES = ("张", "李", "王", "刘", "陈", "杨", "黄", "赵", "周", "吴")
LEVELS = (("provincial", 3), ("municipal", 4), ("district", 5), ("national", 1))


def records(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("innovation")
    active = [f for f in ctx.firms if f.status == EnterpriseStatus.active.value]
    counts = {"technology_contracts": _contracts(ctx, rng, active),
              "innovation_platforms": _platforms(ctx, rng, active),
              "cooperation_agreements": _cooperation(ctx, rng, active)}
    counts.update(_commissioners(ctx, rng, active))
    counts["district_indicators"] = _indicators(ctx, rng)
    counts["yearly_targets"] = _targets(ctx)
    return counts


def _common(ctx: DemoContext) -> dict[str, Any]:
    return {"version": 1, "archived_at": None, "created_at": ctx.now, "updated_at": ctx.now, "created_by": None,
            "notes": None}


def _innovative(active: list[DemoFirm], floor: float) -> list[DemoFirm]:
    return [f for f in active if f.intensity > floor]


def _contracts(ctx: DemoContext, rng: random.Random, active: list[DemoFirm]) -> int:
    types = [t for t, w in CONTRACT_TYPES for _ in range(w)]
    rows: list[dict[str, Any]] = []
    for firm in _innovative(active, 0.5):
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            day = ctx.history_day(rng, firm.registered_on)
            turnover = Decimal(rng.randrange(5, 800) * 10_000)
            technology = (turnover * Decimal(rng.choice(("1", "1", "0.9", "0.8", "0.7")))).quantize(Decimal("0.01"))
            rows.append({**_common(ctx), "registration_no": f"{day.year}4307020{ctx.preexisting:03d}{len(rows):05d}"
                         f"{ctx.seed % 100:02d}", "title": None, "contract_type": rng.choice(types),
                         "enterprise_id": firm.id, "buyer": f"{rng.choice(BUYERS)}某科技有限公司",
                         "contract_amount": turnover, "technology_amount": technology, "registered_on": day})
    taken = set(ctx.session.scalars(select(TechnologyContract.registration_no).where(
        TechnologyContract.registration_no.in_([r["registration_no"] for r in rows]))))
    return ctx.insert(TechnologyContract, [r for r in rows if r["registration_no"] not in taken])


def _platforms(ctx: DemoContext, rng: random.Random, active: list[DemoFirm]) -> int:
    rows = []
    levels = [lv for lv, w in LEVELS for _ in range(w)]
    for firm in _innovative(active, 0.75):
        if rng.random() < 0.3:
            kind, label = rng.choice(PLATFORMS)
            level = rng.choice(levels)
            # Some standing since before the demo years, the rest recognised during them.
            day = (ctx.history_day(rng, firm.registered_on) if rng.random() < 0.6
                   else dt.date(ctx.history_start.year - rng.randint(1, 4), rng.randint(1, 12), 1))
            rows.append({**_common(ctx), "name": f"{firm.name.removesuffix('有限公司')}{label}", "kind": kind,
                         "level": level, "enterprise_id": firm.id, "host_institution": None,
                         "recognised_on": max(day, firm.registered_on), "document_no": None, "revoked_on": None,
                         "evaluations": [], "failed_on": None})
    if ctx.preexisting == 0:
        for index, (kind, label, host) in enumerate(CARRIERS):
            year = ctx.history_start.year + index
            rows.append({**_common(ctx), "name": f"{host}{label}", "kind": kind,
                         "level": "provincial" if index == 0 else "municipal", "enterprise_id": None,
                         "host_institution": host, "recognised_on": min(ctx.as_of, dt.date(year, 5 + index, 18)),
                         "document_no": None, "revoked_on": None, "evaluations": [], "failed_on": None})
    return ctx.insert(InnovationPlatform, rows)


def _cooperation(ctx: DemoContext, rng: random.Random, active: list[DemoFirm]) -> int:
    rows = []
    for firm in _innovative(active, 0.55):
        if rng.random() < 0.35:
            partner, kind = rng.choice(PARTNERS)
            rows.append({**_common(ctx), "enterprise_id": firm.id, "partner": partner, "partner_kind": kind,
                         "subject": rng.choice(SUBJECTS), "signed_on": ctx.history_day(rng, firm.registered_on),
                         "amount": Decimal(rng.randrange(10, 300) * 10_000) if rng.random() < 0.7 else None})
    return ctx.insert(CooperationAgreement, rows)


def _commissioners(ctx: DemoContext, rng: random.Random, active: list[DemoFirm]) -> dict[str, int]:
    if not active:
        return {"commissioners": 0, "commissioner_services": 0}
    count = max(6, len(active) // 60)
    levels = [lv for lv, w in LEVELS for _ in range(w)]
    ids = reserve_ids(ctx.session, Commissioner, count)
    people: list[dict[str, Any]] = []
    firms: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    for n, person_id in enumerate(ids):
        foreign = n % 5 == 4
        appointed = ctx.history_day(rng) if n % 3 else dt.date(ctx.history_start.year - 1, 3, 1)
        people.append({**_common(ctx), "id": person_id,
                       "name": f"{SURNAMES[n % len(SURNAMES)]}{'外籍专家' if foreign else '特派员'}"
                               f"{n + 1 + ctx.preexisting}号",
                       "level": rng.choice(levels), "expertise": rng.choice(EXPERTISE), "employer": None,
                       "foreign_expert": foreign, "appointed_on": appointed, "ended_on": None,
                       "served_villages": rng.sample(VILLAGES, 2)})
        firms.extend({"commissioner_id": person_id, "enterprise_id": f.id}
                     for f in rng.sample(active, min(len(active), rng.randint(1, 3))))
        for _ in range(rng.randint(6, 14)):
            day = ctx.history_day(rng, appointed)
            kind = rng.choice(("training", "training", "field_guidance", "consultation"))
            base, area = rng.choice(BASES) if rng.random() < 0.4 else (None, None)
            services.append({**_common(ctx), "commissioner_id": person_id, "kind": kind, "served_on": day,
                             "place": rng.choice(VILLAGES), "enterprise_id": None,
                             "headcount": rng.randint(20, 120) if kind == "training" else rng.randint(2, 15),
                             "techniques": rng.sample(TECHNIQUES, rng.randint(0, 2)),
                             "varieties": rng.sample(VARIETIES, rng.randint(0, 1)),
                             "demonstration_base": base,
                             "demonstration_area_mu": Decimal(area) if area else None})
    ctx.insert(Commissioner, people)
    ctx.insert(CommissionerFirm, [dict(t) for t in {tuple(r.items()) for r in firms}])
    return {"commissioners": len(people), "commissioner_services": ctx.insert(CommissionerService, services)}


def _indicators(ctx: DemoContext, rng: random.Random) -> int:
    """The statistics bureau's figures of the complete demo years, near the registry's own sums."""
    present = {(year, name) for year, name in ctx.session.execute(
        select(IndicatorValue.year, IndicatorValue.indicator).where(IndicatorValue.archived_at.is_(None)))}
    rows = []
    for year in range(ctx.history_start.year, ctx.as_of.year):
        income, rd = ctx.session.execute(
            select(func.coalesce(func.sum(AnnualFigures.high_tech_income), 0),
                   func.coalesce(func.sum(AnnualFigures.rd_expense), 0))
            .join(Enterprise, Enterprise.id == AnnualFigures.enterprise_id)
            .where(AnnualFigures.year == year, Enterprise.above_scale.is_(True))).one()
        values = {DistrictIndicator.high_tech_value_added: Decimal(income or 0) * Decimal(rng.uniform(0.28, 0.34)),
                  DistrictIndicator.rd_expense_above_scale: Decimal(rd or 0) * Decimal(rng.uniform(1.02, 1.12)),
                  DistrictIndicator.rd_intensity: Decimal(rng.uniform(1.8, 2.6))}
        for indicator, value in values.items():
            if (year, indicator.value) in present or not value:
                continue
            rows.append({**_common(ctx), "year": year, "indicator": indicator.value,
                         "value": value.quantize(Decimal("0.01")), "unit": INDICATOR_UNITS[indicator].value,
                         "source": f"区统计局《{year}年国民经济和社会发展统计公报》"})
    return ctx.insert(IndicatorValue, rows)


def _targets(ctx: DemoContext) -> int:
    """Targets of the last complete year and the year in progress: 5 % above the year before's result, a plan
    the district can meet."""
    present = {(year, name) for year, name in ctx.session.execute(
        select(YearlyTarget.year, YearlyTarget.indicator).where(YearlyTarget.archived_at.is_(None)))}
    rows = []
    for year in (ctx.last_complete_year, ctx.as_of.year):
        registered = ctx.session.scalar(select(func.count()).select_from(Application).where(
            Application.program == "tech_sme", Application.year == year - 1, Application.stage == "registered")) or 0
        contracts = ctx.session.scalar(select(func.coalesce(func.sum(TechnologyContract.technology_amount), 0)).where(
            TechnologyContract.registered_on.between(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)))) or 0
        agreements = ctx.session.scalar(select(func.count()).select_from(CooperationAgreement).where(
            CooperationAgreement.signed_on.between(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)))) or 0
        wanted = {TargetIndicator.tech_sme_registered: Decimal(math.ceil(registered * 1.05)),
                  TargetIndicator.technology_contract_amount: (Decimal(contracts) * Decimal("1.05")).quantize(
                      Decimal("10000")),
                  TargetIndicator.cooperation_agreements: Decimal(math.ceil(agreements * 1.05))}
        for indicator, target in wanted.items():
            if (year, indicator.value) in present or not target:
                continue
            rows.append({**_common(ctx), "year": year, "indicator": indicator.value, "target": target,
                         "unit": TARGET_UNITS[indicator].value})
    return ctx.insert(YearlyTarget, rows)
