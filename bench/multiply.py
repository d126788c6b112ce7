"""A larger dataset from a smaller one: every firm and everything hanging off it copied N−1 more times, in SQL.

``seedbed demo-data`` makes a city (100,000 firms) in about ten minutes; a national registry (1,000,000) the same
way would take hours. This copies the firms of a migrated Seedbed database, with their contacts, tags, visits
(and their staff, contacts and policies), demands, applications and stage events, annual figures, reports,
IP rights, agreements, contracts, platforms, commissioners' links and services, and event attendance, with
``INSERT … SELECT`` statements that cross the rows with the copy numbers 1…N−1 (``generate_series`` on
PostgreSQL, a recursive CTE on SQLite):

- ids: copy k of a row has ``id + k × (the table's largest id)``, and every reference to a copied table the
  same offset, so copy k of a visit belongs to copy k of its firm; references to what is not copied (users,
  policies, commissioners, events) are kept;
- unique keys made unique: a copy's credit code keeps the original's first 8 characters (entity type and
  region), then ``0`` and its firm id in 8 digits, and a check character computed as GB 32100 says (so it is
  valid, and no original, whose 9th character is 1–9 or M, has it); an application's ``unique_slot`` is
  ``program:firm:year`` of its copied firm; a contract's registration number gets ``-`` and its new id;
- every trigger fires, as for any other writer: the search indexes, the tables' generations, the per-firm and
  per-day rollups and the registry totals stay exact. Nothing is written to the rollups directly;
- rows are copied a range of source ids at a time, each range in its own transaction (PostgreSQL slows down
  when one transaction updates the same rollup row very many times);
- or, with ``--rebuild-rollups``, the database is first migrated down to the revision before the rollups kept
  per firm and year, per year and per day (``ROLLUPS_AFTER``: migrations 0022, 0026, 0027 and any later one), the
  rows are copied with the triggers that are left firing, and the database is migrated up again: those
  migrations' own backfills count the rollups afresh from the records. On PostgreSQL a copied visit costs
  ≈ 270 µs with every trigger and ≈ 25 µs without the later rollups' (a demand ≈ 850 and ≈ 45 µs), so a city
  made national takes hours one way and minutes the other;
- then the PostgreSQL sequences are moved past the new ids, and the database is analysed (PostgreSQL:
  ``VACUUM (ANALYZE)``, so index-only scans see all-visible pages, as autovacuum would leave them).

Audit entries are not copied: they are the history of who changed what, not a firm's data. A table added later
that references a copied table, or a unique key this does not know how to keep unique, stops the run before it
writes anything.

    PYTHONPATH=. python bench/multiply.py --url postgresql+psycopg://postgres@127.0.0.1:55432/mydb --times 10
    PYTHONPATH=. python bench/multiply.py --db sqlite     # bench/data/national.db from city.db, ×10
    PYTHONPATH=. python bench/multiply.py --db postgresql --rebuild-rollups
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import app.models  # noqa: E402,F401  (registers every table on Base.metadata)
from app import migrate  # noqa: E402
from app.db import Base, make_engine  # noqa: E402
from app.enterprises.credit_code import ALPHABET, WEIGHTS  # noqa: E402

try:
    from bench import dataset
except ImportError:  # run as a script: bench/ is on sys.path
    import dataset  # type: ignore[no-redef]

# Copied, in an order where every table comes after the copied tables it references.
COPIED = ("enterprises", "contacts", "enterprise_tags", "visits", "visit_staff", "visit_contacts", "visit_policies",
          "demands", "applications", "stage_events", "annual_figures", "development_reports", "ip_rights",
          "cooperation_agreements", "technology_contracts", "innovation_platforms", "commissioner_firms",
          "commissioner_services", "event_attendance")
# Kept by triggers from the copied rows (writing them here would count twice), or not the firms' data.
KEPT_BY_TRIGGERS = ("activity_by_year", "applications_by_year", "totals_by_year", "totals_by_day",
                    "seedbed_generations")
NOT_COPIED = ("audit_entries",)
# Unique keys that hold no copied id: how a copy's value is made (see ``_value``).
MADE_UNIQUE = {("enterprises", "credit_code"), ("applications", "unique_slot"),
               ("technology_contracts", "registration_no")}
SOURCE_ROWS_PER_STATEMENT = 5_000
# The last revision before the rollups ``--rebuild-rollups`` has migrations count again.
ROLLUPS_AFTER = "0025"


def _tables() -> dict[str, sa.Table]:
    return {name: Base.metadata.tables[name] for name in COPIED}


def _copied_reference(column: sa.Column) -> str | None:
    """The copied table a column references, if any."""
    for key in column.foreign_keys:
        if key.column.table.name in COPIED:
            return key.column.table.name
    return None


def check_schema() -> None:
    """Refuse to run on a schema this does not know: a table referencing firms (or a copied table) that is not
    copied, or a unique key a copy would repeat."""
    for table in Base.metadata.sorted_tables:
        name = table.name
        if name in COPIED or name in KEPT_BY_TRIGGERS or name in NOT_COPIED:
            continue
        hanging = "enterprise_id" in table.c or any(_copied_reference(c) for c in table.c)
        if hanging:
            raise SystemExit(f"{name} references firms or a copied table: add it to COPIED, KEPT_BY_TRIGGERS or "
                             "NOT_COPIED in bench/multiply.py")
    order = [t.name for t in Base.metadata.sorted_tables if t.name in COPIED]
    for name in COPIED:
        table = Base.metadata.tables[name]
        for column in table.c:
            parent = _copied_reference(column)
            if parent and parent != name and COPIED.index(parent) > COPIED.index(name):
                raise SystemExit(f"{name} is copied before {parent}, which it references")
        keys = [set(c.columns.keys()) for c in table.constraints
                if isinstance(c, sa.UniqueConstraint | sa.PrimaryKeyConstraint)]
        keys += [set(i.columns.keys()) for i in table.indexes if i.unique]
        for key in keys:
            offset = any(c == "id" or _copied_reference(table.c[c]) for c in key)
            if not offset and not all((name, c) in MADE_UNIQUE for c in key):
                raise SystemExit(f"{name}: a copy would repeat the unique key {sorted(key)}")
    assert order  # every copied table exists in the models


def _bound_column(table: sa.Table) -> str:
    """The column whose range selects a statement's source rows: the id, or the first copied reference."""
    if "id" in table.c:
        return "id"
    return next(c.name for c in table.c if _copied_reference(c))


