"""A large import gets room in SQLite's page cache while it writes, and the pooled connection gets its
ordinary cache back afterwards, whether the import was written, rolled back or refused."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import SYSTEM
from app.db import LARGE_WRITE_CACHE_KIB, SQLITE_MEMORY_BUDGET, large_write_cache
from app.enterprises.models import Enterprise
from app.imports import service
from app.imports.schemas import OnError
from tests.factories import credit_code
from tests.imports.files import FIRM_HEADERS, firm_row, xlsx


def _cache_size(session: Session) -> int | None:
    if session.get_bind().dialect.name != "sqlite":
        return None
    return int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_the_cache_grows_for_the_write_and_is_given_back(session: Session) -> None:
    before = _cache_size(session)
    with large_write_cache(session.connection()):
        inside = _cache_size(session)
    if before is None:  # PostgreSQL: nothing to set
        assert inside is None
        return
    assert inside == -LARGE_WRITE_CACHE_KIB
    assert _cache_size(session) == before


def test_the_process_memory_budget_grows_as_much_meanwhile(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL: no budget to change
    connection = session.connection()

    def budget() -> int:
        return int(connection.exec_driver_sql("PRAGMA soft_heap_limit").scalar_one())

    assert budget() == SQLITE_MEMORY_BUDGET
    with large_write_cache(connection):
        assert budget() == SQLITE_MEMORY_BUDGET + LARGE_WRITE_CACHE_KIB * 1024
    assert budget() == SQLITE_MEMORY_BUDGET


def test_the_cache_is_given_back_when_the_write_fails(session: Session) -> None:
    before = _cache_size(session)
    with pytest.raises(RuntimeError), large_write_cache(session.connection()):
        raise RuntimeError("the import failed")
    assert _cache_size(session) == before


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_import_writes_with_room_and_leaves_the_connection_as_it_was(session: Session, dry_run: bool) -> None:
    before = _cache_size(session)
    seen: list[int | None] = []
    original = service._apply

    def apply(*args: object, **kwargs: object) -> None:
        seen.append(_cache_size(session))
        original(*args, **kwargs)  # type: ignore[arg-type]

    codes = [credit_code() for _ in range(3)]
    data = xlsx([FIRM_HEADERS, *(firm_row(code, name=f"常德缓存测试{n}科技有限公司") for n, code in enumerate(codes))])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "_apply", apply)
        report = service.run_import(session, "enterprises", io.BytesIO(data), file_name="firms.xlsx",
                                    dry_run=dry_run, on_error=OnError.abort, actor=SYSTEM)
    assert report.rows == 3
    assert seen
    assert all(size == (None if before is None else -LARGE_WRITE_CACHE_KIB) for size in seen)
    assert _cache_size(session) == before
    written = session.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.credit_code.in_(codes)))
    assert written == (0 if dry_run else 3)
