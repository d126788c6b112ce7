"""Demo steps of the registry: firms with their tags, contacts, and three years of annual figures."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from app.demo import vocabulary as words
from app.demo.context import BATCH_SIZE, DemoContext, DemoFirm, chunks, reserve_ids, weighted, yuan
from app.enterprises.credit_code import ALPHABET, with_check_character
from app.enterprises.enums import EnterpriseStatus
from app.enterprises.models import AnnualFigures, Contact, Enterprise, EnterpriseTag

FIRST_REGISTRATION = dt.date(1998, 1, 1)
FIGURE_YEARS = 3

# GB 11714 organisation-code check (positions 9–17 of a credit code), so demo codes raise no warnings.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Hunan's post-2015 organisation codes run MA4L…, MA4M…: one series letter a year keeps them plausible.
_MA_SERIES = {2016: "L", 2017: "M", 2018: "N", 2019: "P", 2020: "Q", 2021: "R", 2022: "T", 2023: "U",
              2024: "W", 2025: "X"}
# Thresholds of 规模以上: ≥ 20 million yuan revenue for industry, ≥ 10 million for most services (fen).
_ABOVE_SCALE_FACTORY = 20_000_000_00
_ABOVE_SCALE_SERVICE = 10_000_000_00
_MAX_REVENUE = 30_000_000_000_00


def _org_check(body: str) -> str:
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return "X" if remainder == 10 else "0" if remainder == 11 else str(remainder)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class _People:
    """Chinese personal names, with pinyin for e-mail addresses."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._surname = weighted(rng, (((s, p), w) for s, p, w in words.SURNAMES))

    def draw(self) -> tuple[str, str]:
        surname, surname_pinyin = self._surname()
        count = 1 if self._rng.random() < 0.3 else 2
        given = self._rng.sample(words.GIVEN_CHARS, count)
        return surname + "".join(c for c, _ in given), surname_pinyin + "".join(p for _, p in given)


