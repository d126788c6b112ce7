"""What a viewer may read of personal data: phone numbers and e-mail addresses masked wherever they appear —
contact fields, the audit's before/after values, and free text staff typed (``participants``, a summary)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel

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
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_CONTACT_FIELDS = {"phone": mask_phone, "email": mask_email}
ReadModel = TypeVar("ReadModel", bound=BaseModel)


def _masked_phone(match: re.Match[str]) -> str:
    try:
        return mask_phone(normalize_phone(match.group(0)))
    except PhoneError:
        digits = [ch for ch in match.group(0) if ch.isdigit()]
        return "".join(digits[:3]) + "****" + "".join(digits[-4:])


def mask_text(text: str) -> str:
    """Free text with every phone number and e-mail address in it masked as a contact's would be."""
    if not any(ch.isdigit() or ch == "@" for ch in text):
        return text
    return _EMAIL.sub(lambda m: mask_email(m.group(0)), _PHONE.sub(_masked_phone, text))


def mask_personal(value: Any, key: str | None = None) -> Any:
    """A JSON-like value as a viewer may see it: ``phone`` / ``email`` fields masked, free text scrubbed."""
    if isinstance(value, str):
        masker = _CONTACT_FIELDS.get(key or "")
        return masker(value) if masker else mask_text(value)
    if isinstance(value, dict):
        return {k: _field(k, v, key) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_personal(item, key) for item in value]
    return value


def _field(name: str, value: Any, parent: str | None) -> Any:
    # An audit change is {"phone": {"before": …, "after": …}}: the field's name is one level up.
    inherited = parent if name in ("before", "after") and parent in _CONTACT_FIELDS else name
    return mask_personal(value, inherited)


def mask_fields(model: ReadModel, *names: str) -> ReadModel:
    """A copy of a read model with the free text of ``names`` scrubbed."""
    return model.model_copy(update={
        name: mask_text(value) for name in names if isinstance(value := getattr(model, name), str)})
