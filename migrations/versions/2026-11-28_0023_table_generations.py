"""A generation per table, changed in the writing transaction by every write, for the lists' cached totals.

``seedbed_generations`` (app/http/counts.py) holds, for each table a list may count, a value that every
insert, update and delete of the table replaces with one never used before; a list's total is counted again
only when the value of a table it reads has changed. Triggers keep it, so every writer does: the API, imports,
demo data, the CLI or SQL by hand.

SQLite: one row per table (slot 0); row triggers set it to ``random()``. SQLite has one writer at a time, so
the hot row costs no waiting.

PostgreSQL: statement triggers (also on TRUNCATE) call ``seedbed_bump_generation()``, which sets one slot of
the table to ``nextval('seedbed_generation')``. The slot is any of the table's rows no other transaction holds
(``FOR UPDATE SKIP LOCKED``); when every one is held a new slot is added (an INSERT waits for no one). So two
transactions writing the same table never queue on one row: one long import holds one slot until it commits
while the API's writes take the others. The sequence starts at a random value, so a database made again does
not repeat the values an old one had.

Tables no list counts and that are written on every request or only by other triggers (idempotency keys,
login failures, activity by year) have no generation: a count that read them would simply not be cached.

Revision ID: 0023
Revises: 0021
Create Date: 2026-11-28 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0023'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('annual_figures', 'applications', 'audit_entries', 'calendar_entries', 'commissioner_firms',
          'commissioner_services', 'commissioners', 'contacts', 'cooperation_agreements', 'demands',
          'development_reports', 'district_indicators', 'enterprise_tags', 'enterprises', 'event_attendance',
          'event_policies', 'innovation_platforms', 'ip_rights', 'policies', 'publicity_events', 'stage_events',
          'technology_contracts', 'tokens', 'users', 'visit_contacts', 'visit_policies', 'visit_staff', 'visits',
          'yearly_targets')

_BUMP_FUNCTION = """
CREATE FUNCTION seedbed_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    free bigint;
BEGIN
    SELECT slot INTO free FROM seedbed_generations WHERE table_name = TG_TABLE_NAME
        ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF FOUND THEN
        UPDATE seedbed_generations SET generation = nextval('seedbed_generation')
            WHERE table_name = TG_TABLE_NAME AND slot = free;
    ELSE
        INSERT INTO seedbed_generations (table_name, slot, generation)
            VALUES (TG_TABLE_NAME, nextval('seedbed_generation'), nextval('seedbed_generation'));
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        'seedbed_generations',
        sa.Column('table_name', sa.String(length=63), nullable=False),
        sa.Column('slot', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('table_name', 'slot', name=op.f('pk_seedbed_generations')),
    )
    if op.get_bind().dialect.name == 'sqlite':
        for table in TABLES:
            op.execute(f"INSERT INTO seedbed_generations (table_name, slot, generation) "
                       f"VALUES ('{table}', 0, random())")
            for event in ('insert', 'update', 'delete'):
                op.execute(f"CREATE TRIGGER {table}_generation_{event} AFTER {event.upper()} ON {table} BEGIN "
                           f"UPDATE seedbed_generations SET generation = random() WHERE table_name = '{table}'; "
                           "END")
        return
    op.execute("CREATE SEQUENCE seedbed_generation")
    op.execute("SELECT setval('seedbed_generation', 1 + floor(random() * 4e18)::bigint)")
    op.execute(_BUMP_FUNCTION)
    for table in TABLES:
        op.execute(f"INSERT INTO seedbed_generations (table_name, slot, generation) "
                   f"VALUES ('{table}', 0, nextval('seedbed_generation'))")
        op.execute(f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION seedbed_bump_generation()")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for table in TABLES:
            for event in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_generation_{event}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_generation ON {table}")
        op.execute("DROP FUNCTION IF EXISTS seedbed_bump_generation()")
        op.execute("DROP SEQUENCE IF EXISTS seedbed_generation")
    op.drop_table('seedbed_generations')
