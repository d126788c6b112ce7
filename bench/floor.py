"""The database floor of a request: the very SQL it sends, replayed on a raw DBAPI connection in-process.

One request of the scenario goes through the app in-process (Starlette's TestClient) while an engine
event records every statement with its parameters; those statements are then executed again, timed per
call, with nothing of FastAPI, Pydantic or the ORM in between. Writes are replayed inside a transaction
that is rolled back, so the floor of a POST costs its INSERTs and UPDATEs without keeping them.
The ratio of a scenario's latency to this floor says how much the framework, the ORM and serialisation
add on top of the database's own work.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA")


@dataclass
class Captured:
    statements: list[tuple[str, Any, bool]] = field(default_factory=list)
    recording: bool = False

    def listen(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        if self.recording and not statement.lstrip().upper().startswith(_CONTROL):
            self.statements.append((statement, parameters, executemany))


_captured = Captured()
event.listen(Engine, "before_cursor_execute", _captured.listen)


def capture(do_request: Callable[[], int]) -> tuple[int, list[tuple[str, Any, bool]]]:
    """Run one request; returns its status and the statements it sent."""
    _captured.statements = []
    _captured.recording = True
    try:
        status = do_request()
    finally:
        _captured.recording = False
    return status, list(_captured.statements)


def _execute(cursor: Any, statement: str, parameters: Any, many: bool) -> None:
    if many:
        cursor.executemany(statement, parameters)
    else:
        cursor.execute(statement, parameters)
    if cursor.description is not None:
        cursor.fetchall()


def _replayable(raw: Any, statements: list[tuple[str, Any, bool]], *, sqlite: bool) -> list[tuple[str, Any, bool]]:
    """The statements that can run again: an INSERT of a link row naming the id the first run created
    (visit_staff of the new visit…) now collides with that row, so it is left out — the floor errs low."""
    kept = []
    cursor = raw.cursor()
    try:
        if sqlite:
            cursor.execute("BEGIN")
        for statement, parameters, many in statements:
            cursor.execute("SAVEPOINT floor")
            try:
                _execute(cursor, statement, parameters, many)
            except Exception:  # any DBAPI error: sqlite3 and psycopg share no base class
                cursor.execute("ROLLBACK TO SAVEPOINT floor")
                continue
            cursor.execute("RELEASE SAVEPOINT floor")
            kept.append((statement, parameters, many))
    finally:
        cursor.close()
        raw.rollback()
    return kept


def _replay(raw: Any, statements: list[tuple[str, Any, bool]], *, sqlite: bool) -> None:
    cursor = raw.cursor()
    try:
        if sqlite:
            # The app's pysqlite connections run in autocommit mode: without BEGIN the writes would stay.
            cursor.execute("BEGIN")
        for statement, parameters, many in statements:
            _execute(cursor, statement, parameters, many)
    finally:
        cursor.close()
        raw.rollback()


def measure(engine: Engine, statements: list[tuple[str, Any, bool]], *, budget_s: float = 2.0,
            at_least: int = 3, at_most: int = 200) -> dict[str, Any]:
    """Median and p99 wall time of replaying the statements (one call = the whole request's SQL)."""
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    timings: list[float] = []
    try:
        kept = _replayable(raw, statements, sqlite=sqlite)
        _replay(raw, kept, sqlite=sqlite)  # warm the page cache and the statement caches first
        deadline = time.perf_counter() + budget_s
        while len(timings) < at_least or (len(timings) < at_most and time.perf_counter() < deadline):
            started = time.perf_counter()
            _replay(raw, kept, sqlite=sqlite)
            timings.append(time.perf_counter() - started)
    finally:
        raw.close()
    timings.sort()
    return {
        "statements": len(statements),
        "replayed": len(kept),
        "calls": len(timings),
        "p50_ms": round(statistics.median(timings) * 1000, 3),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000, 3),
    }