class _FirmMaker:
    def __init__(self, ctx: DemoContext, rng: random.Random, taken_codes: set[str], taken_names: set[str]) -> None:
        self.rng = rng
        self.last_year = ctx.last_complete_year
        self.taken_codes = taken_codes
        self.taken_names = taken_names
        self.people = _People(rng)
        self.sector = weighted(rng, ((s, s.weight) for s in words.SECTORS))
        self.district = weighted(rng, words.DISTRICT_WEIGHTS.items())
        self.outskirts = weighted(rng, ((d, words.DISTRICT_WEIGHTS[d]) for d in words.OUTSKIRTS))
        self.industrial_park = weighted(rng, words.PARK_WEIGHTS_INDUSTRIAL)
        self.other_park = weighted(rng, words.PARK_WEIGHTS_OTHER)
        self.region = weighted(rng, words.REGION_WEIGHTS.items())
        self.name_prefix = weighted(rng, words.NAME_PREFIXES)
        self.company_form = weighted(rng, words.COMPANY_FORMS)
        self.registration_span = (dt.date(self.last_year, 12, 31) - FIRST_REGISTRATION).days

    def make(self, now: dt.datetime) -> tuple[dict[str, Any], DemoFirm, list[str]]:
        rng = self.rng
        sector = self.sector()
        # More firms are founded every year than the year before: weight recent dates up.
        registered_on = FIRST_REGISTRATION + dt.timedelta(
            days=int(rng.triangular(0, self.registration_span, self.registration_span))
        )
        entity = "91"
        if sector.industry == "A" and rng.random() < 0.35:
            entity = "93"
        elif sector.industry == "F" and rng.random() < 0.3:
            entity = "92"
        name = self._name(entity, sector.words)
        code = self._credit_code(entity, registered_on)

        factory_site = sector.factory and rng.random() < 0.8
        district = self.outskirts() if factory_site else self.district()
        park = self.industrial_park() if factory_site else self.other_park()
        tech_domain = rng.choice(sector.domains).value if sector.domains and rng.random() < 0.9 else None
        # Beta with the sector's mean: most firms near it, a few far more (or less) innovative.
        intensity = rng.betavariate(4 * sector.tech, 4 * (1 - sector.tech))
        above_scale = entity == "91" and rng.random() < (0.26 if sector.factory else 0.14)
        employees, revenue = self._size(entity, above_scale, sector.factory, sector.output_per_head)
        growth = _clamp(rng.gauss(0.05 + 0.1 * intensity, 0.12), -0.35, 0.7)
        roll = rng.random()
        status = (EnterpriseStatus.closed if roll < 0.03 else EnterpriseStatus.moved_out if roll < 0.08
                  else EnterpriseStatus.active).value
        legal_representative, _ = self.people.draw()

        firm = DemoFirm(
            id=0, name=name, registered_on=registered_on, status=status, industry=sector.industry.value,
            tech_domain=tech_domain, above_scale=above_scale, intensity=intensity, employees=employees,
            revenue_fen=revenue, growth=growth, legal_representative=legal_representative,
        )
        row = {
            "credit_code": code, "name": name, "registered_on": registered_on, "district": district,
            "park": park, "industry": sector.industry.value, "industry_code": sector.division,
            "tech_domain": tech_domain, "above_scale": above_scale,
            "address": self._address(district, park, factory_site), "legal_representative": legal_representative,
            "owner_id": None, "status": status, "notes": None, "version": 1, "archived_at": None,
            "created_at": now, "updated_at": now,
        }
        return row, firm, self._tags(firm)

    def _name(self, entity: str, sector_words: tuple[str, ...]) -> str:
        rng = self.rng
        while True:
            trade = rng.choice(words.TRADE_NAMES) if rng.random() < 0.35 else "".join(rng.sample(words.TRADE_CHARS, 2))
            if entity == "93":
                name = f"常德市{trade}{rng.choice(words.COOPERATIVE_WORDS)}专业合作社"
            elif entity == "92":
                name = f"常德市武陵区{trade}{rng.choice(words.SHOP_WORDS)}"
            else:
                name = f"{self.name_prefix()}{trade}{rng.choice(sector_words)}{self.company_form()}"
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name

    def _credit_code(self, entity: str, registered_on: dt.date) -> str:
        rng = self.rng
        while True:
            if registered_on.year < 2016:
                body = f"{rng.randrange(10_000_000, 100_000_000)}"
            else:
                series = _MA_SERIES.get(registered_on.year, "Y")
                body = "MA4" + series + "".join(rng.choice(ALPHABET) for _ in range(4))
            code = with_check_character(entity + self.region() + body + _org_check(body))
            if code not in self.taken_codes:
                self.taken_codes.add(code)
                return code

    def _size(self, entity: str, above_scale: bool, factory: bool, per_head: tuple[int, int]) -> tuple[int, int]:
        """Employees and revenue (fen) in the last complete year, consistent with the above-scale flag."""
        rng = self.rng
        if entity == "92":
            employees = rng.randint(2, 8)
        elif entity == "93":
            employees = rng.randint(5, 40)
        elif above_scale:
            employees = int(_clamp(rng.lognormvariate(math.log(160), 0.7), 40, 3000))
        else:
            employees = int(_clamp(rng.lognormvariate(math.log(18), 0.8), 3, 300))
        revenue = int(employees * rng.uniform(*per_head) * rng.lognormvariate(0, 0.3) * 100)
        threshold = _ABOVE_SCALE_FACTORY if factory else _ABOVE_SCALE_SERVICE
        if above_scale and revenue < threshold:
            revenue = int(threshold * rng.uniform(1.02, 1.8))
        elif not above_scale and revenue >= threshold:
            revenue = int(threshold * rng.uniform(0.3, 0.98))
        return employees, min(revenue, _MAX_REVENUE)

    def _address(self, district: str, park: str | None, factory_site: bool) -> str:
        rng = self.rng
        if district.endswith(("镇", "乡")) and park is None and rng.random() < 0.4:
            return f"{words.CITY_PREFIX}{district}{rng.choice(words.VILLAGES)}{rng.randint(1, 12)}组"
        street = f"{words.CITY_PREFIX}{district}{rng.choice(words.ROADS)}{rng.randint(1, 999)}号"
        if factory_site and park is not None:
            return f"{street}{park}{rng.randint(1, 30)}号厂房"
        if not factory_site and rng.random() < 0.5:
            floor = rng.randint(2, 28)
            return f"{street}{rng.choice(words.BUILDINGS)}{floor}楼{floor}{rng.randint(1, 20):02d}室"
        return street

    def _tags(self, firm: DemoFirm) -> list[str]:
        rng = self.rng
        tags = []
        if firm.above_scale and firm.industry == "C":
            tags.append(words.TAG_INDUSTRIAL_ABOVE_SCALE)
        if firm.status != EnterpriseStatus.active.value:
            return tags
        small = firm.employees <= 500 and firm.revenue_fen <= 200_000_000_00
        if firm.intensity >= 0.4 and small and rng.random() < 0.75:
            tags.append(words.TAG_TECH_SME)
        if firm.intensity >= 0.55 and rng.random() < 0.5:
            tags.append(words.TAG_INNOVATIVE_SME)
            if firm.intensity >= 0.65 and firm.employees >= 20 and rng.random() < 0.45:
                tags.append(words.TAG_SPECIALISED)
                if firm.above_scale and rng.random() < 0.15:
                    tags.append(words.TAG_LITTLE_GIANT)
        young = firm.registered_on.year >= self.last_year - 10
        if firm.growth >= 0.2 and firm.intensity >= 0.4 and young and rng.random() < 0.6:
            tags.append(words.TAG_GAZELLE)
        return tags


