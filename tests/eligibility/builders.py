"""Valid-by-default inputs for the pure rules: a firm that passes everything; override what a test is about."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from app.eligibility.schemas import FirmFacts, YearFigures

YEAR = 2025
AS_OF = dt.date(2026, 6, 30)


def figures(year: int = YEAR, **overrides: Any) -> YearFigures:
    """A small, innovative firm: 30% tech staff, R&D 6% of revenue, one invention patent."""
    values: dict[str, Any] = {
        "employees": 100, "tech_staff": 30, "revenue": Decimal("40000000.00"), "total_cost": Decimal("36000000.00"),
        "rd_expense": Decimal("2400000.00"), "rd_expense_domestic": Decimal("2400000.00"),
        "high_tech_income": Decimal("30000000.00"), "total_income": Decimal("42000000.00"),
        "total_assets": Decimal("50000000.00"),
        "ip_class1": 1, "ip_class2": 3,
    }
    values.update(overrides)
    return YearFigures(year=year, **values)


def years(last: int = YEAR, count: int = 3, **overrides: Any) -> dict[int, YearFigures]:
    """The same figures for ``count`` years ending in ``last``."""
    return {y: figures(y, **overrides) for y in range(last - count + 1, last + 1)}


def facts(**overrides: Any) -> FirmFacts:
    values: dict[str, Any] = {"registered_on": dt.date(2015, 3, 1), "industry": "C", "industry_code": "39",
                              "tech_domain": "electronic_information"}
    values.update(overrides)
    return FirmFacts(**values)


def figures_payload(**overrides: Any) -> dict[str, Any]:
    """Body of PUT /enterprises/{id}/figures/{year}, the same firm as :func:`figures`."""
    base = figures()
    payload = {name: getattr(base, name) for name in (
        "employees", "tech_staff", "revenue", "total_cost", "rd_expense", "rd_expense_domestic", "high_tech_income",
        "total_income", "total_assets", "ip_class1", "ip_class2")}
    payload = {k: str(v) if isinstance(v, Decimal) else v for k, v in payload.items()}
    payload.update(overrides)
    return payload


def put_figures(client: TestClient, enterprise_id: int, year: int, **overrides: Any) -> None:
    response = client.put(f"/api/v1/enterprises/{enterprise_id}/figures/{year}", json=figures_payload(**overrides))
    assert response.status_code in (200, 201), response.text
