"""Load scenarios against a real ``seedbed serve``, driven by wrk, with a framework ceiling and database floors.

    PYTHONPATH=. python bench/load.py --scale district --db sqlite [--workers 1 2] [--duration 10]

Builds (or reuses) the dataset, then for each worker count starts ``seedbed serve`` on 127.0.0.1, runs
every scenario for ``--duration`` seconds with wrk (one thread, ``--connections`` connections) while
sampling the server's resident memory, and stops it. With the server down, each scenario's database
floor is measured in-process (bench/floor.py). Writes bench/results/<date>-<scale>-<db>.json and
appends a table to bench/RESULTS.md (bench/report.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import dataset  # noqa: E402
import report  # noqa: E402

API = "/api/v1"
DAY = "2026-11-20"
YEAR = 2025  # the last whole year of the demo data: its summary compares two full years


@dataclass
class Scenario:
    name: str
    method: str
    path: str
    lua: str = "get.lua"
    body: dict[str, Any] | None = None
    duration: int | None = None  # seconds, when the default is too short for a single request
    connections: int | None = None
    env: dict[str, str] = field(default_factory=dict)


def scenarios(ids: dict[str, Any]) -> list[Scenario]:
    firm = ids["first_firm"]
    search = urllib.parse.quote("科技")
    district = urllib.parse.quote(ids["district"])
    return [
        Scenario("ceiling: GET /auth/me", "GET", f"{API}/auth/me"),
        Scenario("list firms: district + status, sort -registered_on",
                 "GET", f"{API}/enterprises?district={district}&status=active&sort=-registered_on&limit=50"),
        Scenario("search q=科技 (Chinese substring)", "GET", f"{API}/enterprises?q={search}&limit=50"),
        Scenario("get one firm (detail + status summary)", "GET", f"{API}/enterprises/{firm}", lua="get_firm.lua"),
        Scenario("log a visit (POST /visits)", "POST", f"{API}/visits", lua="post_visit.lua",
                 body={"enterprise_id": firm, "visited_on": DAY, "kind": "phone",
                       "summary": "电话回访，了解研发费用加计扣除申报进展。", "purpose": "政策宣传"}),
        Scenario("transition an application (tech_sme)", "POST", "", lua="transition.lua"),
        Scenario("stats summary", "GET", f"{API}/stats/summary?year={YEAR}"),
        Scenario("stats pipeline by district", "GET", f"{API}/stats/pipeline?program=high_tech&group_by=district"),
        Scenario("CSV export of every firm", "GET", f"{API}/exports/enterprises.csv", duration=20, connections=2),
    ]


def _lookup_ids(url: str) -> dict[str, Any]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        first, last = conn.execute(sa.text("SELECT min(id), max(id) FROM enterprises")).one()
        district = conn.scalar(sa.text("SELECT district FROM enterprises GROUP BY district ORDER BY count(*) DESC"))
    engine.dispose()
    return {"first_firm": first, "last_firm": last, "district": district}


def _tech_sme_pool(url: str) -> list[tuple[int, str]]:
    """tech_sme applications that can go back and forth between submitted and returned."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, stage FROM applications WHERE program = 'tech_sme' AND stage IN ('submitted', 'returned')"
            " AND archived_at IS NULL ORDER BY id")).all()
    engine.dispose()
    return [(row.id, row.stage) for row in rows]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (uvicorn's workers are children)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its living descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / ticks


class Server:
    def __init__(self, url: str, workers: int) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "SEEDBED_DATABASE_URL": url, "SEEDBED_LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [dataset.SEEDBED, "serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("seedbed serve did not start") from None
                time.sleep(0.3)
        form = urllib.parse.urlencode({"username": dataset.USERNAME, "password": dataset.PASSWORD}).encode()
        with urllib.request.urlopen(f"{self.base}{API}/auth/token", data=form, timeout=10) as answer:
            self.token = json.load(answer)["access_token"]
        self.peak_kb = 0
        self._sampling = False

    def status_of(self, path: str) -> int:
        request = urllib.request.Request(f"{self.base}{path}", headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                answer.read()
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return error.code

    def sample_while(self, work: Any) -> tuple[Any, int]:
        """Run work() while sampling the server's RSS every 100 ms; returns its result and the peak (kB)."""
        peak = [_tree_rss_kb(self.process.pid)]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.1):
                peak[0] = max(peak[0], _tree_rss_kb(self.process.pid))

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            result = work()
        finally:
            stop.set()
            thread.join()
        return result, peak[0]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _wrk(server: Server, scenario: Scenario, env: dict[str, str], duration: int, connections: int) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "60s",
               "-s", str(BENCH / "wrk" / scenario.lua), f"{server.base}{scenario.path or '/'}"]
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[key] for key in raw if key.startswith("errors_"))
    return {
        "requests": raw["requests"], "req_per_s": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2), "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2), "errors": errors, "non_2xx": raw["errors_status"],
        "mb_per_s": round(raw["bytes"] / seconds / 1e6, 2) if seconds else 0.0,
    }


def _selected(ids: dict[str, Any], only: list[str]) -> list[Scenario]:
    chosen = scenarios(ids)
    if not only:
        return chosen
    return [s for s in chosen if s.name.startswith("ceiling") or any(word in s.name for word in only)]


