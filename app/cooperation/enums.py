"""Who a firm cooperates with."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class PartnerKind(StrEnum):
    university = "university"
    institute = "institute"
    other = "other"


register_labels(PartnerKind, {PartnerKind.university: "高等院校", PartnerKind.institute: "科研院所",
                              PartnerKind.other: "其他"})
