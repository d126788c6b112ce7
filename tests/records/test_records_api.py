"""Every record kind of the annual summary through the shared routes: create, read, change with If-Match,
archive and restore, with audit rows, the firm's timeline and the roles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import create_enterprise, if_match
from tests.records import factories


@dataclass(frozen=True)
class Kind:
    url: str
    entity_type: str
    make: Callable[[TestClient, int], dict[str, Any]]
    change: dict[str, Any]
    timeline_kind: str | None


KINDS = [
    Kind("/api/v1/technology-contracts", "technology_contract", lambda c, f: factories.contract(c, f),
         {"buyer": "湖南某新材料有限公司"}, "technology_contract"),
    Kind("/api/v1/innovation-platforms", "innovation_platform", lambda c, f: factories.platform(c, f),
         {"document_no": "湘科发〔2025〕12号"}, "innovation_platform"),
    Kind("/api/v1/cooperation-agreements", "cooperation_agreement", lambda c, f: factories.agreement(c, f),
         {"subject": "新型复合材料中试"}, "cooperation_agreement"),
    Kind("/api/v1/district-indicators", "district_indicator", lambda c, f: factories.indicator(c),
         {"value": "15000000000.00"}, None),
    Kind("/api/v1/yearly-targets", "yearly_target", lambda c, f: factories.target(c), {"target": "320"}, None),
    Kind("/api/v1/commissioners", "commissioner", lambda c, f: factories.commissioner(c, served_firm_ids=[f]),
         {"expertise": "水产养殖"}, None),
    Kind("/api/v1/commissioner-services", "commissioner_service",
         lambda c, f: factories.service(c, factories.commissioner(c)["id"], enterprise_id=f),
         {"headcount": 55}, "commissioner_service"),
]
IDS = [k.entity_type for k in KINDS]


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
class TestLifecycle:
    def test_create_read_change_archive_restore(self, client: TestClient, kind: Kind) -> None:
        firm = create_enterprise(client)
        record = kind.make(client, firm["id"])
        url = f"{kind.url}/{record['id']}"
        read = client.get(url)
        assert read.status_code == 200
        assert read.headers["ETag"] == '"1"'

        assert client.patch(url, json=kind.change).status_code == 428
        assert client.patch(url, json=kind.change, headers={"If-Match": '"9"'}).status_code == 412
        changed = client.patch(url, json=kind.change, headers=if_match(read.json()))
        assert changed.status_code == 200, changed.text
        field, value = next(iter(kind.change.items()))
        assert str(changed.json()[field]).rstrip("0").rstrip(".") == str(value).rstrip("0").rstrip(".")
        assert changed.headers["ETag"] == '"2"'

        assert client.delete(url, headers=if_match(changed.json())).status_code == 204
        assert record["id"] not in [r["id"] for r in client.get(kind.url).json()["items"]]
        assert record["id"] in [r["id"] for r in client.get(kind.url, params={"include_archived": True}
                                                            ).json()["items"]]
        assert client.patch(url, json=kind.change, headers={"If-Match": "*"}).status_code == 409
        restored = client.post(f"{url}/restore")
        assert restored.status_code == 200
        assert restored.json()["archived_at"] is None

        audit = client.get("/api/v1/audit", params={"entity_type": kind.entity_type, "entity_id": record["id"]})
        assert [e["action"] for e in audit.json()["items"]] == ["restore", "archive", "update", "create"]
        assert audit.json()["items"][1]["changes"]["archived_at"]["before"] is None

    def test_viewer_reads_but_cannot_write(self, client: TestClient, viewer_client: TestClient, kind: Kind) -> None:
        record = kind.make(client, create_enterprise(client)["id"])
        assert viewer_client.get(f"{kind.url}/{record['id']}").status_code == 200
        assert viewer_client.get(kind.url).json()["total"] >= 1
        assert viewer_client.delete(f"{kind.url}/{record['id']}", headers={"If-Match": "*"}).status_code == 403

    def test_unknown_id_is_404_and_unknown_field_422(self, client: TestClient, kind: Kind) -> None:
        assert client.get(f"{kind.url}/999999").status_code == 404
        response = client.post(kind.url, json={"no_such_field": 1})
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")

    def test_idempotency_key_replays_the_first_response(self, client: TestClient, kind: Kind) -> None:
        firm = create_enterprise(client)
        record = kind.make(client, firm["id"])
        body = client.get(f"{kind.url}/{record['id']}").json()
        # A second identical POST would clash on kinds with a natural key: replay must not reach the service.
        payload = {k: v for k, v in body.items() if k not in {"id", "version", "created_at", "updated_at",
                                                               "archived_at", "created_by", "unit", "failed_on"}}
        client.delete(f"{kind.url}/{record['id']}", headers=if_match(body))
        if kind.entity_type in ("technology_contract",):
            payload["registration_no"] += "X"
        first = client.post(kind.url, json=payload, headers={"Idempotency-Key": f"k-{kind.entity_type}"})
        again = client.post(kind.url, json=payload, headers={"Idempotency-Key": f"k-{kind.entity_type}"})
        assert first.status_code == 201, first.text
        assert again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert again.headers.get("Idempotent-Replayed") == "true"


@pytest.mark.parametrize("kind", [k for k in KINDS if k.timeline_kind], ids=[k.entity_type for k in KINDS
                                                                             if k.timeline_kind])
def test_firm_timeline_shows_the_record(client: TestClient, kind: Kind) -> None:
    firm = create_enterprise(client)
    record = kind.make(client, firm["id"])
    entries = client.get(f"/api/v1/enterprises/{firm['id']}/timeline", params={"limit": 50}).json()["items"]
    assert (kind.timeline_kind, record["id"]) in [(e["kind"], e["entity_id"]) for e in entries]


class TestRules:
    def test_technology_amount_cannot_exceed_contract_amount(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post("/api/v1/technology-contracts", json={
            "registration_no": "R-1", "contract_type": "service", "enterprise_id": firm["id"], "buyer": "某公司",
            "contract_amount": "100.00", "technology_amount": "100.01", "registered_on": "2025-01-01"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "technology_amount"]

    def test_registration_number_is_unique_and_names_the_archived_holder(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        first = factories.contract(client, firm["id"], registration_no="2025430702000999")
        client.delete(f"/api/v1/technology-contracts/{first['id']}", headers=if_match(first))
        response = client.post("/api/v1/technology-contracts", json={
            "registration_no": "2025430702000999", "contract_type": "service", "enterprise_id": firm["id"],
            "buyer": "某公司", "contract_amount": "1.00", "technology_amount": "1.00", "registered_on": "2025-01-01"})
        assert response.status_code == 409
        assert "archived" in response.json()["detail"]

    def test_contract_of_an_unknown_firm_is_422_on_the_field(self, client: TestClient) -> None:
        response = client.post("/api/v1/technology-contracts", json={
            "registration_no": "R-2", "contract_type": "service", "enterprise_id": 999999, "buyer": "某公司",
            "contract_amount": "1.00", "technology_amount": "1.00", "registered_on": "2025-01-01"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "enterprise_id"]

    def test_one_live_indicator_per_year(self, client: TestClient) -> None:
        factories.indicator(client, year=2024)
        assert client.post("/api/v1/district-indicators", json={
            "year": 2024, "indicator": "high_tech_value_added", "value": "1.00", "source": "统计局"}).status_code == 409
        rate = factories.indicator(client, year=2024, indicator="rd_intensity", value="2.35")
        assert rate["unit"] == "percent"
        assert client.post("/api/v1/district-indicators", json={
            "year": 2023, "indicator": "rd_intensity", "value": "100.01", "source": "统计局"}).status_code == 422

    def test_only_admins_set_targets(self, staff_client: TestClient, client: TestClient) -> None:
        response = staff_client.post("/api/v1/yearly-targets", json={"year": 2025, "indicator": "firms_visited",
                                                                     "target": "200"})
        assert response.status_code == 403
        made = factories.target(client, indicator="firms_visited", target="200")
        assert made["unit"] == "firms"
        assert staff_client.get(f"/api/v1/yearly-targets/{made['id']}").status_code == 200

    def test_platform_needs_a_host(self, client: TestClient) -> None:
        response = client.post("/api/v1/innovation-platforms", json={
            "name": "某星创天地", "kind": "star_maker", "level": "municipal", "recognised_on": "2025-01-01"})
        assert response.status_code == 422
        hosted = factories.platform(client, None, kind="star_maker", host_institution="河洑镇农业合作社")
        assert hosted["enterprise_id"] is None

    def test_service_of_an_unknown_commissioner_and_area_without_base(self, client: TestClient) -> None:
        response = client.post("/api/v1/commissioner-services", json={
            "commissioner_id": 999999, "kind": "training", "served_on": "2025-01-01", "place": "某村"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "commissioner_id"]
        person = factories.commissioner(client)
        response = client.post("/api/v1/commissioner-services", json={
            "commissioner_id": person["id"], "kind": "field_guidance", "served_on": "2025-01-01", "place": "某村",
            "demonstration_area_mu": "120.5"})
        assert response.status_code == 422

    def test_filters(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        factories.contract(client, firm["id"], contract_type="transfer", registered_on="2024-12-31")
        factories.contract(client, firm["id"], contract_type="service", registered_on="2025-01-01")
        listed = client.get("/api/v1/technology-contracts", params={
            "enterprise_id": firm["id"], "registered_from": "2025-01-01"}).json()
        assert [c["contract_type"] for c in listed["items"]] == ["service"]
        assert client.get("/api/v1/technology-contracts", params={"sort": "buyer"}).status_code == 422


class TestProvincialRdPlatform:
    def test_standing_on_a_date(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        other = create_enterprise(client)
        centre = factories.platform(client, firm["id"], recognised_on="2023-06-01", evaluations=[
            {"evaluated_on": "2024-06-01", "result": "passed"}, {"evaluated_on": "2025-06-01", "result": "failed"}])
        factories.platform(client, other["id"], level="municipal")
        factories.platform(client, other["id"], kind="incubator", level="national")

        def held(firm_id: int, on: str) -> dict[str, Any]:
            response = client.get("/api/v1/innovation-platforms/provincial-rd-held",
                                  params={"enterprise_id": firm_id, "on": on})
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        assert held(firm["id"], "2023-05-31")["holds"] is False
        assert held(firm["id"], "2025-05-31") == {"enterprise_id": firm["id"], "on": "2025-05-31", "holds": True,
                                                  "platform_ids": [centre["id"]]}
        assert held(firm["id"], "2025-06-01")["holds"] is False  # failed its evaluation that day
        # A municipal R&D centre and a national incubator are not provincial R&D institutions.
        assert held(other["id"], "2025-12-31")["holds"] is False
        listed = client.get("/api/v1/innovation-platforms", params={"valid_on": "2025-05-31",
                                                                    "enterprise_id": firm["id"]}).json()
        assert [p["id"] for p in listed["items"]] == [centre["id"]]
        unknown = client.get("/api/v1/innovation-platforms/provincial-rd-held",
                             params={"enterprise_id": 999999, "on": "2025-01-01"})
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["loc"] == ["query", "enterprise_id"]
