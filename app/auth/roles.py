"""Roles and what each may do."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class Role(StrEnum):
    admin = "admin"
    staff = "staff"
    viewer = "viewer"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


_RANK = {Role.viewer: 0, Role.staff: 1, Role.admin: 2}

register_labels(Role, {Role.admin: "管理员", Role.staff: "工作人员", Role.viewer: "只读用户"})


def lower_of(a: Role, b: Role) -> Role:
    return a if a.rank <= b.rank else b
