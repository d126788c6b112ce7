"""Applications: creation, uniqueness per year, validity derivation, filters, edits, archive and restore."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from app.pipeline.programs import high_tech_validity
from tests.factories import create_enterprise, if_match
from tests.pipeline.helpers import URL, application_at, create_application, move


class TestCreate:
    def test_created_with_location_etag_and_first_stage(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json={"program": "high_tech", "enterprise_id": firm["id"], "year": 2024})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["stage"] == "prospect"
        assert response.headers["location"] == f"{URL}/{body['id']}"
        assert response.headers["etag"] == '"1"'
        assert "recommended" in body["allowed_transitions"]

    def test_unknown_program_is_422_listing_programs(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json={"program": "moon_shot", "enterprise_id": firm["id"], "year": 2024})
        assert response.status_code == 422
        assert "tech_sme" in response.json()["errors"][0]["msg"]
        assert response.json()["errors"][0]["loc"] == ["body", "program"]

    def test_unknown_firm_is_422(self, client: TestClient) -> None:
        response = client.post(URL, json={"program": "tech_sme", "enterprise_id": 999999, "year": 2024})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "enterprise_id"]

    def test_cannot_start_in_a_later_stage(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json={"program": "tech_sme", "enterprise_id": firm["id"], "year": 2024,
                                          "stage": "registered"})
        assert response.status_code == 422

    def test_details_follow_the_program_schema(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        response = client.post(URL, json={"program": "tech_loan", "enterprise_id": firm["id"], "year": 2024,
                                          "details": {"bank": "常德农商银行", "colour": "red"}})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "details", "colour"]


class TestOnePerFirmAndYear:
    def test_second_application_same_year_is_409(self, client: TestClient) -> None:
        first = create_application(client, "tech_sme")
        response = client.post(URL, json={"program": "tech_sme", "enterprise_id": first["enterprise_id"],
                                          "year": 2024})
        assert response.status_code == 409
        assert response.json()["existing_id"] == first["id"]

    def test_another_year_or_program_is_fine(self, client: TestClient) -> None:
        first = create_application(client, "tech_sme")
        create_application(client, "tech_sme", enterprise_id=first["enterprise_id"], year=2025)
        create_application(client, "high_tech", enterprise_id=first["enterprise_id"])

    def test_loans_may_be_many_in_a_year(self, client: TestClient) -> None:
        first = create_application(client, "tech_loan")
        create_application(client, "tech_loan", enterprise_id=first["enterprise_id"])

    def test_archiving_frees_the_year_and_restoring_then_conflicts(self, client: TestClient) -> None:
        first = create_application(client, "tech_sme")
        assert client.delete(f"{URL}/{first['id']}", headers=if_match(first)).status_code == 204
        create_application(client, "tech_sme", enterprise_id=first["enterprise_id"])
        assert client.post(f"{URL}/{first['id']}/restore").status_code == 409


class TestValidity:
    def test_certificate_valid_three_years_from_issue(self, client: TestClient) -> None:
        application = application_at(client, "high_tech", "publicized", year=2023, on="2023-03-01")
        response = move(client, application, "recognized", on="2023-12-08", reference_no="GR202343000240")
        assert response.status_code == 201, response.text
        body = response.json()["application"]
        assert (body["valid_from"], body["valid_until"]) == ("2023-12-08", "2026-12-07")
        assert body["decided_on"] == "2023-12-08"

    def test_leap_day_issue(self) -> None:
        # 民法典 第二百零三条: without a corresponding day the period ends on the month's last day.
        assert high_tech_validity(dt.date(2024, 2, 29)) == (dt.date(2024, 2, 29), dt.date(2027, 2, 28))

    def test_tech_sme_registration_valid_for_its_year(self, client: TestClient) -> None:
        application = application_at(client, "tech_sme", "submitted")
        body = move(client, application, "registered", on="2024-09-20").json()["application"]
        assert (body["valid_from"], body["valid_until"]) == ("2024-09-20", "2024-12-31")

    def test_loan_maturity_is_valid_until(self, client: TestClient) -> None:
        body = application_at(client, "tech_loan", "disbursed")
        assert body["valid_until"] == "2025-06-30"
        assert body["amount_disbursed"] == "2000000.00"
        assert body["details"]["term_months"] == 12


class TestFilters:
    def test_valid_on_finds_results_in_force(self, client: TestClient) -> None:
        recognized = application_at(client, "high_tech", "publicized", year=2023, on="2023-03-01")
        move(client, recognized, "recognized", on="2023-12-08")
        application_at(client, "high_tech", "publicized")
        inside = client.get(URL, params={"valid_on": "2026-12-07"}).json()
        after = client.get(URL, params={"valid_on": "2026-12-08"}).json()
        assert [a["id"] for a in inside["items"]] == [recognized["id"]]
        assert after["total"] == 0

    def test_program_stage_year_district(self, client: TestClient) -> None:
        east = create_enterprise(client, district="东江街道")
        wanted = create_application(client, "tech_sme", enterprise_id=east["id"])
        create_application(client, "tech_sme")
        create_application(client, "high_tech", enterprise_id=east["id"], year=2023)
        found = client.get(URL, params={"program": "tech_sme", "stage": "prospect", "year": 2024,
                                        "district": "东江街道"}).json()
        assert [a["id"] for a in found["items"]] == [wanted["id"]]

    def test_sort_and_unknown_sort_field(self, client: TestClient) -> None:
        older = create_application(client, "tech_sme", year=2022)
        newer = create_application(client, "tech_sme", year=2024)
        items = client.get(URL, params={"sort": "-year"}).json()["items"]
        assert [a["id"] for a in items] == [newer["id"], older["id"]]
        assert client.get(URL, params={"sort": "colour"}).status_code == 422


class TestEdit:
    def test_patch_needs_if_match_and_merges_details(self, client: TestClient) -> None:
        application = create_application(client, "tech_loan", details={"bank": "常德农商银行"})
        url = f"{URL}/{application['id']}"
        assert client.patch(url, json={"details": {"term_months": 6}}).status_code == 428
        response = client.patch(url, json={"details": {"term_months": 6}}, headers=if_match(application))
        assert response.status_code == 200, response.text
        assert response.json()["details"] == {"bank": "常德农商银行", "term_months": 6, "risk_compensation": False}
        assert client.patch(url, json={"notes": "x"}, headers=if_match(application)).status_code == 412

    def test_stage_cannot_be_patched(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        response = client.patch(f"{URL}/{application['id']}", json={"stage": "registered"},
                                headers=if_match(application))
        assert response.status_code == 422

    def test_previous_must_be_same_firm_and_program(self, client: TestClient) -> None:
        old = create_application(client, "high_tech", year=2021)
        renewal = create_application(client, "high_tech", enterprise_id=old["enterprise_id"], previous_id=old["id"])
        assert renewal["previous_id"] == old["id"]
        other = create_application(client, "high_tech")
        response = client.patch(f"{URL}/{other['id']}", json={"previous_id": old["id"]}, headers=if_match(other))
        assert response.status_code == 422

    def test_archived_application_cannot_move(self, client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        client.delete(f"{URL}/{application['id']}", headers=if_match(application))
        assert move(client, application, "preparing").status_code == 409
        assert client.get(URL).json()["total"] == 0
        assert client.get(URL, params={"include_archived": True}).json()["total"] == 1


class TestPermissions:
    def test_viewer_reads_but_cannot_move(self, client: TestClient, viewer_client: TestClient) -> None:
        application = create_application(client, "tech_sme")
        assert viewer_client.get(f"{URL}/{application['id']}/transitions").status_code == 200
        assert move(viewer_client, application, "preparing").status_code == 403
