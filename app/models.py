"""Imports every domain's models so ``Base.metadata`` knows all tables (Alembic, tests)."""

from app.enterprises import models as enterprises  # noqa: F401
