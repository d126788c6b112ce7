"""The firm list: every filter, every sort field, pagination totals, and search by name or credit code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.roles import Role
from tests.conftest import Account
from tests.factories import create_enterprise, credit_code, if_match

URL = "/api/v1/enterprises"


def ids(client: TestClient, **params: Any) -> list[int]:
    response = client.get(URL, params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def firms(client: TestClient, accounts: dict[Role, Account]) -> dict[str, dict[str, Any]]:
    """Four firms that differ in every filterable field."""
    staff = accounts[Role.staff].user_id
    return {
        "chip": create_enterprise(
            client, name="常德芯片科技有限公司", credit_code=credit_code("91430702"), district="丹阳街道",
            park="常德高新区", industry="C", tech_domain="electronic_information", above_scale=True,
            owner_id=staff, tags=["专精特新", "瞪羚"], status="active", registered_on="2015-03-01",
        ),
        "soft": create_enterprise(
            client, name="湖南软件信息服务公司", credit_code=credit_code("91430703"), district="武陵镇",
            park="常德经开区", industry="I", tech_domain="high_tech_services", above_scale=False,
            tags=["瞪羚"], status="active", registered_on="2019-07-15",
        ),
        "farm": create_enterprise(
            client, name="桃源县生态农业合作社", credit_code=credit_code("93430725"), district="漳江镇",
            industry="A", status="moved_out", registered_on="2008-01-20",
        ),
        "mine": create_enterprise(
            client, name="石门矿业有限责任公司", credit_code=credit_code("91430726"), district="丹阳街道",
            industry="B", tech_domain="new_materials", owner_id=staff, status="closed",
        ),
    }


class TestFilters:
    @pytest.mark.parametrize(("params", "expected"), [
        ({"district": "丹阳街道"}, {"chip", "mine"}),
        ({"district": ["武陵镇", "漳江镇"]}, {"soft", "farm"}),
        ({"park": "常德高新区"}, {"chip"}),
        ({"park": ["常德高新区", "常德经开区"]}, {"chip", "soft"}),
        ({"industry": "C"}, {"chip"}),
        ({"industry": ["A", "B"]}, {"farm", "mine"}),
        ({"tech_domain": "high_tech_services"}, {"soft"}),
        ({"tech_domain": ["electronic_information", "new_materials"]}, {"chip", "mine"}),
        ({"above_scale": "true"}, {"chip"}),
        ({"above_scale": "false"}, {"soft", "farm", "mine"}),
        ({"tag": "瞪羚"}, {"chip", "soft"}),
        ({"tag": ["专精特新", "不存在"]}, {"chip"}),
        ({"status": "active"}, {"chip", "soft"}),
        ({"status": ["moved_out", "closed"]}, {"farm", "mine"}),
        ({"district": "丹阳街道", "status": "active"}, {"chip"}),
        ({"tag": "瞪羚", "industry": "I"}, {"soft"}),
    ])
    def test_filter(self, client: TestClient, firms: dict[str, dict[str, Any]], params: dict[str, Any],
                    expected: set[str]) -> None:
        assert set(ids(client, **params)) == {firms[name]["id"] for name in expected}

    def test_owner(self, client: TestClient, firms: dict[str, dict[str, Any]], accounts: dict[Role, Account]) -> None:
        assert set(ids(client, owner_id=accounts[Role.staff].user_id)) == {firms["chip"]["id"], firms["mine"]["id"]}
        assert ids(client, owner_id=accounts[Role.viewer].user_id) == []

    def test_unknown_enum_value_in_a_filter_is_422(self, client: TestClient) -> None:
        response = client.get(URL, params={"industry": "Z"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"][:2] == ["query", "industry"]


class TestUpdatedSince:
    def test_only_rows_changed_at_or_after_the_instant(self, client: TestClient,
                                                       firms: dict[str, dict[str, Any]]) -> None:
        soft = firms["soft"]
        changed = client.patch(f"{URL}/{soft['id']}", json={"notes": "走访后更新"}, headers=if_match(soft)).json()
        assert ids(client, updated_since=changed["updated_at"]) == [soft["id"]]
        before_all = min(f["created_at"] for f in firms.values())
        assert set(ids(client, updated_since=before_all)) == {f["id"] for f in firms.values()}

    def test_an_offset_is_honoured(self, client: TestClient, firms: dict[str, dict[str, Any]]) -> None:
        later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
        in_shanghai = later.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat()
        assert ids(client, updated_since=in_shanghai) == []
        earlier = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(tzinfo=None).isoformat()
        assert len(ids(client, updated_since=earlier)) == 4

    def test_archivals_show_with_include_archived(self, client: TestClient, firms: dict[str, dict[str, Any]]) -> None:
        farm = firms["farm"]
        client.delete(f"{URL}/{farm['id']}", headers=if_match(farm))
        since = client.get(f"{URL}/{farm['id']}").json()["updated_at"]
        assert ids(client, updated_since=since) == []
        assert ids(client, updated_since=since, include_archived="true") == [farm["id"]]

    @pytest.mark.parametrize("moment", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+05:00", "yesterday"])
    def test_instants_beyond_the_calendar_are_422(self, client: TestClient, moment: str) -> None:
        response = client.get(URL, params={"updated_since": moment})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "updated_since"]


class TestIncludeArchived:
    def test_hidden_by_default(self, client: TestClient, firms: dict[str, dict[str, Any]]) -> None:
        mine = firms["mine"]
        client.delete(f"{URL}/{mine['id']}", headers=if_match(mine))
        assert mine["id"] not in ids(client)
        assert mine["id"] in ids(client, include_archived="true")
        assert ids(client, include_archived="true", district="丹阳街道") == [firms["chip"]["id"], mine["id"]]


class TestSearch:
    def test_chinese_substring_of_the_name(self, client: TestClient, firms: dict[str, dict[str, Any]]) -> None:
        assert ids(client, q="软件") == [firms["soft"]["id"]]
        assert set(ids(client, q="有限")) == {firms["chip"]["id"], firms["mine"]["id"]}

    def test_spaces_in_the_query_are_collapsed(self, client: TestClient, firms: dict[str, dict[str, Any]]) -> None:
        assert ids(client, q="  芯片科技 ") == [firms["chip"]["id"]]

    def test_credit_code_prefix(self, client: TestClient, firms: dict[str, dict[str, Any]]) -> None:
        code = firms["farm"]["credit_code"]
        assert ids(client, q=code[:10]) == [firms["farm"]["id"]]
        assert ids(client, q=code.lower()) == [firms["farm"]["id"]]
        assert ids(client, q=f"{code[:4]}-{code[4:10]}") == [firms["farm"]["id"]]
        assert set(ids(client, q="9143")) == {firms["chip"]["id"], firms["soft"]["id"], firms["mine"]["id"]}

    def test_the_middle_of_a_credit_code_does_not_match(self, client: TestClient,
                                                        firms: dict[str, dict[str, Any]]) -> None:
        assert ids(client, q=firms["chip"]["credit_code"][2:12]) == []

    @pytest.mark.parametrize("q", ["%", "_", "\\", "%科技", "芯片_", "--", "_%"])
    def test_like_wildcards_are_literal(self, client: TestClient, firms: dict[str, dict[str, Any]], q: str) -> None:
        assert ids(client, q=q) == []

    def test_wildcard_characters_match_themselves(self, client: TestClient) -> None:
        percent = create_enterprise(client, name="百分之100%达标公司")
        underscore = create_enterprise(client, name="A_B科技公司")
        create_enterprise(client, name="AXB科技公司")
        assert ids(client, q="100%") == [percent["id"]]
        assert ids(client, q="A_B") == [underscore["id"]]

    def test_blank_query_matches_everything(self, client: TestClient, firms: dict[str, dict[str, Any]]) -> None:
        assert len(ids(client, q="   ")) == 4


class TestSort:
    @pytest.fixture
    def sortable(self, client: TestClient) -> list[dict[str, Any]]:
        """Three firms whose order is the same by every sort field (creation order)."""
        made = []
        for n, code in enumerate(["91430702", "91430703", "91430721"], start=1):
            made.append(create_enterprise(
                client, name=f"常德排序测试{n}号公司", credit_code=credit_code(code), district=f"{n}号街道",
                registered_on=f"201{n}-01-01",
            ))
        for firm in made:
            client.patch(f"{URL}/{firm['id']}", json={"notes": "touch"}, headers=if_match(firm))
        return made

    @pytest.mark.parametrize("field", ["id", "name", "credit_code", "district", "registered_on", "created_at",
                                       "updated_at"])
    def test_ascending_and_descending(self, client: TestClient, sortable: list[dict[str, Any]], field: str) -> None:
        expected = [firm["id"] for firm in sortable]
        assert ids(client, sort=field, q="排序测试") == expected
        assert ids(client, sort=f"-{field}", q="排序测试") == expected[::-1]

    def test_several_fields(self, client: TestClient) -> None:
        a = create_enterprise(client, name="排序甲", district="1号街道")
        b = create_enterprise(client, name="排序乙", district="2号街道")
        c = create_enterprise(client, name="排序丙", district="1号街道")
        assert ids(client, sort="district,-id", q="排序") == [c["id"], a["id"], b["id"]]
        assert ids(client, sort="-district, id", q="排序") == [b["id"], a["id"], c["id"]]

    def test_default_is_by_id(self, client: TestClient, sortable: list[dict[str, Any]]) -> None:
        assert ids(client, q="排序测试") == [firm["id"] for firm in sortable]

    def test_unknown_field_is_422_naming_the_allowed_ones(self, client: TestClient) -> None:
        response = client.get(URL, params={"sort": "name,-password"})
        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert error["loc"] == ["query", "sort"]
        assert "credit_code" in error["msg"]


class TestPagination:
    def test_pages_cover_the_rows_once_with_the_same_total(self, client: TestClient) -> None:
        made = [create_enterprise(client, name=f"分页公司{n}")["id"] for n in range(7)]
        seen: list[int] = []
        for offset in (0, 3, 6):
            page = client.get(URL, params={"q": "分页公司", "limit": 3, "offset": offset}).json()
            assert (page["total"], page["limit"], page["offset"]) == (7, 3, offset)
            seen.extend(item["id"] for item in page["items"])
        assert seen == made

    def test_past_the_end_is_empty_with_the_total(self, client: TestClient) -> None:
        create_enterprise(client, name="分页公司X")
        page = client.get(URL, params={"q": "分页公司", "offset": 50}).json()
        assert page["items"] == []
        assert page["total"] == 1

    def test_default_limit_is_50(self, client: TestClient) -> None:
        assert client.get(URL).json()["limit"] == 50

    @pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}])
    def test_out_of_range_is_422(self, client: TestClient, params: dict[str, Any]) -> None:
        response = client.get(URL, params=params)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", next(iter(params))]
