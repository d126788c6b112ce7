"""Migration 0021 deletes stored idempotent answers that hold a token and keeps every other one."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import migrate
from app.db import make_engine
from tests.support.databases import temporary_database

# Makes its own databases: not part of `make test-fast`.
pytestmark = pytest.mark.integration

ROWS = {
    "login": '{"access_token":"eyJhbGciOi.secret","token_type":"bearer","expires_in":3600}',
    "api-token": '{"id":3,"name":"统计脚本","token":"sbk_secret-value","prefix":"sbk_abcd"}',
    "visit": '{"id":7,"summary":"走访：企业询问 \\"token\\" 怎么申请","version":1}',
}


def test_stored_tokens_are_forgotten_and_other_replies_kept() -> None:
    with temporary_database("forget_tokens") as url:
        migrate.upgrade(url, "0020")
        engine = make_engine(url)
        try:
            with engine.begin() as connection:
                for key, body in ROWS.items():
                    connection.execute(text(
                        "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response_body, "
                        "response_headers, created_at) VALUES (1, :key, 'h', 201, :body, '{}', CURRENT_TIMESTAMP)"),
                        {"key": key, "body": body})
            migrate.upgrade(url)
            with engine.connect() as connection:
                kept = set(connection.scalars(text("SELECT key FROM idempotency_keys")))
                bodies = " ".join(connection.scalars(text("SELECT response_body FROM idempotency_keys")))
        finally:
            engine.dispose()
    assert kept == {"visit"}
    assert "secret" not in bodies
