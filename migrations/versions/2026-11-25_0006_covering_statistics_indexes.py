"""Indexes the statistics and the firm page read without touching table rows.

The yearly counts of visits and demands are answered from covering indexes; whether a firm was visited in
a year is one probe of ``(enterprise_id, archived_at, visited_on)``; a firm's applications of one program
are found by ``(enterprise_id, program)``. The single-column firm indexes they extend are dropped.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 17:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, table, columns before, columns after); None: the index does not exist on that side.
CHANGES: tuple[tuple[str, str, list[str] | None, list[str] | None], ...] = (
    ('ix_visits_archived_at_visited_on', 'visits', ['archived_at', 'visited_on'],
     ['archived_at', 'visited_on', 'enterprise_id']),
    ('ix_visits_enterprise_id', 'visits', ['enterprise_id'], None),
    ('ix_visits_enterprise_id_archived_at_visited_on', 'visits', None,
     ['enterprise_id', 'archived_at', 'visited_on']),
    ('ix_demands_archived_at_raised_on', 'demands', ['archived_at', 'raised_on'],
     ['archived_at', 'raised_on', 'enterprise_id']),
    ('ix_demands_archived_at_resolved_on', 'demands', ['archived_at', 'resolved_on'],
     ['archived_at', 'resolved_on', 'status', 'due_on', 'enterprise_id']),
    ('ix_applications_enterprise_id', 'applications', ['enterprise_id'], None),
    ('ix_applications_enterprise_id_program', 'applications', None, ['enterprise_id', 'program']),
)


def _apply(before: int, after: int) -> None:
    for change in CHANGES:
        name, table, old, new = change[0], change[1], change[before], change[after]
        if old is not None:
            op.drop_index(name, table_name=table)
        if new is not None:
            op.create_index(name, table, new, unique=False)


def upgrade() -> None:
    _apply(2, 3)


def downgrade() -> None:
    _apply(3, 2)
