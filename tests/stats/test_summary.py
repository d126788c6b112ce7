"""GET /stats/summary over a known district: every figure against the value counted by hand."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.stats.dataset import build

# figure: (2025, 2024, change percent) — counted from the story in tests/stats/dataset.py.
EXPECTED: dict[str, tuple[Any, Any, str | None]] = {
    "enterprises": (4, 3, "33.33"),
    "tech_sme_registered": (2, 1, "100.00"),
    "high_tech_recommended": (2, 1, "100.00"),
    "high_tech_newly_recognized": (1, 0, None),
    "high_tech_renewed": (0, 0, None),
    "high_tech_valid": (2, 2, "0.00"),
    "rd_expense_above_scale": ("3000000.50", "800000.00", "275.00"),
    "high_tech_income": ("6700000.25", "0.00", None),
    "rd_subsidy_firms": (2, 1, "100.00"),
    "rd_subsidy_approved": ("420000.50", "100000.00", "320.00"),
    "rd_subsidy_disbursed": ("250000.00", "0.00", None),
    "loans_disbursed": (2, 1, "100.00"),
    "loan_amount_disbursed": ("2500000.00", "1000000.00", "150.00"),
    "loan_firms": (1, 1, "0.00"),
    "visits": (3, 1, "200.00"),
    "firms_visited": (2, 1, "100.00"),
    "demands_raised": (3, 1, "200.00"),
    "demands_resolved": (3, 0, None),
    "demands_resolved_on_time": (2, 0, None),
    "publicity_events": (2, 1, "100.00"),
    "publicity_headcount": (45, 10, "350.00"),
    "firms_reached": (2, 1, "100.00"),
}


@pytest.fixture
def district(client: TestClient) -> None:
    build(client)


@pytest.mark.usefixtures("district")
class TestSummaryFigures:
    def test_every_figure_matches_the_hand_count(self, viewer_client: TestClient) -> None:
        response = viewer_client.get("/api/v1/stats/summary", params={"year": 2025})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["year"] == 2025
        assert body["as_of"] == "2025-12-31"
        got = {name: (body[name]["value"], body[name]["previous"], body[name]["change_percent"])
               for name in EXPECTED}
        assert got == EXPECTED


@pytest.mark.usefixtures("district")
class TestValidOnAsOf:
    def test_a_certificate_until_december_30_is_not_valid_at_year_end(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/summary", params={"year": 2025}).json()
        assert body["high_tech_valid"]["value"] == 2  # A, and B until 12-31; not C until 12-30

    def test_on_december_30_both_old_certificates_hold(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/summary", params={"year": 2025, "as_of": "2025-12-30"}).json()
        assert body["as_of"] == "2025-12-30"
        assert body["high_tech_valid"] == {"value": 3, "previous": 2, "change_percent": "50.00", "target": None,
                                           "completion_percent": None}

    def test_before_the_new_certificate_is_issued_it_does_not_count(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/summary", params={"year": 2025, "as_of": "2025-05-31"}).json()
        assert body["high_tech_valid"]["value"] == 2  # B and C; A's is issued 06-01

    def test_after_both_old_certificates_lapse_only_the_new_one_holds(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/summary", params={"year": 2026, "as_of": "2026-01-01"}).json()
        assert body["high_tech_valid"]["value"] == 1


class TestSummaryInput:
    def test_an_empty_database_gives_zeros_and_no_rates(self, client: TestClient) -> None:
        body = client.get("/api/v1/stats/summary", params={"year": 2030}).json()
        assert body["visits"] == {"value": 0, "previous": 0, "change_percent": None, "target": None,
                                  "completion_percent": None}
        assert body["loan_amount_disbursed"] == {"value": "0.00", "previous": "0.00", "change_percent": None,
                                                 "target": None, "completion_percent": None}
        assert body["technology_contract_amount"]["value"] is None

    @pytest.mark.parametrize("params", [{}, {"year": 1800}, {"year": 2025, "as_of": "0001-01-01"}])
    def test_bad_parameters_are_422(self, client: TestClient, params: dict[str, Any]) -> None:
        response = client.get("/api/v1/stats/summary", params=params)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
