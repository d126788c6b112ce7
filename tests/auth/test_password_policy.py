"""A new password has at least 10 characters and is not one guessing tools try first."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.auth.passwords import password_problem
from tests.conftest import PASSWORD


@pytest.mark.parametrize("weak", ["password", "pass-word", "password123", "Password123", "qwertyuiop",
                                  "1qaz2wsx3edc", "woaini1314", "aaaaaaaaaaaa", "abababababab"])
def test_short_and_common_passwords_are_refused(weak: str) -> None:
    assert password_problem(weak) is not None


@pytest.mark.parametrize("fine", [PASSWORD, "a-long-secret-9", "常德科技局2026年度"])
def test_long_uncommon_passwords_are_accepted(fine: str) -> None:
    assert password_problem(fine) is None


def test_the_api_refuses_password_as_a_password(client: TestClient) -> None:
    response = client.post("/api/v1/users", json={"username": "weakling", "display_name": "弱口令", "role": "staff",
                                                  "password": "password"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "password"]
    assert response.json()["errors"][0]["type"] == "weak_password"
