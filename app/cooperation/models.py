"""Table ``cooperation_agreements``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.cooperation.enums import PartnerKind
from app.db import Base, Money, TimestampMixin, UTCDateTime
from app.enums import check_constraint_sql


class CooperationAgreement(TimestampMixin, Base):
    """A district firm's agreement with a university or research institute."""

    __tablename__ = "cooperation_agreements"
    __table_args__ = (
        CheckConstraint(check_constraint_sql("partner_kind", PartnerKind), name="partner_kind"),
        Index("ix_cooperation_agreements_archived_at_signed_on", "archived_at", "signed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    partner: Mapped[str] = mapped_column(String(200), index=True)
    partner_kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    __mapper_args__ = {"version_id_col": version}
