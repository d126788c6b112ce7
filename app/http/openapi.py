"""The OpenAPI document as clients need it, completed once from what the routes declare.

Routes declare their own errors and response models; this module adds, for every operation, what the HTTP layer
does to all of them: the headers it reads (If-Match where 412/428 are declared, If-None-Match where 304 is,
Idempotency-Key on authenticated POSTs) and sends (ETag, Location, Idempotent-Replayed, X-Request-ID,
Retry-After), the 401/403 of the authentication dependencies, ``security: []`` on public routes, and errors as
``application/problem+json`` only. Generated clients then type these headers instead of leaving them untyped.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from app.auth.dependencies import admins_only, current_principal, writers_only
from app.errors import PROBLEM_JSON, problem_responses
from app.http.examples import REQUEST_EXAMPLES
from app.http.query_models import QUERY_MODELS_ATTRIBUTE, documented
from app.http.transaction import SAFE_METHODS

SECURITY_SCHEME = "OAuth2PasswordBearer"

TAGS: list[dict[str, str]] = [
    {"name": "auth", "description": "Logging in and out, one's own account, and API tokens for scripts."},
    {"name": "users", "description": "Staff accounts and their roles (admins only)."},
    {"name": "people", "description": "Colleagues' names and roles, for every signed-in user."},
    {"name": "enterprises", "description": "The firm registry: firms, their contacts and annual figures."},
    {"name": "ip-rights", "description": "Each firm's IP ledger: items, their class and the application that used "
     "them."},
    {"name": "eligibility", "description": "Which programmes a firm qualifies for, and the cultivation pool."},
    {"name": "pipeline", "description": "Cultivation programmes, applications, their stages and alerts."},
    {"name": "calendar", "description": "The programme calendar per year and high-tech development reports, "
     "which alerts read."},
    {"name": "visits", "description": "Staff visits to firms."},
    {"name": "demands", "description": "Needs firms raised, tracked to resolution."},
    {"name": "policies", "description": "The policy catalogue."},
    {"name": "publicity", "description": "Publicity events: which policies, which firms attended."},
    {"name": "technology contracts", "description": "Technology contracts registered by the technology market."},
    {"name": "innovation platforms", "description": "Research centres, laboratories and other platforms and "
     "carriers."},
    {"name": "cooperation", "description": "Industry–university cooperation agreements."},
    {"name": "indicators", "description": "The statistics bureau's district figures and the yearly targets."},
    {"name": "commissioners", "description": "S&T commissioners and the services they render."},
    {"name": "stats", "description": "Statistics over the registry and the pipeline."},
    {"name": "reports", "description": "The annual report (JSON, Markdown or DOCX)."},
    {"name": "exports", "description": "Lists as CSV or XLSX files, with the lists' filters."},
    {"name": "imports", "description": "Spreadsheet imports and their templates."},
    {"name": "audit", "description": "Who changed what, and a firm's timeline."},
    {"name": "meta", "description": "Enums with their Chinese labels, for forms and tables."},
    {"name": "health", "description": "Probes and metrics for operations (no authentication)."},
]

SERVERS = [{"url": "http://127.0.0.1:8000", "description": "`make run` on this machine"}]

HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {"description": "The record's version as a strong entity tag; send it back in If-Match.",
             "schema": {"type": "string", "example": '"3"'}},
    "Location": {"description": "Path of the record just created.", "schema": {"type": "string"}},
    "IdempotentReplayed": {"description": "`true` when this is the stored response of an earlier request with "
                           "the same Idempotency-Key.", "schema": {"type": "string", "const": "true"}},
    "XRequestID": {"description": "The request's id (yours when you sent a valid one), also in the logs and "
                   "the audit trail.", "schema": {"type": "string"}},
    "RetryAfter": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}},
}

PARAMETERS: dict[str, dict[str, Any]] = {
    "IfMatchRequired": {
        "name": "If-Match", "in": "header", "required": True,
        "description": "The ETag you read (strong, e.g. `\"3\"`); 428 without it, 412 when the record changed.",
        "schema": {"type": "string", "example": '"3"'}},
    "IfMatch": {
        "name": "If-Match", "in": "header", "required": False,
        "description": "Optional: the ETag you read (strong, e.g. `\"3\"`); 412 when the record changed.",
        "schema": {"type": "string", "example": '"3"'}},
    "IfNoneMatch": {
        "name": "If-None-Match", "in": "header", "required": False,
        "description": "The ETag you hold; 304 without a body when the record has not changed.",
        "schema": {"type": "string", "example": '"3"'}},
    "IdempotencyKey": {
        "name": "Idempotency-Key", "in": "header", "required": False,
        "description": "1–255 visible ASCII characters (a UUID), one per user action: a retry with the same key "
        "returns the first response instead of acting twice; the same key with another body is 422.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$",
                   "example": "5f0c7a52-2b1e-4c3e-9d8a-1f2e3d4c5b6a"}},
    "XRequestID": {
        "name": "X-Request-ID", "in": "header", "required": False,
        "description": "Your id for this request (1–128 of A–Z a–z 0–9 . _ : -); echoed back, else one is made.",
        "schema": {"type": "string", "maxLength": 128}},
}


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _calls(dependant: Dependant) -> set[Any]:
    found = set()
    for dep in dependant.dependencies:
        found.add(dep.call)
        found |= _calls(dep)
    return found


def _route_roles(route: Any) -> tuple[bool, bool]:
    """(needs a token, may answer 403) from the route's authentication dependencies."""
    calls = _calls(route.dependant)
    method = next(iter(route.methods))
    forbidden = admins_only in calls or (writers_only in calls and method not in SAFE_METHODS)
    return current_principal in calls, forbidden


