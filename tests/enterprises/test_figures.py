"""Annual figures: PUT creates or replaces one year, money is exact, and figures that contradict each other
are refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.fields import business_today
from tests.factories import create_enterprise, if_match

YEAR = 2024

FULL = {
    "employees": 120, "tech_staff": 30, "revenue": "1250000.00", "total_cost": "980000.50",
    "rd_expense": "150000.00", "rd_expense_domestic": "140000.00", "high_tech_income": "900000.00",
    "total_income": "1300000.00", "total_assets": "5000000.00", "ip_class1": 2, "ip_class2": 11,
}


def figures_url(firm: dict[str, Any], year: int = YEAR) -> str:
    return f"/api/v1/enterprises/{firm['id']}/figures/{year}"


@pytest.fixture
def firm(client: TestClient) -> dict[str, Any]:
    return create_enterprise(client)


class TestPutFigures:
    def test_first_put_creates_201_with_location(self, client: TestClient, firm: dict[str, Any]) -> None:
        response = client.put(figures_url(firm), json=FULL)
        assert response.status_code == 201, response.text
        assert response.headers["location"] == figures_url(firm)
        assert response.headers["etag"] == '"1"'
        body = response.json()
        assert {k: body[k] for k in FULL} == FULL
        assert (body["enterprise_id"], body["year"]) == (firm["id"], YEAR)

    def test_second_put_replaces_200(self, client: TestClient, firm: dict[str, Any]) -> None:
        client.put(figures_url(firm), json=FULL)
        response = client.put(figures_url(firm), json={"employees": 130})
        assert response.status_code == 200
        body = response.json()
        assert body["employees"] == 130
        assert body["revenue"] is None, "PUT replaces the whole year: figures left out become unknown"
        assert body["version"] == 2
        assert "location" not in response.headers

    def test_put_honours_if_match(self, client: TestClient, firm: dict[str, Any]) -> None:
        created = client.put(figures_url(firm), json=FULL).json()
        assert client.put(figures_url(firm), json=FULL, headers={"If-Match": '"9"'}).status_code == 412
        assert client.put(figures_url(firm), json={"employees": 1}, headers=if_match(created)).status_code == 200
        assert client.put(figures_url(firm), json={"employees": 2}, headers=if_match(created)).status_code == 412
        assert client.get(figures_url(firm)).json()["employees"] == 1

    def test_if_match_on_a_year_that_does_not_exist_is_412(self, client: TestClient, firm: dict[str, Any]) -> None:
        response = client.put(figures_url(firm), json=FULL, headers={"If-Match": '"1"'})
        assert response.status_code == 412
        assert client.get(figures_url(firm)).status_code == 404

    def test_get_reads_it_back_with_etag(self, client: TestClient, firm: dict[str, Any]) -> None:
        created = client.put(figures_url(firm), json=FULL).json()
        response = client.get(figures_url(firm))
        assert response.json() == created
        assert response.headers["etag"] == '"1"'

    def test_list_is_newest_year_first(self, client: TestClient, firm: dict[str, Any]) -> None:
        for year in (2022, 2024, 2023):
            client.put(figures_url(firm, year), json={"employees": year - 2000})
        listed = client.get(f"/api/v1/enterprises/{firm['id']}/figures").json()
        assert [row["year"] for row in listed] == [2024, 2023, 2022]

    def test_unknown_firm_and_missing_year_are_404(self, client: TestClient, firm: dict[str, Any]) -> None:
        assert client.put("/api/v1/enterprises/999999/figures/2024", json=FULL).status_code == 404
        assert client.get(figures_url(firm, 2020)).status_code == 404

    @pytest.mark.parametrize("year", [1989, business_today().year + 1])
    def test_year_outside_the_range_is_422_on_the_path(self, client: TestClient, firm: dict[str, Any],
                                                       year: int) -> None:
        response = client.put(figures_url(firm, year), json=FULL)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["path", "year"]

    def test_archived_firm_takes_no_figures(self, client: TestClient, firm: dict[str, Any]) -> None:
        client.delete(f"/api/v1/enterprises/{firm['id']}", headers=if_match(firm))
        response = client.put(figures_url(firm), json=FULL)
        assert response.status_code == 409
        assert "restore" in response.json()["detail"]

    def test_viewer_cannot_put(self, viewer_client: TestClient, firm: dict[str, Any]) -> None:
        assert viewer_client.put(figures_url(firm), json=FULL).status_code == 403


class TestMoney:
    @pytest.mark.parametrize(("sent", "stored"), [
        ("1250000.00", "1250000.00"), ("1250000", "1250000.00"), (1250000, "1250000.00"),
        ("0.1", "0.10"), ("0.07", "0.07"), ("9999999999999.99", "9999999999999.99"), ("0", "0.00"),
    ])
    def test_round_trips_exactly_as_a_string(self, client: TestClient, firm: dict[str, Any], sent: Any,
                                             stored: str) -> None:
        assert client.put(figures_url(firm), json={"revenue": sent}).json()["revenue"] == stored
        assert client.get(figures_url(firm)).json()["revenue"] == stored

    def test_sums_of_cents_stay_exact(self, client: TestClient, firm: dict[str, Any]) -> None:
        client.put(figures_url(firm), json={"rd_expense": "0.30", "rd_expense_domestic": "0.10"})
        body = client.get(figures_url(firm)).json()
        assert (body["rd_expense"], body["rd_expense_domestic"]) == ("0.30", "0.10")

    @pytest.mark.parametrize("value", ["1.005", "-1.00", "-0.01", "NaN", "Infinity", "1e30", "十万", "", True])
    def test_bad_amounts_are_422_on_the_field(self, client: TestClient, firm: dict[str, Any], value: Any) -> None:
        response = client.put(figures_url(firm), json={"revenue": value})
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"][:2] == ["body", "revenue"]


class TestSanityChecks:
    @pytest.mark.parametrize(("figures", "field"), [
        ({"employees": 10, "tech_staff": 11}, "tech_staff"),
        ({"rd_expense": "100.00", "rd_expense_domestic": "100.01"}, "rd_expense_domestic"),
        ({"total_cost": "100.00", "rd_expense": "200.00"}, "rd_expense"),
        ({"revenue": "100.00", "high_tech_income": "100.50"}, "high_tech_income"),
        ({"total_income": "100.00", "high_tech_income": "100.50"}, "high_tech_income"),
    ])
    def test_a_part_larger_than_its_whole_is_422(self, client: TestClient, firm: dict[str, Any],
                                                 figures: dict[str, Any], field: str) -> None:
        response = client.put(figures_url(firm), json=figures)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["loc"] for e in response.json()["errors"]] == [["body", field]]
        assert client.get(figures_url(firm)).status_code == 404

    def test_equal_part_and_whole_are_fine(self, client: TestClient, firm: dict[str, Any]) -> None:
        response = client.put(figures_url(firm), json={"employees": 10, "tech_staff": 10,
                                                       "rd_expense": "5.00", "rd_expense_domestic": "5.00"})
        assert response.status_code == 201

    def test_every_contradiction_is_listed(self, client: TestClient, firm: dict[str, Any]) -> None:
        response = client.put(figures_url(firm), json={"employees": 1, "tech_staff": 2,
                                                       "rd_expense": "1.00", "rd_expense_domestic": "2.00"})
        assert {tuple(e["loc"]) for e in response.json()["errors"]} == {
            ("body", "tech_staff"), ("body", "rd_expense_domestic")}

    def test_an_unknown_whole_does_not_block_the_part(self, client: TestClient, firm: dict[str, Any]) -> None:
        assert client.put(figures_url(firm), json={"tech_staff": 40}).status_code == 201

    @pytest.mark.parametrize("field", ["employees", "tech_staff", "ip_class1", "ip_class2"])
    def test_negative_counts_are_422(self, client: TestClient, firm: dict[str, Any], field: str) -> None:
        response = client.put(figures_url(firm), json={field: -1})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", field]

    def test_fractional_head_count_is_422(self, client: TestClient, firm: dict[str, Any]) -> None:
        assert client.put(figures_url(firm), json={"employees": 10.5}).status_code == 422


class TestDeleteFigures:
    def test_needs_if_match_then_removes_the_year(self, client: TestClient, firm: dict[str, Any]) -> None:
        created = client.put(figures_url(firm), json=FULL).json()
        assert client.delete(figures_url(firm)).status_code == 428
        assert client.delete(figures_url(firm), headers={"If-Match": '"3"'}).status_code == 412
        assert client.delete(figures_url(firm), headers=if_match(created)).status_code == 204
        assert client.get(figures_url(firm)).status_code == 404
