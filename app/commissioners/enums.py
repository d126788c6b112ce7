"""Kinds of commissioner service."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class ServiceKind(StrEnum):
    training = "training"
    field_guidance = "field_guidance"
    consultation = "consultation"


register_labels(ServiceKind, {ServiceKind.training: "技术培训", ServiceKind.field_guidance: "现场指导",
                              ServiceKind.consultation: "咨询服务"})
