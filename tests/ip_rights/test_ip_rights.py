"""The IP ledger under /enterprises/{id}/ip-rights, and the rules reading it: a class Ⅱ item counts for one
high-tech application only (工作指引: "按Ⅱ类评价的知识产权在申请高新技术企业时，仅限使用一次")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.fields import business_today
from tests.eligibility.builders import put_figures
from tests.factories import create_enterprise, if_match
from tests.pipeline.helpers import application_at, create_application

TODAY = business_today()
LAST_YEAR = TODAY.year - 1


def url(firm: dict[str, Any], item: dict[str, Any] | None = None) -> str:
    base = f"/api/v1/enterprises/{firm['id']}/ip-rights"
    return f"{base}/{item['id']}" if item else base


def add(client: TestClient, firm: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    payload = {"number": f"ZL2021{len(client.get(url(firm)).json()):07d}.X", "kind": "utility_model",
               "granted_on": "2021-05-10", **overrides}
    response = client.post(url(firm), json=payload)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _ready_firm(client: TestClient, **figures: Any) -> dict[str, Any]:
    firm = create_enterprise(client, registered_on="2015-03-01", industry="C", industry_code="39",
                             tech_domain="electronic_information")
    for year in range(LAST_YEAR - 2, LAST_YEAR + 1):
        put_figures(client, firm["id"], year, **figures)
    return firm


def _high_tech(client: TestClient, firm: dict[str, Any]) -> dict[str, Any]:
    return client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["high_tech"]


def _condition(evaluation: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for c in evaluation["conditions"] if c["code"] == code)


class TestLedgerCrud:
    def test_create_read_change_delete_with_etags_and_audit(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client)
        response = client.post(url(firm), json={"number": "ZL202310123456.7", "kind": "invention_patent",
                                                "title": "一种传感器", "granted_on": "2023-08-01",
                                                "expires_on": "2043-03-01"})
        assert response.status_code == 201, response.text
        item = response.json()
        assert response.headers["location"] == url(firm, item)
        assert response.headers["etag"] == '"1"'
        assert (item["ip_class"], item["used_by_application_id"]) == (1, None)
        assert client.get(url(firm, item)).json()["number"] == "ZL202310123456.7"
        assert client.patch(url(firm, item), json={"title": "x"}).status_code == 428
        changed = client.patch(url(firm, item), json={"kind": "software_copyright"}, headers=if_match(item))
        assert changed.status_code == 200, changed.text
        assert changed.json()["ip_class"] == 2, "the class follows the kind"
        assert client.patch(url(firm, item), json={"title": "y"}, headers=if_match(item)).status_code == 412
        assert client.delete(url(firm, changed.json()), headers=if_match(changed.json())).status_code == 204
        assert client.get(url(firm, item)).status_code == 404
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "ip_right",
                                                                  AuditEntry.entity_id == item["id"])).all()
        assert sorted(actions) == ["create", "delete", "update"]

    def test_duplicate_number_and_bad_dates(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        add(client, firm, number="ZL1")
        duplicate = client.post(url(firm), json={"number": "ZL1", "kind": "design_patent", "granted_on": "2022-01-01"})
        assert duplicate.status_code == 409
        assert duplicate.json()["errors"][0]["loc"] == ["body", "number"]
        reversed_dates = client.post(url(firm), json={"number": "ZL2", "kind": "design_patent",
                                                      "granted_on": "2022-01-01", "expires_on": "2021-01-01"})
        assert reversed_dates.status_code == 422
        assert reversed_dates.json()["errors"][0]["loc"] == ["body", "expires_on"]
        assert client.post(url(firm), json={"number": "ZL3", "kind": "trademark",
                                            "granted_on": "2022-01-01"}).status_code == 422

    def test_viewers_read_but_do_not_write(self, client: TestClient, viewer_client: TestClient) -> None:
        firm = create_enterprise(client)
        item = add(client, firm)
        assert viewer_client.get(url(firm)).status_code == 200
        assert viewer_client.post(url(firm), json={"number": "V1", "kind": "utility_model",
                                                   "granted_on": "2022-01-01"}).status_code == 403
        assert viewer_client.delete(url(firm, item), headers=if_match(item)).status_code == 403


class TestUsedByApplication:
    def test_only_a_high_tech_application_of_the_same_firm(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        other = create_application(client, "high_tech")
        tech_sme = create_application(client, "tech_sme", enterprise_id=firm["id"])
        item = add(client, firm)
        for application in (other, tech_sme):
            response = client.patch(url(firm, item), json={"used_by_application_id": application["id"]},
                                    headers=if_match(item))
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["loc"] == ["body", "used_by_application_id"]

    def test_a_class_two_item_counts_once(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        first = create_application(client, "high_tech", enterprise_id=firm["id"], year=2021)
        second = create_application(client, "high_tech", enterprise_id=firm["id"], year=2024)
        model = add(client, firm, used_by_application_id=first["id"])
        moved = client.patch(url(firm, model), json={"used_by_application_id": second["id"]}, headers=if_match(model))
        assert moved.status_code == 409, moved.text
        assert moved.json()["used_by_application_id"] == first["id"]
        listed = client.get(url(firm), params={"used_by_application_id": first["id"]}).json()
        assert [i["id"] for i in listed] == [model["id"]]
        patent = add(client, firm, number="ZL-INV", kind="invention_patent", used_by_application_id=first["id"])
        again = client.patch(url(firm, patent), json={"used_by_application_id": second["id"]},
                             headers=if_match(patent))
        assert again.status_code == 200, "class Ⅰ items may be used again within their term"


class TestRulesReadTheLedger:
    def test_renewing_firm_whose_class_two_items_were_all_used_fails(self, client: TestClient) -> None:
        # The annual summary says 3 class Ⅱ items and no class Ⅰ: under the counts alone the firm passes.
        firm = _ready_firm(client, ip_class1=0, ip_class2=3)
        assert _condition(_high_tech(client, firm), "ip_owned")["status"] == "pass"
        previous = application_at(client, "high_tech", "recognized", enterprise_id=firm["id"], year=2021,
                                  on="2021-11-20")
        for n in range(3):
            add(client, firm, number=f"ZL20201000{n}", used_by_application_id=previous["id"])
        found = _condition(_high_tech(client, firm), "ip_owned")
        assert found["status"] == "fail"
        assert "3 件Ⅱ类已在以往申请中使用" in found["note"]
        add(client, firm, number="2023SR0000001", kind="software_copyright", granted_on="2023-04-01")
        assert _condition(_high_tech(client, firm), "ip_owned")["status"] == "pass"

    def test_expired_items_do_not_count_for_the_tech_sme_score(self, client: TestClient) -> None:
        firm = _ready_firm(client, ip_class1=5)
        add(client, firm, number="ZL-OLD", kind="invention_patent", granted_on="2001-01-01",
            expires_on=(TODAY - dt.timedelta(days=1)).isoformat())
        add(client, firm, number="ZL-UM", kind="utility_model", granted_on="2020-01-01")
        body = client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["tech_sme"]
        ip = next(i for i in body["indicators"] if i["code"] == "ip")
        assert ip["points"] == 6, "one class Ⅱ item in force: 6 points, the lapsed invention patent is not counted"

    def test_without_a_ledger_the_annual_counts_stand(self, client: TestClient) -> None:
        firm = _ready_firm(client, ip_class1=1, ip_class2=0)
        body = client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["tech_sme"]
        assert next(i for i in body["indicators"] if i["code"] == "ip")["points"] == 30
