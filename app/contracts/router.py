"""HTTP routes of technology contracts (``/technology-contracts``)."""

from __future__ import annotations

from fastapi import APIRouter

from app.contracts.schemas import ContractCreate, ContractFilter, ContractRead, ContractUpdate
from app.contracts.service import KIND
from app.http.transaction import TransactionalRoute
from app.records.routes import RecordSchemas, add_record_routes

router = APIRouter(prefix="/technology-contracts", tags=["technology contracts"], route_class=TransactionalRoute)
add_record_routes(router, KIND, RecordSchemas(ContractCreate, ContractUpdate, ContractRead, ContractFilter),
                  singular="technology_contract", plural="technology_contracts",
                  described="registered technology contract")
