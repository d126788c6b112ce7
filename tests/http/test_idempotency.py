from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.enterprises.models import Enterprise
from tests.factories import enterprise_payload
from tests.support import apps

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

URL = "/api/v1/enterprises"


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


class TestRetry:
    def test_same_key_and_body_replays_the_first_response(self, client: TestClient, session: Session) -> None:
        headers, body = key(), enterprise_payload()
        first = client.post(URL, json=body, headers=headers)
        again = client.post(URL, json=body, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["location"] == first.headers["location"]
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["idempotent-replayed"] == "true"
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 1

    def test_same_key_with_another_body_is_422(self, client: TestClient) -> None:
        headers = key()
        assert client.post(URL, json=enterprise_payload(), headers=headers).status_code == 201
        reused = client.post(URL, json=enterprise_payload(), headers=headers)
        assert reused.status_code == 422
        assert reused.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]

    def test_a_failed_request_is_not_remembered(self, client: TestClient) -> None:
        headers, body = key(), enterprise_payload(credit_code="91110000600037341N")
        assert client.post(URL, json=body, headers=headers).status_code == 422
        fixed = {**body, "credit_code": "91110000600037341L"}
        assert client.post(URL, json=fixed, headers=headers).status_code == 201

    def test_keys_belong_to_their_user(self, client: TestClient, staff_client: TestClient) -> None:
        headers, body = key(), enterprise_payload()
        assert client.post(URL, json=body, headers=headers).status_code == 201
        # The same key from another user is another request: here a duplicate credit code.
        assert staff_client.post(URL, json=body, headers=headers).status_code == 409

    def test_without_a_key_a_retry_is_a_new_request(self, client: TestClient) -> None:
        body = enterprise_payload()
        assert client.post(URL, json=body).status_code == 201
        assert client.post(URL, json=body).status_code == 409

    def test_malformed_key_is_422(self, client: TestClient) -> None:
        response = client.post(URL, json=enterprise_payload(), headers={"Idempotency-Key": "x" * 300})
        assert response.status_code == 422


@pytest.fixture
def committed_app() -> Iterator[tuple[TestClient, str]]:
    """An app over its own database with real commits, for races between requests."""
    with apps.committed_app() as pair:
        yield pair


class TestConcurrentRetries:
    def test_simultaneous_retries_create_exactly_one_record(self, committed_app: tuple[TestClient, str]) -> None:
        client, token = committed_app
        headers = {**key(), "Authorization": f"Bearer {token}"}
        body = enterprise_payload()
        barrier = threading.Barrier(6)
        results: list[tuple[int, int]] = []

        def post() -> None:
            with TestClient(client.app) as own:
                barrier.wait()
                response = own.post(URL, json=body, headers=headers)
                results.append((response.status_code, response.json().get("id", -1)))

        threads = [threading.Thread(target=post) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(results) == 6
        assert {status for status, _ in results} == {201}
        assert len({firm_id for _, firm_id in results}) == 1
        listed = client.get(URL, headers={"Authorization": f"Bearer {token}"}).json()
        assert listed["total"] == 1
