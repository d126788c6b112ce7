"""Indexes for the yearly statistics: live rows of a date range, and stage entries of a program by date.

Without table statistics SQLite takes an equality on ``archived_at IS NULL`` for selective and walks
every live row; ``(archived_at, date)`` serves the equality and the year's range from one index range.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 15:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ('ix_visits_archived_at_visited_on', 'visits', ['archived_at', 'visited_on']),
    ('ix_demands_archived_at_raised_on', 'demands', ['archived_at', 'raised_on']),
    ('ix_demands_archived_at_resolved_on', 'demands', ['archived_at', 'resolved_on']),
    ('ix_publicity_events_archived_at_held_on', 'publicity_events', ['archived_at', 'held_on']),
    ('ix_applications_program_year_stage', 'applications', ['program', 'year', 'stage']),
    ('ix_stage_events_program_to_stage_occurred_on', 'stage_events', ['program', 'to_stage', 'occurred_on']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
