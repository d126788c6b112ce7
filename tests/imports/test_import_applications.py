"""POST /imports/applications: program records by credit code + program + year, through the pipeline's rules."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.pipeline.models import Application, StageEvent
from tests.factories import create_enterprise
from tests.imports.files import csv_bytes, upload, xlsx

CERTIFICATES = ["统一社会信用代码", "企业名称", "项目", "认定年度", "环节", "证书编号", "发证日期"]


def _application(session: Session, enterprise_id: int, program: str) -> Application:
    row = session.scalars(select(Application).where(Application.enterprise_id == enterprise_id,
                                                    Application.program == program)).one()
    session.refresh(row)
    return row


class TestHistoricCertificates:
    def test_certificate_list_creates_recognized_records_with_derived_validity(self, client: TestClient,
                                                                              session: Session) -> None:
        firm = create_enterprise(client)
        rows = [CERTIFICATES, [firm["credit_code"], firm["name"], "高新技术企业", 2023, "已认定", "GR202343000240",
                               "2023年12月8日"]]
        response = upload(client, "applications", xlsx(rows))
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 1
        application = _application(session, firm["id"], "high_tech")
        assert (application.stage, application.reference_no) == ("recognized", "GR202343000240")
        assert (application.valid_from, application.valid_until) == (dt.date(2023, 12, 8), dt.date(2026, 12, 7))
        events = session.scalars(select(StageEvent).where(StageEvent.application_id == application.id)
                                 .order_by(StageEvent.id)).all()
        assert [(e.from_stage, e.to_stage) for e in events] == [(None, "prospect"), ("prospect", "recognized")]
        assert all(e.note is not None and "导入" in e.note for e in events)
        history = client.get(f"/api/v1/applications/{application.id}/transitions").json()
        assert history[-1]["occurred_on"] == "2023-12-08"

    def test_reimport_changes_nothing(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        rows = [CERTIFICATES, [firm["credit_code"], firm["name"], "high_tech", 2023, "recognized", "GR202343000240",
                               "2023-12-08"]]
        assert upload(client, "applications", xlsx(rows)).json()["created"] == 1
        again = upload(client, "applications", xlsx(rows)).json()
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)

    def test_final_stage_without_its_required_fields_is_rejected(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client)
        rows = [CERTIFICATES, [firm["credit_code"], firm["name"], "高新技术企业认定", 2023, "已认定", None,
                               "2023-12-08"],
                [firm["credit_code"], firm["name"], "科技型中小企业评价入库", 2024, "已入库", "2024430702000123", None]]
        response = upload(client, "applications", xlsx(rows), on_error="skip")
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["rejected"] == 2
        assert {(p["row"], p["column"]) for p in report["problems"]} == {(2, "证书编号"), (3, "发证日期")}
        assert session.scalars(select(Application).where(Application.enterprise_id == firm["id"])).all() == []

    def test_a_bad_certificate_number_is_refused_with_the_rule(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        rows = [CERTIFICATES, [firm["credit_code"], firm["name"], "高企", 2023, "已认定", "12345", "2023-12-08"]]
        response = upload(client, "applications", xlsx(rows))
        assert response.status_code == 422
        assert "GR" in response.text


class TestStagesOfExistingRecords:
    def test_an_open_case_moves_to_the_stage_in_the_file(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client)
        created = client.post("/api/v1/applications", json={"program": "tech_sme", "enterprise_id": firm["id"],
                                                            "year": 2024, "on": "2024-03-01"})
        assert created.status_code == 201, created.text
        rows = [["信用代码", "项目", "年度", "环节", "入库登记编号", "入库日期"],
                [firm["credit_code"], "tech_sme", 2024, "已入库", "2024430702000123", "2024/05/20"]]
        report = upload(client, "applications", csv_bytes(rows, "gbk"), "sme.csv").json()
        assert report["updated"] == 1
        application = _application(session, firm["id"], "tech_sme")
        assert (application.stage, application.valid_until) == ("registered", dt.date(2024, 12, 31))

    def test_a_closed_case_cannot_jump(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        first = [["信用代码", "项目", "年度", "环节", "日期"],
                 [firm["credit_code"], "tech_sme", 2024, "放弃", "2024-04-01"]]
        assert upload(client, "applications", xlsx(first)).json()["created"] == 1
        later = [["信用代码", "项目", "年度", "环节", "编号", "日期"],
                 [firm["credit_code"], "tech_sme", 2024, "registered", "2024430702000123", "2024-05-01"]]
        response = upload(client, "applications", xlsx(later))
        assert response.status_code == 422
        assert "withdrawn" in response.text

    def test_unknown_program_and_stage_are_named(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        rows = [["信用代码", "项目", "年度", "环节"], [firm["credit_code"], "星创天地", 2024, None],
                [firm["credit_code"], "high_tech", 2024, "已发证"], [firm["credit_code"], "high_tech", 10**12, None]]
        report = upload(client, "applications", xlsx(rows), on_error="skip").json()
        assert {(p["row"], p["column"]) for p in report["problems"]} == {(2, "项目"), (3, "环节"), (4, "年度")}


class TestTemplate:
    def test_template_downloads(self, client: TestClient) -> None:
        response = client.get("/api/v1/imports/applications/template.xlsx")
        assert response.status_code == 200
        assert response.content[:2] == b"PK"


class TestRevokedRecords:
    HEADER = ["统一社会信用代码", "项目", "入库年度", "环节", "日期", "入库登记编号", "撤销原因"]

    def test_a_revoked_registration_keeps_its_reason_and_bars_the_firm(self, client: TestClient,
                                                                       session: Session) -> None:
        firm = create_enterprise(client)
        rows = [self.HEADER, [firm["credit_code"], "科技型中小企业", 2024, "撤销", "2024-08-01", "2024430702000123",
                              "弄虚作假"]]
        response = upload(client, "applications", xlsx(rows))
        assert response.status_code == 200, response.text
        application = _application(session, firm["id"], "tech_sme")
        assert application.stage == "revoked"
        assert application.details["revocation_reason"] == "fraud"
        again = client.post("/api/v1/applications", json={"program": "tech_sme", "enterprise_id": firm["id"],
                                                           "year": 2025})
        assert again.status_code == 409, again.text

    def test_a_revoked_row_without_its_reason_names_the_column(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        rows = [self.HEADER, [firm["credit_code"], "科技型中小企业", 2024, "撤销", "2024-08-01", "2024430702000123",
                              None]]
        response = upload(client, "applications", xlsx(rows), on_error="skip")
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["rejected"] == 1
        assert [(p["column"], p["field"]) for p in report["problems"]] == [("撤销原因", "revocation_reason")]
