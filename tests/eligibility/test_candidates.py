"""GET /api/v1/cultivation/candidates: the pool of firms not yet holding a status, ranked on a known set."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.eligibility import service
from app.fields import business_today
from tests.eligibility.builders import put_figures
from tests.factories import create_enterprise, if_match
from tests.pipeline.helpers import application_at, move

URL = "/api/v1/cultivation/candidates"
YEAR = business_today().year


def _firm(client: TestClient, **overrides: Any) -> dict[str, Any]:
    """Registered 2015, in manufacturing: every high-tech and tech-SME condition passes on the builders' figures."""
    firm = create_enterprise(client, registered_on="2015-03-01", industry="C", industry_code="39",
                             tech_domain="electronic_information", **overrides)
    for year in range(YEAR - 3, YEAR):
        put_figures(client, firm["id"], year)
    return firm


def _pool(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestRanking:
    def test_closest_first_with_blockers_and_gaps(self, client: TestClient) -> None:
        empty = create_enterprise(client, name="长沙空白数据科技有限公司")
        short = _firm(client)
        put_figures(client, short["id"], YEAR - 1, tech_staff=8)
        ready = _firm(client, name="长沙就绪智能科技有限公司", park="高新区")
        page = _pool(client, program="high_tech")
        assert [c["enterprise_id"] for c in page["items"]] == [ready["id"], short["id"], empty["id"]]
        assert page["total"] == 3
        first = page["items"][0]
        assert first["rank"] == 1
        assert first["failing_count"] == 0
        assert first["blocking"] == []
        assert first["firm"] == {"id": ready["id"], "name": "长沙就绪智能科技有限公司",
                                 "credit_code": ready["credit_code"], "district": ready["district"],
                                 "park": "高新区", "owner_id": None}
        second = page["items"][1]
        assert second["failing_count"] == 1
        assert [b["code"] for b in second["blocking"]] == ["tech_staff_share"]
        assert second["blocking"][0]["gap"] is not None
        assert page["items"][2]["unknown_count"] > 0

    def test_pages(self, client: TestClient) -> None:
        firms = [_firm(client) for _ in range(3)]
        page = _pool(client, program="tech_sme", limit=2, offset=1)
        assert page["total"] == 3
        assert page["limit"] == 2
        assert page["offset"] == 1
        assert [c["enterprise_id"] for c in page["items"]] == [firms[1]["id"], firms[2]["id"]]
        assert [c["rank"] for c in page["items"]] == [2, 3]


class TestWhoIsInThePool:
    def test_holders_of_the_status_are_left_out(self, client: TestClient) -> None:
        holder, other = _firm(client), _firm(client)
        sme = application_at(client, "tech_sme", "submitted", enterprise_id=holder["id"], year=YEAR,
                             on=business_today().isoformat())
        assert move(client, sme, "registered", reference_no=f"{YEAR}430702000001").status_code == 201
        assert [c["enterprise_id"] for c in _pool(client, program="tech_sme")["items"]] == [other["id"]]
        assert [c["enterprise_id"] for c in _pool(client, program="tech_sme", year=YEAR + 1)["items"]] == [
            holder["id"], other["id"]]
        assert _pool(client, program="high_tech")["total"] == 2

    def test_archived_and_inactive_firms_are_left_out(self, client: TestClient) -> None:
        kept, archived, closed = _firm(client), _firm(client), _firm(client)
        assert client.delete(f"/api/v1/enterprises/{archived['id']}", headers=if_match(archived)).status_code == 204
        moved = client.patch(f"/api/v1/enterprises/{closed['id']}", json={"status": "closed"}, headers=if_match(closed))
        assert moved.status_code == 200, moved.text
        assert [c["enterprise_id"] for c in _pool(client, program="high_tech")["items"]] == [kept["id"]]


class TestFilters:
    def test_district_park_and_owner(self, client: TestClient, accounts: Any) -> None:
        staff_id = next(a.user_id for role, a in accounts.items() if role.value == "staff")
        north = _firm(client, district="芙蓉街道", park="高新区")
        south = _firm(client, district="丹阳街道", owner_id=staff_id)
        assert [c["enterprise_id"] for c in _pool(client, program="high_tech", district="芙蓉街道")["items"]] == [
            north["id"]]
        assert [c["enterprise_id"] for c in _pool(client, program="high_tech", park="高新区")["items"]] == [north["id"]]
        assert [c["enterprise_id"] for c in _pool(client, program="high_tech", owner_id=staff_id)["items"]] == [
            south["id"]]

    def test_unknown_program_is_422(self, client: TestClient) -> None:
        assert client.get(URL, params={"program": "rd_subsidy"}).status_code == 422
        assert client.get(URL).status_code == 422

    def test_viewer_may_read(self, viewer_client: TestClient) -> None:
        assert viewer_client.get(URL, params={"program": "tech_sme"}).status_code == 200


class TestKeptRanking:
    """The ranked pool is kept between requests while the records it was computed from are unchanged."""

    def _counting(self, monkeypatch: pytest.MonkeyPatch) -> list[int]:
        calls: list[int] = []
        rank = service.rank_pool

        def counted(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            return rank(*args, **kwargs)

        monkeypatch.setattr(service, "rank_pool", counted)
        return calls

    def test_the_next_page_is_not_ranked_again(self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        calls = self._counting(monkeypatch)
        firms = [_firm(client) for _ in range(3)]
        first = _pool(client, program="tech_sme", limit=2)
        second = _pool(client, program="tech_sme", limit=2, offset=2)
        assert [c["enterprise_id"] for c in first["items"] + second["items"]] == [f["id"] for f in firms]
        assert len(calls) == 1

    def test_a_changed_figure_ranks_again(self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        calls = self._counting(monkeypatch)
        leader, other = _firm(client), _firm(client)
        assert [c["enterprise_id"] for c in _pool(client, program="high_tech")["items"]] == [leader["id"], other["id"]]
        put_figures(client, leader["id"], YEAR - 1, tech_staff=8)  # now short of tech staff
        assert [c["enterprise_id"] for c in _pool(client, program="high_tech")["items"]] == [other["id"], leader["id"]]
        assert len(calls) == 2

    def test_an_archived_firm_leaves_the_kept_pool(self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        calls = self._counting(monkeypatch)
        firm, kept = _firm(client), _firm(client)
        assert _pool(client, program="tech_sme")["total"] == 2
        client.delete(f"/api/v1/enterprises/{firm['id']}", headers=if_match(firm))
        page = _pool(client, program="tech_sme")
        assert [c["enterprise_id"] for c in page["items"]] == [kept["id"]]
        assert len(calls) == 2
