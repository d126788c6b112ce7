"""Two staff moving one application at the same moment: exactly one wins, the others get 409 or 412.

Runs over a database of its own with real commits and one thread (and one login) per request, on
whichever backend the suite runs on (SQLite serialises the writers; PostgreSQL lets them race).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import migrate
from app.auth.models import User
from app.auth.roles import Role
from app.auth.service import issue_session_token
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.main import create_app
from tests.factories import enterprise_payload
from tests.pipeline.helpers import URL
from tests.support.databases import temporary_database

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

RACERS = 6


@dataclass
class Race:
    client: TestClient
    tokens: list[str]

    def headers(self, n: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[n]}"}

    def run(self, url: str, bodies: list[dict[str, Any]], extra: dict[str, str] | None = None) -> list[int]:
        barrier = threading.Barrier(len(bodies))
        statuses: list[int] = []

        def post(n: int) -> None:
            with TestClient(self.client.app) as own:
                barrier.wait()
                statuses.append(own.post(url, json=bodies[n], headers={**self.headers(n), **(extra or {})}
                                         ).status_code)

        threads = [threading.Thread(target=post, args=(n,)) for n in range(len(bodies))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return statuses


@pytest.fixture
def race() -> Iterator[Race]:
    with temporary_database() as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        settings = Settings(database_url=url, environment="test")
        tokens = []
        with make_session_factory(engine)() as session:
            for n in range(RACERS):
                user = User(username=f"racer{n}", display_name=f"racer{n}", role=Role.staff.value, password_hash="x")
                session.add(user)
                session.flush()
                tokens.append(issue_session_token(session, user, settings=settings)[1])
            session.commit()
        try:
            yield Race(TestClient(create_app(settings, engine=engine)), tokens)
        finally:
            engine.dispose()


def _application(race: Race) -> dict[str, Any]:
    firm = race.client.post("/api/v1/enterprises", json=enterprise_payload(), headers=race.headers(0))
    assert firm.status_code == 201, firm.text
    created = race.client.post(URL, json={"program": "tech_sme", "enterprise_id": firm.json()["id"], "year": 2024},
                               headers=race.headers(0))
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


class TestConcurrentTransitions:
    def test_same_move_exactly_one_wins(self, race: Race) -> None:
        application = _application(race)
        url = f"{URL}/{application['id']}/transitions"
        statuses = race.run(url, [{"to": "preparing"}] * RACERS)
        assert sorted(statuses) == [201] + [409] * (RACERS - 1)
        history = race.client.get(url, headers=race.headers(0)).json()
        assert [e["to_stage"] for e in history] == ["prospect", "preparing"]

    def test_different_moves_from_one_version_exactly_one_wins(self, race: Race) -> None:
        application = _application(race)
        url = f"{URL}/{application['id']}/transitions"
        bodies = [{"to": "preparing"}, {"to": "submitted"}, {"to": "withdrawn"}] * (RACERS // 3)
        statuses = race.run(url, bodies, extra={"If-Match": '"1"'})
        assert statuses.count(201) == 1
        assert set(statuses) - {201} <= {409, 412}
        assert len(statuses) == RACERS
        current = race.client.get(f"{URL}/{application['id']}", headers=race.headers(0)).json()
        assert current["version"] == 2
        assert len(race.client.get(url, headers=race.headers(0)).json()) == 2
