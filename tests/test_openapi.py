"""The committed OpenAPI document is what the app serves: a client generated from it never drifts."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter

from app.auth.schemas import Login
from app.config import Settings
from app.main import create_app, openapi_document

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_committed_document_matches_the_app() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == openapi_document(), "openapi/openapi.json is stale: run `make openapi` and commit it"


def test_every_operation_has_a_stable_id_and_a_summary() -> None:
    ids = []
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
            assert operation.get("summary") or operation.get("description"), f"{method.upper()} {path}"
            ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))


@functools.cache
def _document() -> dict[str, Any]:
    return openapi_document()


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in _document()["paths"].items()
            for method, op in item.items()]


def _parameter_names(operation: dict[str, Any]) -> set[str]:
    parameters = _document()["components"]["parameters"]
    names = set()
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = parameters[parameter["$ref"].rsplit("/", 1)[-1]]
        names.add(parameter["name"])
    return names


class TestHeadersAreDeclared:
    def test_writes_to_a_record_declare_if_match_and_its_errors(self) -> None:
        for path, method, op in _operations():
            if method in ("patch", "delete") and "{" in path and path.startswith("/api/v1/"):
                if "/api-tokens/" in path:
                    continue  # revoking a token has no version to match
                assert "If-Match" in _parameter_names(op), f"{method} {path}"
                assert {"412", "428"} <= set(op["responses"]), f"{method} {path}"

    def test_authenticated_posts_declare_idempotency_key_and_the_replay_header(self) -> None:
        posts = [(p, op) for p, m, op in _operations() if m == "post" and op.get("security") != []]
        assert posts
        for path, op in posts:
            assert "Idempotency-Key" in _parameter_names(op), path
            ok = [r for code, r in op["responses"].items() if code.startswith("2")]
            assert all("Idempotent-Replayed" in r["headers"] for r in ok), path

    def test_created_records_send_location_and_etag(self) -> None:
        create_visit = _document()["paths"]["/api/v1/visits"]["post"]["responses"]["201"]["headers"]
        assert {"Location", "ETag", "Idempotent-Replayed", "X-Request-ID"} <= set(create_visit)
        get_app = _document()["paths"]["/api/v1/applications/{application_id}"]["get"]
        assert "If-None-Match" in _parameter_names(get_app)
        assert "ETag" in get_app["responses"]["304"]["headers"]

    def test_login_declares_retry_after_on_429(self) -> None:
        login = _document()["paths"]["/api/v1/auth/token"]["post"]
        assert "Retry-After" in login["responses"]["429"]["headers"]


class TestErrorsAndSecurity:
    def test_errors_are_problem_json_only(self) -> None:
        for path, method, op in _operations():
            for code, response in op["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], f"{method} {path} {code}"

    def test_protected_operations_declare_401_and_writes_403(self) -> None:
        for path, method, op in _operations():
            if op.get("security") == []:
                continue
            assert "401" in op["responses"], f"{method} {path}"
            if method != "get" and not path.startswith(("/api/v1/auth/", "/api/v1/api-tokens")):
                assert "403" in op["responses"], f"{method} {path}"

    def test_public_routes_say_so(self) -> None:
        public = {(p, m) for p, m, op in _operations() if op.get("security") == []}
        assert public == {("/api/v1/auth/token", "post"), ("/healthz", "get"), ("/readyz", "get"),
                          ("/metrics", "get")}
        document = _document()
        assert document["security"] == [{"OAuth2PasswordBearer": []}]
        assert document["servers"]
        assert document["info"]["license"]["identifier"] == "Apache-2.0"
        assert all(tag.get("description") for tag in document["tags"])


class TestRequestBodyExamples:
    def test_every_request_body_has_an_example_the_app_accepts(self) -> None:
        app = create_app(Settings(database_url="sqlite://"))
        bodies: dict[str, Any] = {ctx.unique_id: ctx.body_field.field_info.annotation
                                  for ctx in iter_route_contexts(app.routes)
                                  if isinstance(ctx.original_route, APIRoute) and ctx.body_field is not None}
        bodies["create_token"] = Login  # read by a dependency: JSON or the OAuth2 form
        for path, method, op in _operations():
            if "requestBody" not in op:
                continue
            for media_type, media in op["requestBody"]["content"].items():
                assert "example" in media, f"{method} {path} {media_type}"
                if media_type == "application/json":
                    TypeAdapter(bodies[op["operationId"]]).validate_python(media["example"])

    def test_optional_fields_of_create_bodies_stay_optional_for_generators(self) -> None:
        schemas = _document()["components"]["schemas"]
        create = schemas["EnterpriseCreate"]
        assert "above_scale" not in create["required"]
        assert "default" not in create["properties"]["above_scale"]
        assert "Default: false" in create["properties"]["above_scale"]["description"]
        assert schemas["EnterpriseRead"]["properties"]["above_scale"]["type"] == "boolean"
