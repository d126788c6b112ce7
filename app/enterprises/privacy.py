"""What a viewer may read of personal data: phone numbers and e-mail addresses masked wherever they appear —
contact fields, the audit's before/after values, and free text staff typed (notes, a summary, ``participants``).

One rule, applied in one place per kind of output: every JSON answer to a viewer (records, list items, the
timeline, idempotent replays) is masked whole by ``mask_json`` (see ``app.http.transaction``), and every
exported file by its cell writer. Staff and admins read everything as it was typed."""

from __future__ import annotations

import json
import re
from typing import Any

from app.auth.roles import Role
from app.enterprises.phone import PhoneError, mask_email, mask_phone, normalize_phone

# Digits as people type them: mobiles (optionally +86), landlines with area code (parentheses, dashes,
# spaces, an extension) and 400/800 lines. Not inside a longer run of letters or digits (a credit code, a
# certificate number) and not followed by decimals (an amount).
_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}"
    r"|[(（]?0\d{2,3}[)）]?[\s-]?[1-9]\d{2,3}[\s-]?\d{4}(?:\s*(?:-|转|分机|ext\.?|x|#)\s*\d{1,6})?"
    r"|[48]00[\s-]?\d{3}[\s-]?\d{4}"
    r")(?![0-9A-Za-z])(?!\.\d)"
)
_FEWEST_DIGITS = 10  # in any number _PHONE matches: 3 + 3 + 4 of a landline, 11 of a mobile
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_CONTACT_FIELDS = {"phone": mask_phone, "email": mask_email}
_CONTACT_VALUES = {"phone": _PHONE, "email": _EMAIL}
# Secrets a caller is shown once (a new token): never personal data, and a masked one would not work.
_SECRETS = frozenset({"token", "access_token"})


def reads_masked(role: Role) -> bool:
    """Whether a caller of this role reads phone numbers and e-mail addresses masked: viewers do."""
    return role is Role.viewer


def _masked_phone(match: re.Match[str]) -> str:
    try:
        return mask_phone(normalize_phone(match.group(0)))
    except PhoneError:
        digits = [ch for ch in match.group(0) if ch.isdigit()]
        return "".join(digits[:3]) + "****" + "".join(digits[-4:])


def mask_text(text: str) -> str:
    """Free text with every phone number and e-mail address in it masked as a contact's would be."""
    if "@" not in text and sum(ch.isdigit() for ch in text) < _FEWEST_DIGITS:
        return text
    return _EMAIL.sub(lambda m: mask_email(m.group(0)), _PHONE.sub(_masked_phone, text))


def mask_personal(value: Any, key: str | None = None) -> Any:
    """A JSON-like value as a viewer may see it: ``phone`` / ``email`` fields masked, free text scrubbed."""
    if isinstance(value, str):
        if key in _SECRETS:
            return value
        masker = _CONTACT_FIELDS.get(key or "")
        # Only a value holding a number or an address is a contact's: a label keyed "phone" (a visit kind) is not.
        if masker is not None and _CONTACT_VALUES[key or ""].search(value):
            return masker(value)
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _field(k, v, key) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_personal(item, key) for item in value]
    return value


def _field(name: str, value: Any, parent: str | None) -> Any:
    # An audit change is {"phone": {"before": …, "after": …}}: the field's name is one level up.
    inherited = parent if name in ("before", "after") and parent in _CONTACT_FIELDS else name
    return mask_personal(value, inherited)


def mask_json(body: bytes) -> bytes:
    """A JSON document as a viewer may read it."""
    return json.dumps(mask_personal(json.loads(body)), ensure_ascii=False, separators=(",", ":")).encode()
