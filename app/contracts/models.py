"""Table ``technology_contracts``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.contracts.enums import ContractType
from app.db import Base, Money, TimestampMixin, UTCDateTime
from app.enums import check_constraint_sql


class TechnologyContract(TimestampMixin, Base):
    """One contract registered (认定登记) by the technology market, the district firm as seller (技术输出方)."""

    __tablename__ = "technology_contracts"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("contract_type", ContractType), name="contract_type"),
        CheckConstraint("technology_amount <= contract_amount", name="technology_amount"),
        CheckConstraint("technology_amount >= 0", name="amounts"),
        # Covering: the summary's contracts of a period are counted and summed from the index alone.
        Index("ix_technology_contracts_archived_at_registered_on_covering", "archived_at", "registered_on",
              "enterprise_id", "technology_amount", "contract_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_no: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str | None] = mapped_column(String(300))
    contract_type: Mapped[str] = mapped_column(String(16), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    buyer: Mapped[str] = mapped_column(String(200))
    contract_amount: Mapped[Decimal] = mapped_column(Money)
    technology_amount: Mapped[Decimal] = mapped_column(Money)
    registered_on: Mapped[dt.date] = mapped_column(Date, index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}
