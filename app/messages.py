"""Messages for people, in Chinese by default and in English for ``Accept-Language: en``.

A message is a ``Text``: a ``str`` whose value is the English wording (what logs, code and scripts compare)
that also carries the Chinese one. Write one inline with ``Text(en, zh)``, or name it once in the catalogue
(``register`` / ``say``) when several places use it. Anything that is a plain ``str`` still works: it is
shown as written, in either language. Field paths (``loc``) and ``type`` codes are never translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import PlainSerializer

Lang = Literal["zh", "en"]
DEFAULT: Lang = "zh"


class Text(str):
    """English as the ``str`` value, Chinese in ``zh``."""

    zh: str

    def __new__(cls, en: str, zh: str) -> Text:
        text = super().__new__(cls, en)
        text.zh = zh
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (str(self), self.zh))


_CATALOGUE: dict[str, tuple[str, str]] = {}

# The language of the response being written: set per request by the HTTP middleware.
RESPONSE_LANGUAGE: ContextVar[Lang] = ContextVar("seedbed_response_language", default=DEFAULT)


def _in_response_language(message: str) -> str:
    return in_language(message, RESPONSE_LANGUAGE.get())


# A response field holding a message: written in the request's language (a plain str as it is).
Localized = Annotated[str, PlainSerializer(_in_response_language, return_type=str)]


def register(entries: Mapping[str, tuple[str, str]]) -> None:
    """Add messages to the catalogue: key → (English, Chinese), both ``str.format`` templates."""
    for key, pair in entries.items():
        if key in _CATALOGUE and _CATALOGUE[key] != pair:
            raise ValueError(f"message {key!r} is already registered differently")
        _CATALOGUE[key] = pair


def say(key: str, /, **params: Any) -> Text:
    """The catalogue's message ``key`` with its ``{placeholders}`` filled in."""
    en, zh = _CATALOGUE[key]
    # A parameter that is itself a message goes in in each message's own language.
    zh_params = {name: value.zh if isinstance(value, Text) else value for name, value in params.items()}
    return Text(en.format(**params), zh.format(**zh_params))


def in_language(message: str, lang: Lang) -> str:
    """The wording of ``message`` for ``lang``; a plain string as it is."""
    if lang == "zh" and isinstance(message, Text):
        return message.zh
    return str(message)


def language(accept_language: str | None) -> Lang:
    """``en`` when the client prefers English to Chinese (RFC 9110 quality values), else ``zh``."""
    best: tuple[float, Lang] | None = None
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("zh", "en"):
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, "en" if primary == "en" else "zh")
    return best[1] if best else DEFAULT


register({
    "required": ("required", "必填"),
    "empty": ("cannot be empty", "不能为空"),
    "min_chars": ("at least {n} characters", "至少 {n} 个字符"),
    "max_chars": ("too long: at most {n} characters (got {got})", "过长：最多 {n} 个字符（现有 {got} 个）"),
    "max_items": ("too many: at most {n} entries", "过多：最多 {n} 项"),
    "and_more": ("{where}: {msg} (and {n} more)", "{where}：{msg}（另有 {n} 处）"),
    "one": ("{where}: {msg}", "{where}：{msg}"),
})
