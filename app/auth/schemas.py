"""Request and response shapes of users, logins and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.auth.roles import Role
from app.fields import InputModel, Line, PatchModel, business_today, omittable
from app.messages import Text


def _lower(value: str) -> str:
    return value.lower()


Username = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,49}$",
          description="2–50 letters, digits, '.', '_' or '-'; case-insensitive (stored lower-case)."),
    AfterValidator(_lower),
]
DisplayName = Annotated[Line, Field(min_length=1, max_length=50, description="Name shown to colleagues, e.g. 张伟.")]
Password = Annotated[str, Field(min_length=1, max_length=128, description=(
    "New passwords: at least 10 characters, not only digits, not the username, not a commonly used password."))]


class UserCreate(InputModel):
    username: Username
    display_name: DisplayName
    role: Role = Role.staff
    password: Password


class UserUpdate(PatchModel):
    display_name: DisplayName = omittable()
    role: Role = omittable()
    active: bool = omittable(description="false deactivates the account: its tokens stop working at once.")


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    last_login_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class PasswordReset(InputModel):
    new_password: Password


class PasswordChange(InputModel):
    current_password: Password
    new_password: Password


class TokenIssued(BaseModel):
    access_token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    token_type: str = "bearer"
    expires_at: dt.datetime
    role: Role
    user: UserRead


class Me(BaseModel):
    user: UserRead
    role: Role = Field(description="Effective role of this token (an API token may have less than its user).")
    token_kind: str = Field(description="'session' (from a login) or 'api' (a named API token).")
    token_expires_at: dt.datetime | None


def _future(value: dt.date) -> dt.date:
    if value <= business_today():
        raise ValueError(Text("the expiry date must be after today", "到期日须晚于今天"))
    return value


class ApiTokenCreate(InputModel):
    name: Annotated[Line, Field(min_length=1, max_length=100, description="What the token is for, e.g. 月报脚本.")]
    role: Role | None = Field(default=None, description="At most your own role; defaults to it.")
    expires_on: Annotated[dt.date, AfterValidator(_future)] | None = Field(
        default=None, description="Last day the token works (Asia/Shanghai); none: until revoked."
    )


class ApiTokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str | None
    prefix: str = Field(description="First characters of the token, to recognise it.")
    role: Role
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class ApiTokenCreated(ApiTokenRead):
    token: str = Field(description="The token itself. Shown only now: store it safely.")


class Login(BaseModel):
    """Credentials, as a JSON body or as the OAuth2 password form (username, password, grant_type=password)."""

    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=200)
