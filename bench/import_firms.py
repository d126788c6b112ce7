"""Import throughput: firm lists of 10,000 and 100,000 rows from .xlsx and .csv, rows/s and peak memory.

    PYTHONPATH=. python bench/import_firms.py [--firms 10000 100000] [--formats xlsx csv] [--db sqlite|postgresql]

Builds a realistic firm list (14 columns, Chinese text, dates, tags) once per size and format, then for
each one starts a child process that imports it into a fresh migrated database through the same code as
``seedbed import`` and imports it again (every row unchanged). The child reports wall and CPU time per
phase (a PostgreSQL server's own CPU is not in it; SQLite's is), how long the write itself took (what holds
up other writers) and its peak resident memory, so each case's memory is its own.
``bench/import_visit_wait.py`` measures how long a visit waits while such a file is imported through the API.
Writes bench/results/<date>-import-<db>.json and appends a table to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import dataset  # noqa: E402
import report  # noqa: E402

from app.enterprises.credit_code import ALPHABET, with_check_character  # noqa: E402
from app.imports.firms import ENTERPRISES  # noqa: E402


def firm_rows(firms: int) -> list[list[Any]]:
    rng = random.Random(7)
    rows: list[list[Any]] = [[column.header for column in ENTERPRISES.columns]]
    for n in range(firms):
        code = with_check_character("91430702" + "".join(rng.choice(ALPHABET) for _ in range(9)))
        rows.append([code, f"常德市武陵区测速{n}科技有限公司", rng.choice(["丹阳街道", "芙蓉街道", "河洑镇"]),
                     rng.choice(["常德高新区", None]), rng.choice(["C 制造业", "I", "科学研究和技术服务业"]), "39",
                     rng.choice(["电子信息", "8", None]), rng.choice(["是", "否"]),
                     dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(8000)), f"常德市武陵区某路{n}号",
                     "张三", rng.choice(["专精特新、瞪羚", "高企", None]), "正常经营", None])
    return rows


def write_file(rows: list[list[Any]], path: Path) -> None:
    if path.suffix == ".csv":
        # What Excel's "CSV UTF-8" writes: a BOM, then comma-separated cells.
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(["" if cell is None else cell for cell in row] for row in rows)
        return
    # Imported here, not at the top: the child importing the file loads only what `seedbed import` loads.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def import_twice(url: str, path: Path) -> dict[str, Any]:
    """In the child: migrate, import, import again; times and the process's peak memory."""
    from app import migrate
    from app.audit.service import SYSTEM
    from app.db import make_engine, make_session_factory
    from app.imports import service
    from app.imports.schemas import OnError

    migrate.upgrade(url)
    engine = make_engine(url)
    phases: dict[str, Any] = {}
    sessions = make_session_factory(engine)
    for phase in ("first_import", "re_import"):
        # As `seedbed import` does it: read and check in one transaction, write in another.
        with sessions() as session, path.open("rb") as stream:
            started, cpu = time.perf_counter(), time.process_time()
            with sessions() as reader:
                prepared = service.prepare_import(reader, "enterprises", stream, file_name=path.name,
                                                  on_error=OnError.abort)
            writing = time.perf_counter()
            result = service.write_import(session, prepared, dry_run=False, actor=SYSTEM)
            session.commit()
            ended = time.perf_counter()
            wall, cpu = ended - started, time.process_time() - cpu
        phases[phase] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "rows_per_s": round(result.rows / wall),
                         "rows_per_cpu_s": round(result.rows / cpu), "write_wall_s": round(ended - writing, 2),
                         "created": result.created, "unchanged": result.unchanged, "rejected": result.rejected}
    engine.dispose()
    return {**phases, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def run_case(db: str, firms: int, path: Path, work: Path) -> dict[str, Any]:
    url = dataset.database_url(dataset.Scale(f"import_{firms}", firms, 0), db, work)
    dataset._drop_and_create(url)
    child = subprocess.run([sys.executable, __file__, "--child", url, str(path)], capture_output=True, text=True,
                           check=True)
    return {"firms": firms, "format": path.suffix[1:], "file_mb": round(path.stat().st_size / 1e6, 1),
            **json.loads(child.stdout.strip().splitlines()[-1])}


def table(result: dict[str, Any]) -> str:
    env = result["environment"]
    lines = [f"\n## Import {result['db']} — {result['date']}\n",
             f"{env['cores']} cores ({env['cpu']}), {env['ram_gb']} GB RAM, load average "
             f"{' / '.join(str(x) for x in env['load_average'])}; commit {env['commit']}, Python {env['python']}, "
             f"{env['database']}.\n",
             "| firms | format | file | first import: wall / CPU, rows/s (per CPU s), of which writing | "
             "re-import (unchanged): wall / CPU, rows/s (per CPU s) | peak RSS |", "|---|---|---|---|---|---|"]
    for case in result["cases"]:
        first, again = case["first_import"], case["re_import"]
        lines.append(f"| {case['firms']:,} | {case['format']} | {case['file_mb']} MB | {first['wall_s']} s / "
                     f"{first['cpu_s']} s, {first['rows_per_s']:,} ({first['rows_per_cpu_s']:,}), "
                     f"{first['write_wall_s']} s | {again['wall_s']} s / {again['cpu_s']} s, "
                     f"{again['rows_per_s']:,} ({again['rows_per_cpu_s']:,}) | {case['peak_rss_mb']} MB |")
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(import_twice(sys.argv[2], Path(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", choices=("xlsx", "csv"), default=["xlsx", "csv"])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    cases = []
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        for firms in args.firms:
            rows = firm_rows(firms)
            for fmt in args.formats:
                path = work / f"firms-{firms}.{fmt}"
                write_file(rows, path)
                case = run_case(args.db, firms, path, work)
                print(json.dumps(case, ensure_ascii=False), flush=True)
                cases.append(case)
        url = dataset.database_url(dataset.Scale(f"import_{args.firms[0]}", 0, 0), args.db, work)
        environment = report.environment(url)
    result = {"date": dt.datetime.now(dt.UTC).date().isoformat(), "db": args.db, "environment": environment,
              "cases": cases}
    out = BENCH / "results" / f"{result['date']}-import-{args.db}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    with (BENCH / "RESULTS.md").open("a") as handle:
        handle.write(table(result))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
