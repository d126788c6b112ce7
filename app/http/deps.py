"""Dependency aliases used by every router."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.db import get_session

# scope="function": the commit runs before the response is sent, so a 201 is never followed by a
# failed commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
