"""A file longer than what an import plans before it writes: the first rows are planned ahead, the rest read
and planned batch by batch while it writes, with the same report and the same all-or-nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.enterprises.models import Enterprise
from app.imports import service
from tests.factories import credit_code
from tests.imports.files import FIRM_HEADERS, firm_row, upload, xlsx


@pytest.fixture(autouse=True)
def _short_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "PLAN_AHEAD_ROWS", 3)
    monkeypatch.setattr(service, "BATCH_SIZE", 2)


def _count(session: Session, codes: list[str]) -> int:
    return session.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.credit_code.in_(codes))) or 0


class TestBeyondThePlannedRows:
    def test_every_row_is_imported(self, client: TestClient, session: Session) -> None:
        codes = [credit_code() for _ in range(8)]
        response = upload(client, "enterprises", xlsx([FIRM_HEADERS, *[firm_row(code) for code in codes]]))
        assert response.status_code == 200, response.text
        assert (response.json()["rows"], response.json()["created"]) == (8, 8)
        assert _count(session, codes) == 8

    def test_problems_after_the_planned_rows_are_reported_and_nothing_is_saved(
            self, client: TestClient, session: Session) -> None:
        codes = [credit_code() for _ in range(6)]
        nameless = credit_code()
        rows = [FIRM_HEADERS, *[firm_row(code) for code in codes], firm_row(codes[0]), firm_row(nameless, name="")]
        response = upload(client, "enterprises", xlsx(rows))
        assert response.status_code == 422, response.text
        report = response.json()["report"]
        assert (report["rows"], report["created"], report["rejected"]) == (8, 6, 2)
        assert [(p["row"], p["field"]) for p in report["problems"]] == [(8, "credit_code"), (9, "name")]
        assert _count(session, [*codes, nameless]) == 0
