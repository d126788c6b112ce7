"""How long GET /stats/summary's queries take over 100,000 firms and 1,000,000 visits on SQLite.

    PYTHONPATH=. python bench/stats_summary.py [--firms 100000] [--visits 1000000]

Fills a fresh migrated SQLite file with the demo district (``seedbed demo-data``), then multiplies its
visits with INSERT … SELECT (dates spread over five years, a few archived) up to the wanted count, and
times ``annual_summary`` — the whole summary, this year and last year — cold and warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app import demo, migrate
from app.db import make_engine, refresh_statistics
from app.stats.service import annual_summary
from app.visits.models import Visit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        with Session(engine) as session:
            demo.generate(session, enterprises=args.firms, seed=1, as_of=dt.date(2026, 11, 25))
            session.commit()
            print(f"demo district of {args.firms} firms: {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            while (count := session.scalar(select(func.count()).select_from(Visit)) or 0) < args.visits:
                session.execute(text(
                    "INSERT INTO visits (enterprise_id, visited_on, kind, summary, version, archived_at, created_at,"
                    " updated_at) SELECT enterprise_id, date(visited_on, '-' || (abs(random()) % 1500) || ' days'),"
                    " kind, summary, 1, CASE WHEN abs(random()) % 50 = 0 THEN created_at END, created_at, updated_at"
                    " FROM visits LIMIT :n"), {"n": args.visits - count})
                session.commit()
            print(f"visits multiplied to {count}: {time.perf_counter() - started:.1f} s")
            refresh_statistics(session.connection())  # as demo-data and imports leave it
            session.commit()
        for run in ("cold", "warm"):
            with Session(engine) as session:
                started = time.perf_counter()
                summary = annual_summary(session, year=2025)
                print(f"summary 2025 ({run}): {time.perf_counter() - started:.3f} s — visits {summary.visits.value},"
                      f" firms {summary.enterprises.value}, valid high-tech {summary.high_tech_valid.value}")
        engine.dispose()


if __name__ == "__main__":
    main()
