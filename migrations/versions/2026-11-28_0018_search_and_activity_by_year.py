"""Search by trigram indexes, visits and demands counted per firm and year for the summary, and a street's
firms of any status newest first from an index.

**Search** (app/enterprises/search.py), over firms' and contacts' names.

SQLite: FTS5 tables with the ``trigram`` tokenizer over ``enterprises.name`` and ``contacts.name`` (external
content: the index only, the names stay in their tables), kept by triggers in the writing transaction.
PostgreSQL: ``pg_trgm`` and a GIN index on each name (``ILIKE '%word%'`` uses them). pg_trgm sees Chinese
characters only where the database's ``LC_CTYPE`` is a UTF-8 locale (README: PostgreSQL); elsewhere the
indexes are still correct but Chinese words are matched by reading them whole. The extension is left in place
on downgrade: other objects may use it.

**activity_by_year** (``app.visits.models.ActivityByYear``): per firm and calendar year, the visits, the
demands raised, resolved, and resolved on time that are not archived — what the summary's five visit and
demand figures count. Triggers on ``visits`` and ``demands`` keep it in the writing transaction (an insert adds
one, a delete takes one away, an update takes the old row's contribution away and adds the new one's), so it
is exact whatever writes: the API, imports, demo data or SQL by hand. No foreign key: a deleted firm's rows
go to zero with its records' cascaded deletes instead of vanishing before them.

**Street list without a status filter**: ``(district, archived_at, registered_on)`` gives the page of 50
newest firms of a street by walking the index backwards, where ``(district, status, …)`` made SQLite read and
sort the whole street (11,000 firms at city scale).

Revision ID: 0018
Revises: 0008
Create Date: 2026-11-28 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (indexed table, FTS5 table, trigger name prefix)
SQLITE_INDEXES = (('enterprises', 'enterprise_name_search', 'enterprises_name_search'),
                  ('contacts', 'contact_name_search', 'contacts_name_search'))
POSTGRESQL_INDEXES = (('enterprises', 'ix_enterprises_name_trgm'), ('contacts', 'ix_contacts_name_trgm'))


def _sqlite_upgrade() -> None:
    for table, fts, trigger in SQLITE_INDEXES:
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(name, content='{table}', content_rowid='id', "
                   "tokenize='trigram')")
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        op.execute(f"CREATE TRIGGER {trigger}_insert AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {fts}(rowid, name) VALUES (new.id, new.name); END")
        op.execute(f"CREATE TRIGGER {trigger}_delete AFTER DELETE ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, name) VALUES ('delete', old.id, old.name); END")
        op.execute(f"CREATE TRIGGER {trigger}_update AFTER UPDATE OF id, name ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, name) VALUES ('delete', old.id, old.name); "
                   f"INSERT INTO {fts}(rowid, name) VALUES (new.id, new.name); END")


def _sqlite_downgrade() -> None:
    for _table, fts, trigger in SQLITE_INDEXES:
        for event in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}_{event}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")


# counter: (source table, its date column, the condition a row must meet to count, beyond not archived)
COUNTERS = {
    'visits': ('visits', 'visited_on', 'TRUE'),
    'demands_raised': ('demands', 'raised_on', 'TRUE'),
    'demands_resolved': ('demands', 'resolved_on', "{row}.status = 'resolved'"),
    'demands_resolved_on_time': ('demands', 'resolved_on',
                                 "{row}.status = 'resolved' AND ({row}.due_on IS NULL OR "
                                 "{row}.resolved_on <= {row}.due_on)"),
}
SOURCES = ('visits', 'demands')


def _year(dialect: str, column: str) -> str:
    if dialect == 'sqlite':
        return f"CAST(substr({column}, 1, 4) AS INTEGER)"  # dates are stored as 'YYYY-MM-DD'
    return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"


def _counts(dialect: str, counter: str, row: str) -> tuple[str, str]:
    """The condition under which ``row`` (new, old or the table itself) counts for ``counter``, and its year."""
    _table, column, condition = COUNTERS[counter]
    counts = f"{row}.archived_at IS NULL AND {row}.{column} IS NOT NULL AND " + condition.format(row=row)
    return counts, _year(dialect, f"{row}.{column}")


def _bump(dialect: str, counter: str, row: str, delta: int) -> str:
    counts, year = _counts(dialect, counter, row)
    return (f"INSERT INTO activity_by_year (year, enterprise_id, {counter}) SELECT {year}, {row}.enterprise_id, "
            f"{delta} WHERE {counts} ON CONFLICT (year, enterprise_id) DO UPDATE SET "
            f"{counter} = activity_by_year.{counter} + excluded.{counter};")


def _create_activity_by_year(dialect: str) -> None:
    op.create_table(
        'activity_by_year',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        *(sa.Column(counter, sa.Integer(), server_default='0', nullable=False) for counter in COUNTERS),
        sa.PrimaryKeyConstraint('year', 'enterprise_id', name=op.f('pk_activity_by_year')),
    )
    parts = []
    for counter, (table, _column, _condition) in COUNTERS.items():
        counts, year = _counts(dialect, counter, table)
        ones = ', '.join(f"{1 if other == counter else 0} AS {other}" for other in COUNTERS)
        parts.append(f"SELECT {year} AS year, enterprise_id, {ones} FROM {table} WHERE {counts}")
    sums = ', '.join(f"sum({counter})" for counter in COUNTERS)
    op.execute(f"INSERT INTO activity_by_year (year, enterprise_id, {', '.join(COUNTERS)}) "
               f"SELECT year, enterprise_id, {sums} FROM ({' UNION ALL '.join(parts)}) AS counted "
               "GROUP BY year, enterprise_id")
    for source in SOURCES:
        counters = [counter for counter, (table, _c, _k) in COUNTERS.items() if table == source]
        if dialect == 'sqlite':
            for event, rows in (('insert', (('new', 1),)), ('delete', (('old', -1),)),
                                ('update', (('old', -1), ('new', 1)))):
                body = ' '.join(_bump(dialect, counter, row, delta) for row, delta in rows for counter in counters)
                op.execute(f"CREATE TRIGGER {source}_activity_by_year_{event} AFTER {event.upper()} ON {source} "
                           f"BEGIN {body} END")
            continue
        old = ' '.join(_bump(dialect, counter, 'OLD', -1) for counter in counters)
        new = ' '.join(_bump(dialect, counter, 'NEW', 1) for counter in counters)
        op.execute(f"CREATE FUNCTION {source}_activity_by_year() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {old} END IF; "
                   f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {new} END IF; RETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER {source}_activity_by_year AFTER INSERT OR UPDATE OR DELETE ON {source} "
                   f"FOR EACH ROW EXECUTE FUNCTION {source}_activity_by_year()")


def _drop_activity_by_year(dialect: str) -> None:
    for source in SOURCES:
        if dialect == 'sqlite':
            for event in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER IF EXISTS {source}_activity_by_year_{event}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {source}_activity_by_year ON {source}")
            op.execute(f"DROP FUNCTION IF EXISTS {source}_activity_by_year()")
    op.drop_table('activity_by_year')


STREET_INDEX = ('ix_enterprises_district_archived_at_registered_on', ['district', 'archived_at', 'registered_on'])


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_index(STREET_INDEX[0], 'enterprises', STREET_INDEX[1], unique=False)
    _create_activity_by_year(dialect)
    if dialect == 'sqlite':
        _sqlite_upgrade()
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, index in POSTGRESQL_INDEXES:
        op.execute(f"CREATE INDEX {index} ON {table} USING gin (name gin_trgm_ops)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_index(STREET_INDEX[0], table_name='enterprises')
    _drop_activity_by_year(dialect)
    if dialect == 'sqlite':
        _sqlite_downgrade()
        return
    for _table, index in POSTGRESQL_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index}")
