"""Shapes of audit entries and of the firm timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.fields import UtcInstant


class FieldChange(BaseModel):
    before: Any = None
    after: Any = None


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    actor_id: int | None = Field(description="The user; null for the system itself.")
    actor_name: str
    action: str = Field(description="create, update, archive, restore, delete, transition, password, …")
    entity_type: str
    entity_id: int | None
    enterprise_id: int | None
    changes: dict[str, FieldChange] = Field(description="Changed fields, each with its value before and after.")
    summary: str | None
    request_id: str | None


class AuditFilter(BaseModel):
    entity_type: str | None = Field(default=None, max_length=40, description="e.g. enterprise, contact, user.")
    entity_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    enterprise_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    actor_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    action: str | None = Field(default=None, max_length=30)
    since: UtcInstant | None = Field(default=None, description="From this instant (inclusive; UTC when no offset).")
    until: UtcInstant | None = Field(default=None, description="Before this instant.")


class TimelineEntry(BaseModel):
    """One event in a firm's history; every kind of event has this one shape."""

    kind: str = Field(description="audit (a record changed); later also visit, stage_event, publicity.")
    at: dt.datetime
    actor_id: int | None
    actor_name: str | None
    title: str = Field(description="One line to show, e.g. 'update enterprise'.")
    entity_type: str
    entity_id: int | None
    details: dict[str, Any] = Field(default_factory=dict)
