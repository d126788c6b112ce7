"""Users, logins, tokens and login throttling. Never commits; raises DomainErrors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.audit import service as audit
from app.audit.service import Actor
from app.auth.models import LoginFailure, Token, User
from app.auth.passwords import burn_verification_time, hash_password, password_problem, verify_password
from app.auth.roles import Role, lower_of
from app.auth.schemas import ApiTokenCreate, UserCreate
from app.config import BUSINESS_TIMEZONE, Settings
from app.db import utcnow
from app.errors import Conflict, DomainError, ErrorItem, InvalidInput, NotFound
from app.http.pagination import PageParams, paginate
from app.messages import Text

SESSION_PREFIX = "sbs_"
API_PREFIX = "sbk_"


_WHO_ZH = {"from your address": "您的地址", "for this username from your address": "该用户名从您的地址"}

class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", Text("Authentication required", "需要登录")

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", Text("Not allowed", "无权操作")


class TooManyAttempts(DomainError):
    status, slug, title = 429, "too-many-attempts", Text("Too many failed logins", "登录失败次数过多")


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: the user and the effective role of the token used."""

    user_id: int
    username: str
    display_name: str
    role: Role
    token_id: int
    token_kind: str
    token_expires_at: dt.datetime | None
    # The user's row as read with the token, in the request's transaction: what the account says of itself
    # (``UserRead``'s fields) without a second look-up.
    account: Any = dataclasses.field(default=None, compare=False, repr=False)

    def actor(self, request_id: str | None) -> Actor:
        return Actor(user_id=self.user_id, name=self.username, request_id=request_id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- users ----------------------------------------------------------------------------------------


def _check_password(password: str, username: str, loc: list[str | int]) -> None:
    problem = password_problem(password, username=username)
    if problem:
        raise InvalidInput.at(loc, problem, "weak_password")


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user has id {user_id}.")
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username.lower())).first()


def list_users(session: Session, page: PageParams, *, active: bool | None = None) -> tuple[list[User], int]:
    query = select(User)
    if active is not None:
        query = query.where(User.active.is_(active))
    return paginate(session, query, [User.username], page)


def create_user(session: Session, data: UserCreate, *, actor: Actor) -> User:
    _check_password(data.password, data.username, ["body", "password"])
    if find_user(session, data.username) is not None:
        raise Conflict(f"The username '{data.username}' is taken.",
                       errors=[ErrorItem(loc=["body", "username"], msg="already taken", type="duplicate")])
    user = User(username=data.username, display_name=data.display_name, role=data.role.value,
                password_hash=hash_password(data.password), active=True)
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"The username '{data.username}' is taken.") from exc
    audit.record(session, actor=actor, action="create", entity_type="user", entity_id=user.id,
                 changes=audit.created({"username": user.username, "display_name": user.display_name,
                                        "role": user.role}))
    return user


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).where(User.role == Role.admin.value, User.active.is_(True))) or 0


def update_user(session: Session, user: User, changes: dict[str, Any], *, actor: Actor) -> None:
    before = {"display_name": user.display_name, "role": user.role, "active": user.active}
    for field, value in changes.items():
        setattr(user, field, value.value if isinstance(value, Role) else value)
    after = {"display_name": user.display_name, "role": user.role, "active": user.active}
    diff = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if not diff:
        return
    losing_admin = before["role"] == Role.admin.value and before["active"] and (
        after["role"] != Role.admin.value or not after["active"])
    if losing_admin and _active_admins(session) <= 1:
        raise Conflict("This is the last active admin: make another admin first.")
    if diff.get("active") == (True, False):
        # Ended for good: reactivating the account later does not revive them.
        end_all_tokens(session, user.id)
    session.flush()
    action = "deactivate" if diff.get("active") == (True, False) else "update"
    audit.record(session, actor=actor, action=action, entity_type="user", entity_id=user.id, changes=diff)


def end_all_tokens(session: Session, user_id: int) -> None:
    """Revoke every token of a user, logins and API tokens alike."""
    session.execute(update(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None))
                    .values(revoked_at=utcnow()).execution_options(synchronize_session="fetch"))


