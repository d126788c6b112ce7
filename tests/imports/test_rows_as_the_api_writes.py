"""A firm registered by an import is stored as the API stores it — its columns, tags and audit row — whichever way
the bulk write sends the rows (SQLite: multi-row INSERTs; PostgreSQL: COPY)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.enterprises.models import Enterprise, EnterpriseTag
from tests.factories import create_enterprise, credit_code
from tests.imports.files import upload, xlsx

FIELDS = {"name": "常德写法对照科技有限公司", "district": "丹阳街道", "park": "常德高新区", "industry": "C",
          "industry_code": "39", "tech_domain": "electronic_information", "above_scale": True,
          "registered_on": "2018-05-20", "address": "常德市武陵区某路1号", "legal_representative": "张三",
          "tags": ["专精特新", "瞪羚"], "status": "moved_out", "notes": "备注\n第二行"}
HEADERS = ["统一社会信用代码", "企业名称", "所属街道", "园区", "行业门类", "行业代码", "技术领域", "规上企业",
           "成立日期", "地址", "法定代表人", "标签", "经营状态", "备注"]


def _stored(session: Session, code: str) -> tuple[dict[str, Any], list[str], AuditEntry]:
    firm = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
    columns = {c.name: getattr(firm, c.name) for c in Enterprise.__table__.columns
               if c.name not in ("id", "credit_code", "created_at", "updated_at")}
    tags = sorted(session.scalars(select(EnterpriseTag.tag).where(EnterpriseTag.enterprise_id == firm.id)))
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "enterprise",
                                                     AuditEntry.entity_id == firm.id)).one()
    assert firm.created_at.tzinfo is not None
    assert firm.updated_at.tzinfo is not None
    return columns, tags, entry


def test_an_imported_firm_is_stored_as_the_api_stores_it(client: TestClient, session: Session) -> None:
    typed, imported = credit_code(), credit_code()
    create_enterprise(client, credit_code=typed, **FIELDS)
    row = [imported, FIELDS["name"], "丹阳街道", "常德高新区", "C 制造业", "39", "电子信息", "是", "2018-05-20",
           "常德市武陵区某路1号", "张三", "瞪羚、专精特新", "已迁出", "备注\n第二行"]
    response = upload(client, "enterprises", xlsx([HEADERS, row]))
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1
    session.expire_all()
    api_columns, api_tags, api_entry = _stored(session, typed)
    columns, tags, entry = _stored(session, imported)
    assert columns == api_columns
    assert tags == api_tags == ["专精特新", "瞪羚"]
    assert entry.at.tzinfo is not None
    for name in ("actor_id", "actor_name", "action", "entity_type", "summary"):
        assert getattr(entry, name) == getattr(api_entry, name), name
    assert entry.enterprise_id == entry.entity_id
    assert entry.changes.pop("credit_code") == {"before": None, "after": imported}
    assert api_entry.changes.pop("credit_code") == {"before": None, "after": typed}
    assert entry.changes == api_entry.changes
