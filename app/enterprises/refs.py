"""The firm a record belongs to, named in the record's reads (``enterprise: {id, name, credit_code}``) so a list
screen needs no request per row; the names of one page come from one query."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, Field, ValidationInfo, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.enterprises.models import Enterprise


class EnterpriseRef(BaseModel):
    id: int
    name: str = Field(description="企业名称.")
    credit_code: str = Field(description="统一社会信用代码.")


class _Named:
    """A record's attributes plus its firm, for ``from_attributes`` validation."""

    def __init__(self, record: Any, enterprise: EnterpriseRef) -> None:
        self._record = record
        self.enterprise = enterprise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


class NamesItsEnterprise(BaseModel):
    """Base of the reads of records that belong to a firm: validate them with ``read_all``/``read_one``."""

    enterprise: EnterpriseRef = Field(description="The firm the record belongs to.")

    @model_validator(mode="before")
    @classmethod
    def _attach_enterprise(cls, data: Any, info: ValidationInfo) -> Any:
        refs: Mapping[int, EnterpriseRef] | None = (info.context or {}).get("enterprises")
        if refs is None or isinstance(data, dict):
            return data
        return _Named(data, refs[data.enterprise_id])


class _OfAFirm(Protocol):
    enterprise_id: int


Read = TypeVar("Read", bound=NamesItsEnterprise)


def enterprise_refs(session: Session, ids: Iterable[int]) -> dict[int, EnterpriseRef]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
                           .where(Enterprise.id.in_(wanted)))
    return {row.id: EnterpriseRef(id=row.id, name=row.name, credit_code=row.credit_code) for row in rows}


def read_all(session: Session, model: type[Read], records: Iterable[_OfAFirm]) -> list[Read]:
    """The reads of a page of records, their firms fetched in one query."""
    records = list(records)
    refs = enterprise_refs(session, (r.enterprise_id for r in records))
    return [model.model_validate(r, context={"enterprises": refs}) for r in records]


def read_one(session: Session, model: type[Read], record: _OfAFirm) -> Read:
    return read_all(session, model, [record])[0]


Model = TypeVar("Model", bound=BaseModel)


def read_nested(session: Session, model: type[Model], records: Iterable[Any], enterprise_ids: Iterable[int]
                ) -> list[Model]:
    """Reads whose nested items name firms (``enterprise_ids``: all of them, across the records)."""
    refs = enterprise_refs(session, enterprise_ids)
    return [model.model_validate(r, context={"enterprises": refs}) for r in records]
