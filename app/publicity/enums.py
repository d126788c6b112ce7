"""Classifications of policies and publicity events."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class PolicyCategory(StrEnum):
    tax = "tax"
    subsidy = "subsidy"
    finance = "finance"
    talent = "talent"
    ip = "ip"
    platform = "platform"
    other = "other"


register_labels(PolicyCategory, {
    PolicyCategory.tax: "税收",
    PolicyCategory.subsidy: "资金补助",
    PolicyCategory.finance: "科技金融",
    PolicyCategory.talent: "人才",
    PolicyCategory.ip: "知识产权",
    PolicyCategory.platform: "平台建设",
    PolicyCategory.other: "其他",
})


class PolicyLevel(StrEnum):
    national = "national"
    provincial = "provincial"
    municipal = "municipal"
    district = "district"


register_labels(PolicyLevel, {
    PolicyLevel.national: "国家级",
    PolicyLevel.provincial: "省级",
    PolicyLevel.municipal: "市级",
    PolicyLevel.district: "区级",
})


class EventKind(StrEnum):
    lecture = "lecture"
    training = "training"
    on_site = "on_site"
    online = "online"
    media = "media"


register_labels(EventKind, {
    EventKind.lecture: "宣讲会",
    EventKind.training: "培训",
    EventKind.on_site: "上门宣传",
    EventKind.online: "线上",
    EventKind.media: "媒体",
})
