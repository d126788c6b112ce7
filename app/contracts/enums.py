"""Kinds of technology contract (《技术合同认定规则》)."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class ContractType(StrEnum):
    development = "development"
    transfer = "transfer"
    licensing = "licensing"
    consulting = "consulting"
    service = "service"


register_labels(ContractType, {
    ContractType.development: "技术开发",
    ContractType.transfer: "技术转让",
    ContractType.licensing: "技术许可",
    ContractType.consulting: "技术咨询",
    ContractType.service: "技术服务",
})
