"""Many phones logging visits at once against one real server on SQLite: none lost, none locked out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app import migrate
from app.auth.models import User
from app.auth.roles import Role
from app.auth.service import issue_session_token
from app.config import PROJECT_ROOT, Settings
from app.db import make_engine, make_session_factory
from app.enterprises.models import Enterprise
from app.visits.models import Visit
from tests.visits.factories import days_ago

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration

CLIENTS = 50
VISITS_EACH = 20
FIRMS = 10
STARTUP_SECONDS = 30
RUN_SECONDS = 120


@dataclass(frozen=True)
class Server:
    base_url: str
    token: str
    database_url: str
    log: Path
    firm_ids: list[int]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _prepare(database_url: str) -> tuple[str, list[int]]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            user = User(username="phone", display_name="走访员", role=Role.staff.value, password_hash="x")
            firms = [Enterprise(credit_code=f"91430702MA4L{n:05d}X", name=f"并发测试企业{n}", district="丹阳街道")
                     for n in range(FIRMS)]
            session.add_all([user, *firms])
            session.flush()
            _, token = issue_session_token(session, user, settings=Settings(database_url=database_url))
            session.commit()
            return token, [firm.id for firm in firms]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """uvicorn in a subprocess on a loopback port, over a migrated SQLite file of its own."""
    with tempfile.TemporaryDirectory(prefix="seedbed_concurrency") as directory:
        database_url = f"sqlite:///{Path(directory) / 'visits.db'}"
        token, firm_ids = _prepare(database_url)
        port = _free_port()
        log = Path(directory) / "server.log"
        env = {**os.environ, "SEEDBED_DATABASE_URL": database_url, "SEEDBED_ENVIRONMENT": "test",
               "SEEDBED_LOG_LEVEL": "WARNING", "PYTHONPATH": str(PROJECT_ROOT)}
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1",
                 "--port", str(port), "--no-access-log"],
                cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            )
            try:
                base_url = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + STARTUP_SECONDS
                while True:
                    assert process.poll() is None, log.read_text()
                    try:
                        if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert time.monotonic() < deadline, "server did not start in time"
                    time.sleep(0.1)
                yield Server(base_url, token, database_url, log, firm_ids)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


class TestConcurrentVisitLogging:
    def test_fifty_phones_logging_twenty_visits_each_lose_nothing(self, server: Server) -> None:
        barrier = threading.Barrier(CLIENTS)
        created: list[int] = []
        failures: list[str] = []
        lock = threading.Lock()

        def phone(number: int) -> None:
            headers = {"Authorization": f"Bearer {server.token}"}
            with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as http:
                barrier.wait(timeout=30)
                for n in range(VISITS_EACH):
                    body = {"enterprise_id": server.firm_ids[(number + n) % FIRMS], "visited_on": days_ago(1),
                            "kind": "on_site", "summary": f"第{number}号手机第{n}次走访"}
                    try:
                        response = http.post("/api/v1/visits", json=body,
                                             headers={"Idempotency-Key": str(uuid.uuid4())})
                    except httpx.HTTPError as exc:
                        with lock:
                            failures.append(f"{number}/{n}: {exc!r}")
                        continue
                    with lock:
                        if response.status_code == 201:
                            created.append(response.json()["id"])
                        else:
                            failures.append(f"{number}/{n}: {response.status_code} {response.text}")

        threads = [threading.Thread(target=phone, args=(number,)) for number in range(CLIENTS)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, RUN_SECONDS - (time.monotonic() - started)))
        assert not any(thread.is_alive() for thread in threads), "clients did not finish in time"

        assert failures == []
        assert len(created) == len(set(created)) == CLIENTS * VISITS_EACH
        engine = make_engine(server.database_url)
        try:
            with make_session_factory(engine)() as session:
                assert session.scalar(select(func.count()).select_from(Visit)) == CLIENTS * VISITS_EACH
        finally:
            engine.dispose()
        assert "database is locked" not in server.log.read_text()
