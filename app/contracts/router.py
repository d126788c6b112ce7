"""HTTP routes of technology contracts (``/technology-contracts``)."""

from __future__ import annotations

from fastapi import APIRouter

from app.contracts.schemas import ContractCreate, ContractFilter, ContractRead, ContractUpdate
from app.contracts.service import KIND
from app.http.transaction import TransactionalRoute
from app.records.routes import RecordSchemas, add_record_routes

router = APIRouter(prefix="/technology-contracts", tags=["technology contracts"], route_class=TransactionalRoute)
add_record_routes(router, KIND, RecordSchemas(
    ContractCreate, ContractUpdate, ContractRead, ContractFilter,
    create_example={"registration_no": "2026430702000123", "title": "智能分拣设备控制系统开发",
                    "contract_type": "development", "enterprise_id": 12, "buyer": "长沙某物流装备有限公司",
                    "contract_amount": "1200000.00", "technology_amount": "1000000.00", "registered_on": "2026-05-06"},
    update_example={"technology_amount": "950000.00", "notes": "技术市场复核后调整"}),
                  singular="technology_contract", plural="technology_contracts",
                  described="registered technology contract")
