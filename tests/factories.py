"""Valid-by-default test data: override only what the test is about."""

from __future__ import annotations

import itertools
import random
from typing import Any

from fastapi.testclient import TestClient

from app.enterprises.credit_code import ALPHABET, with_check_character

_sequence = itertools.count(1)
_random = random.Random(20261125)


def credit_code(prefix: str = "91430702") -> str:
    """A fresh valid credit code (unique within a test run)."""
    body = "".join(_random.choice(ALPHABET) for _ in range(17 - len(prefix)))
    return with_check_character(prefix + body)


def enterprise_payload(**overrides: Any) -> dict[str, Any]:
    n = next(_sequence)
    payload: dict[str, Any] = {
        "credit_code": credit_code(),
        "name": f"常德测试科技有限公司{n}",
        "district": "丹阳街道",
        "industry": "C",
    }
    payload.update(overrides)
    return payload


def create_enterprise(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/enterprises", json=enterprise_payload(**overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def if_match(resource: dict[str, Any]) -> dict[str, str]:
    return {"If-Match": f'"{resource["version"]}"'}
