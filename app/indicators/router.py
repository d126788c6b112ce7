"""HTTP routes of district indicators (``/district-indicators``) and yearly targets (``/yearly-targets``)."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.dependencies import admins_only
from app.http.transaction import TransactionalRoute
from app.indicators.schemas import (
    IndicatorCreate,
    IndicatorFilter,
    IndicatorRead,
    IndicatorUpdate,
    TargetCreate,
    TargetFilter,
    TargetRead,
    TargetUpdate,
)
from app.indicators.service import INDICATOR_KIND, TARGET_KIND
from app.records.routes import RecordSchemas, add_record_routes

indicators_router = APIRouter(prefix="/district-indicators", tags=["indicators"], route_class=TransactionalRoute)
targets_router = APIRouter(prefix="/yearly-targets", tags=["indicators"], route_class=TransactionalRoute)

add_record_routes(indicators_router, INDICATOR_KIND,
                  RecordSchemas(IndicatorCreate, IndicatorUpdate, IndicatorRead, IndicatorFilter,
                                create_example={"year": 2025, "indicator": "high_tech_value_added",
                                                "value": "14700000000.00",
                                                "source": "区统计局《2025年国民经济和社会发展统计公报》"},
                                update_example={"value": "14720000000.00", "notes": "统计公报修订值"}),
                  singular="district_indicator", plural="district_indicators",
                  described="official district indicator of a year")
# Targets are the leadership's assessment terms: admins set them, everyone reads them.
add_record_routes(targets_router, TARGET_KIND,
                  RecordSchemas(TargetCreate, TargetUpdate, TargetRead, TargetFilter,
                                create_example={"year": 2026, "indicator": "tech_sme_registered", "target": "300"},
                                update_example={"target": "320"}),
                  singular="yearly_target", plural="yearly_targets", described="yearly target",
                  write_dependencies=[admins_only])