def set_password(session: Session, user: User, new_password: str, *, actor: Actor) -> None:
    """Set a new password; every token of the user ends (whoever knew the old password may have made one)."""
    _check_password(new_password, user.username, ["body", "new_password"])
    user.password_hash = hash_password(new_password)
    end_all_tokens(session, user.id)
    session.flush()
    audit.record(session, actor=actor, action="password", entity_type="user", entity_id=user.id,
                 summary="password changed" if actor.user_id == user.id else "password reset")


# --- login and throttling -------------------------------------------------------------------------


MAX_LOCK = dt.timedelta(hours=24)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _refuse(wait: dt.timedelta, what: str) -> TooManyAttempts:
    seconds = max(1, math.ceil(wait.total_seconds()))
    minutes = math.ceil(seconds / 60)
    return TooManyAttempts(Text(f"Too many failed logins {what}. Try again in {minutes} minute(s).",
                                f"{_WHO_ZH[what]}登录失败次数过多，请 {minutes} 分钟后再试。"),
                           headers={"Retry-After": str(seconds)})


def _throttle(session: Session, username: str, address: str, settings: Settings) -> None:
    """Failures count per username *and* address, so a stranger guessing elsewhere cannot lock the owner out:
    after ``login_max_failures_per_user`` of them that pair waits a window, and each further failure doubles
    the wait (up to a day). Any usernames from one address share a second, larger limit per window."""
    now = utcnow()
    window = dt.timedelta(minutes=settings.login_window_minutes)
    pair = select(func.count(), func.max(LoginFailure.failed_at)).where(
        LoginFailure.username == username, LoginFailure.client_address == address[:64],
        LoginFailure.failed_at >= now - MAX_LOCK)
    count, latest = session.execute(pair).one()
    limit = settings.login_max_failures_per_user
    if count >= limit:
        lock = min(window * 2 ** min(count - limit, 16), MAX_LOCK)
        until = _aware(latest) + lock
        if until > now:
            raise _refuse(until - now, "for this username from your address")
    window_start = now - window
    recent = select(func.count(), func.min(LoginFailure.failed_at)).where(
        LoginFailure.client_address == address[:64], LoginFailure.failed_at >= window_start)
    count, oldest = session.execute(recent).one()
    if count >= settings.login_max_failures_per_address:
        raise _refuse(_aware(oldest) - window_start, "from your address")


def authenticate(session: Session, username: str, password: str, *, address: str, settings: Settings) -> User | None:
    """The user if the credentials are right; records a failure (kept even if the request fails) otherwise."""
    username = username.strip().lower()[:50]
    _throttle(session, username, address, settings)
    user = find_user(session, username)
    if user is None:
        burn_verification_time(password)
    elif user.active and verify_password(password, user.password_hash):
        session.execute(delete(LoginFailure).where(LoginFailure.username == username,
                                                   LoginFailure.client_address == address[:64]))
        # Not a change to the account: bypass its version, so a login neither moves the ETag an admin
        # holds nor collides with the same user logging in elsewhere at the same moment.
        now = utcnow()
        session.execute(update(User).where(User.id == user.id).values(last_login_at=now))
        set_committed_value(user, "last_login_at", now)
        return user
    session.add(LoginFailure(username=username, client_address=address[:64]))
    cutoff = utcnow() - MAX_LOCK
    session.execute(delete(LoginFailure).where(LoginFailure.failed_at < cutoff))
    session.flush()
    return None


# --- tokens ---------------------------------------------------------------------------------------


def issue_session_token(session: Session, user: User, *, settings: Settings) -> tuple[Token, str]:
    plaintext = SESSION_PREFIX + secrets.token_urlsafe(32)
    token = Token(user_id=user.id, kind="session", token_hash=_digest(plaintext), prefix=plaintext[:10],
                  role=user.role, expires_at=utcnow() + dt.timedelta(hours=settings.token_ttl_hours))
    session.add(token)
    session.flush()
    return token, plaintext


