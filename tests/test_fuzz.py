"""Schemathesis over the whole OpenAPI document: whatever a client sends, no 5xx and no answer that
contradicts the schema. Every operation is fuzzed, including ones added later.

Deterministic and bounded: the same examples every run (derandomized, no example database), at most
``EXAMPLES`` per operation, and no deadline a busy machine could trip. The request timeout only catches a
request that never finishes."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from app.auth.roles import Role
from app.main import openapi_document
from tests.conftest import Account

schema = schemathesis.openapi.from_dict(openapi_document())

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = 30
HANG_SECONDS = 600

pytestmark = pytest.mark.fuzz


@pytest.fixture
def fuzz_headers(accounts: dict[Role, Account]) -> dict[str, str]:
    """Headers sent with every fuzzed request: signed in as an admin, who may call every operation."""
    return accounts[Role.admin].headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api(case: schemathesis.Case, app: FastAPI, fuzz_headers: dict[str, str]) -> None:
    case.call_and_validate(app=app, headers=fuzz_headers, checks=CHECKS, timeout=HANG_SECONDS)