def enterprises(ctx: DemoContext) -> dict[str, int]:
    """Firms and their tags. Codes and names already in the database are never drawn again."""
    taken_codes = set(ctx.session.scalars(select(Enterprise.credit_code)))
    taken_names = set(ctx.session.scalars(select(Enterprise.name)))
    maker = _FirmMaker(ctx, ctx.rng("enterprises"), taken_codes, taken_names)
    tag_rows: list[dict[str, Any]] = []
    for ids in chunks(reserve_ids(ctx.session, Enterprise, ctx.enterprises_wanted), BATCH_SIZE):
        rows = []
        for firm_id in ids:
            row, firm, tags = maker.make(ctx.now)
            row["id"] = firm.id = firm_id
            rows.append(row)
            ctx.firms.append(firm)
            tag_rows.extend({"enterprise_id": firm_id, "tag": tag} for tag in tags)
        ctx.insert(Enterprise, rows)
    return {"enterprises": len(ctx.firms), "enterprise_tags": ctx.insert(EnterpriseTag, tag_rows)}


def _contact_rows(ctx: DemoContext, rng: random.Random) -> Iterator[dict[str, Any]]:
    people = _People(rng)
    title = weighted(rng, words.CONTACT_TITLES)
    how_many = weighted(rng, ((1, 45), (2, 35), (3, 20)))
    office_titles = {"办公室主任", "综合部经理", "行政主管"}
    phones: set[str] = set()
    for firm in ctx.firms:
        titles: list[str] = []
        wanted = how_many()
        while len(titles) < wanted:
            candidate = title()
            if candidate not in titles:
                titles.append(candidate)
        for position, job in enumerate(titles):
            if position == 0 and rng.random() < 0.25:
                # Small firms often give the boss's own number.
                name, pinyin = firm.legal_representative, None
                job = rng.choice(("董事长", "总经理"))
            else:
                name, pinyin = people.draw()
            if job in office_titles and rng.random() < 0.25:
                phone = f"{words.CHANGDE_AREA_CODE}-7{rng.randrange(100_000, 1_000_000)}"
            else:
                phone = f"{rng.choice(words.MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"
                while phone in phones:
                    phone = f"{rng.choice(words.MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"
                phones.add(phone)
            yield {
                "enterprise_id": firm.id, "name": name, "title": job, "phone": phone,
                "email": _email(rng, pinyin) if rng.random() < 0.55 else None,
                "is_primary": position == 0, "notes": None, "version": 1,
                "created_at": ctx.now, "updated_at": ctx.now,
            }


def _email(rng: random.Random, pinyin: str | None) -> str:
    if pinyin is None or rng.random() < 0.35:
        return f"{rng.randint(100_000, 3_999_999_999)}@qq.com"
    suffix = rng.choice(("", "", str(rng.randint(1965, 2000)), f"{rng.randint(1, 99):02d}", "_cd"))
    return f"{pinyin}{suffix}@{rng.choice(words.MAIL_DOMAINS)}"


