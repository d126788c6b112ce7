"""The committed OpenAPI document is what the app serves: a client generated from it never drifts."""

from __future__ import annotations

import json
from pathlib import Path

from app.main import openapi_document

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_committed_document_matches_the_app() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == openapi_document(), "openapi/openapi.json is stale: run `make openapi` and commit it"


def test_every_operation_has_a_stable_id_and_a_summary() -> None:
    ids = []
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
            assert operation.get("summary") or operation.get("description"), f"{method.upper()} {path}"
            ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
