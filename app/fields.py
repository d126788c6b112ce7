"""Field types shared by every domain's schemas: clean text, money in yuan, business dates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from app.config import BUSINESS_TIMEZONE
from app.db import CENT
from app.messages import Text

_ZONE = ZoneInfo(BUSINESS_TIMEZONE)


def business_today() -> dt.date:
    """Today's date in Asia/Shanghai, whatever the server's clock zone."""
    return dt.datetime.now(_ZONE).date()


# Unicode's control characters (category Cc) but line breaks and tabs.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _problem_in_text(value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains characters that are not valid text"
    if _CONTROL.search(value):
        return "contains control characters"
    return None


def _collapse_spaces(value: Any) -> Any:
    # Names copied from Word or WeChat carry full-width and repeated spaces.
    if isinstance(value, str):
        return " ".join(value.replace("\u3000", " ").split())
    return value


def _check_text(value: str) -> str:
    problem = _problem_in_text(value)
    if problem:
        raise ValueError(problem)
    return value


Line = Annotated[str, BeforeValidator(_collapse_spaces), AfterValidator(_check_text)]
"""A one-line text: whitespace collapsed, control characters refused."""


def _check_multiline(value: str) -> str:
    return _check_text(value.strip())


Multiline = Annotated[str, AfterValidator(_check_multiline), Field(max_length=10_000)]


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT)


Yuan = Annotated[
    Decimal,
    Field(ge=0, max_digits=15, decimal_places=2, description="Yuan, a decimal string with 2 places."),
    AfterValidator(_quantize),
]


def _not_in_future(value: dt.date) -> dt.date:
    if value > business_today():
        raise ValueError(Text("date is in the future", "日期不能晚于今天"))
    return value


PastDate = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1)), AfterValidator(_not_in_future)]


def _as_utc(value: dt.datetime) -> dt.datetime:
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    try:
        return aware.astimezone(dt.UTC)
    except OverflowError:
        # 9999-12-31T23:00-05:00 is a valid ISO string whose UTC instant is past year 9999.
        raise ValueError(Text("this instant is outside the years 1–9999 once converted to UTC",
                              "换算为 UTC 后超出 1–9999 年")) from None


UtcInstant = Annotated[dt.datetime, AfterValidator(_as_utc)]
"""A query-side instant: without an offset it is UTC; always handed on as aware UTC."""


class InputModel(BaseModel):
    """Request bodies: unknown fields are an error (a typo must not be silently dropped)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def omittable(**kwargs: Any) -> Any:
    """Default of a PATCH field that may be left out but not set to ``null``."""
    return Field(default=None, **kwargs)


class PatchModel(InputModel):
    """Partial updates. Fields default to ``None`` but are typed without ``None`` where the record needs a
    value, so an explicit ``null`` is a 422 on that field; only fields the client sent are applied."""

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)
