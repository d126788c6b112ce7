"""HTTP routes of cooperation agreements (``/cooperation-agreements``)."""

from __future__ import annotations

from fastapi import APIRouter

from app.cooperation.schemas import AgreementCreate, AgreementFilter, AgreementRead, AgreementUpdate
from app.cooperation.service import KIND
from app.http.transaction import TransactionalRoute
from app.records.routes import RecordSchemas, add_record_routes

router = APIRouter(prefix="/cooperation-agreements", tags=["cooperation"], route_class=TransactionalRoute)
add_record_routes(router, KIND, RecordSchemas(AgreementCreate, AgreementUpdate, AgreementRead, AgreementFilter),
                  singular="cooperation_agreement", plural="cooperation_agreements",
                  described="industry–university cooperation agreement")
