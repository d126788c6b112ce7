"""A token is shown once: an Idempotency-Key keeps no copy of it, and a retry is refused with a 409 saying so."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.http.idempotency import IdempotencyKey
from tests.conftest import PASSWORD, Account


def _stored(session: Session, key: str) -> IdempotencyKey:
    session.expire_all()
    row = session.scalars(select(IdempotencyKey).where(IdempotencyKey.key == key)).one()
    return row


class TestApiToken:
    def test_the_stored_answer_holds_no_token_and_a_retry_is_refused(
        self, staff_client: TestClient, session: Session
    ) -> None:
        key = str(uuid.uuid4())
        body = {"name": "月报脚本"}
        first = staff_client.post("/api/v1/api-tokens", json=body, headers={"Idempotency-Key": key})
        assert first.status_code == 201, first.text
        secret = first.json()["token"]
        row = _stored(session, key)
        assert secret not in (row.response_body or "")
        assert secret not in str(row.response_headers)
        assert secret[10:30] not in (row.response_body or "")
        # The token's metadata is kept; only the secret is left out.
        assert '"name":"月报脚本"' in (row.response_body or "").replace(": ", ":")

        again = staff_client.post("/api/v1/api-tokens", json=body, headers={"Idempotency-Key": key})
        assert again.status_code == 409
        assert again.headers["content-type"].startswith("application/problem+json")
        problem = again.json()
        assert secret not in again.text
        assert "shown only once" in problem["detail"]
        assert problem["location"] == first.headers["location"]
        # The token the first request created still works, and no second one was made.
        tokens = staff_client.get("/api/v1/api-tokens").json()["items"]
        assert [t["name"] for t in tokens].count("月报脚本") == 1
        me = staff_client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"})
        assert me.status_code == 200

    def test_the_refusal_is_in_chinese_by_default(self, staff_client: TestClient) -> None:
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        assert staff_client.post("/api/v1/api-tokens", json={"name": "脚本"}, headers=headers).status_code == 201
        again = staff_client.post("/api/v1/api-tokens", json={"name": "脚本"},
                                  headers={**headers, "Accept-Language": "zh"})
        assert again.status_code == 409
        assert "只显示一次" in again.json()["detail"]

    def test_other_answers_are_still_replayed_whole(self, staff_client: TestClient, session: Session) -> None:
        from tests.factories import enterprise_payload

        key = str(uuid.uuid4())
        payload = enterprise_payload()
        first = staff_client.post("/api/v1/enterprises", json=payload, headers={"Idempotency-Key": key})
        again = staff_client.post("/api/v1/enterprises", json=payload, headers={"Idempotency-Key": key})
        assert again.status_code == 201
        assert again.json() == first.json()
        assert "withheld" not in _stored(session, key).response_headers


class TestLogin:
    def test_a_login_sent_with_a_token_and_a_key_keeps_no_copy_of_the_new_token(
        self, anonymous_client: TestClient, accounts: dict[str, Account], session: Session
    ) -> None:
        account = next(iter(accounts.values()))
        key = str(uuid.uuid4())
        headers = {**account.headers, "Idempotency-Key": key}
        credentials = {"username": account.username, "password": PASSWORD}
        first = anonymous_client.post("/api/v1/auth/token", json=credentials, headers=headers)
        assert first.status_code == 200, first.text
        secret = first.json()["access_token"]
        assert secret not in (_stored(session, key).response_body or "")
        again = anonymous_client.post("/api/v1/auth/token", json=credentials, headers=headers)
        assert again.status_code == 409
        assert secret not in again.text
        assert "location" not in again.json()
