"""``/meta/enums``: every enum of the API with its Chinese labels, for forms and tables."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.enums import registered_enums
from app.http.transaction import TransactionalRoute

router = APIRouter(prefix="/meta", tags=["meta"], route_class=TransactionalRoute)


class EnumOption(BaseModel):
    value: str = Field(description="What the API sends and accepts.")
    label: str = Field(description="Chinese label to show.")


class EnumInfo(BaseModel):
    name: str = Field(description="snake_case enum name, e.g. 'industry'; the OpenAPI schema title in CamelCase.")
    options: list[EnumOption]


@router.get("/enums")
def list_enums() -> dict[str, EnumInfo]:
    """Every enum the API uses, keyed by name, each value with its Chinese label."""
    return {
        name: EnumInfo(
            name=name,
            options=[EnumOption(value=member.value, label=labels[member.value]) for member in enum],
        )
        for name, (enum, labels) in sorted(registered_enums().items())
    }
