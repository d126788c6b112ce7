"""A small district's technology contracts, platforms, cooperation agreements, indicators, targets and
commissioners, built through the API; every figure is counted by hand in test_record_figures.

Year under test 2025 (previous 2024). Firms A and B live, E archived at the end (its records must not count).
Dates sit on the year boundaries on purpose.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import create_enterprise, if_match
from tests.records import factories


def _archive(client: TestClient, url: str) -> None:
    current = client.get(url).json()
    response = client.delete(url, headers=if_match(current))
    assert response.status_code == 204, response.text


def build(client: TestClient) -> dict[str, Any]:
    a = create_enterprise(client, name="甲科技有限公司")
    b = create_enterprise(client, name="乙科技有限公司")
    e = create_enterprise(client, name="戊科技有限公司")

    # Contracts (technology amount / turnover): 2025 A 01-01 1,000,000.00 / 1,200,000.00, B 12-31 470,000.50
    # both; 2024 A 12-31 500,000.00 / 600,000.00; an archived 2025 one and E's 2025 one never count.
    factories.contract(client, a["id"], registered_on="2025-01-01", technology_amount="1000000.00",
                       contract_amount="1200000.00")
    factories.contract(client, b["id"], registered_on="2025-12-31", contract_type="service",
                       technology_amount="470000.50", contract_amount="470000.50")
    factories.contract(client, a["id"], registered_on="2024-12-31", contract_type="transfer",
                       technology_amount="500000.00", contract_amount="600000.00")
    archived = factories.contract(client, a["id"], registered_on="2025-06-01", technology_amount="9.00",
                                  contract_amount="9.00")
    _archive(client, f"/api/v1/technology-contracts/{archived['id']}")
    factories.contract(client, e["id"], registered_on="2025-06-01", technology_amount="7.00", contract_amount="7.00")

    # Platforms: A provincial engineering centre 2023; B provincial key laboratory 2025-03-01 (the first at any
    # level: 破零); a co-operative's provincial 星创天地 2024-05-01 and municipal one 2025-07-01 (not a first:
    # a higher one existed); E's 2025 incubator never counts.
    factories.platform(client, a["id"], recognised_on="2023-06-01")
    factories.platform(client, b["id"], kind="key_laboratory", recognised_on="2025-03-01")
    factories.platform(client, None, kind="star_maker", host_institution="河洑镇柑橘合作社",
                       recognised_on="2024-05-01")
    factories.platform(client, None, kind="star_maker", level="municipal", host_institution="丹阳农业园",
                       recognised_on="2025-07-01")
    factories.platform(client, e["id"], kind="incubator", level="municipal", recognised_on="2025-02-02")

    # Cooperation: 2025 A 500,000.00 on 04-01, B without amount on 12-31; none in 2024.
    factories.agreement(client, a["id"], signed_on="2025-04-01", amount="500000.00")
    factories.agreement(client, b["id"], signed_on="2025-12-31", amount=None)

    # Official figures: high-tech value added 147亿 in 2025, 130亿 in 2024.
    factories.indicator(client, year=2025, value="14700000000.00")
    factories.indicator(client, year=2024, value="13000000000.00")
    factories.indicator(client, year=2025, indicator="rd_expense_above_scale", value="320000000.00")

    # Targets 2025: contract amount 1,000,000; cooperation 4 agreements; tech-SMEs 300.
    factories.target(client, indicator="technology_contract_amount", target="1000000")
    factories.target(client, indicator="cooperation_agreements", target="4")
    factories.target(client, indicator="tech_sme_registered", target="300")

    # Commissioners: P1 provincial since 2024-03-01; P2 municipal foreign expert appointed 2025-02-01;
    # P3 district 2023-01-01 to 2024-12-31.
    p1 = factories.commissioner(client, appointed_on="2024-03-01")
    p2 = factories.commissioner(client, level="municipal", foreign_expert=True, appointed_on="2025-02-01")
    factories.commissioner(client, level="district", appointed_on="2023-01-01", ended_on="2024-12-31")
    # Services 2025: two trainings (40 + 60 people), one field visit (5); techniques A, B, C; varieties X, Y;
    # bases 柑橘示范基地 (120.5 then 150 亩: its largest) and 水产基地 (80 亩). An archived training never counts.
    factories.service(client, p1["id"], served_on="2025-03-01", headcount=40, techniques=["A", "B"],
                      varieties=["X"], demonstration_base="柑橘示范基地", demonstration_area_mu="120.5")
    factories.service(client, p1["id"], kind="field_guidance", served_on="2025-06-01", headcount=5,
                      techniques=["B", "C"], demonstration_base="柑橘示范基地", demonstration_area_mu="150")
    factories.service(client, p2["id"], served_on="2025-12-31", headcount=60, varieties=["X", "Y"],
                      demonstration_base="水产基地", demonstration_area_mu="80")
    gone = factories.service(client, p1["id"], served_on="2025-05-05", headcount=1000)
    _archive(client, f"/api/v1/commissioner-services/{gone['id']}")

    _archive(client, f"/api/v1/enterprises/{e['id']}")
    return {"a": a, "b": b, "e": e}
