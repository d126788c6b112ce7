"""Dates a program derives from the stage history cannot be written by PATCH."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import if_match
from tests.pipeline.helpers import URL, application_at


class TestDerivedDatesAreReadOnly:
    def test_a_recognized_certificates_valid_until_cannot_be_patched(self, client: TestClient) -> None:
        application = application_at(client, "high_tech", "recognized")
        response = client.patch(f"{URL}/{application['id']}", json={"valid_until": "2099-12-31"},
                                headers=if_match(application))
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "valid_until"]
        assert response.json()["errors"][0]["type"] == "read_only"
        assert client.get(f"{URL}/{application['id']}").json()["valid_until"] == application["valid_until"]

    def test_a_tech_sme_registrations_validity_cannot_be_patched(self, client: TestClient) -> None:
        application = application_at(client, "tech_sme", "registered")
        response = client.patch(f"{URL}/{application['id']}", json={"valid_from": "2020-01-01"},
                                headers=if_match(application))
        assert response.status_code == 422

    def test_a_loans_maturity_may_still_be_corrected(self, client: TestClient) -> None:
        application = application_at(client, "tech_loan", "disbursed")
        response = client.patch(f"{URL}/{application['id']}", json={"valid_until": "2025-12-31"},
                                headers=if_match(application))
        assert response.status_code == 200, response.text
        assert response.json()["valid_until"] == "2025-12-31"
