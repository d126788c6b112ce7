"""Two clerks at the same moment: simultaneous requests over real commits end in one winner and clean
409/412 answers for the others, never a 500."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import enterprise_payload
from tests.support import apps

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

URL = "/api/v1/enterprises"
RACERS = 6


@pytest.fixture
def committed_app() -> Iterator[tuple[TestClient, str]]:
    with apps.committed_app() as pair:
        yield pair


def race(client: TestClient, token: str, call: Callable[[TestClient, dict[str, str]], Any]) -> list[int]:
    """Run ``call`` from RACERS threads released together; returns the status codes."""
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []
    headers = {"Authorization": f"Bearer {token}"}

    def run() -> None:
        with TestClient(client.app, raise_server_exceptions=False) as own:
            barrier.wait()
            statuses.append(call(own, headers).status_code)

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == RACERS
    return statuses


class TestSimultaneousWrites:
    def test_one_credit_code_registered_at_once_gives_one_firm(self, committed_app: tuple[TestClient, str]) -> None:
        client, token = committed_app
        body = enterprise_payload()
        statuses = race(client, token, lambda own, headers: own.post(URL, json=body, headers=headers))
        assert sorted(statuses) == [201] + [409] * (RACERS - 1)

    def test_edits_from_one_etag_give_one_winner_and_412s(self, committed_app: tuple[TestClient, str]) -> None:
        client, token = committed_app
        auth = {"Authorization": f"Bearer {token}"}
        firm = client.post(URL, json=enterprise_payload(), headers=auth).json()
        counter = iter(range(RACERS))

        def edit(own: TestClient, headers: dict[str, str]) -> Any:
            return own.patch(f"{URL}/{firm['id']}", json={"notes": f"第{next(counter)}次修改"},
                             headers={**headers, "If-Match": '"1"'})

        statuses = race(client, token, edit)
        assert sorted(statuses) == [200] + [412] * (RACERS - 1)
        assert client.get(f"{URL}/{firm['id']}", headers=auth).json()["version"] == 2

    def test_first_figures_of_a_year_saved_at_once_make_one_row(self, committed_app: tuple[TestClient, str]) -> None:
        client, token = committed_app
        auth = {"Authorization": f"Bearer {token}"}
        firm = client.post(URL, json=enterprise_payload(), headers=auth).json()
        url = f"{URL}/{firm['id']}/figures/2024"
        statuses = race(client, token, lambda own, headers: own.put(url, json={"employees": 10}, headers=headers))
        # SQLite serialises writers (the rest replace: 200); PostgreSQL lets them collide (the rest: 409).
        assert statuses.count(201) == 1
        assert set(statuses) <= {200, 201, 409}
        assert len(client.get(f"{URL}/{firm['id']}/figures", headers=auth).json()) == 1
