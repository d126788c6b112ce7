"""Valid-by-default records of the annual summary, made through the API."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient

_sequence = itertools.count(1)


def created(client: TestClient, url: str, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def contract(client: TestClient, enterprise_id: int, **overrides: Any) -> dict[str, Any]:
    payload = {"registration_no": f"2025430702{next(_sequence):06d}", "contract_type": "development",
               "enterprise_id": enterprise_id, "buyer": "常德市某机械有限公司", "contract_amount": "1000000.00",
               "technology_amount": "800000.00", "registered_on": "2025-05-06", **overrides}
    return created(client, "/api/v1/technology-contracts", payload)


def platform(client: TestClient, enterprise_id: int | None, **overrides: Any) -> dict[str, Any]:
    payload = {"name": f"湖南省智能装备工程技术研究中心{next(_sequence)}", "kind": "engineering_center",
               "level": "provincial", "enterprise_id": enterprise_id, "recognised_on": "2025-03-01", **overrides}
    return created(client, "/api/v1/innovation-platforms", payload)


def agreement(client: TestClient, enterprise_id: int, **overrides: Any) -> dict[str, Any]:
    payload = {"enterprise_id": enterprise_id, "partner": "湖南文理学院", "subject": "智能农机控制系统联合研发",
               "signed_on": "2025-04-01", "amount": "500000.00", **overrides}
    return created(client, "/api/v1/cooperation-agreements", payload)


def indicator(client: TestClient, **overrides: Any) -> dict[str, Any]:
    payload = {"year": 2025, "indicator": "high_tech_value_added", "value": "14700000000.00",
               "source": "区统计局《2025年国民经济和社会发展统计公报》", **overrides}
    return created(client, "/api/v1/district-indicators", payload)


def target(client: TestClient, **overrides: Any) -> dict[str, Any]:
    payload = {"year": 2025, "indicator": "tech_sme_registered", "target": "300", **overrides}
    return created(client, "/api/v1/yearly-targets", payload)


def commissioner(client: TestClient, **overrides: Any) -> dict[str, Any]:
    payload = {"name": f"李专家{next(_sequence)}", "level": "provincial", "expertise": "柑橘栽培",
               "appointed_on": "2024-03-01", **overrides}
    return created(client, "/api/v1/commissioners", payload)


def service(client: TestClient, commissioner_id: int, **overrides: Any) -> dict[str, Any]:
    payload = {"commissioner_id": commissioner_id, "kind": "training", "served_on": "2025-06-01",
               "place": "河洑镇农技站", "headcount": 40, **overrides}
    return created(client, "/api/v1/commissioner-services", payload)
