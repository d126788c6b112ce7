"""Valid-by-default visits, demands, policies and publicity events, made through the API."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from fastapi.testclient import TestClient

from app.fields import business_today

_sequence = itertools.count(1)


def days_ago(days: int) -> str:
    return (business_today() - dt.timedelta(days=days)).isoformat()


def _created(client: TestClient, url: str, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def visit_payload(enterprise_id: int, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"enterprise_id": enterprise_id, "visited_on": days_ago(1), "kind": "on_site",
                               "summary": "了解企业研发投入情况，介绍研发费用加计扣除政策。"}
    payload.update(overrides)
    return payload


def create_visit(client: TestClient, enterprise_id: int, **overrides: Any) -> dict[str, Any]:
    return _created(client, "/api/v1/visits", visit_payload(enterprise_id, **overrides))


def demand_payload(enterprise_id: int, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"enterprise_id": enterprise_id, "category": "financing",
                               "description": "希望对接科技贷款，解决流动资金缺口约300万元。"}
    payload.update(overrides)
    return payload


def create_demand(client: TestClient, enterprise_id: int, **overrides: Any) -> dict[str, Any]:
    return _created(client, "/api/v1/demands", demand_payload(enterprise_id, **overrides))


def policy_payload(**overrides: Any) -> dict[str, Any]:
    n = next(_sequence)
    payload: dict[str, Any] = {"title": f"研发费用税前加计扣除政策{n}", "issuer": "财政部 税务总局",
                               "category": "tax", "level": "national"}
    payload.update(overrides)
    return payload


def create_policy(client: TestClient, **overrides: Any) -> dict[str, Any]:
    return _created(client, "/api/v1/policies", policy_payload(**overrides))


def event_payload(**overrides: Any) -> dict[str, Any]:
    n = next(_sequence)
    payload: dict[str, Any] = {"title": f"科技政策宣讲会第{n}期", "held_on": days_ago(3), "kind": "lecture"}
    payload.update(overrides)
    return payload


def create_event(client: TestClient, **overrides: Any) -> dict[str, Any]:
    return _created(client, "/api/v1/publicity-events", event_payload(**overrides))
