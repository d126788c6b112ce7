"""A read makes one trip through the thread pool: the token's look-up, the endpoint and the end of its
transaction run in one worker thread, never on the thread of the event loop (which must stay free for other
requests however long a read takes); a write still takes its own steps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session
from starlette.types import Receive, Scope, Send

from app import connections
from app.auth.roles import Role
from app.config import Settings
from app.http.transaction import read_threads
from tests.conftest import Account
from tests.factories import create_enterprise, enterprise_payload


class _Recorder:
    """Which threads ran the event loop, the SQL statements and the ends of the requests' transactions."""

    def __init__(self, app: FastAPI, connection: Connection) -> None:
        self.app = app
        self.loop_threads: set[int] = set()
        self.statement_threads: list[int] = []
        self.end_threads: list[int] = []
        self.sessions: list[Session] = []
        self.trips = 0
        self.limiters: list[Any] = []
        opened = app.state.session_factory
        event.listen(connection, "before_cursor_execute", self._statement)

        def recorded(write: bool) -> Session:
            session: Session = opened(write)
            event.listen(session, "after_transaction_end", self._ended)
            self.sessions.append(session)
            return session

        app.state.session_factory = recorded
        self.connection = connection

    def _statement(self, *_: Any) -> None:
        self.statement_threads.append(threading.get_ident())

    def _ended(self, _session: Session, transaction: Any) -> None:
        if transaction.parent is None:
            self.end_threads.append(threading.get_ident())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.loop_threads.add(threading.get_ident())
        await self.app(scope, receive, send)

    def counting(self, run_sync: Any) -> Any:
        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.trips += 1
            self.limiters.append(kwargs.get("limiter"))
            return await run_sync(*args, **kwargs)
        return counted

    def forget(self) -> None:
        self.trips = 0
        self.limiters.clear()
        self.statement_threads.clear()
        self.end_threads.clear()
        self.sessions.clear()


@pytest.fixture
def recorder(app: FastAPI, connection: Connection, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Recorder]:
    recording = _Recorder(app, connection)
    # Every trip through the thread pool (Starlette's run_in_threadpool, FastAPI's) goes through this function.
    monkeypatch.setattr(anyio.to_thread, "run_sync", recording.counting(anyio.to_thread.run_sync))
    yield recording
    event.remove(connection, "before_cursor_execute", recording._statement)


def _client(recorder: _Recorder, account: Account) -> TestClient:
    client = TestClient(recorder, raise_server_exceptions=False)
    client.headers.update({"Accept-Language": "en", **account.headers})
    return client


class TestOneTrip:
    @pytest.mark.parametrize("path", ["/api/v1/auth/me", "/api/v1/enterprises/{id}", "/api/v1/enterprises/999999"])
    def test_a_read_runs_in_one_worker_thread(
        self, client: TestClient, recorder: _Recorder, accounts: dict[Role, Account], path: str
    ) -> None:
        firm = create_enterprise(client)
        with _client(recorder, accounts[Role.staff]) as reader:
            recorder.forget()
            response = reader.get(path.format(id=firm["id"]))
        assert response.status_code == (404 if "999999" in path else 200)
        assert recorder.trips == 1
        threads = set(recorder.statement_threads) | set(recorder.end_threads)
        assert len(threads) == 1, threads
        assert not threads & recorder.loop_threads
        assert recorder.statement_threads, "the token was looked up"
        assert len(recorder.end_threads) == 1
        assert [session.in_transaction() for session in recorder.sessions] == [False]

    def test_reads_share_a_few_threads_of_their_own(
        self, client: TestClient, recorder: _Recorder, accounts: dict[Role, Account]
    ) -> None:
        firm = create_enterprise(client)
        with _client(recorder, accounts[Role.staff]) as reader:
            recorder.forget()
            for path in ("/api/v1/auth/me", f"/api/v1/enterprises/{firm['id']}", "/api/v1/enterprises"):
                assert reader.get(path).status_code == 200
        # Not Starlette's pool of forty: the reads' own limit, one limiter for them all.
        limits = {id(limiter): limiter for limiter in recorder.limiters}
        assert len(recorder.limiters) == 3
        assert len(limits) == 1
        (limiter,) = limits.values()
        assert limiter is not None
        assert limiter.total_tokens == 2  # one server process: two threads

    def test_a_write_still_ends_its_transaction_once(
        self, recorder: _Recorder, accounts: dict[Role, Account]
    ) -> None:
        with _client(recorder, accounts[Role.staff]) as writer:
            recorder.forget()
            response = writer.post("/api/v1/enterprises", json=enterprise_payload())
        assert response.status_code == 201, response.text
        assert len(recorder.end_threads) == 1
        assert not set(recorder.statement_threads) & recorder.loop_threads
        assert [session.in_transaction() for session in recorder.sessions] == [False]


def test_read_threads_one_per_worker_of_several_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(connections.ENVIRONMENT, raising=False)
    assert read_threads(Settings(read_threads=None)) == 2  # one server process: a lane beside a long report
    monkeypatch.setenv(connections.ENVIRONMENT, "2:/nonexistent")  # as `seedbed serve --workers 2` tells its workers
    assert read_threads(Settings(read_threads=None)) == 1
    assert read_threads(Settings(read_threads=3)) == 3
