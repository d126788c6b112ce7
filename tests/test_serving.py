"""``seedbed serve --workers N`` listens on a TCP socket whose connections asyncio sets ``TCP_NODELAY`` on
(uvicorn's own shared socket has protocol 0, so every response waited ~40 ms for a delayed ACK)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing
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
    env = {**os.environ, "SEEDBED_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
           "SEEDBED_LOG_LEVEL": "WARNING", "PYTHONPATH": str(PROJECT_ROOT)}
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        seedbed = str(Path(sys.executable).with_name("seedbed"))
        process = subprocess.Popen([seedbed, "serve", "--port", str(port), "--workers", "2"],
                                   cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:  # one kept-alive connection
            answers = [client.get("/healthz") for _ in range(20)]
            assert [answer.status_code for answer in answers] == [200] * 20
            assert "server" not in answers[0].headers  # no banner naming the server software
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 0, log.read_text()
    assert f"Seedbed on http://127.0.0.1:{port} with 2 workers" in log.read_text()


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_uvicorn_neither_believes_forwarded_headers_nor_names_itself() -> None:
    from app.serving import uvicorn_options

    options = uvicorn_options("127.0.0.1", 0)
    assert options["proxy_headers"] is False  # only SEEDBED_TRUSTED_PROXIES decide whom to believe
    assert options["server_header"] is False
