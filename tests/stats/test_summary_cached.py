"""The annual summary is kept per process for the state of the tables it reads, and given again only while
that state is unchanged: after any write it reads — through the API, or SQL by hand — it is worked out anew,
and always equals the summary worked out from scratch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.http import kept
from app.pipeline.models import Application
from app.stats import cached, service
from tests.factories import create_enterprise
from tests.visits.factories import create_visit

YEAR = 2025


def _summary(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/stats/summary", params={"year": YEAR})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _from_scratch(session: Session) -> dict[str, Any]:
    summary = service.annual_summary(session, year=YEAR, as_of=dt.date(YEAR, 12, 31))
    return summary.model_dump(mode="json")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cached.SUMMARIES.clear()


def test_the_same_summary_is_given_again_while_nothing_changed(client: TestClient, session: Session) -> None:
    first = _summary(client)
    second = _summary(client)
    assert (cached.SUMMARIES.misses, cached.SUMMARIES.hits) == (1, 1)
    assert first == second == _from_scratch(session)


def test_a_visit_logged_through_the_api_shows_at_once(client: TestClient, session: Session) -> None:
    firm = create_enterprise(client)
    before = _summary(client)
    create_visit(client, firm["id"], visited_on=f"{YEAR}-06-01")
    after = _summary(client)
    assert cached.SUMMARIES.misses == 2
    assert after["visits"]["value"] == before["visits"]["value"] + 1
    assert after == _from_scratch(session)


def test_sql_by_hand_shows_at_once(client: TestClient, session: Session) -> None:
    firm = create_enterprise(client, registered_on=f"{YEAR}-03-01")
    before = _summary(client)
    session.execute(text("UPDATE enterprises SET status = 'moved_out' WHERE id = :id"), {"id": firm["id"]})
    session.flush()
    after = _summary(client)
    assert after["enterprises"]["value"] == before["enterprises"]["value"] - 1
    assert after == _from_scratch(session)


def test_what_it_reads_is_watched_not_declared(client: TestClient) -> None:
    _summary(client)
    (key,) = cached.SUMMARIES.keys()
    kept = cached.SUMMARIES.get(key)
    assert kept is not None
    _state, (tables, _kept_summary) = kept
    # The rollups stand for the tables they are kept from; nothing the summary does not read invalidates it.
    assert {"enterprises", "applications", "stage_events", "visits", "demands", "annual_figures",
            "publicity_events", "technology_contracts", "yearly_targets"} <= tables
    assert not tables & {"tokens", "users", "audit_entries", "activity_by_year", "totals_by_year"}


def test_a_table_without_a_generation_is_not_kept() -> None:
    generations = frozenset({"visits", "demands", "enterprises"})
    assert kept.sources(frozenset({"visits", "activity_by_year"}), generations) == {"visits", "demands"}
    assert kept.sources(frozenset({"visits", "idempotency_keys"}), generations) is None
    assert kept.sources(frozenset({"totals_by_year"}), generations) is None  # its sources lack generations


def test_a_year_in_progress_is_worked_out_anew_after_a_write(client: TestClient, session: Session) -> None:
    """The daily counts stand for the records they are kept from: a loan disbursed inside the period, written
    without the API, shows at once in the summary kept for a day inside the year."""
    firm = create_enterprise(client)
    params = {"year": YEAR, "as_of": f"{YEAR}-06-30"}
    before = client.get("/api/v1/stats/summary", params=params).json()
    (key,) = cached.SUMMARIES.keys()
    kept_summary = cached.SUMMARIES.get(key)
    assert kept_summary is not None
    _state, (tables, _summary_kept) = kept_summary
    assert {"applications", "stage_events", "visits", "demands"} <= tables
    assert "totals_by_day" not in tables
    session.add(Application(program="tech_loan", enterprise_id=firm["id"], year=YEAR, stage="disbursed",
                            stage_entered_on=dt.date(YEAR, 6, 30), amount_disbursed=Decimal("123.45"),
                            valid_from=dt.date(YEAR, 6, 30)))
    session.flush()
    after = client.get("/api/v1/stats/summary", params=params).json()
    assert cached.SUMMARIES.misses == 2
    assert after["loans_disbursed"]["value"] == before["loans_disbursed"]["value"] + 1
    assert after["loan_amount_disbursed"]["value"] == "123.45"
    assert after == service.annual_summary(session, year=YEAR, as_of=dt.date(YEAR, 6, 30)).model_dump(mode="json")
