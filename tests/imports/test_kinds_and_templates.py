"""GET /imports and the templates: what can be imported, and a template that imports back."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.enterprises import service as enterprise_service
from app.enterprises.models import AnnualFigures, Enterprise
from app.imports.firms import CREDIT_CODE
from app.imports.kinds import KINDS, Column, ImportKind, Outcome, RowRejected, register
from tests.factories import create_enterprise, credit_code
from tests.imports.files import XLSX, upload, xlsx

KIND_NAMES = ["applications", "commissioner_services", "commissioners", "cooperation_agreements", "district_indicators",
         "enterprises", "figures", "innovation_platforms", "technology_contracts", "yearly_targets"]


class TestKinds:
    def test_lists_the_kinds_with_their_columns(self, viewer_client: TestClient) -> None:
        kinds = {k["name"]: k for k in viewer_client.get("/api/v1/imports").json()}
        assert sorted(kinds) == KIND_NAMES
        assert kinds["figures"]["key"] == ["credit_code", "year"]
        assert kinds["applications"]["key"] == ["credit_code", "program", "year"]
        headers = {c["field"]: c["header"] for c in kinds["enterprises"]["columns"]}
        assert headers["credit_code"] == "统一社会信用代码"

    def test_an_unknown_kind_is_a_404_naming_the_kinds(self, client: TestClient) -> None:
        response = upload(client, "visits", b"x", "a.csv")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["kinds"] == KIND_NAMES
        assert ", ".join(KIND_NAMES) in response.json()["detail"]
        assert client.get("/api/v1/imports/visits/template.xlsx").status_code == 404

    def test_viewers_cannot_import(self, viewer_client: TestClient) -> None:
        assert upload(viewer_client, "enterprises", b"a,b\n", "a.csv").status_code == 403


class TestTemplateRoundTrip:
    def _template(self, client: TestClient, kind: str) -> bytes:
        response = client.get(f"/api/v1/imports/{kind}/template.xlsx")
        assert response.status_code == 200
        assert response.headers["content-type"] == XLSX
        assert "attachment" in response.headers["content-disposition"]
        return response.content

    def _filled(self, template: bytes, values: dict[str, object]) -> bytes:
        workbook = load_workbook(io.BytesIO(template))
        sheet = workbook.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        sheet.append([values.get(str(header)) for header in headers])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def test_download_fill_and_import(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        firms = self._filled(self._template(client, "enterprises"), {
            "统一社会信用代码": code, "企业名称": "模板往返有限公司", "所属街道": "丹阳街道", "行业门类": "C",
            "成立日期": "2020-06-01", "规上企业": "否",
        })
        report = upload(client, "enterprises", firms).json()
        assert (report["created"], report["unknown_columns"]) == (1, [])
        figures = self._filled(self._template(client, "figures"), {
            "统一社会信用代码": code, "年度": 2024, "从业人员": 40, "营业收入": 1000000,
        })
        assert upload(client, "figures", figures).json()["created"] == 1
        firm = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
        stored = session.scalars(select(AnnualFigures).where(AnnualFigures.enterprise_id == firm.id)).one()
        assert (stored.year, stored.employees) == (2024, 40)

    def test_the_template_explains_every_column(self, client: TestClient) -> None:
        workbook = load_workbook(io.BytesIO(self._template(client, "figures")))
        help_rows = [row[0].value for row in workbook.worksheets[1].iter_rows(min_row=2)]
        first_sheet_headers = [cell.value for cell in workbook.worksheets[0][1]]
        assert set(first_sheet_headers) <= set(help_rows)


def _set_notes(session: Session, rows: list[dict[str, Any]], actor: Actor) -> list[Outcome | RowRejected]:
    results: list[Outcome | RowRejected] = []
    for values in rows:
        firm = session.scalars(select(Enterprise).where(Enterprise.credit_code == values["credit_code"])).first()
        if firm is None:
            results.append(RowRejected.one("credit_code", "unknown firm"))
            continue
        changed = enterprise_service.update_enterprise(session, firm, {"notes": values.get("notes")}, actor=actor)
        results.append(Outcome.updated if changed else Outcome.unchanged)
    return results


NOTES = ImportKind(name="notes", title="企业备注", key=("credit_code",), upsert=_set_notes, tables=("enterprises",),
                   columns=(CREDIT_CODE, Column("notes", "备注", aliases=("说明",))))


class TestAddingAKind:
    def test_one_declaration_gives_the_import_the_template_and_the_catalogue(
            self, client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(KINDS, "notes", NOTES)
        firm = create_enterprise(client)
        assert "notes" in {k["name"] for k in client.get("/api/v1/imports").json()}
        assert client.get("/api/v1/imports/notes/template.xlsx").status_code == 200
        report = upload(client, "notes", xlsx([["信用代码", "说明"], [firm["credit_code"], "重点培育"]])).json()
        assert report["updated"] == 1
        stored = session.get(Enterprise, firm["id"])
        assert stored is not None
        session.refresh(stored)
        assert stored.notes == "重点培育"

    def test_an_ambiguous_header_fails_at_registration(self) -> None:
        clash = dataclasses.replace(NOTES, name="clash", columns=(*NOTES.columns, Column("name", "说明")))
        with pytest.raises(ValueError, match="ambiguous"):
            register(clash)
