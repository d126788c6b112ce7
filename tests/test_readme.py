"""The README's curl examples run as written, in order, against a live ``seedbed serve`` on a fresh database.

Only two things differ from what a reader types: the port (a free one instead of 8000) and the first-run
password (the one this server printed instead of ``q3Xk…``); every curl also fails on an HTTP error."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from app import migrate
from app.config import PROJECT_ROOT
from tests.support.databases import temporary_database

README = PROJECT_ROOT / "README.md"
PLACEHOLDER_PASSWORD = "PASSWORD='q3Xk…'"

# Makes its own databases or servers: not part of `make test-fast`.
pytestmark = pytest.mark.integration


def curl_blocks(text: str) -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return [block for block in blocks if "curl " in block]


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_readme_curl_examples_run_against_a_live_server(tmp_path: Path) -> None:
    blocks = curl_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    assert PLACEHOLDER_PASSWORD in blocks[0]
    port = _free_port()
    with temporary_database() as url:
        migrate.upgrade(url)
        env = {**os.environ, "SEEDBED_DATABASE_URL": url, "SEEDBED_LOG_LEVEL": "WARNING",
               "PYTHONPATH": str(PROJECT_ROOT)}
        log = tmp_path / "serve.log"
        with log.open("w") as output:
            process = subprocess.Popen([str(Path(sys.executable).with_name("seedbed")), "serve", "--port", str(port)],
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
            printed = re.search(r"with password\s+(\S+)", log.read_text())
            assert printed, log.read_text()
            script = "\n".join(blocks)
            script = script.replace(PLACEHOLDER_PASSWORD, f"PASSWORD='{printed.group(1)}'")
            script = script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
            script = script.replace("curl -s ", "curl -s --fail-with-body ")
            result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                                    capture_output=True, text=True, timeout=120, check=False)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{log.read_text()}"
    assert '"display_name":"张伟"' in result.stdout.replace(": ", ":")
    assert '"stage":"recognized"' in result.stdout.replace(": ", ":")
    assert '"dry_run":true' in result.stdout.replace(": ", ":")
