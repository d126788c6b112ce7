"""HTTP routes of imports: ``/imports`` (the kinds), ``/imports/{kind}`` and its template."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from app.auth import service as auth
from app.auth.dependencies import ActorDep, bearer_token
from app.auth.roles import Role
from app.errors import DomainError, problem_responses, request_language
from app.http.deps import SessionDep
from app.http.transaction import TransactionalRoute, before_write_gate
from app.imports import service
from app.imports.kinds import get_kind
from app.imports.schemas import ImportKindInfo, ImportReport, OnError
from app.imports.template import XLSX_MEDIA_TYPE, build_template
from app.messages import Text

router = APIRouter(prefix="/imports", tags=["imports"], route_class=TransactionalRoute)

MAX_FILE_BYTES = 50 * 1024 * 1024
# The whole multipart body: the file and the form's few lines around it.
MAX_UPLOAD_BODY = MAX_FILE_BYTES + 64 * 1024

Kind = Annotated[str, Path(max_length=50, description="What the file holds: see GET /imports for the kinds.")]


class FileTooLarge(DomainError):
    status, slug, title = 413, "payload-too-large", Text("File too large", "文件过大")


@router.get("")
def list_import_kinds() -> list[ImportKindInfo]:
    """What can be imported, with every column's header, accepted aliases and rules."""
    return service.describe_kinds()


@router.get(
    "/{kind}/template.xlsx", response_class=Response,
    responses={200: {"description": "An empty workbook with the headers, and a sheet explaining each column.",
                     "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
               **problem_responses(404, 422)},
)
def get_import_template(kind: Kind) -> Response:
    """Download the Excel template of an import kind."""
    found = get_kind(kind)
    file_name = quote(f"{found.title}导入模板.xlsx")
    return Response(build_template(found), media_type=XLSX_MEDIA_TYPE, headers={
        "Content-Disposition": f"attachment; filename=\"{found.name}-template.xlsx\"; filename*=UTF-8''{file_name}",
    })


def _file_name(file: StarletteUpload) -> str:
    # Some browsers send the whole client-side path; the report and audit row keep only the name.
    return (file.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"


async def _prepare_upload(request: Request) -> None:
    """Read, parse and validate the upload (reading the registry, never writing) before the request waits
    for its turn to write: on SQLite a large file then holds up other writers only while its rows are
    written. Only for a caller who may import; anything unexpected is left to the endpoint, which answers
    it exactly as without this step."""
    kind = request.path_params.get("kind", "")
    try:
        on_error = OnError(request.query_params.get("on_error", OnError.abort.value))
        file = (await request.form()).get("file")
    except ValueError:
        return
    if not isinstance(file, StarletteUpload) or len(kind) > 50 or (file.size or 0) > MAX_FILE_BYTES:
        return
    await run_in_threadpool(_prepare, request, kind, file, on_error)


def _prepare(request: Request, kind: str, file: StarletteUpload, on_error: OnError) -> None:
    session: Session = request.app.state.session_factory(False)
    try:
        token = bearer_token(request)
        principal = auth.resolve_token(session, token) if token and len(token) <= 200 else None
        if principal is None or principal.role is Role.viewer:
            return
        try:
            request.state.prepared_import = service.prepare_import(
                session, kind, file.file, file_name=_file_name(file), on_error=on_error)
        except DomainError as exc:
            request.state.prepared_import = exc  # raised by the endpoint, after the request's own checks
    finally:
        session.close()


@router.post("/{kind}", responses=problem_responses(404, 413, 422))
@before_write_gate(_prepare_upload)
def import_spreadsheet(
    kind: Kind,
    file: Annotated[UploadFile, File(description=".xlsx, or .csv in UTF-8 (with or without BOM) or GBK/GB18030.")],
    session: SessionDep,
    actor: ActorDep,
    request: Request,
    dry_run: Annotated[bool, Query(description="Check and report, save nothing.")] = False,
    on_error: Annotated[OnError, Query(description="abort: save nothing while any row is rejected; skip: save "
                                       "the valid rows and report the others.")] = OnError.abort,
) -> ImportReport:
    """Create or update records from a spreadsheet, all in one transaction; 422 lists every rejected cell."""
    get_kind(kind)
    if file.size is not None and file.size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise FileTooLarge(Text(f"The file is larger than {limit} MB: split it.", f"文件超过 {limit} MB：请拆分。"))
    prepared = getattr(request.state, "prepared_import", None)
    if isinstance(prepared, DomainError):
        raise prepared
    if prepared is None:
        prepared = service.prepare_import(session, kind, file.file, file_name=_file_name(file), on_error=on_error)
    report = service.write_import(session, prepared, dry_run=dry_run, actor=actor)
    return report.in_language(request_language(request))
