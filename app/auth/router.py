"""HTTP routes: logging in and out, one's own account and API tokens, and (admins) user management."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.auth import passwords, service
from app.auth.dependencies import ActorDep, CurrentPrincipal, admins_only, bearer_token
from app.auth.passwords import verify_password
from app.auth.roles import Role
from app.auth.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenRead,
    Login,
    Me,
    PasswordChange,
    PasswordReset,
    TokenIssued,
    UserCreate,
    UserRead,
    UserUpdate,
)
from app.auth.service import Unauthorized
from app.errors import InvalidInput, problem_response, problem_responses, request_language
from app.http.conditional import require_if_match, set_etag
from app.http.deps import SessionDep
from app.http.pagination import Page, Paging
from app.http.proxies import client_address
from app.http.transaction import TransactionalRoute, before_write_gate, shown_once
from app.messages import Text

# No token needed to ask for one.
login_router = APIRouter(prefix="/auth", tags=["auth"], route_class=TransactionalRoute)
# Any signed-in user, viewers included, manages their own session and tokens.
account_router = APIRouter(tags=["auth"], route_class=TransactionalRoute)
users_router = APIRouter(prefix="/users", tags=["users"], route_class=TransactionalRoute,
                         dependencies=[Depends(admins_only)])

Id = Annotated[int, Path(ge=1, le=2_147_483_647)]


async def login_credentials(request: Request) -> Login:
    """The credentials of a JSON body, or of the OAuth2 password form (what /docs' Authorize button sends)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
        return _valid_login(await request.body())
    form = await request.form()
    if form.get("grant_type") not in (None, "password"):
        raise InvalidInput.at(["body", "grant_type"], Text("must be 'password'", "应为 password"), "literal_error")
    fields = {name: form.get(name) for name in ("username", "password") if isinstance(form.get(name), str)}
    return _valid_login(fields)


def _valid_login(data: bytes | dict[str, Any]) -> Login:
    try:
        return Login.model_validate_json(data) if isinstance(data, bytes) else Login.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc


_LOGIN_SCHEMA = {**Login.model_json_schema(), "required": ["username", "password"]}
_LOGIN_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": _LOGIN_SCHEMA, "example": {"username": "zhangwei", "password": "initial-pass-1"}},
    "application/x-www-form-urlencoded": {
        "schema": {**_LOGIN_SCHEMA, "properties": {
            **_LOGIN_SCHEMA["properties"], "grant_type": {"type": "string", "const": "password"}}},
        "example": {"username": "zhangwei", "password": "initial-pass-1", "grant_type": "password"}},
}}}


# --- password work before the write gate -----------------------------------------------------------


def _stored_hash(request: Request, *, username: str | None = None, token: str | None = None) -> str | None:
    """The password hash a login (by username) or a signed-in request (by token) will be checked against,
    read in a read-only session of its own."""
    session = request.app.state.session_factory(False)
    try:
        if token is not None:
            principal = service.resolve_token(session, token)
            user = service.get_user(session, principal.user_id) if principal else None
        else:
            user = service.find_user(session, (username or "").strip().lower()[:50])
        return user.password_hash if user is not None and user.active else None
    finally:
        session.close()


async def _prepare_login(request: Request) -> None:
    try:
        credentials = await login_credentials(request)
    except (RequestValidationError, InvalidInput):
        return  # the route answers the 422
    username, password = credentials.username, credentials.password
    if len(password) > passwords.MAX_LENGTH:
        return
    prepared = passwords.start_preparing()
    stored = await run_in_threadpool(_stored_hash, request, username=username)
    await run_in_threadpool(passwords.prepare_verification, prepared, password, stored)


def _prepare_passwords(*new: str, current: str | None = None) -> Callable[[Request], Awaitable[None]]:
    """Hash the new passwords (and check the current one) a signed-in request's JSON body carries."""
    async def prepare(request: Request) -> None:
        token = bearer_token(request)
        if token is None:
            return
        try:
            body = await request.json()
        except ValueError:
            return
        if not isinstance(body, dict):
            return
        prepared = passwords.start_preparing()
        for field in new:
            value = body.get(field)
            if isinstance(value, str) and passwords.password_problem(value) is None:
                await run_in_threadpool(passwords.prepare_hash, prepared, value)
        value = body.get(current) if current else None
        if isinstance(value, str) and len(value) <= passwords.MAX_LENGTH:
            stored = await run_in_threadpool(_stored_hash, request, token=token)
            if stored is not None:
                await run_in_threadpool(passwords.prepare_verification, prepared, value, stored)
    return prepare


@login_router.post("/token", responses=problem_responses(401, 409, 422, 429), openapi_extra=_LOGIN_BODY)
@before_write_gate(_prepare_login)
@shown_once("access_token")
def create_token(
    credentials: Annotated[Login, Depends(login_credentials)], session: SessionDep, request: Request
) -> TokenIssued:
    """Log in with username and password (a JSON body or the OAuth2 password form); returns a bearer token.

    The token is shown only in this answer: Seedbed stores only its hash. A retry with the same
    Idempotency-Key is refused with 409 instead of showing it again (log in again, with a new key)."""
    settings = request.app.state.settings
    user = service.authenticate(session, credentials.username, credentials.password,
                                address=client_address(request), settings=settings)
    if user is None:
        # The failure row must be committed, so this is returned rather than raised.
        error = Unauthorized(Text("Wrong username or password, or the account is deactivated.",
                                  "用户名或密码错误，或账号已停用。"))
        return problem_response(error.status, error.slug, error.title, error.detail,  # type: ignore[return-value]
                                instance=request.url.path, headers=error.headers, lang=request_language(request))
    token, plaintext = service.issue_session_token(session, user, settings=settings)
    assert token.expires_at is not None
    return TokenIssued(access_token=plaintext, expires_at=token.expires_at, role=Role(user.role),
                       user=UserRead.model_validate(user))