def _schema_has_version(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    ref = schema.get("$ref")
    if ref:
        schema = components.get(ref.rsplit("/", 1)[-1], {})
    return "version" in schema.get("properties", {})


def _complete_operation(op: dict[str, Any], route: Any, method: str, path: str,
                        components: dict[str, Any]) -> None:
    protected, forbidden = _route_roles(route)
    responses: dict[str, Any] = op.setdefault("responses", {})
    extra = {422}  # any request: the query string is checked for NUL characters before routing
    if protected:
        extra.add(401)
    if forbidden:
        extra.add(403)
    if "{" in path:
        extra.add(404)
    for status, declared in problem_responses(*sorted(extra)).items():
        responses.setdefault(str(status), {k: v for k, v in declared.items() if k != "model"})
    if not protected:
        op["security"] = []

    params: list[dict[str, Any]] = op.setdefault("parameters", [])
    if "428" in responses:
        params.append(_ref("parameters", "IfMatchRequired"))
    elif "412" in responses:
        params.append(_ref("parameters", "IfMatch"))
    if "304" in responses:
        params.append(_ref("parameters", "IfNoneMatch"))
    idempotent = method == "post" and protected
    if idempotent:
        params.append(_ref("parameters", "IdempotencyKey"))
    params.append(_ref("parameters", "XRequestID"))

    for code, response in responses.items():
        headers: dict[str, Any] = response.setdefault("headers", {})
        headers["X-Request-ID"] = _ref("headers", "XRequestID")
        status = int(code)
        if status >= 400:
            response["content"] = {PROBLEM_JSON: {"schema": _ref("schemas", "Problem")}}
            if status in (429, 503):
                headers["Retry-After"] = _ref("headers", "RetryAfter")
            continue
        schemas = [media.get("schema", {}) for media in response.get("content", {}).values()]
        if status == 304 or any(_schema_has_version(s, components) for s in schemas) or (
                status == 204 and "428" in responses):
            headers["ETag"] = _ref("headers", "ETag")
        if status == 201:
            headers["Location"] = _ref("headers", "Location")
        if idempotent and status < 300:
            headers["Idempotent-Replayed"] = _ref("headers", "IdempotentReplayed")

    body = op.get("requestBody")
    if body:
        for media in body.get("content", {}).values():
            name = media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
            if name in REQUEST_EXAMPLES:
                media["example"] = copy.deepcopy(REQUEST_EXAMPLES[name])


def _reachable(start: Any, schemas: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[-1] not in seen:
                name = ref.rsplit("/", 1)[-1]
                seen.add(name)
                todo.append(schemas.get(name))
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return seen


def _optional_defaults_in_inputs(document: dict[str, Any]) -> None:
    """A request body's field with a default is optional, but openapi-typescript's default options read
    ``default`` as "always present" and make it required. In schemas only requests use, the default is
    therefore stated in the description instead of the ``default`` keyword."""
    schemas = document["components"].get("schemas", {})
    operations = [op for item in document["paths"].values() for op in item.values()]
    inputs = _reachable([op.get("requestBody") for op in operations], schemas)
    outputs = _reachable([op.get("responses") for op in operations], schemas)
    for name in inputs - outputs:
        schema = schemas[name]
        required = set(schema.get("required", ()))
        for field, prop in schema.get("properties", {}).items():
            if field in required or "default" not in prop:
                continue
            default = prop.pop("default")
            shown = json.dumps(default, ensure_ascii=False)
            prop["description"] = (prop.get("description", "").rstrip() + f" Default: {shown}.").strip()


def _drop_unused_schemas(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    while True:
        text = json.dumps({k: v for k, v in document.items() if k != "components"}) + json.dumps(
            {k: v for k, v in document["components"].items() if k != "schemas"})
        text += json.dumps(schemas)
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del schemas[name]


def _query_models_documented(op: dict[str, Any], route: Any, schemas: dict[str, Any]) -> None:
    """The parameters of the query models a route reads in one pass (app/http/query_models.py), which FastAPI does
    not see, as FastAPI writes them and where it puts a query model's (after the path's own), and the schemas they
    refer to."""
    models = getattr(route.endpoint, QUERY_MODELS_ATTRIBUTE, ())
    if not models:
        return
    parameters = op.get("parameters", [])
    at = sum(1 for p in parameters if p.get("in") == "path")
    read: list[dict[str, Any]] = []
    for model in models:
        model_parameters, referred = documented(model)
        read += copy.deepcopy(model_parameters)
        for name, schema in referred.items():
            schemas.setdefault(name, copy.deepcopy(schema))
    op["parameters"] = [*parameters[:at], *read, *parameters[at:]]


def contract_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document, completed (cached on the app like FastAPI's own)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, openapi_version=app.openapi_version, summary=app.summary,
        description=app.description, routes=app.routes, tags=TAGS, servers=SERVERS,
        contact={"name": "Seedbed maintainers"},
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
        separate_input_output_schemas=app.separate_input_output_schemas,
    )
    components = document.setdefault("components", {})
    components.setdefault("headers", {}).update(HEADERS)
    components.setdefault("parameters", {}).update(PARAMETERS)
    schemas = components.get("schemas", {})
    # Each route as the app serves it, with the dependencies of the routers it is included in.
    by_id: dict[str, Any] = {ctx.unique_id: ctx for ctx in iter_route_contexts(app.routes)
                             if isinstance(ctx.original_route, APIRoute)}
    for path, item in document["paths"].items():
        for method, op in item.items():
            route = by_id.get(op.get("operationId", ""))
            if route is not None:
                _complete_operation(op, route, method, path, schemas)
                _query_models_documented(op, route, schemas)
    document["security"] = [{SECURITY_SCHEME: []}]
    _drop_unused_schemas(document)
    _optional_defaults_in_inputs(document)
    app.openapi_schema = document
    return document
