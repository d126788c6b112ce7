"""A certificate's validity runs three years from its issue date (自颁发证书之日起), recorded as its own field;
valid_until is derived and read-only; 29 February + 3 years ends on the last day of February (民法典 第二百零三条)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from app.pipeline.programs import high_tech_validity
from tests.factories import if_match
from tests.pipeline.helpers import URL, application_at, move


class TestValidity:
    @pytest.mark.parametrize(("issued", "until"), [
        pytest.param(dt.date(2023, 12, 8), dt.date(2026, 12, 7), id="high-tech.md: 2023-12-08 → 2026-12-07"),
        pytest.param(dt.date(2024, 2, 29), dt.date(2027, 2, 28), id="29 Feb + 3 years → last day of Feb"),
        pytest.param(dt.date(2024, 3, 1), dt.date(2027, 2, 28), id="1 Mar + 3 years → 28 Feb"),
        pytest.param(dt.date(2025, 1, 1), dt.date(2027, 12, 31), id="1 Jan → 31 Dec of the third year"),
    ])
    def test_three_years_from_the_issue_date(self, issued: dt.date, until: dt.date) -> None:
        assert high_tech_validity(issued) == (issued, until)


class TestIssueDateField:
    def test_recorded_later_than_issued(self, client: TestClient) -> None:
        # Hunan hands certificates out months after they are issued: recorded 2024-03-20, issued 2023-12-08.
        application = application_at(client, "high_tech", "publicized", year=2023, on="2023-10-01")
        response = move(client, application, "recognized", on="2024-03-20", issued_on="2023-12-08")
        assert response.status_code == 201, response.text
        body = response.json()["application"]
        assert (body["issued_on"], body["valid_from"], body["valid_until"], body["decided_on"]) == (
            "2023-12-08", "2023-12-08", "2026-12-07", "2024-03-20")

    def test_issued_after_recording_is_422(self, client: TestClient) -> None:
        application = application_at(client, "high_tech", "publicized", year=2023, on="2023-10-01")
        response = move(client, application, "recognized", on="2023-12-01", issued_on="2023-12-08")
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "issued_on"]

    def test_valid_until_is_read_only_and_follows_the_issue_date(self, client: TestClient) -> None:
        application = application_at(client, "high_tech", "publicized", year=2023, on="2023-10-01")
        sent = move(client, application, "recognized", on="2024-03-20", valid_until="2030-01-01")
        assert sent.status_code == 422
        assert sent.json()["errors"][0]["loc"] == ["body", "valid_until"]
        recognized = move(client, application, "recognized", on="2024-03-20").json()["application"]
        assert recognized["valid_until"] == "2027-03-19", "without an issue date, the recorded date stands in"
        patched = client.patch(f"{URL}/{recognized['id']}", json={"valid_until": "2030-01-01"},
                               headers=if_match(recognized))
        assert patched.status_code == 422
        corrected = client.patch(f"{URL}/{recognized['id']}", json={"issued_on": "2024-02-29"},
                                 headers=if_match(recognized))
        assert corrected.status_code == 200, corrected.text
        assert (corrected.json()["valid_from"], corrected.json()["valid_until"]) == ("2024-02-29", "2027-02-28")
