"""Request fields every record kind of the annual summary shares."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.fields import Line
from app.publicity.schemas import RecordId, SinceField, Sort

Name = Annotated[Line, Field(min_length=1, max_length=200)]
ShortText = Annotated[Line, Field(min_length=1, max_length=300)]
BusinessDate = Annotated[dt.date, Field(ge=dt.date(1949, 10, 1), le=dt.date(2200, 12, 31))]
Year = Annotated[int, Field(ge=1990, le=2200, description="Calendar year.")]


class RecordFilter(BaseModel):
    """Filters of every record list: archived rows and incremental sync."""

    updated_since: dt.datetime | None = SinceField
    include_archived: bool = False


class FirmRecordFilter(RecordFilter):
    enterprise_id: RecordId | None = Field(default=None, description="Records of this firm.")
    q: Line | None = Field(default=None, max_length=100, description="Part of a name (see each list).")
    sort: Sort = None


class RecordRead(BaseModel):
    """What every record of these kinds carries besides its own fields."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_by: int | None = Field(description="Who entered it.")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None
