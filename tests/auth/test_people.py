"""The people directory: every signed-in role reads colleagues' names and roles, and nothing more."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.roles import Role
from tests.conftest import Account

PEOPLE = "/api/v1/people"


@pytest.fixture
def colleagues(session: Session, accounts: dict[Role, Account]) -> dict[str, int]:
    rows = {
        "wang": User(username="wang.fang", display_name="王芳", role="staff", password_hash="x" * 20),
        "li": User(username="li.qiang", display_name="李强", role="viewer", password_hash="x" * 20),
        "gone": User(username="zhao.gone", display_name="赵离职", role="staff", password_hash="x" * 20,
                     active=False),
        "percent": User(username="pct", display_name="百分%号", role="staff", password_hash="x" * 20),
    }
    session.add_all(rows.values())
    session.commit()
    return {key: user.id for key, user in rows.items()}


@pytest.mark.parametrize("role", [Role.viewer, Role.staff, Role.admin])
def test_every_signed_in_role_reads_names_roles_and_state_only(
    role: Role, request: pytest.FixtureRequest, colleagues: dict[str, int]
) -> None:
    http: TestClient = request.getfixturevalue({Role.viewer: "viewer_client", Role.staff: "staff_client",
                                                Role.admin: "client"}[role])
    response = http.get(PEOPLE, params={"limit": 200})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"items", "total", "limit", "offset", "next"}
    by_id = {item["id"]: item for item in body["items"]}
    assert all(set(item) == {"id", "display_name", "role", "active"} for item in body["items"])
    assert by_id[colleagues["wang"]] == {"id": colleagues["wang"], "display_name": "王芳", "role": "staff",
                                         "active": True}
    assert by_id[colleagues["li"]]["role"] == "viewer"
    assert colleagues["gone"] not in by_id, "deactivated accounts are left out by default"
    assert body["total"] == len(body["items"]) == 6  # three test accounts and the three active colleagues
    text = response.text
    for secret in ("wang.fang", "password", "hash", "token", "username", "email", "x" * 20):
        assert secret not in text


def test_anonymous_callers_are_refused(anonymous_client: TestClient) -> None:
    response = anonymous_client.get(PEOPLE)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_q_finds_part_of_a_name_and_treats_wildcards_literally(
    staff_client: TestClient, colleagues: dict[str, int]
) -> None:
    found = staff_client.get(PEOPLE, params={"q": "芳"}).json()
    assert [item["id"] for item in found["items"]] == [colleagues["wang"]]
    literal = staff_client.get(PEOPLE, params={"q": "%"}).json()
    assert [item["id"] for item in literal["items"]] == [colleagues["percent"]]
    assert staff_client.get(PEOPLE, params={"q": "离职"}).json()["items"] == []


def test_inactive_people_and_ids_on_request(staff_client: TestClient, colleagues: dict[str, int]) -> None:
    response = staff_client.get(PEOPLE, params={"include_inactive": "true",
                                                "id": [colleagues["gone"], colleagues["li"]]})
    items = response.json()["items"]
    assert {item["id"]: item["active"] for item in items} == {colleagues["gone"]: False, colleagues["li"]: True}


def test_pages_like_other_lists(viewer_client: TestClient, colleagues: dict[str, int]) -> None:
    first = viewer_client.get(PEOPLE, params={"limit": 2}).json()
    assert len(first["items"]) == 2
    assert first["total"] == 6
    assert first["next"] is not None
    assert "offset=2" in first["next"]
    second = viewer_client.get(first["next"]).json()
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})
