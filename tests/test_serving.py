"""``seedbed serve --workers N`` listens on a TCP socket whose connections asyncio sets ``TCP_NODELAY`` on
(uvicorn's own shared socket has protocol 0, so every response waited ~40 ms for a delayed ACK)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing, suppress
from pathlib import Path

import httpx
import pytest

from app.config import PROJECT_ROOT
from app.serving import listening_socket

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration


def test_connections_to_the_workers_socket_are_tcp_for_asyncio() -> None:
    with closing(listening_socket("127.0.0.1", 0)) as listener:
        listener.listen(1)
        with closing(socket.create_connection(listener.getsockname())):
            accepted, _ = listener.accept()
            with closing(accepted):
                # asyncio's _set_nodelay turns Nagle off only for these three.
                assert (accepted.family, accepted.type, accepted.proto) == (
                    socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
                assert listener.get_inheritable()


def test_serve_with_two_workers_answers_and_stops_cleanly(tmp_path: Path) -> None:
    port = _free_port()
    process, log = _serve(tmp_path, port, workers=2)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:  # one kept-alive connection
            answers = [client.get("/healthz") for _ in range(20)]
            assert [answer.status_code for answer in answers] == [200] * 20
            assert "server" not in answers[0].headers  # no banner naming the server software
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 0, log.read_text()
    assert f"Seedbed on http://127.0.0.1:{port} with 2 workers" in log.read_text()


def test_two_workers_share_kept_alive_connections_evenly(tmp_path: Path) -> None:
    """Eight connections opened at once, then used in turn: whichever way the workers accepted them, a worker
    holding more than half closes one after its answer, and the client's next connection goes where the kernel
    puts it, until each worker holds four."""
    port = _free_port()
    process, log = _serve(tmp_path, port, workers=2)
    try:
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(8)]
        for connection in connections:  # all at once: the workers race to accept them
            connection.connect()
        closed, rounds = 0, 0
        while rounds < 200:  # until a whole round is answered on kept-alive connections
            rounds += 1
            closed_now = 0
            for connection in connections:  # http.client opens a new connection after one the server closed
                connection.request("GET", "/healthz")
                answer = connection.getresponse()
                answer.read()
                assert answer.status == 200
                closed_now += answer.getheader("connection") == "close"
            closed += closed_now
            if not closed_now:
                break
        assert all(connection.sock is not None for connection in connections), (rounds, closed)
        held = sorted(_established(worker, port) for worker in _workers(process.pid))
        assert held == [4, 4], (held, rounds, closed)
        for connection in connections:
            connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 0, log.read_text()


def _serve(tmp_path: Path, port: int, *, workers: int) -> tuple[subprocess.Popen[bytes], Path]:
    env = {**os.environ, "SEEDBED_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
           "SEEDBED_LOG_LEVEL": "WARNING", "PYTHONPATH": str(PROJECT_ROOT)}
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        seedbed = str(Path(sys.executable).with_name("seedbed"))
        process = subprocess.Popen([seedbed, "serve", "--port", str(port), "--workers", str(workers)],
                                   cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process, log
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


def _workers(pid: int) -> list[int]:
    """The worker processes uvicorn started for server ``pid`` (not multiprocessing's resource tracker)."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:  # the process ended meanwhile
            continue
        if parent == pid and b"spawn_main" in command:
            workers.append(int(stat.parent.name))
    return workers


def _established(pid: int, port: int) -> int:
    """How many established connections to ``port`` process ``pid`` holds (Linux's /proc)."""
    inodes = set()
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        with suppress(OSError):
            target = os.readlink(descriptor)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    held = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01" and fields[9] in inodes:  # 01: ESTABLISHED
            held += 1
    return held


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_uvicorn_neither_believes_forwarded_headers_nor_names_itself() -> None:
    from app.serving import uvicorn_options

    options = uvicorn_options("127.0.0.1", 0)
    assert options["proxy_headers"] is False  # only SEEDBED_TRUSTED_PROXIES decide whom to believe
    assert options["server_header"] is False
