"""Query models read in one pass (app/http/query_models.py) give what FastAPI's own reading gives: the same model,
or the same errors, for every filter model the API's lists read, and the same OpenAPI parameters."""


import inspect
import json
import re
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Query
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.config import Settings
from app.enterprises.schemas import EnterpriseFilter
from app.http import query_models
from app.main import create_app, openapi_document


def _models_read_in_one_pass() -> list[type[BaseModel]]:
    app = create_app(Settings(database_url="sqlite://"))
    found = {model for ctx in iter_route_contexts(app.routes)
             for model in getattr(ctx.endpoint, query_models.QUERY_MODELS_ATTRIBUTE, ())}
    return sorted(found, key=lambda model: model.__qualname__)


MODELS = _models_read_in_one_pass()

QUERIES = (
    "", "q=%E7%A7%91%E6%8A%80&limit=50", "q=", "q=a&q=b", "q=" + "x" * 101,
    "district=A&district=B&district=", "id=3&id=8", "id=0", "id=x&id=2", "id=" + "&id=".join(["1"] * 201),
    "industry=C&industry=nonsense", "tech_domain=", "above_scale=true", "above_scale=maybe", "above_scale=",
    "owner_id=2147483648", "owner_id=-1", "status=active&status=archived&sort=-name",
    "updated_since=2026-11-01T00:00:00", "updated_since=2026-11-01T08:00:00%2B08:00", "updated_since=yesterday",
    "include_archived=1", "include_archived=", "sort=" + "a" * 201, "unknown=1&limit=5&offset=7",
    "year=2025&year=1800", "program=hte&stage=submitted&stage=nope", "kind=visit&visited_from=2026-02-30",
    "raised_from=2026-01-01&raised_to=2025-01-01", "overdue=true&assignee_id=4", "since=2026-01-01&until=x",
    "entity_type=enterprise&entity_id=7&action=update", "level=national&in_force_on=2026-11-28",
    "policy_id=1&enterprise_id=2&held_from=2026-01-01", "category=%E8%B5%84%E9%87%91", "q=%00",
    "program=tech_sme&year=2026&district=A&district=B&owner_id=3", "program=high_tech&year=1990",
)


def _app(model: type[BaseModel]) -> FastAPI:
    app = FastAPI()

    def answer(filters: BaseModel) -> dict[str, Any]:
        return {"model": type(filters).__name__, "values": filters.model_dump(mode="json")}

    @app.get("/fastapi")
    def by_fastapi(filters: Annotated[model, Query()]) -> dict[str, Any]:  # type: ignore[valid-type]
        return answer(filters)

    @app.get("/one-pass")
    def in_one_pass(filters: Annotated[model, Depends(query_models.reader(model))]) -> dict[str, Any]:  # type: ignore[valid-type]
        return answer(filters)

    return app


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_same_model_or_the_same_errors(model: type[BaseModel]) -> None:
    assert query_models.readable(model)
    with TestClient(_app(model)) as client:
        differing = []
        statuses = set()
        for query in QUERIES:
            theirs, ours = client.get(f"/fastapi?{query}"), client.get(f"/one-pass?{query}")
            statuses.add(theirs.status_code)
            if (theirs.status_code, theirs.json()) != (ours.status_code, ours.json()):
                differing.append((query, theirs.json(), ours.json()))
        assert not differing
        assert statuses == {200, 422}  # the queries try both ways


def test_the_lists_read_their_filters_in_one_pass() -> None:
    assert {"EnterpriseFilter", "ApplicationFilter", "VisitFilter", "DemandFilter", "AuditFilter"} <= {
        model.__name__ for model in MODELS}


def test_repeated_and_single_parameters() -> None:
    read = query_models.reader(EnterpriseFilter)
    with TestClient(_app(EnterpriseFilter)) as client:
        values = client.get("/one-pass?district=A&district=B&q=a&q=b&above_scale=true").json()["values"]
    assert values["district"] == ["A", "B"]  # every value of a list
    assert values["q"] == "b"  # the last of a single value, as FastAPI takes it
    assert values["above_scale"] is True
    assert inspect.iscoroutinefunction(read)  # called in place, not through the thread pool


def test_models_with_aliases_extra_rules_or_query_settings_are_left_to_fastapi() -> None:
    from pydantic import ConfigDict, Field

    class Aliased(BaseModel):
        q: str | None = Field(default=None, alias="query")

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid")
        q: str | None = None

    assert not query_models.readable(Aliased)
    assert not query_models.readable(Strict)
    signature = inspect.Signature([inspect.Parameter("f", inspect.Parameter.KEYWORD_ONLY,
                                                     annotation=Annotated[Strict, Query()])])
    assert query_models.read_in_one_pass(signature)[1] == []
    described = inspect.Signature([inspect.Parameter("f", inspect.Parameter.KEYWORD_ONLY,
                                                     annotation=Annotated[EnterpriseFilter, Query(description="x")])])
    assert query_models.read_in_one_pass(described)[1] == []
    plain = described.replace(parameters=[described.parameters["f"].replace(
        annotation=Annotated[EnterpriseFilter, Query()])])
    assert query_models.read_in_one_pass(plain)[1] == [EnterpriseFilter]


def test_the_firm_list_documents_its_filters_as_fastapi_would() -> None:
    document = openapi_document()
    operation = document["paths"]["/api/v1/enterprises"]["get"]
    names = [p.get("name") for p in operation["parameters"]]
    # The filters first, as FastAPI lists an endpoint's own query model, then the page's parameters.
    assert names[:3] == ["q", "id", "district"]
    assert names.index("sort") < names.index("limit")
    fastapi_own = query_models.documented(EnterpriseFilter)[0]
    assert [p for p in operation["parameters"] if p.get("name") in {p["name"] for p in fastapi_own}] == fastapi_own
    # Every schema the document refers to is in it (the filters' enums among them).
    text = json.dumps(document)
    referred = set(re.findall(r'"#/components/schemas/([^"]+)"', text))
    assert referred <= set(document["components"]["schemas"])
    assert '"#/components/schemas/Industry"' in json.dumps(operation)

