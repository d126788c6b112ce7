"""``seedbed backup``: a consistent copy of the database, taken while the server keeps running.

SQLite: the online backup API copies the file page by page under a read transaction, so writes that land
meanwhile are either wholly in the copy or not at all; the copy is checked with ``PRAGMA integrity_check``.
PostgreSQL: ``pg_dump`` in its custom format (restore with ``pg_restore``). Either way the file gets its
final name only once complete, and an existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    pass


def default_target(database_url: str, directory: Path = Path("backups")) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".db" if make_url(database_url).get_backend_name() == "sqlite" else ".dump"
    return directory / f"seedbed-{stamp}{suffix}"


def backup(database_url: str, target: Path) -> Path:
    """Write a backup of the database at ``target``; returns it. Raises ``BackupError`` with the reason."""
    if target.exists():
        raise BackupError(f"{target} exists: a backup never overwrites a file")
    # A backup holds password hashes and contacts' personal data: only the owner may read it.
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(partial, 0o600)  # whatever the umask
    url = make_url(database_url)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite(url, partial)
        else:
            _postgres(url, partial)
        partial.rename(target)
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-wal"), partial.with_name(partial.name + "-shm")):
            leftover.unlink(missing_ok=True)
    return target


def _sqlite(url: URL, partial: Path) -> None:
    source = url.database or ""
    if source in ("", ":memory:") or source.startswith("file:") or not Path(source).exists():
        raise BackupError(f"no SQLite database file at {source!r}")
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as reader, \
            closing(sqlite3.connect(partial)) as copy:
        reader.backup(copy)
        # One self-contained file (the copy inherits WAL mode; the server turns it back on when it opens it).
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"the copy failed its integrity check: {verdict}")


def pg_dump_path() -> str | None:
    """``pg_dump`` on PATH, else the newest one Debian keeps under /usr/lib/postgresql/<major>/bin."""
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
                        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0)
    return str(candidates[-1]) if candidates else None


def _postgres(url: URL, partial: Path) -> None:
    pg_dump = pg_dump_path()
    if pg_dump is None:
        raise BackupError("pg_dump not found: install the PostgreSQL client (apt-get install postgresql-client)")
    # The password goes by environment, not on the command line where `ps` would show it.
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run([pg_dump, "--format=custom", f"--file={partial}", f"--dbname={libpq}"],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip() or done.returncode}")