def run_load(url: str, workers: int, ids: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    server = Server(url, workers)
    results: dict[str, Any] = {}
    try:
        for scenario in _selected(ids, args.only):
            env = {"BENCH_TOKEN": server.token, "BENCH_LUA_DIR": str(BENCH / "wrk"),
                   "BENCH_FIRST_ID": str(ids["first_firm"]), "BENCH_LAST_ID": str(ids["last_firm"]),
                   "BENCH_DAY": DAY}
            if scenario.lua == "transition.lua":
                pool = _tech_sme_pool(url)[1:]  # the first one is kept for the floor
                if not pool:
                    results[scenario.name] = {"available": False, "why": "no tech_sme application to move"}
                    continue
                env["BENCH_APPS"] = ",".join(f"{app_id}:{stage}" for app_id, stage in pool)
            probe_s = 0.0
            if scenario.method == "GET" and scenario.lua == "get.lua":
                started = time.perf_counter()
                status = server.status_of(scenario.path)
                probe_s = time.perf_counter() - started
                if status == 404:
                    results[scenario.name] = {"available": False, "why": "404: route not in this build"}
                    continue
                if not 200 <= status < 300:
                    # Timing error answers would flatter the path: report the request as broken instead.
                    results[scenario.name] = {"available": False, "why": f"{status} to the probe request"}
                    print(f"  {workers}w {scenario.name}: answers {status}, not measured", flush=True)
                    continue
            # wrk drops requests still running when time is up: slow paths get time for a few whole ones.
            duration = min(180, max(args.duration, scenario.duration or 0, round(4 * probe_s)))
            connections = scenario.connections or args.connections
            measured, peak_kb = server.sample_while(lambda s=scenario, e=env, d=duration, c=connections:
                                                    _wrk(server, s, e, d, c))
            results[scenario.name] = {"available": True, **measured, "peak_rss_mb": round(peak_kb / 1024, 1),
                                      "duration_s": duration, "connections": connections}
            print(f"  {workers}w {scenario.name}: {measured['req_per_s']} req/s, p50 {measured['p50_ms']} ms, "
                  f"p99 {measured['p99_ms']} ms, errors {measured['errors']}", flush=True)
    finally:
        server.stop()
    return results


def run_floors(url: str, ids: dict[str, Any], only: list[str]) -> dict[str, Any]:
    """Each scenario's SQL replayed in-process; the app answers one request through TestClient first."""
    os.environ["SEEDBED_DATABASE_URL"] = url
    os.environ["SEEDBED_LOG_LEVEL"] = "WARNING"
    import floor
    from fastapi.testclient import TestClient

    from app.config import get_settings
    from app.main import create_app

    get_settings.cache_clear()
    app = create_app()
    engine = app.state.engine
    floors: dict[str, Any] = {}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        form = {"username": dataset.USERNAME, "password": dataset.PASSWORD}
        token = client.post(f"{API}/auth/token", data=form).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        pool = _tech_sme_pool(url)
        for scenario in _selected(ids, only):
            body: dict[str, Any] | None
            if scenario.lua == "transition.lua":
                if not pool:
                    continue
                app_id, stage = pool[0]
                path, body = f"{API}/applications/{app_id}/transitions", {
                    "to": "returned" if stage == "submitted" else "submitted", "note": "压测：测量数据库下限。"}
            else:
                path, body = scenario.path, scenario.body

            def one(p: str = path, b: dict[str, Any] | None = body) -> int:
                answer = client.get(p, headers=headers) if b is None else client.post(p, json=b, headers=headers)
                return int(answer.status_code)

            status, statements = floor.capture(one)
            if scenario.method == "GET" and not 200 <= status < 300:
                continue
            floors[scenario.name] = {"status": status, **floor.measure(engine, statements)}
            print(f"  floor {scenario.name}: {floors[scenario.name]}", flush=True)
    engine.dispose()
    return floors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="district")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per scenario.")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=BENCH / "data", help="Where SQLite datasets live.")
    parser.add_argument("--rebuild", action="store_true", help="Generate the dataset even if it exists.")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--only", nargs="+", default=[], help="Run only scenarios whose name contains one of "
                        "these words (the ceiling always runs).")
    parser.add_argument("--label", default="", help="Added to the result's file name and heading.")
    args = parser.parse_args()

    scale = dataset.SCALES[args.scale]
    url = dataset.database_url(scale, args.db, args.data_dir.resolve())
    print(f"dataset {scale.name} on {args.db}", flush=True)
    record = args.data_dir.resolve() / f"{scale.name}-{args.db}.generation.json"
    generation = dataset.ensure(scale, url, record, rebuild=args.rebuild)
    print(f"  generation: {generation or 'reused'}", flush=True)
    if args.generate_only:
        return
    ids = _lookup_ids(url)
    loads = {str(workers): run_load(url, workers, ids, args) for workers in args.workers}
    floors = run_floors(url, ids, args.only)
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "scale": scale.name, "db": args.db,
        "label": args.label,
        "environment": report.environment(url), "generation": generation,
        "settings": {"duration_s": args.duration, "connections": args.connections, "wrk_threads": 1},
        "load": loads, "floors": floors,
    }
    suffix = f"-{args.label}" if args.label else ""
    out = BENCH / "results" / f"{result['date'][:10]}-{scale.name}-{args.db}{suffix}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    report.append(BENCH / "RESULTS.md", result)
    print(f"wrote {out.relative_to(BENCH.parent)} and bench/RESULTS.md", flush=True)


if __name__ == "__main__":
    main()
