"""Where a request's milliseconds go, in-process: the ASGI app called directly (no sockets, no HTTP parsing),
each scenario repeated, p50 and mean per request. Run it under ``py-spy record`` to see the split.

    PYTHONPATH=. python bench/request_profile.py [--db bench/data/district.db] [--n 500] [--only me firm]
    py-spy record -o profile.svg -- python bench/request_profile.py --n 2000 --only me
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from app.config import Settings
from app.main import create_app
from bench.dataset import PASSWORD, USERNAME


async def call(app: Any, method: str, path: str, *, query: str = "", token: str | None = None,
               body: bytes = b"", content_type: str = "application/json") -> tuple[int, bytes]:
    headers = [(b"host", b"127.0.0.1")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if body:
        headers += [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 8000), "state": {}}
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="bench/data/district.db")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    app = create_app(Settings(database_url=f"sqlite:///{args.db}", log_level="WARNING"))
    form = f"username={USERNAME}&password={PASSWORD}".encode()
    status, body = await call(app, "POST", "/api/v1/auth/token", body=form,
                              content_type="application/x-www-form-urlencoded")
    assert status == 200, body
    token = json.loads(body)["access_token"]
    _, body = await call(app, "GET", "/api/v1/enterprises", query="limit=1&sort=-id", token=token)
    last_id = json.loads(body)["items"][0]["id"]
    ids = iter(range(10**9))
    scenarios: dict[str, Callable[[], Any]] = {
        "healthz": lambda: call(app, "GET", "/healthz"),
        "me": lambda: call(app, "GET", "/api/v1/auth/me", token=token),
        "firm": lambda: call(app, "GET", f"/api/v1/enterprises/{1 + next(ids) * 7919 % last_id}", token=token),
        "list": lambda: call(app, "GET", "/api/v1/enterprises", token=token,
                             query="district=%E4%B8%B9%E9%98%B3%E8%A1%97%E9%81%93&limit=50&sort=-registered_on"),
        "search": lambda: call(app, "GET", "/api/v1/enterprises", token=token, query="q=%E7%A7%91%E6%8A%80&limit=50"),
        "search3": lambda: call(app, "GET", "/api/v1/enterprises", token=token,
                                query="q=%E6%96%B0%E6%9D%90%E6%96%99&limit=50"),
        "summary": lambda: call(app, "GET", "/api/v1/stats/summary", token=token, query="year=2025"),
    }
    for name, request in scenarios.items():
        if args.only and name not in args.only:
            continue
        status, _ = await request()
        assert status == 200, (name, status)
        n = args.n if name != "summary" else max(3, args.n // 100)
        times = []
        for _ in range(n):
            started = time.perf_counter()
            await request()
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name:8} n={n:5}  p50 {statistics.median(times):7.2f} ms  mean {statistics.fmean(times):7.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
