"""Pipeline test data: applications, and the fields each stage needs, valid by default."""

from __future__ import annotations

from collections import deque
from typing import Any

from fastapi.testclient import TestClient

from app.pipeline.declarations import find_program
from tests.factories import create_enterprise

URL = "/api/v1/applications"
START_ON = "2024-01-15"

# What a transition into each stage must carry (beyond `to`), per program.
REQUIRED: dict[tuple[str, str], dict[str, Any]] = {
    ("tech_sme", "registered"): {"reference_no": "2024430702000123"},
    ("high_tech", "recognized"): {"reference_no": "GR202443000240"},
    ("tech_sme", "revoked"): {"details": {"revocation_reason": "other"}},
    ("high_tech", "revoked"): {"details": {"revocation_reason": "other"}},
    ("rd_subsidy", "approved"): {"amount_approved": "300000.00"},
    ("rd_subsidy", "disbursed"): {"amount_disbursed": "300000.00"},
    ("tech_loan", "approved"): {"amount_approved": "2000000.00",
                                "details": {"term_months": 12, "annual_rate": "3.4500"}},
    ("tech_loan", "disbursed"): {"amount_disbursed": "2000000.00", "valid_until": "2025-06-30"},
}


def create_application(client: TestClient, program: str = "high_tech", **overrides: Any) -> dict[str, Any]:
    if "enterprise_id" not in overrides:
        overrides["enterprise_id"] = create_enterprise(client)["id"]
    payload: dict[str, Any] = {"program": program, "year": 2024, "on": START_ON, **overrides}
    response = client.post(URL, json=payload)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def move(client: TestClient, application: dict[str, Any], to: str, **fields: Any) -> Any:
    body = {"to": to, **REQUIRED.get((application["program"], to), {}), **fields}
    return client.post(f"{URL}/{application['id']}/transitions", json=body)


def path_to(program_code: str, stage: str) -> list[str]:
    """The shortest chain of stages from the program's first stage to ``stage`` (BFS over the declaration)."""
    program = find_program(program_code)
    assert program is not None
    start = program.starts[0]
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for nxt in program.allowed_from(current):
            if nxt not in previous:
                previous[nxt] = current
                queue.append(nxt)
    assert stage in previous, f"{stage} is unreachable in {program_code}"
    chain: list[str] = []
    node: str | None = stage
    while node is not None and node != start:
        chain.append(node)
        node = previous[node]
    return list(reversed(chain))


def application_at(client: TestClient, program: str, stage: str, **overrides: Any) -> dict[str, Any]:
    """A new application walked through the declared transitions into ``stage``."""
    application = create_application(client, program, **overrides)
    for step in path_to(program, stage):
        response = move(client, application, step, on=application["stage_entered_on"])
        assert response.status_code == 201, response.text
        application = response.json()["application"]
    return application
