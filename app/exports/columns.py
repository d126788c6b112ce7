"""The columns of each export; Chinese headers match what the import accepts, so an export re-imports."""

from __future__ import annotations

from typing import Any

from app.enterprises.enums import EnterpriseStatus, Industry, TechDomain
from app.enums import label_of
from app.exports.tabular import Column


def _label(enum: type[Any]) -> Any:
    return lambda code: label_of(enum(code))


ENTERPRISE_COLUMNS = (
    Column("id", "编号", lambda e: e.id),
    Column("credit_code", "统一社会信用代码", lambda e: e.credit_code),
    Column("name", "企业名称", lambda e: e.name),
    Column("district", "所属街道", lambda e: e.district),
    Column("park", "园区", lambda e: e.park),
    Column("industry", "行业门类", lambda e: e.industry, _label(Industry)),
    Column("industry_code", "行业代码", lambda e: e.industry_code),
    Column("tech_domain", "技术领域", lambda e: e.tech_domain, _label(TechDomain)),
    Column("above_scale", "规上企业", lambda e: e.above_scale),
    Column("registered_on", "成立日期", lambda e: e.registered_on),
    Column("address", "地址", lambda e: e.address),
    Column("legal_representative", "法定代表人", lambda e: e.legal_representative),
    Column("owner_id", "包联干部编号", lambda e: e.owner_id),
    Column("tags", "标签", lambda e: e.tags),
    Column("status", "经营状态", lambda e: e.status, _label(EnterpriseStatus)),
    Column("updated_at", "更新时间", lambda e: e.updated_at),
    Column("archived_at", "归档时间", lambda e: e.archived_at),
)