def _value(dialect: str, table: sa.Table, column: sa.Column, offsets: dict[str, int]) -> str:
    """The SQL of ``column`` in copy ``k.n`` of the source row ``x``."""
    name, col = table.name, column.name
    if col == "id" and name in offsets:
        return f"x.id + k.n * {offsets[name]}"
    parent = _copied_reference(column)
    if parent:
        return f"x.{col} + k.n * {offsets[parent]}"
    if (name, col) == ("enterprises", "credit_code"):
        return _credit_code(dialect, f"(x.id + k.n * {offsets['enterprises']})")
    if (name, col) == ("applications", "unique_slot"):
        firm = f"x.enterprise_id + k.n * {offsets['enterprises']}"
        return (f"CASE WHEN x.unique_slot IS NULL THEN NULL ELSE x.program || ':' || CAST({firm} AS TEXT) || ':' "
                "|| CAST(x.year AS TEXT) END")
    if (name, col) == ("technology_contracts", "registration_no"):
        return f"x.registration_no || '-' || CAST(x.id + k.n * {offsets[name]} AS TEXT)"
    return f"x.{col}"


def _credit_code(dialect: str, firm_id: str) -> str:
    """The original's first 8 characters, '0', the firm id in 8 digits, and the GB 32100 check character."""
    find = "strpos" if dialect == "postgresql" else "instr"
    digits = (f"lpad(CAST({firm_id} AS TEXT), 8, '0')" if dialect == "postgresql"
              else f"printf('%08d', {firm_id})")
    head = [f"({find}('{ALPHABET}', substr(x.credit_code, {i + 1}, 1)) - 1) * {WEIGHTS[i]}" for i in range(8)]
    # Position 9 is '0' (value 0); positions 10–17 are the id's digits, most significant first.
    tail = [f"(({firm_id} / {10 ** (16 - i)}) % 10) * {WEIGHTS[i]}" for i in range(9, 17)]
    total = " + ".join(head + tail)
    check = f"substr('{ALPHABET}', (31 - ({total}) % 31) % 31 + 1, 1)"
    return f"substr(x.credit_code, 1, 8) || '0' || {digits} || {check}"


