"""Messages for people: Chinese by default, English for Accept-Language: en; loc and type never change."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth.roles import Role
from app.messages import Text, in_language, language, register, say
from tests.conftest import Account
from tests.factories import create_enterprise, enterprise_payload
from tests.visits.factories import create_demand


@pytest.fixture
def chinese_client(app: FastAPI, accounts: dict[Role, Account]) -> TestClient:
    """A client that sends no Accept-Language, as a browser set to Chinese or a new user's curl."""
    return TestClient(app, headers=accounts[Role.admin].headers, raise_server_exceptions=False)


class TestLanguageChoice:
    @pytest.mark.parametrize(("header", "expected"), [
        (None, "zh"), ("", "zh"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en;q=0.5,zh;q=0.9", "zh"), ("fr-FR", "zh"), ("fr, en;q=0.3", "en"), ("en;q=0", "zh"),
    ])
    def test_accept_language(self, header: str | None, expected: str) -> None:
        assert language(header) == expected

    def test_a_plain_string_is_shown_as_written_and_a_text_in_its_language(self) -> None:
        assert in_language("no such thing", "zh") == "no such thing"
        text = Text("not found", "未找到")
        assert text == "not found"
        assert in_language(text, "zh") == "未找到"
        assert in_language(text, "en") == "not found"

    def test_the_catalogue_fills_both_languages_and_refuses_a_different_second_entry(self) -> None:
        register({"test_items_left": ("{n} items left", "还剩 {n} 项")})
        assert say("test_items_left", n=3).zh == "还剩 3 项"
        assert str(say("test_items_left", n=3)) == "3 items left"
        with pytest.raises(ValueError, match="already registered"):
            register({"test_items_left": ("{n} left", "剩 {n}")})


class TestProblemsInChinese:
    def test_a_bad_credit_code_in_chinese_with_the_same_loc_and_type(
        self, chinese_client: TestClient, client: TestClient
    ) -> None:
        body = enterprise_payload(credit_code="91430702MA4L0B2K31")
        zh = chinese_client.post("/api/v1/enterprises", json=body).json()
        en = client.post("/api/v1/enterprises", json=body).json()
        assert zh["title"] == "输入有误"
        assert en["title"] == "Invalid input"
        assert zh["errors"][0]["msg"] == "最后一位是校验码，应为“3”而不是“1”：可能有字符输错了"
        assert en["errors"][0]["msg"].startswith("the last character is the check character and should be '3'")
        assert [(e["loc"], e["type"]) for e in zh["errors"]] == [(e["loc"], e["type"]) for e in en["errors"]]
        assert zh["type"] == en["type"] == "/problems/validation-error"
        assert zh["detail"] == "credit_code：最后一位是校验码，应为“3”而不是“1”：可能有字符输错了"
        assert en["detail"].startswith("credit_code: the last character is the check character")

    def test_pydantic_messages_in_chinese(self, chinese_client: TestClient) -> None:
        response = chinese_client.post("/api/v1/enterprises", json={"name": "", "above_scale": "maybe"})
        messages = {tuple(e["loc"]): e["msg"] for e in response.json()["errors"]}
        assert messages[("body", "credit_code")] == "必填"
        assert messages[("body", "name")] == "不能为空"
        assert messages[("body", "above_scale")] == "应为 true 或 false"

    def test_a_demand_closed_without_a_reason(self, chinese_client: TestClient, client: TestClient) -> None:
        demand = create_demand(client, create_enterprise(client)["id"])
        url = f"/api/v1/demands/{demand['id']}/transitions"
        zh = chinese_client.post(url, json={"to": "closed"}).json()
        assert zh["errors"] == [{"loc": ["body", "reason"], "msg": "请说明诉求无法解决的原因", "type": "missing"}]
        en = client.post(url, json={"to": "closed"}).json()
        assert en["errors"][0]["msg"] == "say why the demand cannot be resolved"

    def test_authentication_and_preconditions(self, app: FastAPI, chinese_client: TestClient) -> None:
        anonymous = TestClient(app, raise_server_exceptions=False)
        assert anonymous.get("/api/v1/enterprises").json()["title"] == "需要登录"
        assert anonymous.get("/api/v1/enterprises", headers={"Accept-Language": "en"}).json()["title"] == (
            "Authentication required")
        firm = create_enterprise(chinese_client)
        response = chinese_client.patch(f"/api/v1/enterprises/{firm['id']}", json={"park": "高新区"})
        assert response.status_code == 428
        assert response.json()["detail"].startswith("请在 If-Match 请求头中发送记录的 ETag")


class TestLabelsNotCodes:
    def test_the_timeline_shows_a_demand_move_with_labels(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        demand = create_demand(client, firm["id"])
        client.post(f"/api/v1/demands/{demand['id']}/transitions", json={"to": "in_progress"})
        client.post(f"/api/v1/demands/{demand['id']}/transitions", json={"to": "resolved", "resolution": "已对接"})
        titles = [entry["title"] for entry in client.get(f"/api/v1/enterprises/{firm['id']}/timeline").json()["items"]]
        assert "诉求 办理中 → 已解决" in titles, titles
        assert not any("in_progress" in title for title in titles)


def test_a_past_token_expiry_in_chinese(chinese_client: TestClient, client: TestClient) -> None:
    body = {"name": "统计脚本", "expires_on": "2020-01-01"}
    zh = chinese_client.post("/api/v1/api-tokens", json=body).json()
    en = client.post("/api/v1/api-tokens", json=body).json()
    assert [e["msg"] for e in zh["errors"]] == ["到期日须晚于今天"]
    assert len(en["errors"]) == 1
    assert en["errors"][0]["msg"].endswith("the expiry date must be after today")
    assert [(e["loc"], e["type"]) for e in zh["errors"]] == [(e["loc"], e["type"]) for e in en["errors"]]


def test_a_firm_s_code_warnings_in_the_response_language(chinese_client: TestClient, client: TestClient) -> None:
    # 91430700MA4L1234XK passes the check character but not the GB 11714 organisation-code check.
    firm = create_enterprise(client, credit_code="91430700MA4L1234XK")
    zh = chinese_client.get(f"/api/v1/enterprises/{firm['id']}").json()["warnings"]
    en = client.get(f"/api/v1/enterprises/{firm['id']}").json()["warnings"]
    assert zh == ["第 9–17 位未通过 GB 11714 组织机构代码校验"]
    assert en == ["characters 9–17 fail the GB 11714 organisation-code check"]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("get", "/api/v1/enterprises?after=nonsense", None, "不是本接口的分页游标"),
        ("get", "/api/v1/reports/annual?year=2031", None, "2031 年没有任何记录"),
        ("get", "/api/v1/stats/summary?year=2025&as_of=1800-01-01", None, "截止日期应在 1900-01-01 至 2200-12-31 之间"),
        ("post", "/api/v1/auth/password", {"current_password": "not-this-one-at-all", "new_password": "Another-long-9"},
         "当前密码不正确"),
        ("post", "/api/v1/visits", {"enterprise_id": 1, "visited_on": "2999-01-01", "kind": "on_site",
                                    "summary": "走访"}, "日期不能晚于今天"),
    ],
)
def test_more_refusals_in_chinese(chinese_client: TestClient, method: str, path: str, body: Any, expected: str) -> None:
    response = getattr(chinese_client, method)(path, **({"json": body} if body is not None else {}))
    assert response.status_code == 422, response.text
    assert expected in response.json()["errors"][0]["msg"], response.text


def test_a_contact_s_phone_refused_in_chinese(chinese_client: TestClient) -> None:
    firm = create_enterprise(chinese_client)
    response = chinese_client.post(f"/api/v1/enterprises/{firm['id']}/contacts",
                                   json={"name": "王工", "phone": "7788123"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "座机号请加上区号，例如 0736-7788123"
