"""The live above-scale firms from an index: the summary's R&D sum of above-scale firms read the whole registry
(every firm's row, ≈ 90 ms at 100,000 firms on SQLite) to find them; ``(above_scale, archived_at)`` answers
the same list from the index alone.

Revision ID: 0020
Revises: 0011
Create Date: 2026-11-28 12:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0020'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_enterprises_above_scale_archived_at', 'enterprises', ['above_scale', 'archived_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_enterprises_above_scale_archived_at', table_name='enterprises')
