from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import create_enterprise, if_match
from tests.visits.factories import create_event, create_policy, create_visit, days_ago, policy_payload

URL = "/api/v1/policies"


class TestPolicyCatalog:
    def test_create_read_and_every_field_round_trips(self, client: TestClient) -> None:
        payload = policy_payload(
            title="高新技术企业减按15%税率征收企业所得税", issuer="全国人民代表大会",
            document_no="企业所得税法第二十八条",
            effective_from="2008-01-01", summary="国家需要重点扶持的高新技术企业，减按15%的税率征收企业所得税。",
            url="https://www.gov.cn/flfg/2007-03/19/content_554243.htm",
        )
        response = client.post(URL, json=payload)
        assert response.status_code == 201, response.text
        policy = response.json()
        assert response.headers["location"] == f"{URL}/{policy['id']}"
        got = client.get(f"{URL}/{policy['id']}").json()
        for field in ("title", "issuer", "document_no", "effective_from", "summary", "url"):
            assert got[field] == payload[field]
        assert got["effective_to"] is None

    def test_field_rules(self, client: TestClient) -> None:
        bad = client.post(URL, json=policy_payload(category="money", level="village", url="ftp://x", title=""))
        assert bad.status_code == 422
        assert {e["loc"][-1] for e in bad.json()["errors"]} == {"category", "level", "url", "title"}
        reversed_dates = client.post(URL, json=policy_payload(effective_from="2024-01-01", effective_to="2023-12-31"))
        assert reversed_dates.status_code == 422
        assert reversed_dates.json()["errors"][0]["loc"] == ["body", "effective_to"]

    def test_patch_checks_dates_against_stored_ones(self, client: TestClient) -> None:
        policy = create_policy(client, effective_from="2024-01-01")
        url = f"{URL}/{policy['id']}"
        assert client.patch(url, json={"effective_to": "2023-01-01"}, headers=if_match(policy)).status_code == 422
        ok = client.patch(url, json={"effective_to": "2027-12-31"}, headers=if_match(policy))
        assert ok.status_code == 200
        assert ok.json()["version"] == 2

    def test_archive_and_restore(self, client: TestClient) -> None:
        policy = create_policy(client)
        url = f"{URL}/{policy['id']}"
        assert client.delete(url, headers=if_match(policy)).status_code == 204
        assert policy["id"] not in [p["id"] for p in client.get(URL).json()["items"]]
        assert client.post(f"{url}/restore").json()["archived_at"] is None
        assert policy["id"] in [p["id"] for p in client.get(URL).json()["items"]]


class TestPolicyFilters:
    def test_filters_narrow(self, client: TestClient) -> None:
        tax = create_policy(client, title="研发费用加计扣除", document_no="财税〔2023〕7号",
                            effective_from="2023-01-01")
        loan = create_policy(client, title="科技贷款风险补偿", category="finance", level="municipal",
                             effective_from="2020-01-01", effective_to="2022-12-31")
        old = create_policy(client, title="专利资助办法", category="ip", level="district", effective_from="2015-01-01")

        def ids(**params: object) -> list[int]:
            response = client.get(URL, params=params)
            assert response.status_code == 200, response.text
            return [p["id"] for p in response.json()["items"]]

        assert ids() == [tax["id"], loan["id"], old["id"]]
        assert ids(q="2023〕7") == [tax["id"]]
        assert ids(q="风险") == [loan["id"]]
        assert ids(q="100%") == []
        assert ids(category=["finance", "ip"], sort="-id") == [old["id"], loan["id"]]
        assert ids(level="district") == [old["id"]]
        assert ids(in_force_on="2021-06-01") == [loan["id"], old["id"]]
        assert ids(in_force_on="2024-06-01") == [tax["id"], old["id"]]


class TestPolicyReach:
    def test_firms_heard_through_visits_and_events_newest_first(self, client: TestClient) -> None:
        policy = create_policy(client)
        other = create_policy(client)
        a, b, c = (create_enterprise(client) for _ in range(3))
        visit_a = create_visit(client, a["id"], visited_on=days_ago(20), policy_ids=[policy["id"]], purpose="政策宣讲")
        create_visit(client, c["id"], visited_on=days_ago(1), policy_ids=[other["id"]])
        event = create_event(client, held_on=days_ago(5), policy_ids=[policy["id"], other["id"]],
                             attendance=[{"enterprise_id": a["id"], "attendee_count": 2},
                                         {"enterprise_id": b["id"]}])
        response = client.get(f"{URL}/{policy['id']}/reach")
        assert response.status_code == 200, response.text
        reach = response.json()
        assert reach["total"] == 2
        assert [f["enterprise_id"] for f in reach["items"]] == sorted([a["id"], b["id"]], reverse=True)
        firm_a = next(f for f in reach["items"] if f["enterprise_id"] == a["id"])
        assert firm_a["enterprise_name"] == a["name"]
        assert firm_a["first_heard_on"] == days_ago(20)
        assert firm_a["last_heard_on"] == days_ago(5)
        assert [(t["via"], t["id"], t["on"]) for t in firm_a["touches"]] == [
            ("event", event["id"], days_ago(5)), ("visit", visit_a["id"], days_ago(20))]
        assert firm_a["touches"][1]["title"] == "政策宣讲"

    def test_date_window_and_paging(self, client: TestClient) -> None:
        policy = create_policy(client)
        early, late = create_enterprise(client), create_enterprise(client)
        create_visit(client, early["id"], visited_on=days_ago(40), policy_ids=[policy["id"]])
        create_visit(client, late["id"], visited_on=days_ago(2), policy_ids=[policy["id"]])
        url = f"{URL}/{policy['id']}/reach"
        recent = client.get(url, params={"since": days_ago(10)}).json()
        assert [f["enterprise_id"] for f in recent["items"]] == [late["id"]]
        before = client.get(url, params={"until": days_ago(10)}).json()
        assert [f["enterprise_id"] for f in before["items"]] == [early["id"]]
        second = client.get(url, params={"limit": 1, "offset": 1}).json()
        assert second["total"] == 2
        assert [f["enterprise_id"] for f in second["items"]] == [early["id"]]

    def test_archived_visits_do_not_count(self, client: TestClient) -> None:
        policy = create_policy(client)
        visit = create_visit(client, create_enterprise(client)["id"], policy_ids=[policy["id"]])
        client.delete(f"/api/v1/visits/{visit['id']}", headers=if_match(visit))
        assert client.get(f"{URL}/{policy['id']}/reach").json()["total"] == 0

    def test_unknown_policy_is_404(self, client: TestClient) -> None:
        assert client.get(f"{URL}/999999/reach").status_code == 404


class TestOddQueries:
    def test_control_characters_and_extreme_instants_are_not_a_500(self, client: TestClient) -> None:
        assert client.get(URL, params={"q": "研发\x00"}).status_code == 422
        early = client.get(URL, params={"updated_since": "0001-01-01T00:00:00+05:00"})
        assert early.status_code == 200
        late = client.get("/api/v1/visits", params={"updated_since": "9999-12-31T23:59:59-05:00"})
        assert late.status_code == 200
