"""The summary's queries read the big tables through indexes, not full scans (EXPLAIN on each backend).

SQLite shows the plan it will use on a database without statistics (the tests' tables are empty, so
``ANALYZE`` after migrating records none): the plans must be good even before statistics exist. PostgreSQL picks a
sequential scan for any small table, so there the test forbids sequential scans and checks that an
index path exists for every query — which is what keeps it fast at 1,000,000 visits.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.stats.service import annual_summary

# Tables that grow with the years; the registry count reads every firm by definition.
BIG_TABLES = ("applications", "stage_events", "visits", "demands", "publicity_events", "event_attendance",
              "annual_figures", "activity_by_year", "applications_by_year", "totals_by_year", "totals_by_day",
              "technology_contracts",
              "cooperation_agreements", "commissioner_services")


def _summary_statements(session: Session, as_of: dt.date | None = None) -> list[tuple[str, Any]]:
    connection = session.connection()
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", grab)
    try:
        annual_summary(session, year=as_of.year if as_of else 2025, as_of=as_of)
    finally:
        event.remove(connection, "before_cursor_execute", grab)
    return captured


def _plans(session: Session, as_of: dt.date | None = None) -> list[tuple[str, str]]:
    statements = _summary_statements(session, as_of)
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
    plans = []
    for statement, parameters in statements:
        prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
        plans.append((statement, "\n".join(str(row[0] if postgres else row[-1]) for row in rows)))
    return plans


class TestSummaryQueryPlans:
    @pytest.mark.parametrize("as_of", [None, dt.date(2026, 6, 30)], ids=["whole year", "year in progress"])
    def test_no_full_scan_of_a_growing_table(self, session: Session, as_of: dt.date | None) -> None:
        plans = _plans(session, as_of)
        assert len(plans) >= 20  # the summary's statements were captured (this year and last year in each)
        if session.connection().dialect.name == "postgresql":
            full_scan = re.compile(rf"Seq Scan on ({'|'.join(BIG_TABLES)})\b")
        else:
            full_scan = re.compile(rf"^SCAN ({'|'.join(BIG_TABLES)})\b", re.MULTILINE)
        offenders = [(statement, plan) for statement, plan in plans if full_scan.search(plan)]
        assert offenders == []

    def test_the_yearly_ranges_use_the_statistics_indexes(self, session: Session) -> None:
        used = "\n".join(plan for _statement, plan in _plans(session))
        if session.connection().dialect.name == "postgresql":
            # Any index will do where the planner may choose: what matters is that none reads the whole table.
            for table in ("totals_by_year", "activity_by_year", "applications_by_year", "publicity_events",
                          "stage_events", "applications"):
                assert re.search(rf"(Index (Only )?Scan using \w+|Bitmap Heap Scan) on {table}\b", used), table
            return
        for index in ("sqlite_autoindex_totals_by_year_1", "sqlite_autoindex_activity_by_year_1",
                      "sqlite_autoindex_applications_by_year_1", "ix_publicity_events_archived_at_held_on",
                      "ix_stage_events_program_to_stage_occurred_on"):
            assert index in used, index
        # Valid certificates and a period's contracts from their indexes alone, no table row read.
        for index in ("ix_applications_program_valid_until_covering",
                      "ix_technology_contracts_archived_at_registered_on_covering"):
            assert f"USING COVERING INDEX {index}" in used, index

    def test_visit_and_demand_figures_read_the_yearly_counts_not_the_records(self, session: Session) -> None:
        statements = [statement for statement, _plan in _plans(session)]
        assert any("activity_by_year" in statement for statement in statements)
        assert not [statement for statement in statements if re.search(r"\b(FROM|JOIN) (visits|demands)\b", statement)]

    def test_program_figures_of_whole_years_read_the_yearly_counts(self, session: Session) -> None:
        statements = [statement for statement, _plan in _plans(session)]
        assert any("applications_by_year" in statement for statement in statements)
        # Registrations, subsidies and loans are no longer counted from the applications one by one.
        assert not [statement for statement in statements
                    if re.search(r"\bFROM applications\b", statement) and "amount_" in statement]

    def test_the_yearly_counts_are_read_for_one_year_only(self, session: Session) -> None:
        used = "\n".join(plan for _statement, plan in _plans(session))
        if session.connection().dialect.name == "postgresql":
            # A plain or a bitmap index scan, as the planner's statistics of the moment prefer: by the year key.
            assert re.search(r"Index (Only )?Scan using pk_activity_by_year on activity_by_year"
                             r"|Bitmap Index Scan on pk_activity_by_year", used), used
            assert "Seq Scan on activity_by_year" not in used
            return
        assert "SEARCH activity_by_year USING INDEX sqlite_autoindex_activity_by_year_1 (year=?" in used
        # Whether a firm is archived is asked of the few archived firms, never row by row: a firm is read by its
        # key only when its id came from the archived firms' index (whether it is above scale, for the R&D sum).
        by_key = [(statement, plan) for statement, plan in _plans(session)
                  if "SEARCH enterprises USING INTEGER PRIMARY KEY" in plan]
        assert [statement for statement, _plan in by_key if "FROM annual_figures" not in statement] == []
        assert all("COVERING INDEX ix_enterprises_archived_at" in plan for _statement, plan in by_key)

    def test_a_year_in_progress_reads_the_daily_counts_and_only_archived_firms_records(self, session: Session) -> None:
        plans = _plans(session, dt.date(2026, 6, 30))
        postgres = session.connection().dialect.name == "postgresql"
        daily = [plan for statement, plan in plans if "FROM totals_by_day" in statement]
        assert daily
        for plan in daily:  # by the day key
            assert re.search(r"Index (Only )?Scan using pk_totals_by_day|Bitmap Index Scan on pk_totals_by_day"
                             if postgres else r"SEARCH totals_by_day USING INDEX sqlite_autoindex_totals_by_day_1 "
                             r"\(day>\? AND day<\?\)", plan), plan
        records = [(statement, plan) for statement, plan in plans
                   if re.search(r"\bFROM (visits|demands)\b", statement)]
        assert len(records) == 2  # once each, for the archived firms' records
        for statement, plan in records:
            assert "enterprises.archived_at IS NOT NULL" in statement
            if not postgres:
                assert re.search(r"SEARCH (visits|demands) USING (COVERING )?INDEX ix_\w+_enterprise_id", plan), plan
