"""``/meta/enums`` labels every enum the API uses — including enums other domains add later, because the
test reads them from the OpenAPI document rather than from a list kept by hand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import openapi_document

URL = "/api/v1/meta/enums"

# Enums in the OpenAPI document that are deliberately not user-facing (protocol values, not data a
# clerk picks from a list). Name each one and say why.
NOT_USER_FACING: dict[str, str] = {}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _enums(node: Any, where: str) -> Iterator[tuple[str, str | None, list[Any]]]:
    """(location, title, values) of every schema with an ``enum`` anywhere in the document."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield where, node.get("title"), node["enum"]
        for key, value in node.items():
            yield from _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _enums(value, f"{where}/{index}")


DOCUMENT_ENUMS = sorted(
    {(title, tuple(values), where) for where, title, values in _enums(openapi_document(), "#")
     if values != [None] and (title or where) not in NOT_USER_FACING},
    key=lambda item: item[2],
)


@pytest.fixture
def served(viewer_client: TestClient) -> dict[str, Any]:
    response = viewer_client.get(URL)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


class TestEveryEnumIsLabelled:
    def test_the_document_has_the_registry_enums(self) -> None:
        titles = {title for title, _, _ in DOCUMENT_ENUMS}
        assert {"Industry", "TechDomain", "EnterpriseStatus", "Role"} <= titles

    @pytest.mark.parametrize(("title", "values", "where"), DOCUMENT_ENUMS)
    def test_served_with_a_label_for_each_value(self, served: dict[str, Any], title: str | None,
                                                values: tuple[Any, ...], where: str) -> None:
        if title and _snake(title) in served:
            entry = served[_snake(title)]
        else:
            # An inline enum without a component name must match a served enum by its values.
            matching = [e for e in served.values() if {o["value"] for o in e["options"]} == set(values)]
            assert matching, f"{where}: enum {values} is not served by {URL} (register_labels it)"
            entry = matching[0]
        labels = {option["value"]: option["label"] for option in entry["options"]}
        assert set(labels) == {str(v) for v in values}, f"{where}: values differ from {URL}"
        assert all(label.strip() for label in labels.values()), f"{where}: empty label"


class TestShape:
    def test_keyed_by_snake_case_name(self, served: dict[str, Any]) -> None:
        assert served["industry"]["name"] == "industry"
        assert served["tech_domain"]["name"] == "tech_domain"

    def test_chinese_labels(self, served: dict[str, Any]) -> None:
        industry = {o["value"]: o["label"] for o in served["industry"]["options"]}
        assert industry["C"] == "制造业"
        assert len(industry) == 20
        domains = {o["value"]: o["label"] for o in served["tech_domain"]["options"]}
        assert domains["electronic_information"] == "电子信息"
        assert len(domains) == 8
        assert {o["value"] for o in served["enterprise_status"]["options"]} == {"active", "moved_out", "closed"}

    def test_options_keep_the_declared_order(self, served: dict[str, Any]) -> None:
        assert [o["value"] for o in served["industry"]["options"]][:3] == ["A", "B", "C"]

    def test_needs_a_token(self, anonymous_client: TestClient) -> None:
        assert anonymous_client.get(URL).status_code == 401
