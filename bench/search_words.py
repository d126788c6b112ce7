"""Search's SQL at a scale, in-process: for each query, the count and the page of 50 that the firm list runs
(``list_enterprises``), repeated, p50 and the total found. No server, no HTTP: only what the database does.

    PYTHONPATH=. python bench/search_words.py --url sqlite:///bench/data/city.db [--n 20] [--q 科技 "机械 武陵"]
"""

from __future__ import annotations

import argparse
import statistics
import time

from app.db import make_engine, make_session_factory
from app.enterprises.schemas import EnterpriseFilter
from app.enterprises.service import list_enterprises
from app.http.pagination import PageParams

QUERIES = ["科技", "机械 武陵", "王", "新材料"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--q", nargs="*", default=QUERIES)
    args = parser.parse_args()
    engine = make_engine(args.url)
    sessions = make_session_factory(engine)
    for q in args.q:
        times = []
        total = 0
        for _ in range(args.n + 1):  # the first run warms the caches and is not counted
            with sessions() as session:
                started = time.perf_counter()
                _rows, total = list_enterprises(session, filters=EnterpriseFilter(q=q),
                                                page=PageParams(limit=50, offset=0))
                times.append((time.perf_counter() - started) * 1000)
        print(f"q={q:12} total {total:7}  p50 {statistics.median(times[1:]):8.1f} ms  "
              f"min {min(times[1:]):8.1f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
