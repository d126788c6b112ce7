from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import create_enterprise, if_match
from tests.visits.factories import create_event, create_policy, days_ago, event_payload

URL = "/api/v1/publicity-events"



def _counts(attendance: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attendance without the firm each row names."""
    return [{"enterprise_id": row["enterprise_id"], "attendee_count": row["attendee_count"]} for row in attendance]

class TestRecordEvent:
    def test_event_with_policies_and_attendance(self, client: TestClient) -> None:
        firm_a, firm_b = create_enterprise(client), create_enterprise(client)
        policy = create_policy(client)
        event = create_event(client, location="武陵区科技局三楼会议室", organizer="区科技局", headcount=40,
                             materials_distributed=120, policy_ids=[policy["id"]], notes="现场答疑30分钟",
                             attendance=[{"enterprise_id": firm_b["id"], "attendee_count": 3},
                                         {"enterprise_id": firm_a["id"]}])
        got = client.get(f"{URL}/{event['id']}").json()
        assert got["policy_ids"] == [policy["id"]]
        assert _counts(got["attendance"]) == sorted([{"enterprise_id": firm_a["id"], "attendee_count": 1},
                                            {"enterprise_id": firm_b["id"], "attendee_count": 3}],
                                           key=lambda r: r["enterprise_id"])
        assert got["headcount"] == 40
        assert got["materials_distributed"] == 120

    def test_headcount_must_cover_the_firms_attendees(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json=event_payload(headcount=2,
                                                       attendance=[{"enterprise_id": firm["id"], "attendee_count": 5}]))
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "headcount"]

    def test_attendance_rules(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        twice = client.post(URL, json=event_payload(attendance=[{"enterprise_id": firm["id"]},
                                                                {"enterprise_id": firm["id"]}]))
        assert twice.json()["errors"][0]["loc"] == ["body", "attendance", 1, "enterprise_id"]
        unknown = client.post(URL, json=event_payload(attendance=[{"enterprise_id": 999_999}]))
        assert unknown.json()["errors"][0]["loc"] == ["body", "attendance", 0, "enterprise_id"]
        zero = client.post(URL, json=event_payload(attendance=[{"enterprise_id": firm["id"], "attendee_count": 0}]))
        assert zero.status_code == 422

    def test_future_date_unknown_kind_and_policy(self, client: TestClient) -> None:
        response = client.post(URL, json=event_payload(held_on=days_ago(-1), kind="party"))
        assert {e["loc"][-1] for e in response.json()["errors"]} == {"held_on", "kind"}
        unknown = client.post(URL, json=event_payload(policy_ids=[999_999]))
        assert unknown.json()["errors"][0]["loc"] == ["body", "policy_ids", 0]


class TestEditEvent:
    def test_patch_replaces_attendance(self, client: TestClient) -> None:
        a, b, c = (create_enterprise(client) for _ in range(3))
        event = create_event(client, attendance=[{"enterprise_id": a["id"]}, {"enterprise_id": b["id"]}])
        url = f"{URL}/{event['id']}"
        body = {"attendance": [{"enterprise_id": b["id"], "attendee_count": 4}, {"enterprise_id": c["id"]}]}
        assert client.patch(url, json=body).status_code == 428
        ok = client.patch(url, json=body, headers=if_match(event))
        assert ok.status_code == 200, ok.text
        assert _counts(ok.json()["attendance"]) == [{"enterprise_id": b["id"], "attendee_count": 4},
                                           {"enterprise_id": c["id"], "attendee_count": 1}]
        assert ok.json()["version"] == 2

    def test_lower_headcount_checked_against_stored_attendance(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        event = create_event(client, headcount=10, attendance=[{"enterprise_id": firm["id"], "attendee_count": 6}])
        response = client.patch(f"{URL}/{event['id']}", json={"headcount": 5}, headers=if_match(event))
        assert response.status_code == 422

    def test_archive_restore_and_filters(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        policy = create_policy(client)
        old = create_event(client, held_on=days_ago(60), kind="training", title="研发费用归集培训")
        new = create_event(client, held_on=days_ago(2), policy_ids=[policy["id"]],
                           attendance=[{"enterprise_id": firm["id"]}])

        def ids(**params: object) -> list[int]:
            response = client.get(URL, params=params)
            assert response.status_code == 200, response.text
            return [e["id"] for e in response.json()["items"]]

        assert ids() == [new["id"], old["id"]]
        assert ids(kind="training") == [old["id"]]
        assert ids(q="归集") == [old["id"]]
        assert ids(held_from=days_ago(10)) == [new["id"]]
        assert ids(held_to=days_ago(10)) == [old["id"]]
        assert ids(policy_id=policy["id"]) == [new["id"]]
        assert ids(enterprise_id=firm["id"]) == [new["id"]]
        assert client.delete(f"{URL}/{old['id']}", headers=if_match(old)).status_code == 204
        assert ids() == [new["id"]]
        assert client.post(f"{URL}/{old['id']}/restore").status_code == 200
        assert ids(sort="held_on") == [old["id"], new["id"]]
