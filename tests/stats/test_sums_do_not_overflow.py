"""Sums of money stay exact for any amounts the API accepts: 9,300 firms at the largest amount pass 2**63 fen,
where SQLite's SUM fails with "integer overflow"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.enterprises.models import AnnualFigures, Enterprise

LARGEST = Decimal("9999999999999.99")  # Yuan: 15 digits, 2 of them decimals
FIRMS = 9_300
YEAR = 2031


@pytest.fixture
def rich_district(session: Session) -> None:
    now = utcnow()
    first = session.scalar(select(Enterprise.id).order_by(Enterprise.id.desc()).limit(1)) or 0
    session.execute(insert(Enterprise), [
        {"id": first + n, "credit_code": f"OVERFLOW{n:010d}", "name": f"满额企业{n}", "district": "丹阳街道",
         "above_scale": True, "status": "active", "registered_on": dt.date(2020, 1, 1), "version": 1,
         "created_at": now, "updated_at": now} for n in range(1, FIRMS + 1)])
    session.execute(insert(AnnualFigures), [
        {"enterprise_id": first + n, "year": YEAR, "revenue": LARGEST, "total_cost": LARGEST, "rd_expense": LARGEST,
         "high_tech_income": LARGEST, "version": 1, "created_at": now, "updated_at": now}
        for n in range(1, FIRMS + 1)])
    session.commit()


class TestLargeSums:
    def test_the_summary_adds_the_largest_amounts_exactly(self, client: TestClient, rich_district: None) -> None:
        response = client.get("/api/v1/stats/summary", params={"year": YEAR})
        assert response.status_code == 200, response.text
        summary = response.json()
        assert summary["rd_expense_above_scale"]["value"] == "92999999999999907.00"
        assert summary["high_tech_income"]["value"] == "92999999999999907.00"

    def test_exact_sum_of_nothing_is_null(self, session: Session) -> None:
        from app.db import exact_sum

        assert session.scalar(select(exact_sum(AnnualFigures.revenue)).where(AnnualFigures.year == 1900)) is None

