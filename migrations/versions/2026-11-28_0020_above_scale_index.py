"""The live above-scale firms from an index: the summary's R&D sum of above-scale firms read the whole registry
(every firm's row, ≈ 90 ms at 100,000 firms on SQLite) to find them. A partial index of the firms that are
above scale and not archived answers the same list from the index alone; partial, so that no other query of
the registry (a street's live firms, say) finds in it a way to the live firms.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-28 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As each backend writes the summary's test (SQLAlchemy renders ``IS true`` as ``IS 1`` on SQLite).
LIVE_ABOVE_SCALE = {'sqlite': 'above_scale IS 1 AND archived_at IS NULL',
                    'postgresql': 'above_scale IS true AND archived_at IS NULL'}


def upgrade() -> None:
    op.create_index('ix_enterprises_live_above_scale', 'enterprises', ['above_scale', 'archived_at', 'id'], unique=False,
                    sqlite_where=sa.text(LIVE_ABOVE_SCALE['sqlite']),
                    postgresql_where=sa.text(LIVE_ABOVE_SCALE['postgresql']))


def downgrade() -> None:
    op.drop_index('ix_enterprises_live_above_scale', table_name='enterprises')
