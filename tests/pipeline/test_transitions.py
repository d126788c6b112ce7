"""Every allowed and every disallowed transition of each program, through the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.pipeline.declarations import find_program
from tests.pipeline.helpers import URL, application_at, create_application, move

OPEN_TO_WITHDRAW = {"withdrawn"}

# The stage machines as the issue states them, written out independently of the declarations.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "tech_sme": {
        "prospect": {"preparing", "submitted"} | OPEN_TO_WITHDRAW,
        "preparing": {"submitted"} | OPEN_TO_WITHDRAW,
        "submitted": {"registered", "returned", "rejected"} | OPEN_TO_WITHDRAW,
        "returned": {"submitted"} | OPEN_TO_WITHDRAW,
        "registered": {"revoked"},
        "rejected": set(), "revoked": set(), "withdrawn": set(),
    },
    "high_tech": {
        "prospect": {"preparing", "recommended"} | OPEN_TO_WITHDRAW,
        "preparing": {"recommended"} | OPEN_TO_WITHDRAW,
        "recommended": {"submitted", "rejected"} | OPEN_TO_WITHDRAW,
        "submitted": {"publicized", "rejected"} | OPEN_TO_WITHDRAW,
        "publicized": {"recognized", "rejected"} | OPEN_TO_WITHDRAW,
        "recognized": {"revoked"},
        "rejected": set(), "revoked": set(), "withdrawn": set(),
    },
    "rd_subsidy": {
        "applied": {"under_review", "rejected"} | OPEN_TO_WITHDRAW,
        "under_review": {"approved", "rejected"} | OPEN_TO_WITHDRAW,
        "approved": {"disbursed"} | OPEN_TO_WITHDRAW,
        "disbursed": set(), "rejected": set(), "withdrawn": set(),
    },
    "tech_loan": {
        "requested": {"bank_review", "rejected"} | OPEN_TO_WITHDRAW,
        "bank_review": {"approved", "rejected"} | OPEN_TO_WITHDRAW,
        "approved": {"disbursed"} | OPEN_TO_WITHDRAW,
        "disbursed": {"overdue", "repaid"},
        "overdue": {"repaid"},
        "repaid": set(), "rejected": set(), "withdrawn": set(),
    },
}

CASES = [(program, source, target) for program, machine in EXPECTED.items()
         for source in machine for target in machine]


class TestDeclarationsMatchTheRules:
    @pytest.mark.parametrize("program", sorted(EXPECTED))
    def test_stage_machine(self, program: str) -> None:
        declared = find_program(program)
        assert declared is not None
        assert {s.code for s in declared.all_stages} == set(EXPECTED[program])
        for source, targets in EXPECTED[program].items():
            assert set(declared.allowed_from(source)) == targets, source


@pytest.mark.parametrize(("program", "source", "target"), CASES)
class TestEveryPair:
    def test_allowed_moves_and_others_are_409(self, client: TestClient, program: str, source: str,
                                              target: str) -> None:
        application = application_at(client, program, source)
        response = move(client, application, target, on="2024-03-01", note="测试")
        if target in EXPECTED[program][source]:
            assert response.status_code == 201, response.text
            assert response.json()["application"]["stage"] == target
            assert response.json()["event"]["from_stage"] == source
        else:
            assert response.status_code == 409, response.text
            assert set(response.json()["allowed_transitions"]) == EXPECTED[program][source]
            assert client.get(f"{URL}/{application['id']}").json()["stage"] == source


class TestUnknownStage:
    def test_a_stage_of_no_such_name_is_422(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        response = move(client, application, "recognized")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "to"]


class TestRequiredFields:
    @pytest.mark.parametrize(("program", "source", "target", "missing"), [
        ("tech_sme", "submitted", "registered", ["body", "reference_no"]),
        ("high_tech", "publicized", "recognized", ["body", "reference_no"]),
        ("rd_subsidy", "under_review", "approved", ["body", "amount_approved"]),
        ("rd_subsidy", "approved", "disbursed", ["body", "amount_disbursed"]),
        ("tech_loan", "bank_review", "approved", ["body", "amount_approved"]),
        ("tech_loan", "approved", "disbursed", ["body", "valid_until"]),
    ])
    def test_missing_field_is_422_naming_it(self, client: TestClient, program: str, source: str, target: str,
                                            missing: list[str]) -> None:
        application = application_at(client, program, source)
        body = {"to": target, "amount_disbursed": "1.00"} if missing[1] == "valid_until" else {"to": target}
        response = client.post(f"{URL}/{application['id']}/transitions", json=body)
        assert response.status_code == 422, response.text
        assert missing in [e["loc"] for e in response.json()["errors"]]
        assert client.get(f"{URL}/{application['id']}").json()["stage"] == source

    def test_loan_approval_needs_term_and_rate_in_details(self, client: TestClient) -> None:
        application = application_at(client, "tech_loan", "bank_review")
        response = client.post(f"{URL}/{application['id']}/transitions",
                               json={"to": "approved", "amount_approved": "100000.00"})
        assert response.status_code == 422
        locs = [e["loc"] for e in response.json()["errors"]]
        assert ["body", "details", "term_months"] in locs
        assert ["body", "details", "annual_rate"] in locs

    def test_certificate_number_must_look_like_one(self, client: TestClient) -> None:
        application = application_at(client, "high_tech", "publicized")
        response = move(client, application, "recognized", reference_no="430702-2024-1")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "reference_no"]

    def test_registration_number_starts_with_a_year(self, client: TestClient) -> None:
        application = application_at(client, "tech_sme", "submitted")
        assert move(client, application, "registered", reference_no="第123号").status_code == 422

    def test_disbursed_cannot_exceed_approved(self, client: TestClient) -> None:
        application = application_at(client, "rd_subsidy", "approved")
        response = move(client, application, "disbursed", amount_disbursed="300000.01")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "amount_disbursed"]

    def test_loan_maturity_after_disbursement(self, client: TestClient) -> None:
        application = application_at(client, "tech_loan", "approved")
        response = move(client, application, "disbursed", on="2024-03-01", valid_until="2024-03-01")
        assert response.status_code == 422

    def test_details_are_checked_by_the_program_schema(self, client: TestClient) -> None:
        application = application_at(client, "tech_loan", "bank_review")
        response = move(client, application, "approved", details={"term_months": 12, "annual_rate": "99"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "details", "annual_rate"]


class TestDates:
    def test_cannot_happen_before_the_current_stage_began(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme", on="2024-05-01")
        response = move(client, application, "preparing", on="2024-04-30")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "on"]

    def test_future_date_is_422(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        assert move(client, application, "preparing", on="2999-01-01").status_code == 422


class TestHistory:
    def test_every_move_is_an_event_with_who_when_why(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        move(client, application, "preparing", on="2024-03-01", note="材料收集中")
        move(client, application, "submitted", on="2024-06-30")
        events = client.get(f"{URL}/{application['id']}/transitions").json()
        assert [(e["from_stage"], e["to_stage"]) for e in events] == [
            (None, "prospect"), ("prospect", "preparing"), ("preparing", "submitted")]
        assert events[1]["note"] == "材料收集中"
        assert events[1]["occurred_on"] == "2024-03-01"
        assert events[2]["actor_name"]

    def test_a_move_is_audited(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        move(client, application, "preparing")
        entries = client.get("/api/v1/audit", params={"entity_type": "application",
                                                      "entity_id": application["id"], "action": "transition"})
        assert entries.json()["total"] == 1
        assert entries.json()["items"][0]["changes"]["stage"] == {"before": "prospect", "after": "preparing"}

    def test_stale_if_match_is_412(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        move(client, application, "preparing")
        response = client.post(f"{URL}/{application['id']}/transitions", json={"to": "submitted"},
                               headers={"If-Match": f'"{application["version"]}"'})
        assert response.status_code == 412
