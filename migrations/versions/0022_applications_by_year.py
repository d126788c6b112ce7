"""The summary's program figures counted per firm and year, kept by triggers: ``applications_by_year``.

``app.stats.models.ApplicationsByYear``: per calendar year and firm, what the summary's program figures add up —
tech-SME registrations of the year's applications; R&D subsidies approved or disbursed of the year's
applications, with their approved and disbursed amounts (fen); sci-tech loans disbursed in the year (by
``valid_from``), with their amounts; and high-tech "recommended" stage events of the year. Applications count
when they are not archived; stage events count whatever their application's state, and the summary takes those
of archived applications (few) away when it reads them, as it does the rows of archived firms.

Triggers on ``applications`` and ``stage_events`` keep the rows in the writing transaction (an insert adds its
row's contribution, a delete takes it away, an update takes the old row's away and adds the new one's), so they
are exact whatever writes: the API, imports, the CLI, demo data or SQL by hand. The upgrade counts the rows
already there. No foreign key: a deleted firm's rows go to zero with its records' cascaded deletes.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-28 14:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = 'applications_by_year'
COUNTERS = ('tech_sme_registered', 'rd_subsidies', 'loans', 'high_tech_recommended')
AMOUNTS = ('rd_subsidy_approved', 'rd_subsidy_disbursed', 'loan_disbursed')

# source table: [(condition a row ({r}) must meet, its date column (None: the row's ``year``),
#                 {column: the row's contribution})], and the columns whose change can change a contribution.
CONTRIBUTIONS = {
    'applications': [
        ("{r}.program = 'tech_sme' AND {r}.stage = 'registered' AND {r}.archived_at IS NULL", None,
         {'tech_sme_registered': '1'}),
        ("{r}.program = 'rd_subsidy' AND {r}.stage IN ('approved', 'disbursed') AND {r}.archived_at IS NULL", None,
         {'rd_subsidies': '1', 'rd_subsidy_approved': 'COALESCE({r}.amount_approved, 0)',
          'rd_subsidy_disbursed': 'COALESCE({r}.amount_disbursed, 0)'}),
        ("{r}.program = 'tech_loan' AND {r}.stage IN ('disbursed', 'overdue', 'repaid') AND {r}.archived_at IS NULL "
         "AND {r}.valid_from IS NOT NULL", 'valid_from',
         {'loans': '1', 'loan_disbursed': 'COALESCE({r}.amount_disbursed, 0)'}),
    ],
    'stage_events': [
        ("{r}.program = 'high_tech' AND {r}.to_stage = 'recommended'", 'occurred_on',
         {'high_tech_recommended': '1'}),
    ],
}
WATCHED = {
    'applications': ('program', 'enterprise_id', 'year', 'stage', 'amount_approved', 'amount_disbursed',
                     'valid_from', 'archived_at'),
    'stage_events': ('program', 'enterprise_id', 'to_stage', 'occurred_on'),
}


def _year(dialect: str, row: str, column: str | None) -> str:
    if column is None:
        return f"{row}.year"
    if dialect == 'sqlite':
        return f"CAST(substr({row}.{column}, 1, 4) AS INTEGER)"  # dates are stored as 'YYYY-MM-DD'
    return f"CAST(EXTRACT(YEAR FROM {row}.{column}) AS INTEGER)"


def _bump(dialect: str, source: str, row: str, sign: str) -> str:
    """The statements adding (sign '') or taking away (sign '-') ``row``'s contributions."""
    statements = []
    for condition, column, values in CONTRIBUTIONS[source]:
        names = ', '.join(values)
        contributions = ', '.join(f"{sign}{value.format(r=row)}" for value in values.values())
        added = ', '.join(f"{name} = {TABLE}.{name} + excluded.{name}" for name in values)
        statements.append(
            f"INSERT INTO {TABLE} (year, enterprise_id, {names}) SELECT {_year(dialect, row, column)}, "
            f"{row}.enterprise_id, {contributions} WHERE {condition.format(r=row)} "
            f"ON CONFLICT (year, enterprise_id) DO UPDATE SET {added};")
    return ' '.join(statements)


def _backfill(dialect: str) -> None:
    columns = (*COUNTERS, *AMOUNTS)
    parts = []
    for source, contributions in CONTRIBUTIONS.items():
        for condition, column, values in contributions:
            given = ', '.join(f"{values[name].format(r=source) if name in values else '0'} AS {name}"
                              for name in columns)
            parts.append(f"SELECT {_year(dialect, source, column)} AS year, enterprise_id, {given} FROM {source} "
                         f"WHERE {condition.format(r=source)}")
    sums = ', '.join(f"sum({name})" for name in columns)
    op.execute(f"INSERT INTO {TABLE} (year, enterprise_id, {', '.join(columns)}) "
               f"SELECT year, enterprise_id, {sums} FROM ({' UNION ALL '.join(parts)}) AS counted "
               "GROUP BY year, enterprise_id")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        TABLE,
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in COUNTERS),
        *(sa.Column(name, sa.BigInteger(), server_default='0', nullable=False) for name in AMOUNTS),
        sa.PrimaryKeyConstraint('year', 'enterprise_id', name=op.f('pk_applications_by_year')),
    )
    _backfill(dialect)
    for source, watched in WATCHED.items():
        if dialect == 'sqlite':
            for event, rows in (('insert', (('new', ''),)), ('delete', (('old', '-'),)),
                                ('update', (('old', '-'), ('new', '')))):
                body = ' '.join(_bump(dialect, source, row, sign) for row, sign in rows)
                when = f"UPDATE OF {', '.join(watched)}" if event == 'update' else event.upper()
                op.execute(f"CREATE TRIGGER {source}_{TABLE}_{event} AFTER {when} ON {source} BEGIN {body} END")
            continue
        op.execute(f"CREATE FUNCTION {source}_{TABLE}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_bump(dialect, source, 'OLD', '-')} END IF; "
                   f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_bump(dialect, source, 'NEW', '')} END IF; "
                   "RETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER {source}_{TABLE} AFTER INSERT OR UPDATE OF {', '.join(watched)} OR DELETE "
                   f"ON {source} FOR EACH ROW EXECUTE FUNCTION {source}_{TABLE}()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for source in WATCHED:
        if dialect == 'sqlite':
            for event in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER IF EXISTS {source}_{TABLE}_{event}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {source}_{TABLE} ON {source}")
            op.execute(f"DROP FUNCTION IF EXISTS {source}_{TABLE}()")
    op.drop_table(TABLE)