# The token and its user in one statement, built once: a module-level statement keeps its cache key, so each
# request finds it compiled. Run on the session's connection, not through the ORM: no entities to load.
_PRINCIPAL_QUERY = (
    select(User.id, User.username, User.display_name, User.role, User.active, User.last_login_at, User.version,
           User.created_at, User.updated_at, Token.id.label("token_id"), Token.kind.label("token_kind"),
           Token.role.label("token_role"), Token.revoked_at.label("token_revoked_at"),
           Token.expires_at.label("token_expires_at"))
    .select_from(Token).join(User, User.id == Token.user_id)
    .where(Token.token_hash == bindparam("token_hash"))
)


def resolve_token(session: Session, plaintext: str) -> Principal | None:
    """The principal behind a bearer token, or None if it is unknown, expired, revoked or its user inactive.

    Read from the database on every request, so revoking a token or deactivating a user takes effect at once;
    plain columns rather than two ORM objects, as this runs before every authenticated request."""
    row = session.connection().execute(_PRINCIPAL_QUERY, {"token_hash": _digest(plaintext)}).first()
    if row is None or row.token_revoked_at is not None or not row.active:
        return None
    expires_at = row.token_expires_at
    if expires_at is not None and expires_at <= utcnow():
        return None
    return Principal(
        user_id=row.id, username=row.username, display_name=row.display_name,
        role=lower_of(Role(row.token_role), Role(row.role)), token_id=row.token_id, token_kind=row.token_kind,
        token_expires_at=expires_at, account=row,
    )


def touch_token(session: Session, token_id: int) -> None:
    token = session.get(Token, token_id)
    if token is not None and (token.last_used_at is None or utcnow() - token.last_used_at > dt.timedelta(minutes=1)):
        token.last_used_at = utcnow()


def revoke_token(session: Session, token_id: int) -> None:
    token = session.get(Token, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()


def create_api_token(session: Session, principal: Principal, data: ApiTokenCreate, *, actor: Actor
                     ) -> tuple[Token, str]:
    role = data.role or principal.role
    if not principal.role.at_least(role):
        raise Forbidden(Text(
            f"You cannot create a token with role '{role}', higher than your own '{principal.role}'.",
            f"不能创建角色为“{role}”的令牌：高于您自己的角色“{principal.role}”。"))
    expires_at = None
    if data.expires_on is not None:
        end_of_day = dt.datetime.combine(data.expires_on + dt.timedelta(days=1), dt.time(), ZoneInfo(BUSINESS_TIMEZONE))
        expires_at = end_of_day.astimezone(dt.UTC)
    plaintext = API_PREFIX + secrets.token_urlsafe(32)
    token = Token(user_id=principal.user_id, kind="api", name=data.name, token_hash=_digest(plaintext),
                  prefix=plaintext[:10], role=role.value, expires_at=expires_at)
    session.add(token)
    session.flush()
    audit.record(session, actor=actor, action="create", entity_type="api_token", entity_id=token.id,
                 changes=audit.created({"name": data.name, "role": role.value, "expires_at": expires_at}))
    return token, plaintext


def list_api_tokens(session: Session, principal: Principal, page: PageParams, *, all_users: bool
                    ) -> tuple[list[Token], int]:
    query = select(Token).where(Token.kind == "api")
    if not (all_users and principal.role is Role.admin):
        query = query.where(Token.user_id == principal.user_id)
    return paginate(session, query, [Token.id.desc()], page)


def get_api_token(session: Session, principal: Principal, token_id: int) -> Token:
    token = session.get(Token, token_id)
    visible = token is not None and token.kind == "api" and (
        token.user_id == principal.user_id or principal.role is Role.admin)
    if token is None or not visible:
        raise NotFound(f"No API token of yours has id {token_id}.")
    return token


def revoke_api_token(session: Session, token: Token, *, actor: Actor) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    session.flush()
    audit.record(session, actor=actor, action="revoke", entity_type="api_token", entity_id=token.id,
                 changes={"revoked_at": (None, token.revoked_at)})


# --- first run ------------------------------------------------------------------------------------


def ensure_first_admin(session: Session) -> str | None:
    """On a database without users, create ``admin`` with a random password and return that password."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    password = secrets.token_urlsafe(12)
    create_user(session, UserCreate(username="admin", display_name="管理员", role=Role.admin, password=password),
                actor=audit.SYSTEM)
    return password
