"""Query-parameter models (``filters: Annotated[EnterpriseFilter, Query()]``) read in one pass.

FastAPI reads such a model field by field, asking of each field's type on every request whether it is a list:
about 55 µs for the firm list's fifteen filters, where reading the query string once and validating the model
from it takes 2 µs — a twentieth of a page that is kept, or of a search for a word not searched before.

``TransactionalRoute`` has the reads it serialises itself read their query models with ``reader(model)``
instead. The answer is the same model, or the same errors (``query`` then the field, as FastAPI reports them),
and the OpenAPI document the same: it lists, for each such route, the parameters (and the schemas they refer to)
that FastAPI itself writes for the model (``documented``, ``app/http/openapi.py``).
``tests/http/test_query_models.py`` compares both ways.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import types
import typing
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.params import Query
from pydantic import BaseModel, ValidationError

_SEQUENCES = (list, set, frozenset, tuple)
_REF = re.compile(r'"#/components/schemas/([^"]+)"')
# What a Query() can set that FastAPI would read or document: a model's parameter read here sets none of it.
_SETTINGS = ("alias", "validation_alias", "title", "description", "examples", "openapi_examples", "deprecated",
             "include_in_schema", "json_schema_extra", "default", "default_factory", "convert_underscores")


def _settings(query: Any) -> tuple[Any, ...]:
    return tuple(repr(getattr(query, name, None)) for name in _SETTINGS)


_PLAIN = _settings(Query())
# Where a route keeps the query models it reads in one pass, for the OpenAPI document's schemas.
QUERY_MODELS_ATTRIBUTE = "__query_models__"


def _is_sequence(annotation: Any) -> bool:
    """Whether a field takes repeated parameters (``?tag=a&tag=b``): a list, set or tuple, or one of them or None."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _is_sequence(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_sequence(arg) for arg in typing.get_args(annotation) if arg is not type(None))
    return (origin or annotation) in _SEQUENCES


def readable(model: Any) -> bool:
    """A model this module reads as FastAPI would: fields under their own names, other parameters ignored."""
    return (isinstance(model, type) and issubclass(model, BaseModel)
            and model.model_config.get("extra") in (None, "ignore")
            and all(f.alias is None and f.validation_alias is None for f in model.model_fields.values()))


@functools.cache
def reader(model: type[BaseModel]) -> Callable[[Request], Awaitable[BaseModel]]:
    """The dependency that reads ``model`` from the query string in one pass."""
    fields = frozenset(model.model_fields)
    repeated = frozenset(name for name, f in model.model_fields.items() if _is_sequence(f.annotation))

    # async: FastAPI calls it in place, where a plain function would cost a trip through the thread pool.
    async def read(request: Request) -> BaseModel:
        query = request.query_params
        # As FastAPI: a repeatable field takes every value, another the last one; any other parameter is handed
        # over too (the model ignores it, but an error shows it in its input), its values if repeated.
        values: dict[str, Any] = {}
        for key in query:
            if key in repeated:
                values[key] = query.getlist(key)
            elif key in fields:
                values[key] = query[key]
            else:
                given = query.getlist(key)
                values[key] = given[0] if len(given) == 1 else given
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**error, "loc": ("query", *error["loc"])} for error in exc.errors(include_url=False)]) from None

    read.__name__ = f"read_{model.__name__}"
    return read


def _query_model(annotation: Any) -> type[BaseModel] | None:
    """The model of an ``Annotated[Model, Query()]`` parameter that ``reader`` can read, else None."""
    if typing.get_origin(annotation) is not Annotated:
        return None
    model, *metadata = typing.get_args(annotation)
    # A plain Query(): one that sets anything (an alias, a description) is FastAPI's to read and document.
    if len(metadata) != 1 or type(metadata[0]) is not Query or _settings(metadata[0]) != _PLAIN or not readable(model):
        return None
    return model  # type: ignore[no-any-return]


def read_in_one_pass(signature: inspect.Signature) -> tuple[inspect.Signature, list[type[BaseModel]]]:
    """``signature`` with each query model read by ``reader``, and those models in the order of the parameters."""
    models: list[type[BaseModel]] = []
    parameters = []
    for parameter in signature.parameters.values():
        model = _query_model(parameter.annotation)
        if model is not None:
            models.append(model)
            parameter = parameter.replace(annotation=Annotated[model, Depends(reader(model))])
        parameters.append(parameter)
    return signature.replace(parameters=parameters), models


@functools.cache
def documented(model: type[BaseModel]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The OpenAPI parameters FastAPI writes for ``model`` as a query model, and the schemas they refer to."""
    def read(**_: Any) -> None:
        """Only to be documented."""

    # The annotation as an object: this module's annotations are strings, which FastAPI would resolve here.
    read.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("filters", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[model, Query()])],
        return_annotation=None)
    app = FastAPI()
    app.get("/")(read)
    document = app.openapi()
    parameters = document["paths"]["/"]["get"]["parameters"]
    schemas = document.get("components", {}).get("schemas", {})
    referred: dict[str, Any] = {}
    todo = [parameters]
    while todo:  # the schemas the parameters refer to, and those they refer to
        text = json.dumps(todo.pop())
        for name in _REF.findall(text):
            if name not in referred:
                referred[name] = schemas[name]
                todo.append(schemas[name])
    return parameters, referred
