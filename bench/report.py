"""What a benchmark result records about the machine and software, and its Markdown table in RESULTS.md."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

CEILING = "ceiling: GET /auth/me"


def _run(*command: str) -> str:
    try:
        # wrk --version prints its version, then its usage, and exits 1.
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def _database_version(url: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            version = "SQLite " + str(conn.scalar(sa.text("SELECT sqlite_version()")))
        else:
            version = str(conn.scalar(sa.text("SHOW server_version")))
            version = f"PostgreSQL {version}"
    engine.dispose()
    return version


def environment(url: str) -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kb = int(next(line for line in meminfo if line.startswith("MemTotal:")).split()[1])
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {
        "cores": os.cpu_count(), "cpu": cpu, "ram_gb": round(total_kb / 1024 / 1024, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": _run("git", "rev-parse", "--short", "HEAD"),
        "python": platform.python_version(), "database": _database_version(url),
        "wrk": _run("wrk", "--version").splitlines()[0].split(" Copyright")[0],
        **{name: metadata.version(name) for name in ("fastapi", "starlette", "uvicorn", "sqlalchemy", "pydantic",
                                                       "psycopg")},
    }


def _ratio(value: float | None, reference: float | None) -> str:
    if not value or not reference:
        return "–"
    return f"{value / reference:.2f}"


def table(result: dict[str, Any]) -> str:
    env = result["environment"]
    lines = [
        f"## {result['date'][:10]} · {result['scale']} · {result['db']}"
        + (f" · {result['label']}" if result.get("label") else ""),
        "",
        f"Commit `{env['commit']}`; {env['cores']} cores ({env['cpu']}), {env['ram_gb']} GB RAM, load average at "
        f"start {env['load_average']}; Python {env['python']}, {env['database']}, FastAPI {env['fastapi']}, "
        f"SQLAlchemy {env['sqlalchemy']}, Pydantic {env['pydantic']}, uvicorn {env['uvicorn']}, {env['wrk']}. "
        f"wrk: 1 thread, {result['settings']['connections']} connections, {result['settings']['duration_s']} s "
        "per scenario (the export: 2 connections, 20 s).",
        "",
    ]
    generation = result.get("generation")
    if generation:
        lines += [f"Dataset generated in {generation['wall_s']} s wall / {generation['cpu_s']} s CPU, peak RSS "
                  f"{generation['peak_rss_mb']} MB: {generation['rows']}.", ""]
    floors = result["floors"]
    lines += [
        "| workers | scenario | req/s | p50 ms | p99 ms | errors | peak RSS MB | req/s ÷ ceiling | floor p50 ms "
        "| ms/req ÷ floor | p50 ÷ floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for workers, scenarios in result["load"].items():
        ceiling = scenarios.get(CEILING, {}).get("req_per_s")
        for name, row in scenarios.items():
            if not row.get("available"):
                lines.append(f"| {workers} | {name} | not available ({row['why']}) | | | | | | | | |")
                continue
            floor = floors.get(name, {}).get("p50_ms")
            # Server time per request at saturation: what one request costs the worker pool, queueing aside.
            per_request = 1000 / row["req_per_s"] if row["req_per_s"] else None
            lines.append(
                f"| {workers} | {name} | {row['req_per_s']} | {row['p50_ms']} | {row['p99_ms']} | {row['errors']} "
                f"| {row['peak_rss_mb']} | {_ratio(row['req_per_s'], ceiling)} | {floor if floor else '–'} "
                f"| {_ratio(per_request, floor)} | {_ratio(row['p50_ms'], floor)} |")
    return "\n".join(lines) + "\n"


def append(path: Path, result: dict[str, Any]) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write("\n" + table(result))


def _workers(count: int) -> str:
    return "one Seedbed worker" if count == 1 else f"{count} Seedbed workers"


def side_by_side_table(result: dict[str, Any]) -> str:
    env, settings = result["environment"], result["settings"]
    lines = [
        f"## {result['date'][:10]} · {result['scale']} · {result['db']} · side by side with {result['peer']}",
        "",
        f"Commit `{env['commit']}`; {env['cores']} cores ({env['cpu']}), load average at start "
        f"{env['load_average']}; Python {env['python']}, {env['database']}, uvicorn {env['uvicorn']}, {env['wrk']}. "
        f"wrk: {settings['threads']} threads, {settings['connections']} connections, {settings['duration_s']} s per "
        "server and scenario after a 2 s warm-up, the peer first; "
        f"{_workers(settings.get('workers', 1))}; the peer on SQLite with the same number of rows and its "
        "`(district, created_at)` index. *req/CPU-s* is requests served per CPU second the server's processes "
        "used during the run: what one request costs, whatever else the machine was doing.",
        "",
        "| scenario | Seedbed req/s | p50 ms | p99 ms | errors | RSS MB | Directus req/s | p50 ms | p99 ms | errors "
        "| RSS MB | Seedbed ÷ Directus | req/CPU-s Seedbed | req/CPU-s Directus | ÷ |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result["pairs"]:
        ours, theirs = row["seedbed"], row["directus"]
        peer = (f"{theirs['req_per_s']} | {theirs['p50_ms']} | {theirs['p99_ms']} | {theirs['errors']} "
                f"| {theirs['peak_rss_mb']}") if theirs else "— | | | |"
        lines.append(f"| {row['scenario']} | {ours['req_per_s']} | {ours['p50_ms']} | {ours['p99_ms']} "
                     f"| {ours['errors']} | {ours['peak_rss_mb']} | {peer} "
                     f"| {'—' if row['ratio'] is None else row['ratio']} "
                     f"| {ours.get('req_per_cpu_s') or '—'} | {(theirs or {}).get('req_per_cpu_s') or '—'} "
                     f"| {row.get('cpu_ratio') or '—'} |")
    return "\n".join(lines) + "\n"


def append_side_by_side(path: Path, result: dict[str, Any]) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write("\n" + side_by_side_table(result))
