"""The token is looked up on every request, with its user, in one statement: a change to either (revoked,
expired, deactivated, demoted, renamed) shows at the very next request, reads included, and ``/auth/me``
answers what the user's own record says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.auth.models import Token, User
from app.auth.roles import Role
from app.auth.schemas import UserRead
from tests.conftest import Account
from tests.factories import create_enterprise, if_match


def _revoke(session: Session, account: Account) -> None:
    session.execute(update(Token).where(Token.user_id == account.user_id)
                    .values(revoked_at=dt.datetime.now(dt.UTC)))


def _expire(session: Session, account: Account) -> None:
    session.execute(update(Token).where(Token.user_id == account.user_id)
                    .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))


def _deactivate(session: Session, account: Account) -> None:
    session.execute(update(User).where(User.id == account.user_id).values(active=False))


class TestAChangeShowsAtTheNextRequest:
    @pytest.mark.parametrize("change", [_revoke, _expire, _deactivate], ids=["revoked", "expired", "deactivated"])
    def test_a_read_right_after_the_change_is_refused(
        self, client: TestClient, staff_client: TestClient, session: Session, accounts: dict[Role, Account],
        change: Callable[[Session, Account], None],
    ) -> None:
        firm = create_enterprise(client)
        path = f"/api/v1/enterprises/{firm['id']}"
        assert staff_client.get(path).status_code == 200
        assert staff_client.get("/api/v1/auth/me").status_code == 200
        # As another worker process would: straight in the database, no request of this app in between.
        change(session, accounts[Role.staff])
        session.commit()
        for refused in (staff_client.get(path), staff_client.get("/api/v1/auth/me")):
            assert refused.status_code == 401
            assert refused.headers["www-authenticate"] == "Bearer"
        assert client.get(path).status_code == 200

    def test_a_demotion_in_the_database_limits_the_next_request(
        self, staff_client: TestClient, session: Session, accounts: dict[Role, Account]
    ) -> None:
        assert staff_client.post("/api/v1/enterprises", json={}).status_code == 422
        session.execute(update(User).where(User.id == accounts[Role.staff].user_id).values(role="viewer"))
        session.commit()
        assert staff_client.get("/api/v1/auth/me").json()["role"] == "viewer"
        assert staff_client.post("/api/v1/enterprises", json={}).status_code == 403


class TestMe:
    def test_the_user_part_is_the_users_record(
        self, staff_client: TestClient, session: Session, accounts: dict[Role, Account]
    ) -> None:
        me = staff_client.get("/api/v1/auth/me").json()
        user = session.get(User, accounts[Role.staff].user_id)
        assert user is not None
        assert me["user"] == UserRead.model_validate(user).model_dump(mode="json")

    def test_a_rename_shows_at_once_with_the_new_version(
        self, client: TestClient, staff_client: TestClient, accounts: dict[Role, Account]
    ) -> None:
        staff_id = accounts[Role.staff].user_id
        user = client.get(f"/api/v1/users/{staff_id}").json()
        renamed = client.patch(f"/api/v1/users/{staff_id}", json={"display_name": "王小明"}, headers=if_match(user))
        assert renamed.status_code == 200
        me = staff_client.get("/api/v1/auth/me").json()
        assert me["user"] == client.get(f"/api/v1/users/{staff_id}").json()
        assert me["user"]["display_name"] == "王小明"
        assert me["user"]["version"] == user["version"] + 1
