"""Password hashing (argon2id) and the rules a new password must meet.

Argon2 is slow on purpose. On SQLite a request hashing inside its write transaction would hold every other
writer back, so routes work out the hashes and verifications they will need first (``prepare_hash``,
``prepare_verification``, outside the write gate); ``hash_password`` and ``verify_password`` then answer from
that request's prepared results.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_LENGTH = 8
MAX_LENGTH = 128


@lru_cache
def _hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


# (password, None) → its new hash; (password, stored hash) → whether it matches. One dict per request.
_PREPARED: ContextVar[dict[tuple[str, str | None], str | bool] | None] = ContextVar("seedbed_passwords",
                                                                                   default=None)


def start_preparing() -> dict[tuple[str, str | None], str | bool]:
    """Begin this request's prepared results (call in the request's own task, before the write gate)."""
    prepared: dict[tuple[str, str | None], str | bool] = {}
    _PREPARED.set(prepared)
    return prepared


def prepare_hash(prepared: dict[tuple[str, str | None], str | bool], password: str) -> None:
    prepared[(password, None)] = _hasher().hash(password)


def prepare_verification(prepared: dict[tuple[str, str | None], str | bool], password: str,
                         password_hash: str | None) -> None:
    stored = password_hash if password_hash is not None else dummy_hash()
    prepared[(password, stored)] = _verify(password, stored)


def hash_password(password: str) -> str:
    prepared = _PREPARED.get()
    found = prepared.get((password, None)) if prepared is not None else None
    return found if isinstance(found, str) else _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    prepared = _PREPARED.get()
    found = prepared.get((password, password_hash)) if prepared is not None else None
    return found if isinstance(found, bool) else _verify(password, password_hash)


def _verify(password: str, password_hash: str) -> bool:
    try:
        return _hasher().verify(password, password_hash)
    except Exception:  # noqa: BLE001 - a malformed stored hash must read as "wrong password", not a 500
        return False


# Verifying against this keeps the time of a login for an unknown user like that of a known one.
_DUMMY_HASH: str | None = None


def dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher().hash("seedbed-timing-equaliser")
    return _DUMMY_HASH


def burn_verification_time(password: str) -> None:
    verify_password(password, dummy_hash())


def password_problem(password: str, *, username: str | None = None) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"a password may have at most {MAX_LENGTH} characters"
    if password.isdigit():
        return "a password of digits only is too easy to guess"
    if username and password.lower() == username.lower():
        return "the password cannot be the username"
    return None
