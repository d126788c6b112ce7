"""Mainland China phone numbers as staff type them: mobiles, landlines with area code, 400/800 lines."""

from __future__ import annotations

import re
import unicodedata

from app.messages import Text

_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
_DASHED_EXTENSION = re.compile(r"(.*\d)\s*-\s*(\d{1,6})")
_SEPARATORS = re.compile(r"[\s\-()（）.]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SERVICE = re.compile(r"[48]00\d{7}")


class PhoneError(ValueError):
    pass


def normalize_phone(raw: str) -> str:
    """Return a canonical form (``13812345678``, ``0736-7788123``, ``0736-7788123-205``, ``400-123-4567``)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    match = _EXTENSION.search(text)
    if match:
        return _canonical(text[: match.start()], match.group(1))
    dashed = _DASHED_EXTENSION.fullmatch(text)
    if dashed:
        # "0736-7788123-205" (our own canonical form) has an extension; "010-1234-5678" is one number.
        try:
            return _canonical(dashed.group(1), dashed.group(2))
        except PhoneError:
            pass
    return _canonical(text, None)


def _canonical(text: str, extension: str | None) -> str:
    text = _SEPARATORS.sub("", text)
    if text.startswith("+"):
        text = text[1:]
        if not text.startswith("86"):
            raise PhoneError(Text("only mainland China numbers (+86) are accepted", "只接受中国大陆号码（+86）"))
    if not text.isdigit():
        raise PhoneError(Text("a phone number may contain only digits, spaces, hyphens and an extension",
                              "电话号码只能包含数字、空格、连字符和分机号"))
    if text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) >= 11 and not _MOBILE.fullmatch(text):
        # International form drops the trunk 0 of a landline: 86 736 7788123.
        text = text[2:]
        if not text.startswith(("0", "1")):
            text = "0" + text

    if _MOBILE.fullmatch(text):
        if extension:
            raise PhoneError(Text("a mobile number has no extension", "手机号没有分机号"))
        return text
    if _SERVICE.fullmatch(text):
        formatted = f"{text[:3]}-{text[3:6]}-{text[6:]}"
        return f"{formatted}-{extension}" if extension else formatted
    if text.startswith("0"):
        # 010 and 020–029 are three-digit area codes; every other area code has four digits.
        area_length = 3 if text[1:2] in ("1", "2") else 4
        area, number = text[:area_length], text[area_length:]
        if len(number) in (7, 8) and number[0] != "0":
            formatted = f"{area}-{number}"
            return f"{formatted}-{extension}" if extension else formatted
        raise PhoneError(Text("a landline is an area code (e.g. 0736) followed by a 7- or 8-digit number",
                              "座机号应为区号（如 0736）加 7 或 8 位号码"))
    if len(text) in (7, 8):
        raise PhoneError(Text("add the area code to a landline number, e.g. 0736-7788123",
                          "座机号请加上区号，例如 0736-7788123"))
    raise PhoneError(Text("not a mainland mobile (11 digits starting with 1) or landline number",
                          "不是大陆手机号（1 开头的 11 位数字）或座机号"))


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``; a landline keeps its area code and last four digits, not its extension."""
    if _MOBILE.fullmatch(phone):
        return f"{phone[:3]}****{phone[-4:]}"
    parts = phone.split("-")
    if len(parts) >= 2 and parts[0].startswith("0") and len(parts[1]) > 4:
        return f"{parts[0]}-****{parts[1][-4:]}"
    if len(parts) >= 3 and parts[0] in ("400", "800"):
        return f"{parts[0]}****{parts[2]}"  # without the extension, like a landline
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
