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

from app.messages import Text

MIN_LENGTH = 10
MAX_LENGTH = 128
# What guessing tools try first (the leaked-password top lists, Chinese sites' included), at least
# MIN_LENGTH long: anything shorter is refused by its length already. Compared case-insensitively.
_COMMON = """
password password1 password12 password123 password1234 passw0rd123 p@ssw0rd123 p@ssword123 password!
1234567890 0123456789 0987654321 1234554321 1122334455 1111111111 0000000000 1231231231 5201314520
qwertyuiop qwertyuiop1 qwertyuiop123 qwerty1234 qwerty12345 qwerty123456 qwertyuiop[] asdfghjkl1
asdfghjkl; zxcvbnm123 zxcvbnm1234 1qaz2wsx3edc 1qazxsw23edc 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4t5
q1w2e3r4t5y6 zaq12wsx3edc abc1234567 abcd123456 abcdefg123 abcdefghij a123456789 a1234567890
aa12345678 aa123456789 iloveyou12 iloveyou123 woaini1314 woaini520 woaini5201314 5201314woaini
admin12345 admin123456 administrator admin@1234 adminadmin root123456 letmein123 welcome123
welcome1234 changeme123 sunshine123 football123 baseball123 princess123 dragon1234 monkey1234
michael123 superman123 trustno1234 starwars123 computer123 internet123 qazwsxedc1 qazwsxedcrfv
1234qwer!@ 123456abcd 123456qwer 123qweasdzxc qweasdzxc1 qweasdzxc123 !qaz2wsx#edc
"""
COMMON_PASSWORDS = frozenset(_COMMON.split())


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


def password_problem(password: str, *, username: str | None = None) -> Text | None:
    if len(password) < MIN_LENGTH:
        return Text(f"a password needs at least {MIN_LENGTH} characters", f"密码至少需要 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        return Text(f"a password may have at most {MAX_LENGTH} characters", f"密码最多 {MAX_LENGTH} 个字符")
    if password.isdigit():
        return Text("a password of digits only is too easy to guess", "纯数字密码太容易被猜中")
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return Text("this password is among the first that guessing tools try: choose another",
                    "这是猜密码工具最先尝试的密码之一：请换一个")
    if username and password.lower() == username.lower():
        return Text("the password cannot be the username", "密码不能与用户名相同")
    return None
