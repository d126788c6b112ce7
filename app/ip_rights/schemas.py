"""Request and response shapes of the IP ledger."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.fields import InputModel, Line, Multiline, PastDate, PatchModel, omittable
from app.ip_rights.enums import IpKind

Number = Annotated[Line, Field(min_length=1, max_length=64, description="Patent or registration number, e.g. "
                                                                         "ZL202310123456.7; unique within a firm.")]
Title = Annotated[Line, Field(min_length=1, max_length=200, description="Name of the invention, work or variety.")]
ApplicationId = Annotated[int, Field(ge=1, le=2_147_483_647, description="The high-tech application (高新技术企业认定) "
                                     "that counted this item; a class Ⅱ item counts for one application only.")]
KIND_DESCRIPTION = "Kind of IP; its class (Ⅰ or Ⅱ) follows from it."
EXPIRES_DESCRIPTION = "Last day the right is in force; null when it does not lapse on a set day."


class IpRightCreate(InputModel):
    number: Number
    kind: IpKind = Field(description=KIND_DESCRIPTION)
    title: Title | None = None
    granted_on: PastDate = Field(description="授权/登记 date.")
    expires_on: dt.date | None = Field(default=None, description=EXPIRES_DESCRIPTION)
    used_by_application_id: ApplicationId | None = None
    notes: Multiline | None = None


class IpRightUpdate(PatchModel):
    number: Number = omittable()
    kind: IpKind = omittable(description=KIND_DESCRIPTION)
    title: Title | None = None
    granted_on: PastDate = omittable()
    expires_on: dt.date | None = Field(default=None, description=EXPIRES_DESCRIPTION)
    used_by_application_id: ApplicationId | None = None
    notes: Multiline | None = None


class IpRightRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    number: str
    kind: IpKind
    ip_class: int = Field(description="1 = class Ⅰ (invention patents …), 2 = class Ⅱ (utility models, designs, "
                          "software copyrights); read-only, from kind.")
    title: str | None
    granted_on: dt.date
    expires_on: dt.date | None
    used_by_application_id: int | None
    notes: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
