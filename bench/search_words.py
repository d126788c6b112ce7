"""Search at a scale, in-process: for each query, the total and the first page of 50 the firm list reads
(``app.enterprises.reads.list_page``) with nothing kept (as after a write: no total or page counted before), p50 of
the repeats and the total found. No server, no HTTP: the database's work and the Python around it.

    PYTHONPATH=. python bench/search_words.py --url sqlite:///bench/data/city.db [--n 7] [--q 科技 "武陵 机械"]
    PYTHONPATH=. python bench/search_words.py --url … --random 200

``--random N`` searches instead N two-character words taken at random places in random firms' names (the
side-by-side's "a new word each time", at the database's own scale), once each, and gives p50, p90 and the
slowest words.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import make_engine, make_session_factory
from app.enterprises import reads
from app.enterprises.models import Enterprise
from app.enterprises.schemas import EnterpriseFilter
from app.http import counts
from app.http.pagination import PageParams

QUERIES = ["科技", "新材料", "有限", "王", "武陵 机械", "科技 有限", "王 科技"]


def first_page_ms(session: Session, q: str) -> tuple[float, int]:
    """The first page of ``q`` with nothing kept: milliseconds and the total."""
    counts.COUNTS.clear()
    reads.PAGES.clear()
    started = time.perf_counter()
    _items, total = reads.list_page(session, filters=EnterpriseFilter(q=q), page=PageParams(limit=50, offset=0))
    return (time.perf_counter() - started) * 1000, total


def random_words(session: Session, n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    last = session.scalar(select(func.max(Enterprise.id))) or 0
    words: list[str] = []
    while len(words) < n and last:
        name = session.scalar(select(Enterprise.name).where(Enterprise.id == rng.randint(1, last)))
        if name and len(name) >= 2:
            start = rng.randrange(len(name) - 1)
            words.append(name[start:start + 2])
    return words


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--n", type=int, default=7)
    parser.add_argument("--q", nargs="*", default=QUERIES)
    parser.add_argument("--random", type=int, default=0, metavar="N")
    args = parser.parse_args()
    engine = make_engine(args.url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        first_page_ms(session, "预热")  # statements prepared, pages of the indexes read once
        if args.random:
            timed = sorted(((first_page_ms(session, w)[0], w) for w in random_words(session, args.random)),
                           reverse=True)
            times = sorted(ms for ms, _w in timed)
            print(f"{len(times)} random words: p50 {statistics.median(times):.1f} ms, "
                  f"p90 {times[int(len(times) * 0.9)]:.1f} ms; slowest {[(w, round(ms)) for ms, w in timed[:6]]}")
        for q in [] if args.random else args.q:
            runs = [first_page_ms(session, q) for _ in range(args.n + 1)][1:]  # the first warms the caches
            print(f"q={q:12} total {runs[0][1]:8}  p50 {statistics.median(ms for ms, _ in runs):8.1f} ms  "
                  f"min {min(ms for ms, _ in runs):8.1f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
