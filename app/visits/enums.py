"""Kinds of visits, categories of demands and the demand status flow."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class VisitKind(StrEnum):
    on_site = "on_site"
    phone = "phone"
    online = "online"
    meeting = "meeting"


register_labels(VisitKind, {
    VisitKind.on_site: "上门",
    VisitKind.phone: "电话",
    VisitKind.online: "线上",
    VisitKind.meeting: "座谈",
})


class DemandCategory(StrEnum):
    funding = "funding"
    talent = "talent"
    financing = "financing"
    technology = "technology"
    land_space = "land_space"
    policy = "policy"
    market = "market"
    other = "other"


register_labels(DemandCategory, {
    DemandCategory.funding: "资金",
    DemandCategory.talent: "人才",
    DemandCategory.financing: "融资",
    DemandCategory.technology: "技术",
    DemandCategory.land_space: "用地用房",
    DemandCategory.policy: "政策咨询",
    DemandCategory.market: "市场",
    DemandCategory.other: "其他",
})


class DemandStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    resolved = "resolved"
    closed = "closed"


register_labels(DemandStatus, {
    DemandStatus.open: "待办理",
    DemandStatus.in_progress: "办理中",
    DemandStatus.resolved: "已解决",
    DemandStatus.closed: "已关闭(无法解决)",
})

# A policy question is often answered on the spot, so an open demand may be resolved or closed at once.
ALLOWED_TRANSITIONS: dict[DemandStatus, frozenset[DemandStatus]] = {
    DemandStatus.open: frozenset({DemandStatus.in_progress, DemandStatus.resolved, DemandStatus.closed}),
    DemandStatus.in_progress: frozenset({DemandStatus.resolved, DemandStatus.closed}),
    DemandStatus.resolved: frozenset(),
    DemandStatus.closed: frozenset(),
}

PENDING = (DemandStatus.open, DemandStatus.in_progress)
