"""Pipeline and IP-ledger problems in Chinese for a client without Accept-Language, in English for
``Accept-Language: en``: stage and program labels instead of codes, the same ``type`` and ``loc`` in both."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth.roles import Role
from tests.conftest import Account
from tests.factories import create_enterprise
from tests.pipeline.helpers import URL, application_at, create_application, move


@pytest.fixture
def chinese_client(app: FastAPI, accounts: dict[Role, Account]) -> TestClient:
    """A client that sends no Accept-Language, as a browser set to Chinese or a new user's curl."""
    return TestClient(app, headers=accounts[Role.admin].headers, raise_server_exceptions=False)


def both(chinese_client: TestClient, client: TestClient, url: str, body: dict[str, Any], status: int
         ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same refused request in Chinese and in English; the machine-readable parts agree."""
    zh, en = chinese_client.post(url, json=body), client.post(url, json=body)
    assert zh.status_code == en.status_code == status, (zh.text, en.text)
    zh_body, en_body = zh.json(), en.json()
    assert zh_body["type"] == en_body["type"]
    assert [(e["loc"], e["type"]) for e in zh_body.get("errors") or []] == [
        (e["loc"], e["type"]) for e in en_body.get("errors") or []]
    return zh_body, en_body


class TestTransitions:
    def test_a_move_not_allowed_from_the_current_stage_names_the_stages(
        self, chinese_client: TestClient, client: TestClient
    ) -> None:
        application = create_application(client, "high_tech")
        url = f"{URL}/{application['id']}/transitions"
        zh, en = both(chinese_client, client, url, {"to": "recognized"}, 409)
        assert zh["title"] == "与记录当前状态冲突"
        assert en["title"] == "Conflict"
        assert zh["detail"].startswith("「高新技术企业认定」：不能从「培育库」变更为「已认定」。"
                                       "当前可变更为：「准备材料」")
        assert "prospect" not in zh["detail"]
        assert "recognized" not in zh["detail"]
        assert en["detail"].startswith("「高新技术企业认定」: cannot move from prospect (培育库) "
                                       "to recognized (已认定). Allowed from here: preparing")
        assert zh["current_stage"] == en["current_stage"] == "prospect"
        assert zh["allowed_transitions"] == en["allowed_transitions"]

    def test_a_revocation_without_its_reason(self, chinese_client: TestClient, client: TestClient) -> None:
        application = application_at(client, "tech_sme", "registered")
        url = f"{URL}/{application['id']}/transitions"
        zh, en = both(chinese_client, client, url, {"to": "revoked", "on": "2024-06-01"}, 422)
        assert zh["title"] == "输入有误"
        assert zh["errors"] == [{"loc": ["body", "details", "revocation_reason"], "msg": "变更为「撤销」须填写撤销原因",
                                 "type": "missing"}]
        assert zh["detail"] == "变更为「撤销」须填写：撤销原因。"
        assert en["errors"][0]["msg"] == "required to move to revoked (撤销原因)"
        assert en["detail"] == "Moving to 撤销 needs: 撤销原因."

    def test_an_unknown_revocation_reason_keeps_the_detail_message_in_chinese(
        self, chinese_client: TestClient, client: TestClient
    ) -> None:
        application = application_at(client, "high_tech", "recognized")
        url = f"{URL}/{application['id']}/transitions"
        body = {"to": "revoked", "on": "2024-06-01", "details": {"revocation_reason": "bad_luck"}}
        zh, en = both(chinese_client, client, url, body, 422)
        assert zh["errors"][0]["loc"] == ["body", "details", "revocation_reason"]
        assert zh["errors"][0]["msg"].startswith("应为以下之一")
        assert zh["detail"].startswith("「高新技术企业认定」的详细信息有误：应为以下之一")
        assert en["detail"].startswith("details do not fit program high_tech: ")

    def test_a_certificate_number_in_the_wrong_form(self, chinese_client: TestClient, client: TestClient) -> None:
        application = application_at(client, "high_tech", "publicized")
        url = f"{URL}/{application['id']}/transitions"
        body = {"to": "recognized", "reference_no": "ABC", "on": application["stage_entered_on"]}
        zh, en = both(chinese_client, client, url, body, 422)
        assert zh["errors"][0]["msg"] == "高企证书编号应形如 GR202343000240（GR 或 GF 加 12 位数字）"
        assert en["errors"][0]["msg"] == "certificate number looks like GR202343000240 (GR/GF + 12 digits)"
        assert zh["errors"][0]["loc"] == ["body", "reference_no"]


class TestApplications:
    def test_an_unknown_program_lists_the_programs_by_label(
        self, chinese_client: TestClient, client: TestClient
    ) -> None:
        firm = create_enterprise(client)
        zh, en = both(chinese_client, client, URL, {"program": "nope", "enterprise_id": firm["id"], "year": 2024},
                      422)
        [item] = zh["errors"]
        assert item["loc"] == ["body", "program"]
        assert item["msg"].startswith("没有“nope”这个申报项目；可选：")
        assert "「高新技术企业认定」" in item["msg"]
        assert "high_tech" not in item["msg"]
        assert en["errors"][0]["msg"].startswith("unknown program 'nope'; programs: ")
        assert "high_tech" in en["errors"][0]["msg"]

    def test_a_revocation_bar(self, chinese_client: TestClient, client: TestClient) -> None:
        application = application_at(client, "tech_sme", "registered")
        revoked = move(client, application, "revoked", on="2024-07-01", details={"revocation_reason": "other"})
        assert revoked.status_code == 201, revoked.text
        body = {"program": "tech_sme", "enterprise_id": application["enterprise_id"], "year": 2024,
                "on": "2024-08-01"}
        zh, en = both(chinese_client, client, URL, body, 409)
        assert zh["detail"].startswith("该企业 2025-01-01 起才能再次申请：2024-07-01 被撤销（其他原因）：")
        assert en["detail"].startswith("This firm may not apply again until 2025-01-01: ")
        assert zh["errors"] == [{"loc": ["body", "year"], "msg": "至 2024-12-31 止不得再次申请", "type": "barred"}]
        assert en["errors"][0]["msg"] == "barred until 2024-12-31"
        assert zh["barred_until"] == en["barred_until"] == "2024-12-31"


class TestIpLedger:
    def test_a_number_already_in_the_ledger(self, chinese_client: TestClient, client: TestClient) -> None:
        firm = create_enterprise(client)
        url = f"/api/v1/enterprises/{firm['id']}/ip-rights"
        item = {"number": "ZL1", "kind": "design_patent", "granted_on": "2022-01-01"}
        assert client.post(url, json=item).status_code == 201
        zh, en = both(chinese_client, client, url, item, 409)
        assert zh["detail"] == "该企业的知识产权台账中已有编号为 ZL1 的条目。"
        assert zh["errors"] == [{"loc": ["body", "number"], "msg": "台账中已有", "type": "duplicate"}]
        assert en["detail"] == "This firm's ledger already has an item numbered ZL1."
        assert en["errors"][0]["msg"] == "already in the ledger"
