"""The rules checked against the official texts: total income, the IP ledger, the programme calendar,
development reports, and a certificate's issue date.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-28 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total_income', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        batch_op.drop_column('total_income')
