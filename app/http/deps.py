"""Dependency aliases used by every router."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.http.transaction import request_session

# The session of the request's transaction (see TransactionalRoute).
SessionDep = Annotated[Session, Depends(request_session)]
