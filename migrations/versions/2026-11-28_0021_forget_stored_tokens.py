"""Forget the tokens that idempotent replies stored: before 0021, the answer of a login or a new API token sent
with an Idempotency-Key was kept whole for a day, its token in plain text. Such answers are now stored without
the token (a retry is refused with 409); the ones stored earlier are deleted, so a retry with their key within
the day runs again instead of replaying. Nothing to restore on downgrade.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-28 13:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("""DELETE FROM idempotency_keys WHERE response_body LIKE '%"access_token"%' """
               """OR response_body LIKE '%"token"%'""")


def downgrade() -> None:
    pass  # the deleted replies held secrets: they are not brought back
