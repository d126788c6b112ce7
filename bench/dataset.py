"""Benchmark datasets: a migrated database filled by ``seedbed demo-data`` at a named scale.

Generation runs the real CLI in a child process, so its wall time and peak memory are the ones an
operator sees. A dataset already present (same scale, same database) is reused unless asked to rebuild.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

SEEDBED = str(Path(sys.executable).with_name("seedbed"))
USERNAME = "bench"
PASSWORD = "bench-password-123"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"


@dataclass(frozen=True)
class Scale:
    name: str
    enterprises: int
    visits_per_firm: float


SCALES = {
    "district": Scale("district", 5_000, 10),
    "city": Scale("city", 100_000, 10),
    "national": Scale("national", 1_000_000, 10),
}


def database_url(scale: Scale, db: str, data_dir: Path) -> str:
    if db == "sqlite":
        return f"sqlite:///{data_dir / f'{scale.name}.db'}"
    server = sa.make_url(os.environ.get("SEEDBED_BENCH_POSTGRES", DEFAULT_POSTGRES))
    return server.set(database=f"seedbed_bench_{scale.name}").render_as_string(hide_password=False)


def _exists(url: str) -> bool:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Path(parsed.database or "").exists()
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database})
    admin.dispose()
    return found is not None


def _drop_and_create(url: str) -> None:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        # A UTF-8 LC_CTYPE, as README asks of a deployment: pg_trgm then indexes Chinese names.
        conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}" TEMPLATE template0 ENCODING \'UTF8\' '
                             "LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"))
    admin.dispose()


def _run(args: list[str], url: str, stdin: str | None = None) -> str:
    env = {**os.environ, "SEEDBED_DATABASE_URL": url}
    done = subprocess.run([SEEDBED, *args], env=env, input=stdin, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def ensure(scale: Scale, url: str, record: Path, *, rebuild: bool) -> dict[str, object] | None:
    """Build the dataset unless it is there; returns its generation figures (kept in ``record`` so a
    reused dataset still reports how long it took to make), or None when they are unknown."""
    if _exists(url) and not rebuild:
        _run(["migrate"], url)  # a dataset made before the newest migration gets its indexes
        return json.loads(record.read_text()) if record.exists() else None
    _drop_and_create(url)
    _run(["migrate"], url)
    # An admin first: demo visits and events are made by the staff accounts already in the database.
    _run(["create-user", USERNAME, "--role", "admin", "--password-stdin"], url, stdin=PASSWORD + "\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    summary = _run(["demo-data", "--enterprises", str(scale.enterprises),
                    "--visits-per-firm", str(scale.visits_per_firm)], url)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures: dict[str, object] = {
        "wall_s": round(wall, 2),
        "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
        # RUSAGE_CHILDREN's maxrss is the largest child so far: demo-data dwarfs migrate and create-user.
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "rows": summary,
    }
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(figures, ensure_ascii=False) + "\n")
    return figures