def _copies(dialect: str, times: int) -> str:
    if dialect == "postgresql":
        return f"generate_series(1, {times - 1}) AS k(n)"
    return (f"(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {times - 1}) "
            "SELECT n FROM c) AS k")


def multiply(url: str, times: int, *, rows_per_statement: int = SOURCE_ROWS_PER_STATEMENT,
             rebuild_rollups: bool = False) -> dict[str, int]:
    """Copy the firms of the database at ``url`` so it holds ``times`` as many; returns rows added per table."""
    check_schema()
    if times < 2:
        raise SystemExit("--times must be 2 or more")
    if rebuild_rollups:
        started = time.perf_counter()
        migrate.downgrade(url, ROLLUPS_AFTER)
        print(f"migrated down to {ROLLUPS_AFTER}: {time.perf_counter() - started:.0f} s", flush=True)
    added = _copy(url, times, rows_per_statement)
    if rebuild_rollups:
        started = time.perf_counter()
        migrate.upgrade(_without_triggers(url))
        print(f"migrated up, rollups counted again: {time.perf_counter() - started:.0f} s", flush=True)
    _analyse(url)
    return added


def _without_triggers(url: str) -> str:
    """PostgreSQL: ``url`` with its sessions' triggers off (``session_replication_role = replica``). The migrations
    count the rollups in statements of their own, which on a large registry (migration 0026 sets a first day in
    ~3 million rows of ``activity_by_year``) would otherwise fire an earlier rollup's row trigger for each row,
    each updating the same few yearly totals, millions of times in one transaction: hours. SQLite: unchanged."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    options = " ".join(filter(None, [parsed.query.get("options"), "-c session_replication_role=replica"]))
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


def upgrade_only(url: str) -> None:
    """The second half of ``--rebuild-rollups`` alone: for a database left at ``ROLLUPS_AFTER`` with its copies."""
    started = time.perf_counter()
    migrate.upgrade(_without_triggers(url))
    print(f"migrated up, rollups counted again: {time.perf_counter() - started:.0f} s", flush=True)
    _analyse(url)


def _copy(url: str, times: int, rows_per_statement: int) -> dict[str, int]:
    engine = make_engine(url)
    dialect = engine.dialect.name
    tables = _tables()
    added: dict[str, int] = {}
    with engine.connect() as conn:
        offsets: dict[str, int] = {}
        for name, table in tables.items():
            if "id" in table.c:
                low, high = conn.execute(sa.text(f"SELECT min(id), max(id) FROM {name}")).one()
                if low is not None and low < 1:
                    raise SystemExit(f"{name} has ids below 1")
                offsets[name] = high or 0
        if times * offsets["enterprises"] >= 10 ** 8:
            raise SystemExit("a copy's firm id would not fit the 8 digits of its credit code")
        odd = conn.scalar(sa.text("SELECT count(*) FROM applications WHERE unique_slot IS NOT NULL AND unique_slot <> "
                                  "program || ':' || CAST(enterprise_id AS TEXT) || ':' || CAST(year AS TEXT)"))
        if odd:
            raise SystemExit(f"{odd} applications have a unique_slot not of the form program:firm:year")
        for name, table in tables.items():
            started = time.perf_counter()
            bound = _bound_column(table)
            parent = "id" if bound == "id" else _copied_reference(table.c[bound])
            top = offsets[name if parent == "id" else parent]  # type: ignore[index]
            columns = [c.name for c in table.c]
            values = ", ".join(_value(dialect, table, c, offsets) for c in table.c)
            owner = " AND x.enterprise_id IS NOT NULL" if "enterprise_id" in table.c else ""
            before = conn.scalar(sa.text(f"SELECT count(*) FROM {name}")) or 0
            for start in range(0, top, rows_per_statement):
                conn.execute(sa.text(
                    f"INSERT INTO {name} ({', '.join(columns)}) SELECT {values} FROM {_copies(dialect, times)}, "
                    f"{name} AS x WHERE x.{bound} > {start} AND x.{bound} <= {min(top, start + rows_per_statement)}"
                    f"{owner} ORDER BY k.n, x.{bound}"))
                conn.commit()
            after = conn.scalar(sa.text(f"SELECT count(*) FROM {name}")) or 0
            added[name] = after - before
            print(f"{name}: {before:,} → {after:,} rows, {time.perf_counter() - started:.0f} s", flush=True)
        if dialect == "postgresql":
            for name, table in tables.items():
                if "id" in table.c:
                    conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                         f"(SELECT max(id) FROM {name}))"))
            conn.commit()
    engine.dispose()
    return added


def _analyse(url: str) -> None:
    engine = make_engine(url)
    started = time.perf_counter()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    print(f"analysed: {time.perf_counter() - started:.0f} s", flush=True)
    engine.dispose()


def _copy_database(source: str, target: str) -> None:
    """``target`` made afresh as a copy of ``source`` (a file copy, or CREATE DATABASE … TEMPLATE)."""
    parsed = sa.make_url(source)
    if parsed.get_backend_name() == "sqlite":
        with sqlite3.connect(parsed.database or "") as conn:  # the WAL's pages into the file before copying it
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dataset._drop_and_create(target)
        shutil.copyfile(parsed.database or "", sa.make_url(target).database or "")
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        name = sa.make_url(target).database
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
    admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="multiply this migrated database in place (SQLite URL or PostgreSQL URL)")
    parser.add_argument("--times", type=int, help="how many times the firms there are (default: the scales')")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite",
                        help="without --url: make the --to scale's dataset from the --from scale's")
    parser.add_argument("--from", dest="source", choices=dataset.SCALES, default="city")
    parser.add_argument("--to", dest="target", choices=dataset.SCALES, default="national")
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--rows-per-statement", type=int, default=SOURCE_ROWS_PER_STATEMENT)
    parser.add_argument("--rebuild-rollups", action="store_true",
                        help=f"copy below revision {ROLLUPS_AFTER} and let the later migrations count the rollups")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.url:
        if not args.times:
            parser.error("--url needs --times")
        added = multiply(args.url, args.times, rows_per_statement=args.rows_per_statement,
                         rebuild_rollups=args.rebuild_rollups)
    else:
        source, target = dataset.SCALES[args.source], dataset.SCALES[args.target]
        times = args.times or target.enterprises // source.enterprises
        source_url = dataset.database_url(source, args.db, args.data_dir)
        dataset.ensure(source, source_url, args.data_dir / f"{source.name}-{args.db}.generation.json", rebuild=False)
        target_url = dataset.database_url(target, args.db, args.data_dir)
        _copy_database(source_url, target_url)
        added = multiply(target_url, times, rows_per_statement=args.rows_per_statement,
                         rebuild_rollups=args.rebuild_rollups)
    print(json.dumps({"rows_added": added, "wall_s": round(time.perf_counter() - started, 1)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
