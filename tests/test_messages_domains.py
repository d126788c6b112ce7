"""Messages for people in the domains' own words: imports, record kinds, passwords — Chinese by default,
English for Accept-Language: en, with the same loc, field and type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import create_enterprise, credit_code, if_match
from tests.imports.files import upload, xlsx
from tests.records import factories
from tests.test_messages import chinese_client  # noqa: F401 - the fixture

FIRM_ROWS: list[list[Any]] = [["统一社会信用代码", "企业名称", "所属街道", "行业门类", "成立日期"]]


def _firm_rows() -> list[list[Any]]:
    return [*FIRM_ROWS,
            [credit_code(), "常德日期有误有限公司", "丹阳街道", "C", "2023-02-30"],
            [credit_code(), "常德门类有误有限公司", "丹阳街道", "航天", dt.date(2020, 1, 2)]]


def _problems(report: dict[str, Any]) -> list[tuple[int, str | None, str | None, str]]:
    return [(p["row"], p["column"], p["field"], p["reason"]) for p in report["problems"]]


class TestImportRowProblems:
    def test_a_dry_run_report_gives_reasons_in_chinese_and_english(
        self, chinese_client: TestClient, client: TestClient  # noqa: F811
    ) -> None:
        content = xlsx(_firm_rows())
        zh = upload(chinese_client, "enterprises", content, dry_run=True)
        en = upload(client, "enterprises", content, dry_run=True)
        assert zh.status_code == en.status_code == 200, zh.text
        zh_problems, en_problems = _problems(zh.json()), _problems(en.json())
        assert [p[:3] for p in zh_problems] == [p[:3] for p in en_problems] == [
            (2, "成立日期", "registered_on"), (3, "行业门类", "industry")]
        assert zh_problems[0][3] == "没有这一天：2023-02-30"
        assert en_problems[0][3] == "there is no such date: 2023-02-30"
        assert zh_problems[1][3].startswith("无法识别的值；应为以下之一：")
        assert "制造业" in zh_problems[1][3]
        assert en_problems[1][3].startswith("unknown value; one of: ")

    def test_a_refused_import_lists_the_reasons_in_chinese(
        self, chinese_client: TestClient, client: TestClient  # noqa: F811
    ) -> None:
        content = xlsx(_firm_rows())
        zh = upload(chinese_client, "enterprises", content).json()
        en = upload(client, "enterprises", content).json()
        assert zh["type"] == en["type"] == "/problems/validation-error"
        assert zh["detail"].startswith("未导入任何数据：2 行中有 2 行被拒绝")
        assert en["detail"].startswith("Nothing was imported: 2 of 2 rows were rejected")
        assert [(e["loc"], e["type"]) for e in zh["errors"]] == [(e["loc"], e["type"]) for e in en["errors"]] == [
            (["file", 2, "成立日期"], "rejected"), (["file", 3, "行业门类"], "rejected")]
        assert zh["errors"][0]["msg"] == "没有这一天：2023-02-30"
        assert zh["report"]["problems"][0]["reason"] == "没有这一天：2023-02-30"
        assert en["report"]["problems"][0]["reason"] == "there is no such date: 2023-02-30"

    def test_a_missing_key_and_a_credit_code_no_firm_has(
        self, chinese_client: TestClient, client: TestClient  # noqa: F811
    ) -> None:
        rows = [["统一社会信用代码", "年度", "营业收入"], [credit_code(), 2024, 100], ["", 2024, 100]]
        zh = _problems(upload(chinese_client, "figures", xlsx(rows), dry_run=True).json())
        en = _problems(upload(client, "figures", xlsx(rows), dry_run=True).json())
        assert [p[:3] for p in zh] == [p[:3] for p in en]
        assert {p[0]: p[3] for p in zh} == {2: "没有这个统一社会信用代码的企业：请先在企业名单中导入它",
                                            3: "必填：这一列用来识别记录"}
        assert {p[0]: p[3] for p in en} == {2: "no firm has this credit code: import it in the firm list first",
                                            3: "required: this column identifies the record"}


class TestRefusedFiles:
    def test_an_old_excel_file(self, chinese_client: TestClient, client: TestClient) -> None:  # noqa: F811
        content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
        zh = upload(chinese_client, "enterprises", content, "old.xls").json()
        en = upload(client, "enterprises", content, "old.xls").json()
        assert zh["detail"].startswith("这是旧版 Excel 97–2003（.xls）文件或设有密码的工作簿")
        assert en["detail"].startswith("this is an old Excel 97–2003 (.xls) or a password-protected workbook")
        assert [(e["loc"], e["type"]) for e in zh["errors"]] == [(e["loc"], e["type"]) for e in en["errors"]] == [
            (["body", "file"], "unsupported_format")]
        assert zh["errors"][0]["msg"] == zh["detail"]


CONTRACT = {"contract_type": "service", "buyer": "某公司", "registered_on": "2025-01-01"}


class TestRecordKinds:
    def test_a_technology_amount_above_the_contract_amount(
        self, chinese_client: TestClient, client: TestClient  # noqa: F811
    ) -> None:
        firm = create_enterprise(client)
        body = {**CONTRACT, "registration_no": "R-msg-1", "enterprise_id": firm["id"], "contract_amount": "100.00",
                "technology_amount": "100.01"}
        zh = chinese_client.post("/api/v1/technology-contracts", json=body)
        en = client.post("/api/v1/technology-contracts", json=body)
        assert zh.status_code == en.status_code == 422
        assert [(e["loc"], e["type"]) for e in zh.json()["errors"]] == [
            (e["loc"], e["type"]) for e in en.json()["errors"]] == [(["body", "technology_amount"], "value_error")]
        assert zh.json()["errors"][0]["msg"] == "不能超过合同成交额"
        assert en.json()["errors"][0]["msg"] == "cannot exceed the contract amount (成交额)"

    def test_a_registration_number_held_by_an_archived_contract(
        self, chinese_client: TestClient, client: TestClient  # noqa: F811
    ) -> None:
        firm = create_enterprise(client)
        first = factories.contract(client, firm["id"], registration_no="2025430702000998")
        client.delete(f"/api/v1/technology-contracts/{first['id']}", headers=if_match(first))
        body = {**CONTRACT, "registration_no": "2025430702000998", "enterprise_id": firm["id"],
                "contract_amount": "1.00", "technology_amount": "1.00"}
        zh = chinese_client.post("/api/v1/technology-contracts", json=body)
        en = client.post("/api/v1/technology-contracts", json=body)
        assert zh.status_code == en.status_code == 409
        assert zh.json()["type"] == en.json()["type"] == "/problems/conflict"
        assert zh.json()["detail"] == f"技术合同 {first['id']} 已使用登记号 2025430702000998（已归档：请恢复它）。"
        assert en.json()["detail"] == (f"Technology contract {first['id']} already has registration number "
                                       "2025430702000998 (archived: restore it instead).")
        assert zh.json()["existing_id"] == en.json()["existing_id"] == first["id"]

    def test_a_second_indicator_for_the_year_and_a_missing_record(
        self, chinese_client: TestClient, client: TestClient  # noqa: F811
    ) -> None:
        held = factories.indicator(client, year=2023)
        body = {"year": 2023, "indicator": "high_tech_value_added", "value": "1.00", "source": "统计局"}
        zh = chinese_client.post("/api/v1/district-indicators", json=body)
        assert zh.status_code == 409
        assert zh.json()["detail"] == f"区级统计指标 {held['id']} 已有 2023 年的「高新技术产业增加值」：请改那一条。"
        assert client.post("/api/v1/district-indicators", json=body).json()["detail"] == (
            f"District indicator {held['id']} already holds high_tech_value_added for 2023: change that one instead.")
        missing = chinese_client.get("/api/v1/district-indicators/999999")
        assert missing.status_code == 404
        assert missing.json()["detail"] == "没有编号为 999999 的区级统计指标。"
        assert client.get("/api/v1/district-indicators/999999").json()["detail"] == (
            "No district indicator has id 999999.")


class TestPasswords:
    @pytest.mark.parametrize(("password", "zh_reason", "en_reason"), [
        ("1234567890123", "纯数字密码太容易被猜中", "a password of digits only is too easy to guess"),
        ("password123", "这是猜密码工具最先尝试的密码之一：请换一个",
         "this password is among the first that guessing tools try: choose another"),
    ])
    def test_a_weak_password(
        self, chinese_client: TestClient, client: TestClient, password: str,  # noqa: F811
        zh_reason: str, en_reason: str,
    ) -> None:
        body = {"username": "weakling", "display_name": "弱口令", "role": "staff", "password": password}
        zh = chinese_client.post("/api/v1/users", json=body).json()
        en = client.post("/api/v1/users", json=body).json()
        assert [(e["loc"], e["type"]) for e in zh["errors"]] == [(e["loc"], e["type"]) for e in en["errors"]] == [
            (["body", "password"], "weak_password")]
        assert zh["errors"][0]["msg"] == zh_reason
        assert en["errors"][0]["msg"] == en_reason
