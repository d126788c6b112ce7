"""How long 10,000 firms take to import from .xlsx, and how much memory it needs.

    PYTHONPATH=. python bench/import_firms.py [--firms 10000] [--database-url URL]

Builds a realistic firm list (14 columns, Chinese text, dates, tags), imports it into a fresh migrated
database (a temporary SQLite file unless --database-url names an empty one), then imports it again
(every row unchanged). Prints wall and CPU time per phase (the database server's CPU is not in the
latter) and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import resource
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from app import migrate
from app.audit.service import SYSTEM
from app.db import make_engine, make_session_factory
from app.enterprises.credit_code import ALPHABET, with_check_character
from app.imports import service
from app.imports.firms import ENTERPRISES
from app.imports.schemas import OnError


def build_file(firms: int) -> bytes:
    rng = random.Random(7)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    sheet.append([column.header for column in ENTERPRISES.columns])
    for n in range(firms):
        code = with_check_character("91430702" + "".join(rng.choice(ALPHABET) for _ in range(9)))
        sheet.append([code, f"常德市武陵区测速{n}科技有限公司", rng.choice(["丹阳街道", "芙蓉街道", "河洑镇"]),
                      rng.choice(["常德高新区", None]), rng.choice(["C 制造业", "I", "科学研究和技术服务业"]), "39",
                      rng.choice(["电子信息", "8", None]), rng.choice(["是", "否"]),
                      dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(8000)), f"常德市武陵区某路{n}号",
                      "张三", rng.choice(["专精特新、瞪羚", "高企", None]), "正常经营", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(url: str, content: bytes) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    for attempt in ("first import", "re-import"):
        with make_session_factory(engine)() as session:
            started, cpu = time.perf_counter(), time.process_time()
            report = service.run_import(session, "enterprises", io.BytesIO(content), file_name="bench.xlsx",
                                        dry_run=False, on_error=OnError.abort, actor=SYSTEM)
            session.commit()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{attempt}: {elapsed:.1f} s wall, {cpu:.1f} s CPU ({report.rows / elapsed:,.0f} rows/s) — "
              f"created {report.created}, "
              f"updated {report.updated}, unchanged {report.unchanged}, rejected {report.rejected}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    started = time.perf_counter()
    content = build_file(args.firms)
    print(f"built {args.firms:,} firms: {len(content) / 1e6:.1f} MB .xlsx in {time.perf_counter() - started:.1f} s")
    if args.database_url:
        run(args.database_url, content)
    else:
        with tempfile.TemporaryDirectory() as directory:
            run(f"sqlite:///{Path(directory) / 'bench.db'}", content)
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
