"""HTTP routes of cooperation agreements (``/cooperation-agreements``)."""

from __future__ import annotations

from fastapi import APIRouter

from app.cooperation.schemas import AgreementCreate, AgreementFilter, AgreementRead, AgreementUpdate
from app.cooperation.service import KIND
from app.http.transaction import TransactionalRoute
from app.records.routes import RecordSchemas, add_record_routes

router = APIRouter(prefix="/cooperation-agreements", tags=["cooperation"], route_class=TransactionalRoute)
add_record_routes(router, KIND, RecordSchemas(
    AgreementCreate, AgreementUpdate, AgreementRead, AgreementFilter,
    create_example={"enterprise_id": 12, "partner": "湖南文理学院", "partner_kind": "university",
                    "subject": "智能农机控制系统联合研发", "signed_on": "2026-04-01", "amount": "500000.00"},
    update_example={"amount": "650000.00"}),
                  singular="cooperation_agreement", plural="cooperation_agreements",
                  described="industry–university cooperation agreement")
