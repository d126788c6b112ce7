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
                  RecordSchemas(CommissionerCreate, CommissionerUpdate, CommissionerRead, CommissionerFilter,
                                create_example={"name": "李明", "level": "provincial", "expertise": "柑橘栽培",
                                                "employer": "湖南农业大学", "appointed_on": "2026-03-01",
                                                "served_firm_ids": [12], "served_villages": ["河洑镇太阳山村"]},
                                update_example={"ended_on": "2026-12-31"}),
                  singular="commissioner", plural="commissioners", described="S&T commissioner")
add_record_routes(services_router, SERVICE_KIND,
                  RecordSchemas(ServiceCreate, ServiceUpdate, ServiceRead, ServiceFilter,
                                create_example={"commissioner_id": 3, "kind": "training", "served_on": "2026-06-01",
                                                "place": "河洑镇农技站", "headcount": 40,
                                                "techniques": ["柑橘高接换种"], "varieties": ["爱媛38号"],
                                                "demonstration_base": "太阳山柑橘示范基地",
                                                "demonstration_area_mu": "320"},
                                update_example={"headcount": 45}),
                  singular="commissioner_service", plural="commissioner_services",
                  described="commissioner's service (training, field guidance, consultation)")
