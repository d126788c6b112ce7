"""HTTP routes of commissioners (``/commissioners``) and their services (``/commissioner-services``)."""

from __future__ import annotations

from fastapi import APIRouter

from app.commissioners.schemas import (
    CommissionerCreate,
    CommissionerFilter,
    CommissionerRead,
    CommissionerUpdate,
    ServiceCreate,
    ServiceFilter,
    ServiceRead,
    ServiceUpdate,
)
from app.commissioners.service import COMMISSIONER_KIND, SERVICE_KIND
from app.http.transaction import TransactionalRoute
from app.records.routes import RecordSchemas, add_record_routes

commissioners_router = APIRouter(prefix="/commissioners", tags=["commissioners"], route_class=TransactionalRoute)
services_router = APIRouter(prefix="/commissioner-services", tags=["commissioners"], route_class=TransactionalRoute)

add_record_routes(commissioners_router, COMMISSIONER_KIND,
                  RecordSchemas(CommissionerCreate, CommissionerUpdate, CommissionerRead, CommissionerFilter),
                  singular="commissioner", plural="commissioners", described="S&T commissioner")
add_record_routes(services_router, SERVICE_KIND,
                  RecordSchemas(ServiceCreate, ServiceUpdate, ServiceRead, ServiceFilter),
                  singular="commissioner_service", plural="commissioner_services",
                  described="commissioner's service (training, field guidance, consultation)")
