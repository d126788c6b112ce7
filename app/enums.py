"""Enums with Chinese labels, registered so ``/meta/enums`` can serve every one the API uses."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)

_REGISTRY: dict[str, tuple[type[StrEnum], dict[str, str]]] = {}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def register_labels(enum: type[E], labels: dict[E, str]) -> type[E]:
    """Attach a Chinese label to every member; a missing or extra label is a programming error."""
    missing = set(enum) - set(labels)
    if missing:
        raise ValueError(f"{enum.__name__}: no label for {sorted(missing)}")
    _REGISTRY[_snake(enum.__name__)] = (enum, {member.value: text for member, text in labels.items()})
    return enum


def label_of(member: StrEnum) -> str:
    return _REGISTRY[_snake(type(member).__name__)][1][member.value]


def registered_enums() -> dict[str, tuple[type[StrEnum], dict[str, str]]]:
    return dict(_REGISTRY)


def check_constraint_sql(column: str, enum: type[StrEnum]) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"
