"""Tech-SME direct confirmation (办法 第八条) from the registry's own records: a high-tech certificate in force
held in Seedbed confirms the firm when conditions 1–4 hold — in the evaluation, the stored application
evaluation and the cultivation pool."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.eligibility import service
from app.fields import business_today
from tests.eligibility.builders import put_figures
from tests.factories import create_enterprise
from tests.pipeline.helpers import application_at
from tests.records.factories import platform

TODAY = business_today()
LAST_YEAR = TODAY.year - 1


def _unscored_firm(client: TestClient, **figures: Any) -> dict[str, Any]:
    """No tech staff: the tech-staff indicator scores 0, so the score route fails condition 5."""
    firm = create_enterprise(client, registered_on="2015-03-01", industry="C", industry_code="39",
                             tech_domain="electronic_information")
    for year in range(LAST_YEAR - 2, LAST_YEAR + 1):
        put_figures(client, firm["id"], year, tech_staff=0, **figures)
    return firm


def _certify(client: TestClient, firm: dict[str, Any], issued_on: dt.date) -> dict[str, Any]:
    return application_at(client, "high_tech", "recognized", enterprise_id=firm["id"], year=issued_on.year,
                          on=issued_on.isoformat())


def _route(evaluation: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in evaluation["direct_confirmation"] if r["code"] == code)


class TestEvaluation:
    def test_certificate_in_force_confirms_a_firm_the_score_fails(self, client: TestClient) -> None:
        firm = _unscored_firm(client)
        certificate = _certify(client, firm, TODAY - dt.timedelta(days=200))
        body = client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["tech_sme"]
        assert body["score_outcome"] == "fail"
        assert body["outcome"] == "pass"
        route = _route(body, "high_tech_certificate")
        assert route["status"] == "pass"
        assert certificate["reference_no"] in route["note"]
        assert body["blocking"] == []
        assert "直接确认" in body["summary"]

    def test_conditions_one_to_four_still_apply(self, client: TestClient) -> None:
        # Condition 2: at most 500 employees; 600 fails whatever the certificate.
        firm = _unscored_firm(client, employees=600)
        _certify(client, firm, TODAY - dt.timedelta(days=200))
        body = client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["tech_sme"]
        assert _route(body, "high_tech_certificate")["status"] == "pass"
        assert body["outcome"] == "fail"
        assert body["blocking"] == ["employees_cap"]

    def test_expired_certificate_confirms_nothing(self, client: TestClient) -> None:
        firm = _unscored_firm(client)
        _certify(client, firm, dt.date(TODAY.year - 4, 1, 15))  # valid three years: ended last year
        body = client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["tech_sme"]
        assert _route(body, "high_tech_certificate")["status"] == "unknown"
        assert body["outcome"] == "unknown"


class TestStoredEvaluation:
    def test_application_records_the_route(self, client: TestClient) -> None:
        firm = _unscored_firm(client)
        _certify(client, firm, TODAY - dt.timedelta(days=200))
        response = client.post("/api/v1/applications", json={"program": "tech_sme", "enterprise_id": firm["id"],
                                                              "year": TODAY.year, "on": TODAY.isoformat()})
        assert response.status_code == 201, response.text
        evaluation = response.json()["details"]["evaluation"]
        assert evaluation["outcome"] == "pass"
        assert evaluation["confirmed_by"] == ["high_tech_certificate"]
        assert evaluation["rule_version"] == "tech_sme:2022.1"


class TestPool:
    def test_certified_firm_ranks_first_as_passing(self, client: TestClient) -> None:
        plain = _unscored_firm(client)
        certified = _unscored_firm(client)
        _certify(client, certified, TODAY - dt.timedelta(days=200))
        page = client.get("/api/v1/cultivation/candidates", params={"program": "tech_sme"}).json()
        ids = [c["enterprise_id"] for c in page["items"]]
        assert ids.index(certified["id"]) < ids.index(plain["id"])
        first = next(c for c in page["items"] if c["enterprise_id"] == certified["id"])
        assert first["outcome"] == "pass"
        assert first["blocking"] == []


class TestPluggableRoutes:
    def test_another_domain_confirms_a_route(self, client: TestClient, session: Session) -> None:
        firm = _unscored_firm(client)

        def platforms(_: Session, ids: Sequence[int], day: dt.date) -> dict[int, str]:
            return {firm["id"]: f"省级工程技术研究中心（{day.year}年在册）"} if firm["id"] in ids else {}

        service.register_direct_route("provincial_rd_institution", platforms)
        try:
            result = service.evaluate_enterprise(session, firm["id"]).tech_sme
        finally:
            service.unregister_direct_route(platforms)
        assert result.outcome.value == "pass"
        route = next(r for r in result.direct_confirmation if r.code == "provincial_rd_institution")
        assert "省级工程技术研究中心" in route.note
        assert service.evaluate_enterprise(session, firm["id"]).tech_sme.outcome.value == "unknown"

    def test_unknown_route_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown tech-SME direct-confirmation route"):
            service.register_direct_route("platform", lambda s, ids, day: {})


class TestRecordedPlatforms:
    """办法 第八条 "拥有经认定的省部级以上研发机构" from the innovation platforms Seedbed records."""

    def test_a_provincial_research_centre_confirms_the_firm(self, client: TestClient) -> None:
        firm = _unscored_firm(client)
        recognised = (TODAY - dt.timedelta(days=200)).isoformat()
        platform(client, firm["id"], name="湖南省精密铸造工程技术研究中心", recognised_on=recognised)
        body = client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["tech_sme"]
        assert body["outcome"] == "pass"
        route = _route(body, "provincial_rd_institution")
        assert route["status"] == "pass"
        assert "湖南省精密铸造工程技术研究中心" in route["note"]

    @pytest.mark.parametrize("overrides", [
        {"level": "municipal"},
        {"kind": "incubator"},
        {"revoked_on": "2025-06-01"},
    ], ids=["municipal", "not-research", "revoked"])
    def test_platforms_that_do_not_count(self, client: TestClient, overrides: dict[str, Any]) -> None:
        firm = _unscored_firm(client)
        platform(client, firm["id"], recognised_on="2024-03-01", **overrides)
        body = client.get(f"/api/v1/enterprises/{firm['id']}/eligibility").json()["tech_sme"]
        assert body["outcome"] != "pass"
        assert _route(body, "provincial_rd_institution")["status"] != "pass"