@account_router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401))
def logout(principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Revoke the token this request carries."""
    service.revoke_token(session, principal.token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@account_router.get("/auth/me", responses=problem_responses(401))
def get_me(principal: CurrentPrincipal) -> Me:
    """The signed-in user and the effective role of this token."""
    return Me(user=UserRead.model_validate(principal.account), role=principal.role, token_kind=principal.token_kind,
              token_expires_at=principal.token_expires_at)


@account_router.post("/auth/password", status_code=status.HTTP_204_NO_CONTENT,
                     responses=problem_responses(401, 422))
@before_write_gate(_prepare_passwords("new_password", current="current_password"))
def change_password(data: PasswordChange, principal: CurrentPrincipal, session: SessionDep, actor: ActorDep
                    ) -> Response:
    """Change your own password; every login and API token of yours ends (log in again)."""
    user = service.get_user(session, principal.user_id)
    if not verify_password(data.current_password, user.password_hash):
        raise InvalidInput.at(["body", "current_password"], Text("the current password is wrong", "当前密码不正确"),
                                "wrong_password")
    service.set_password(session, user, data.new_password, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@account_router.post("/api-tokens", status_code=status.HTTP_201_CREATED,
                     responses=problem_responses(401, 403, 409, 422))
@shown_once("token")
def create_api_token(data: ApiTokenCreate, principal: CurrentPrincipal, session: SessionDep, actor: ActorDep,
                     request: Request, response: Response) -> ApiTokenCreated:
    """Create a named long-lived token for a script; the token is shown only in this response.

    Seedbed stores only the token's hash, and keeps no copy for an Idempotency-Key: a retry with the same key
    is refused with 409, naming the token the first request created (in `location`). If that answer was
    lost, revoke that token and create a new one with a new key."""
    token, plaintext = service.create_api_token(session, principal, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_api_token", token_id=str(token.id))
    return ApiTokenCreated.model_validate({**ApiTokenRead.model_validate(token).model_dump(), "token": plaintext})


@account_router.get("/api-tokens", responses=problem_responses(401, 422))
def list_api_tokens(
    principal: CurrentPrincipal, session: SessionDep, page: Paging,
    all_users: Annotated[bool, Query(description="Admins: list every user's tokens.")] = False,
) -> Page[ApiTokenRead]:
    """Your API tokens (never the tokens themselves)."""
    rows, total = service.list_api_tokens(session, principal, page, all_users=all_users)
    return Page(items=[ApiTokenRead.model_validate(t) for t in rows], total=total, limit=page.limit,
                offset=page.offset, next=page.next_url(total))


@account_router.get("/api-tokens/{token_id}", responses=problem_responses(401, 404, 422))
def get_api_token(token_id: Id, principal: CurrentPrincipal, session: SessionDep) -> ApiTokenRead:
    """One of your API tokens."""
    return ApiTokenRead.model_validate(service.get_api_token(session, principal, token_id))


@account_router.delete("/api-tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT,
                       responses=problem_responses(401, 404, 422))
def revoke_api_token(token_id: Id, principal: CurrentPrincipal, session: SessionDep, actor: ActorDep) -> Response:
    """Revoke an API token: it stops working at once."""
    service.revoke_api_token(session, service.get_api_token(session, principal, token_id), actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- users (admins) -------------------------------------------------------------------------------


@users_router.get("", responses=problem_responses(401, 403, 422))
def list_users(
    session: SessionDep, page: Paging, active: Annotated[bool | None, Query(description="Filter by state.")] = None
) -> Page[UserRead]:
    """List staff accounts."""
    rows, total = service.list_users(session, page, active=active)
    return Page(items=[UserRead.model_validate(u) for u in rows], total=total, limit=page.limit,
                offset=page.offset, next=page.next_url(total))


@users_router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(401, 403, 409, 422))
@before_write_gate(_prepare_passwords("password"))
def create_user(data: UserCreate, session: SessionDep, actor: ActorDep, request: Request, response: Response
                ) -> UserRead:
    """Create a staff account."""
    user = service.create_user(session, data, actor=actor)
    response.headers["Location"] = request.app.url_path_for("get_user", user_id=str(user.id))
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@users_router.get("/{user_id}", responses=problem_responses(401, 403, 404, 422))
def get_user(user_id: Id, session: SessionDep, response: Response) -> UserRead:
    """One staff account."""
    user = service.get_user(session, user_id)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@users_router.patch("/{user_id}", responses=problem_responses(401, 403, 404, 409, 412, 422, 428))
def update_user(user_id: Id, data: UserUpdate, session: SessionDep, actor: ActorDep, request: Request,
                response: Response) -> UserRead:
    """Rename, change role, deactivate (active=false) or reactivate an account; requires If-Match."""
    user = service.get_user(session, user_id)
    require_if_match(request, user.version)
    service.update_user(session, user, data.changes(), actor=actor)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@users_router.post("/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT,
                   responses=problem_responses(401, 403, 404, 422))
@before_write_gate(_prepare_passwords("new_password"))
def reset_password(user_id: Id, data: PasswordReset, session: SessionDep, actor: ActorDep) -> Response:
    """Set a new password for an account; its logins and API tokens end."""
    user = service.get_user(session, user_id)
    service.set_password(session, user, data.new_password, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
