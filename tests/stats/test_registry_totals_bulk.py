"""The registry's yearly count of active firms (``totals_by_year.firms_registered``) stays exact through writes of
many firms at once: an import in several batches, a multi-row INSERT by hand, a multi-row UPDATE and DELETE."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.enterprises.models import Enterprise
from app.imports import service as import_service
from app.stats.models import TotalsByYear
from tests.factories import credit_code
from tests.imports.files import csv_bytes, upload

HEADERS = ["统一社会信用代码", "企业名称", "所属街道", "成立日期", "经营状态"]
STATUSES = ["正常经营", "正常经营", "已迁出", "已注销/关停"]


def _registered(session: Session) -> dict[int, int]:
    """The count per year of registration as the summary adds it up, and as counted from the firms."""
    rows = session.execute(select(TotalsByYear.year, func.sum(TotalsByYear.firms_registered))
                           .group_by(TotalsByYear.year)).all()
    return {int(year): int(firms) for year, firms in rows if firms}


def _counted(session: Session) -> dict[int, int]:
    year = func.coalesce(func.extract("year", Enterprise.registered_on), 0)
    rows = session.execute(select(year, func.count()).where(Enterprise.archived_at.is_(None),
                                                            Enterprise.status == "active").group_by(year)).all()
    return {int(y): int(firms) for y, firms in rows}


def test_an_import_in_batches(client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_service, "BATCH_SIZE", 7)
    rng = random.Random(27)
    rows = [HEADERS, *([credit_code(), f"常德年度登记{n}有限公司", "丹阳街道",
                        rng.choice([None, dt.date(2019, 5, 1), dt.date(2023, 1, 31), dt.date(2024, 12, 31)]),
                        rng.choice(STATUSES)] for n in range(40))]
    before = _registered(session)
    response = upload(client, "enterprises", csv_bytes(rows), name="firms.csv")
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 40
    assert _registered(session) == _counted(session)
    assert sum(_registered(session).values()) - sum(before.values()) == sum(
        1 for row in rows[1:] if row[4] == "正常经营")


def test_many_rows_in_one_statement_by_hand(session: Session) -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    firms = [{"credit_code": credit_code(), "name": f"常德多行写入{n}有限公司", "district": "芙蓉街道",
              "registered_on": dt.date(2015 + n % 4, 6, 1) if n % 5 else None,
              "status": "active" if n % 3 else "closed", "version": 1, "above_scale": False,
              "created_at": at, "updated_at": at}
             for n in range(30)]
    session.execute(insert(Enterprise).values(firms))  # one statement of 30 rows
    session.flush()
    assert _registered(session) == _counted(session)
    codes = [firm["credit_code"] for firm in firms]
    session.execute(update(Enterprise).where(Enterprise.credit_code.in_(codes[:12])).values(status="active"))
    session.execute(update(Enterprise).where(Enterprise.credit_code.in_(codes[8:20]))
                    .values(registered_on=dt.date(2011, 3, 3)))
    session.execute(update(Enterprise).where(Enterprise.credit_code.in_(codes[18:24]))
                    .values(archived_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)))
    assert _registered(session) == _counted(session)
    session.execute(delete(Enterprise).where(Enterprise.credit_code.in_(codes[::2])))
    assert _registered(session) == _counted(session)
