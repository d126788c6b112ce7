"""Who is calling, and may they: the dependencies every protected route uses."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.auth import service
from app.auth.roles import Role
from app.auth.service import Forbidden, Principal, Unauthorized
from app.http.transaction import SAFE_METHODS, on_request_thread, request_session
from app.messages import Text

TOKEN_URL = "/api/v1/auth/token"

_UNSET = object()


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def request_principal(request: Request, session: Session) -> Principal | None:
    """Resolve the bearer token once per request."""
    cached = getattr(request.state, "principal", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    token = bearer_token(request)
    principal = service.resolve_token(session, token) if token and len(token) <= 200 else None
    request.state.principal = principal
    return principal


class _SignedIn(OAuth2PasswordBearer):
    """The principal of the request's bearer token, or 401 as problem+json.

    One dependency, that is also the OAuth2 scheme the OpenAPI document names: FastAPI solves every dependency
    of a dependency again wherever it is used (the routers' and the endpoint's), so the session and the scheme
    as dependencies of their own cost a read more than the token's look-up does."""

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        session = await request_session(request)
        # A read running its whole handler in a worker thread looks the token up in place; otherwise the
        # look-up (and a write's last-used stamp) takes one trip through the thread pool.
        if on_request_thread():
            principal = _principal_of(request, session)
        else:
            principal = await run_in_threadpool(_principal_of, request, session)
        if principal is None:
            if bearer_token(request) is None:
                raise Unauthorized(Text(
                    "Log in first: send 'Authorization: Bearer <token>' (POST /api/v1/auth/token).",
                    "请先登录：发送 'Authorization: Bearer <令牌>'（POST /api/v1/auth/token）。"))
            raise Unauthorized(Text("This token is unknown, expired or revoked: log in again.",
                                    "令牌无效、已过期或已被撤销：请重新登录。"))
        return principal


# auto_error=False: we answer 401 as problem+json ourselves.
current_principal = _SignedIn(tokenUrl=TOKEN_URL, scheme_name="OAuth2PasswordBearer", auto_error=False)


def _principal_of(request: Request, session: Session) -> Principal | None:
    principal = request_principal(request, session)
    if principal is not None and request.method not in SAFE_METHODS:
        service.touch_token(session, principal.token_id)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def writers_only(request: Request, principal: CurrentPrincipal) -> None:
    """Viewers read; only staff and admins change records."""
    if request.method not in SAFE_METHODS and principal.role is Role.viewer:
        raise Forbidden(Text("Your account can read but not change records (role: viewer).",
                             "您的账号只能查看、不能修改记录（角色：viewer）。"))


async def admins_only(principal: CurrentPrincipal) -> None:
    if principal.role is not Role.admin:
        raise Forbidden(Text("Only an admin may do this.", "只有管理员可以执行此操作。"))


async def current_actor(request: Request, principal: CurrentPrincipal) -> Actor:
    return principal.actor(getattr(request.state, "request_id", None))


ActorDep = Annotated[Actor, Depends(current_actor)]