def contacts(ctx: DemoContext) -> dict[str, int]:
    """One to three contacts per firm; mobiles are unique within a run and already in canonical form."""
    return {"contacts": ctx.insert(Contact, _contact_rows(ctx, ctx.rng("contacts")))}


def _figure_rows(ctx: DemoContext, rng: random.Random) -> Iterator[dict[str, Any]]:
    last = ctx.last_complete_year
    first = last - FIGURE_YEARS + 1
    for firm in ctx.firms:
        if rng.random() < 0.12:
            continue  # never reported: the bureau has to chase these
        start = max(first, firm.registered_on.year)
        end = last - 1 if firm.status != EnterpriseStatus.active.value and rng.random() < 0.6 else last
        # Walk back from the last year so the last year matches the firm's size and above-scale flag.
        revenue, employees = firm.revenue_fen, firm.employees
        ip1 = int(rng.expovariate(1 / (0.2 + 8 * firm.intensity**2)))
        ip2 = int(rng.expovariate(1 / (0.5 + 25 * firm.intensity)))
        history: list[tuple[int, int, int, int, int]] = []
        for year in range(last, start - 1, -1):
            history.append((year, revenue, employees, ip1, ip2))
            revenue = int(revenue / max(0.4, 1 + firm.growth + rng.gauss(0, 0.06)))
            employees = max(1, round(employees / max(0.6, 1 + firm.growth / 2 + rng.gauss(0, 0.04))))
            ip1 = max(0, ip1 - rng.randint(0, max(1, ip1 // 3)))
            ip2 = max(0, ip2 - rng.randint(0, max(1, ip2 // 3)))
        for year, revenue, employees, ip1, ip2 in reversed(history):
            if year > end:
                continue
            if year == firm.registered_on.year:
                revenue = revenue * (366 - firm.registered_on.timetuple().tm_yday) // 366
            yield _figures(ctx, rng, firm, year, revenue, employees, ip1, ip2)


def _figures(ctx: DemoContext, rng: random.Random, firm: DemoFirm, year: int, revenue: int, employees: int,
             ip1: int, ip2: int) -> dict[str, Any]:
    intensity = firm.intensity
    tech_staff = min(employees, round(employees * _clamp(0.05 + 0.55 * intensity + rng.gauss(0, 0.03), 0.02, 0.75)))
    total_cost = int(revenue * _clamp(rng.gauss(0.9, 0.07), 0.72, 1.2))
    rd_share = 0.0 if intensity < 0.2 and rng.random() < 0.3 else _clamp(
        0.12 * intensity**1.2 * rng.uniform(0.7, 1.3), 0, 0.12
    )
    rd = min(int(revenue * rd_share), total_cost)
    rd_domestic = rd if rng.random() < 0.75 else int(rd * rng.uniform(0.6, 0.99))
    if firm.tech_domain is None:
        high_tech = 0
    else:
        high_tech = int(revenue * _clamp(0.2 + 0.8 * intensity + rng.gauss(0, 0.1), 0, 0.95))
    assets = int(revenue * rng.uniform(0.5, 1.8)) + rng.randrange(50_000_00, 500_000_00)
    # A few gaps, as in real filings: eligibility rules must then say "unknown".
    return {
        "enterprise_id": firm.id, "year": year, "employees": employees, "tech_staff": tech_staff,
        "revenue": yuan(revenue), "total_cost": yuan(total_cost), "rd_expense": yuan(rd),
        "rd_expense_domestic": yuan(rd_domestic),
        "high_tech_income": None if rng.random() < 0.03 else yuan(high_tech),
        # Sales plus some other taxable income (interest, rent, grants taxed as income).
        "total_income": yuan(revenue + revenue // 20),
        "total_assets": None if rng.random() < 0.04 else yuan(assets),
        "ip_class1": None if rng.random() < 0.03 else ip1, "ip_class2": ip2,
        "version": 1, "created_at": ctx.now, "updated_at": ctx.now,
    }


def annual_figures(ctx: DemoContext) -> dict[str, int]:
    """Figures of the last three complete years for most firms, none before a firm was registered."""
    return {"annual_figures": ctx.insert(AnnualFigures, _figure_rows(ctx, ctx.rng("annual_figures")))}
