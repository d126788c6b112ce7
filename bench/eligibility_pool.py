"""Time the cultivation-pool evaluation over a demo district: ``python bench/eligibility_pool.py [firms]``.

Builds a fresh SQLite database in a temporary directory (migrations + demo data), then ranks every firm for
both programmes the way the candidates endpoint will, and prints the timings and the spread of outcomes (which
also shows the demo data exercises pass, fail and unknown). Wall time depends on what else runs on the
machine; CPU time much less.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from app import demo, migrate
from app.db import make_engine, make_session_factory
from app.eligibility import service
from app.enterprises.models import Enterprise


def main(firms: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            demo.generate(session, enterprises=firms, seed=1)
            session.commit()
            pool = list(session.scalars(select(Enterprise)))
            year = service.last_complete_year()
            for program in ("tech_sme", "high_tech"):
                started, cpu_started = time.perf_counter(), time.process_time()
                ranked = service.rank_pool(session, pool, program=program, year=year)
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
                outcomes = Counter(c.outcome.value for c in ranked)
                blockers = Counter(b.code for c in ranked for b in c.blocking)
                print(f"{program}: {len(ranked)} firms in {elapsed:.2f} s wall, {cpu:.2f} s CPU "
                      f"({cpu / len(ranked) * 1000:.2f} ms CPU/firm); outcomes {dict(outcomes)}; "
                      f"top blockers {blockers.most_common(4)}")
        engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
