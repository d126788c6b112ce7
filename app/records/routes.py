"""The six routes of an archivable record kind, built once: list, create, read, change (If-Match), archive
(If-Match) and restore — with ETags, Location, problem responses and operation ids ``verb_noun``.

FastAPI reads a route's body, query and response models from the handler's signature; the handlers here
are generic, so each gets a signature naming the kind's own schemas before it is registered.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel

from app.auth.dependencies import ActorDep
from app.errors import problem_responses
from app.http.conditional import check_if_match, etag_for, require_if_match, set_etag
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging
from app.records import crud
from app.records.crud import RecordKind


@dataclass(frozen=True)
class RecordSchemas:
    create: type[BaseModel]
    update: type[BaseModel]  # a PatchModel: .changes() gives the fields sent
    read: type[BaseModel]
    filter: type[BaseModel]
    create_example: dict[str, Any] | None = None  # shown in the OpenAPI document; a test validates it
    update_example: dict[str, Any] | None = None


def _example(example: dict[str, Any] | None) -> dict[str, Any] | None:
    if example is None:
        return None
    return {"requestBody": {"content": {"application/json": {"example": example}}}}


def _typed(handler: Callable[..., Any], **annotations: Any) -> Callable[..., Any]:
    """Give ``handler`` a signature whose named parameters carry the kind's own types."""
    signature = inspect.signature(handler)
    handler.__signature__ = signature.replace(parameters=[  # type: ignore[attr-defined]
        p.replace(annotation=annotations.get(p.name, p.annotation)) for p in signature.parameters.values()])
    return handler


def add_record_routes(
    router: APIRouter, kind: RecordKind, schemas: RecordSchemas, *, singular: str, plural: str,
    described: str, write_dependencies: Sequence[Any] = (),
) -> None:
    """Register the kind's routes on ``router`` (whose prefix is the collection's path).

    ``singular``/``plural`` name the operations (``create_technology_contract``, ``list_technology_contracts``);
    ``described`` is the English noun phrase of the summaries; ``write_dependencies`` guard the writes
    beyond the router's own (e.g. admins only).
    """
    read = schemas.read
    record_id = Annotated[int, Path(ge=1, le=2_147_483_647, description=f"Id of the {described}.")]
    guard = [Depends(d) for d in write_dependencies]
    get_name = f"get_{singular}"

    def shown(record: Any) -> Any:
        return read.model_validate(record)

    def list_handler(session: SessionDep, page: Paging, filters: Any) -> Any:
        rows, total = crud.list_records(session, kind, filters=filters, page=page)
        return Page[read](items=[shown(r) for r in rows], total=total,  # type: ignore[valid-type]
                          limit=page.limit, offset=page.offset, next=page.next_url(total))

    def create_handler(data: Any, session: SessionDep, actor: ActorDep, request: Request,
                       response: Response) -> Any:
        record = crud.create(session, kind, data, actor=actor)
        response.headers["Location"] = request.app.url_path_for(get_name, record_id=str(record.id))
        set_etag(response, record.version)
        return shown(record)

    def get_handler(record_id: Any, session: SessionDep, response: Response) -> Any:
        record = crud.get(session, kind, record_id)
        set_etag(response, record.version)
        return shown(record)

    def update_handler(record_id: Any, data: Any, session: SessionDep, actor: ActorDep, request: Request,
                       response: Response) -> Any:
        record = crud.get(session, kind, record_id)
        require_if_match(request, record.version)
        crud.update(session, kind, record, data.changes(), actor=actor)
        set_etag(response, record.version)
        return shown(record)

    def archive_handler(record_id: Any, session: SessionDep, actor: ActorDep, request: Request) -> Response:
        record = crud.get(session, kind, record_id)
        require_if_match(request, record.version)
        crud.archive(session, kind, record, actor=actor)
        return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": etag_for(record.version)})

    def restore_handler(record_id: Any, session: SessionDep, actor: ActorDep, request: Request,
                        response: Response) -> Any:
        record = crud.get(session, kind, record_id)
        check_if_match(request.headers.get("if-match"), record.version)
        crud.restore(session, kind, record, actor=actor)
        set_etag(response, record.version)
        return shown(record)

    filters = Annotated[schemas.filter, Query()]  # type: ignore[name-defined]
    router.add_api_route(
        "", _typed(list_handler, filters=filters), methods=["GET"], name=f"list_{plural}",
        response_model=Page[read], responses=problem_responses(422),  # type: ignore[valid-type]
        description=f"List {described}s, filtered, sorted and paginated.")
    router.add_api_route(
        "", _typed(create_handler, data=schemas.create), methods=["POST"], name=f"create_{singular}",
        status_code=status.HTTP_201_CREATED, response_model=read, responses=problem_responses(409, 422),
        dependencies=guard, description=f"Record a {described}.", openapi_extra=_example(schemas.create_example))
    router.add_api_route(
        "/{record_id}", _typed(get_handler, record_id=record_id), methods=["GET"], name=get_name,
        response_model=read, responses=problem_responses(404, 422),
        description=f"Read one {described} (archived ones too).")
    router.add_api_route(
        "/{record_id}", _typed(update_handler, record_id=record_id, data=schemas.update), methods=["PATCH"],
        name=f"update_{singular}", response_model=read, responses=problem_responses(404, 409, 412, 422, 428),
        dependencies=guard, description=f"Change some fields of a {described}; requires If-Match.",
        openapi_extra=_example(schemas.update_example))
    router.add_api_route(
        "/{record_id}", _typed(archive_handler, record_id=record_id), methods=["DELETE"],
        name=f"archive_{singular}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
        responses=problem_responses(404, 412, 422, 428), dependencies=guard,
        description=f"Archive a {described} (restorable); requires If-Match.")
    router.add_api_route(
        "/{record_id}/restore", _typed(restore_handler, record_id=record_id), methods=["POST"],
        name=f"restore_{singular}", response_model=read, responses=problem_responses(404, 409, 412, 422),
        dependencies=guard, description=f"Bring an archived {described} back into the lists and statistics.")
