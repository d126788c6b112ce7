"""Whatever a client sends, the answer is a 422 problem naming the field, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import create_enterprise, enterprise_payload, if_match

URL = "/api/v1/enterprises"


def assert_problem_at(response: Any, loc: list[str | int]) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert problem["type"] == "/problems/validation-error"
    assert loc in [error["loc"][: len(loc)] for error in problem["errors"]], problem["errors"]
    assert all(error["msg"] and error["type"] for error in problem["errors"])


class TestWrongTypes:
    @pytest.mark.parametrize(("field", "value"), [
        ("name", 123), ("name", ["常德"]), ("name", {"zh": "常德"}), ("above_scale", "maybe"),
        ("owner_id", "one"), ("owner_id", 1.5), ("tags", "专精特新"), ("tags", [1, 2]), ("credit_code", 9.1e17),
        ("registered_on", 20200101), ("status", True),
    ])
    def test_create(self, client: TestClient, field: str, value: Any) -> None:
        assert_problem_at(client.post(URL, json=enterprise_payload(**{field: value})), ["body", field])

    def test_body_that_is_not_an_object(self, client: TestClient) -> None:
        assert_problem_at(client.post(URL, json=["not", "an", "object"]), ["body"])

    def test_body_that_is_not_json(self, client: TestClient) -> None:
        response = client.post(URL, content=b"{name: ", headers={"Content-Type": "application/json"})
        assert_problem_at(response, ["body"])

    def test_body_in_a_legacy_encoding_is_a_400_problem(self, client: TestClient) -> None:
        body = '{"name": "常德"}'.encode("gbk")
        response = client.post(URL, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        # The clerk's integrator learns what is wrong and where: byte 11 is the first byte of 常 in GBK.
        assert "not UTF-8 (byte 11" in response.json()["detail"]

    def test_missing_required_fields_are_each_named(self, client: TestClient) -> None:
        response = client.post(URL, json={})
        assert_problem_at(response, ["body", "credit_code"])
        assert {tuple(e["loc"]) for e in response.json()["errors"]} == {
            ("body", "credit_code"), ("body", "name"), ("body", "district")}

    @pytest.mark.parametrize("path", [f"{URL}/abc", f"{URL}/0", f"{URL}/99999999999999999999", f"{URL}/-1"])
    def test_bad_ids_in_the_path(self, client: TestClient, path: str) -> None:
        assert_problem_at(client.get(path), ["path", "enterprise_id"])


class TestOversizedStrings:
    @pytest.mark.parametrize(("field", "limit"), [("name", 200), ("district", 50), ("park", 100),
                                                  ("address", 300), ("legal_representative", 50),
                                                  ("credit_code", 40), ("notes", 10_000)])
    def test_one_over_the_limit(self, client: TestClient, field: str, limit: int) -> None:
        response = client.post(URL, json=enterprise_payload(**{field: "企" * (limit + 1)}))
        assert_problem_at(response, ["body", field])

    def test_too_many_tags_and_too_long_a_tag(self, client: TestClient) -> None:
        assert_problem_at(client.post(URL, json=enterprise_payload(tags=[f"t{n}" for n in range(21)])),
                          ["body", "tags"])
        assert_problem_at(client.post(URL, json=enterprise_payload(tags=["标" * 31])), ["body", "tags", 0])

    def test_a_long_search_query(self, client: TestClient) -> None:
        assert_problem_at(client.get(URL, params={"q": "科" * 101}), ["query", "q"])

    def test_a_megabyte_of_text_in_a_filter(self, client: TestClient) -> None:
        response = client.get(URL, params={"district": "街" * 5000})
        assert response.status_code == 200
        assert response.json()["total"] == 0


class TestUnknownEnumValues:
    @pytest.mark.parametrize(("field", "value"), [("industry", "Z"), ("industry", "c"), ("tech_domain", "ai"),
                                                  ("status", "bankrupt")])
    def test_in_a_body(self, client: TestClient, field: str, value: str) -> None:
        assert_problem_at(client.post(URL, json=enterprise_payload(**{field: value})), ["body", field])

    @pytest.mark.parametrize(("param", "value"), [("status", "bankrupt"), ("tech_domain", "ai"),
                                                  ("above_scale", "perhaps")])
    def test_in_a_query(self, client: TestClient, param: str, value: str) -> None:
        assert_problem_at(client.get(URL, params={param: value}), ["query", param])


class TestBadDates:
    @pytest.mark.parametrize("value", ["2020-02-30", "2020/01/01", "昨天", "1899-12-31", "3000-01-01", "",
                                       "2020-01-01T25:00:00"])
    def test_registered_on(self, client: TestClient, value: str) -> None:
        assert_problem_at(client.post(URL, json=enterprise_payload(registered_on=value)), ["body", "registered_on"])

    @pytest.mark.parametrize("value", ["2020-13-01T00:00:00", "not a time", "2020-01-01T00:00:00+25:00"])
    def test_updated_since(self, client: TestClient, value: str) -> None:
        assert_problem_at(client.get(URL, params={"updated_since": value}), ["query", "updated_since"])


class TestUnknownFields:
    def test_on_create(self, client: TestClient) -> None:
        response = client.post(URL, json=enterprise_payload(nmae="常德"))
        assert_problem_at(response, ["body", "nmae"])
        assert response.json()["errors"][0]["type"] == "extra_forbidden"

    def test_server_fields_cannot_be_written(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        for field, value in (("id", 5), ("version", 9), ("archived_at", None), ("created_at", "2020-01-01")):
            response = client.patch(f"{URL}/{firm['id']}", json={field: value}, headers=if_match(firm))
            assert_problem_at(response, ["body", field])


class TestNulCharacters:
    @pytest.mark.parametrize("field", ["name", "district", "notes", "address", "credit_code"])
    def test_in_a_body_string(self, client: TestClient, field: str) -> None:
        payload = enterprise_payload(notes="走访记录", address="常德市武陵区")
        payload[field] = f"{payload[field][:5]}\x00{payload[field][5:]}"
        assert_problem_at(client.post(URL, json=payload), ["body", field])

    def test_in_a_tag(self, client: TestClient) -> None:
        assert_problem_at(client.post(URL, json=enterprise_payload(tags=["专精\x00特新"])), ["body", "tags", 0])

    @pytest.mark.parametrize("param", ["q", "district", "tag", "sort"])
    def test_in_a_query_parameter(self, client: TestClient, param: str) -> None:
        assert_problem_at(client.get(URL, params={param: "常德\x00"}), ["query"])

    def test_other_control_characters(self, client: TestClient) -> None:
        assert_problem_at(client.post(URL, json=enterprise_payload(name="常德\x07科技")), ["body", "name"])

    def test_lone_surrogates(self, client: TestClient) -> None:
        body = b'{"credit_code": "91110000600037341L", "district": "x", "name": "\\ud800abc"}'
        response = client.post(URL, content=body, headers={"Content-Type": "application/json"})
        assert_problem_at(response, ["body", "name"])
