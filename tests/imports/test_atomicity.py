"""An import is one transaction: a failure while importing or while committing leaves no rows."""

from __future__ import annotations

import dataclasses
from typing import Any, NoReturn

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.audit.service import Actor
from app.enterprises.models import Enterprise
from app.imports import firms, service
from app.imports.kinds import KINDS, Outcome, RowRejected
from tests.factories import credit_code
from tests.imports.files import FIRM_HEADERS, firm_row, upload, xlsx


def _rows(session: Session) -> tuple[int, int]:
    firms_count = session.scalar(select(func.count()).select_from(Enterprise)) or 0
    audit_count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return firms_count, audit_count


def _file(n: int) -> bytes:
    return xlsx([FIRM_HEADERS, *[firm_row(credit_code(), name=f"原子性公司{i}") for i in range(n)]])


class TestAtomicity:
    def test_a_failure_after_some_rows_leaves_none(self, client: TestClient, session: Session,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
        batches: list[int] = []

        def flaky(session: Session, rows: list[dict[str, Any]], actor: Actor) -> list[Outcome | RowRejected]:
            batches.append(len(rows))
            if len(batches) == 2:
                raise RuntimeError("the server died mid-import")
            return firms.upsert_enterprises(session, rows, actor)

        monkeypatch.setattr(service, "BATCH_SIZE", 2)
        monkeypatch.setitem(KINDS, "enterprises", dataclasses.replace(firms.ENTERPRISES, upsert=flaky))
        before = _rows(session)
        assert upload(client, "enterprises", _file(5)).status_code == 500
        assert batches == [2, 2]
        assert _rows(session) == before

    def test_a_failing_commit_leaves_none(self, app: FastAPI, client: TestClient, session: Session) -> None:
        open_session = app.state.session_factory

        def refuse(_: Session) -> NoReturn:
            raise RuntimeError("the database went away at commit")

        def failing_at_commit(write: bool) -> Session:
            request_session = open_session(write)
            if write:
                event.listen(request_session, "before_commit", refuse)
            return request_session

        app.state.session_factory = failing_at_commit
        before = _rows(session)
        assert upload(client, "enterprises", _file(4)).status_code == 500
        assert _rows(session) == before
