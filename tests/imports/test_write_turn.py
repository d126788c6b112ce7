"""An import reads, parses and checks its file before it takes its turn to write: a visit logged from a
phone meanwhile is saved at once (on SQLite it would otherwise wait behind the import's write gate), and a
firm changed meanwhile is planned again, never written over."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.auth.roles import Role
from app.db import make_session_factory
from app.imports import firms
from app.imports.kinds import KINDS
from tests.factories import credit_code
from tests.imports.files import FIRM_HEADERS, firm_row, upload, xlsx
from tests.support.apps import committed_app
from tests.visits.factories import days_ago

# Makes its own database, with real commits: the race needs two transactions.
pytestmark = pytest.mark.integration


def _gate_held(app: FastAPI) -> bool:
    gates: Any = getattr(app.state, "sqlite_write_gates", {})
    return any(gate.locked() for gate in gates.values())


def _with_prepare(monkeypatch: pytest.MonkeyPatch, meanwhile: Any) -> None:
    """The firm list's planning step, calling ``meanwhile()`` once before its first batch is checked."""
    real = firms.prepare_enterprises
    called: list[bool] = []

    def prepare(session: Session, rows: list[dict[str, Any]]) -> list[Any]:
        if not called:
            called.append(True)
            meanwhile()
        return real(session, rows)

    monkeypatch.setitem(KINDS, "enterprises", dataclasses.replace(firms.ENTERPRISES, prepare=prepare))


class TestAVisitDuringAnImport:
    def test_is_saved_while_the_import_checks_its_rows(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # A short wait: if the import held the turn, the visit would fail with a 503 rather than hang.
        with committed_app(Role.staff, sqlite_write_wait_seconds=1) as (client, token), client:
            client.headers.update({"Authorization": f"Bearer {token}", "Accept-Language": "en"})
            firm = client.post("/api/v1/enterprises", json={
                "credit_code": credit_code(), "name": "常德回访测试有限公司", "district": "丹阳街道"}).json()
            seen: dict[str, Any] = {}

            def log_a_visit() -> None:
                seen["gate_held"] = _gate_held(client.app)  # type: ignore[arg-type]
                seen["visit"] = client.post("/api/v1/visits", json={
                    "enterprise_id": firm["id"], "visited_on": days_ago(0), "kind": "phone",
                    "summary": "导入期间的电话回访。"})

            _with_prepare(monkeypatch, log_a_visit)
            codes = [credit_code() for _ in range(3)]
            imported = upload(client, "enterprises", xlsx([FIRM_HEADERS, *[firm_row(code) for code in codes]]))

            assert imported.status_code == 200, imported.text
            assert imported.json()["created"] == 3
            visit: Response = seen["visit"]
            assert visit.status_code == 201, visit.text
            assert seen["gate_held"] is False
            engine = client.app.state.engine  # type: ignore[attr-defined]
            with make_session_factory(engine)() as session:
                entries = session.execute(select(AuditEntry.id, AuditEntry.entity_type, AuditEntry.entity_id)
                                          .order_by(AuditEntry.id)).all()
            visit_entry = next(e.id for e in entries if e.entity_type == "visit" and e.entity_id == visit.json()["id"])
            firm_entries = [e.id for e in entries if e.entity_type == "enterprise" and e.entity_id != firm["id"]]
            # The visit was committed before the import wrote its first row.
            assert len(firm_entries) == 3
            assert visit_entry < min(firm_entries)


class TestAFirmChangedDuringAnImport:
    def test_archived_meanwhile_is_refused_not_written_over(self, monkeypatch: pytest.MonkeyPatch) -> None:
        with committed_app(Role.staff) as (client, token), client:
            client.headers.update({"Authorization": f"Bearer {token}", "Accept-Language": "en"})
            code = credit_code()
            created = client.post("/api/v1/enterprises", json={
                "credit_code": code, "name": "常德旧名有限公司", "district": "丹阳街道"})
            assert created.status_code == 201, created.text
            firm_id = created.json()["id"]

            def archive() -> None:
                archived = client.delete(f"/api/v1/enterprises/{firm_id}",
                                         headers={"If-Match": created.headers["ETag"]})
                assert archived.status_code == 204, archived.text

            _with_prepare(monkeypatch, archive)
            response = upload(client, "enterprises", xlsx([FIRM_HEADERS, firm_row(code, name="常德新名有限公司")]))

            assert response.status_code == 422, response.text
            problems = response.json()["report"]["problems"]
            assert [(p["field"], "archived" in p["reason"]) for p in problems] == [("credit_code", True)]
            firm = client.get(f"/api/v1/enterprises/{firm_id}", params={"include_archived": True}).json()
            assert firm["name"] == "常德旧名有限公司"

    def test_registered_meanwhile_is_updated_not_registered_twice(self, monkeypatch: pytest.MonkeyPatch) -> None:
        with committed_app(Role.staff) as (client, token), client:
            client.headers.update({"Authorization": f"Bearer {token}", "Accept-Language": "en"})
            code = credit_code()

            def register() -> None:
                created = client.post("/api/v1/enterprises", json={
                    "credit_code": code, "name": "常德抢先登记有限公司", "district": "芙蓉街道", "above_scale": True})
                assert created.status_code == 201, created.text

            _with_prepare(monkeypatch, register)
            rows = [[*FIRM_HEADERS, "标签"], [*firm_row(code, name="常德导入名称有限公司"), "瞪羚、高企"]]
            response = upload(client, "enterprises", xlsx(rows))

            assert response.status_code == 200, response.text
            assert (response.json()["created"], response.json()["updated"]) == (0, 1)
            found = client.get("/api/v1/enterprises", params={"q": code}).json()["items"]
            assert [(f["name"], f["district"], f["above_scale"], f["tags"]) for f in found] == [
                ("常德导入名称有限公司", "丹阳街道", True, ["瞪羚", "高企"])]
