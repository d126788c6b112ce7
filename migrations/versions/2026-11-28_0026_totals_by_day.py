"""The summary's visit, demand, loan, recommendation and certificate figures added up per day (``totals_by_day``),
and each firm's first days of a year, kept by triggers: a year in progress (or the same period a year earlier) is the
sum of its days instead of a count of its records.

``app.stats.models.TotalsByDay``: per business day and stripe (the firm's id modulo 16, as ``totals_by_year``), the
visits, demands raised, resolved and resolved on time, and sci-tech loans disbursed (by ``valid_from``) with their
amounts (fen) — of records that are not archived, under the same conditions as ``activity_by_year`` (migration 0018)
and ``applications_by_year`` (migration 0022) — and the firms whose *first* visit, loan, high-tech recommendation
(of any application, as ``applications_by_year``), first high-tech certificate (首次认定) or renewal of the calendar
year falls on the day: the firms visited from 1 January to a day are those whose first visit of the year is on or
before it, so a count of distinct firms over a period becomes a sum of days too.

The first days are kept per firm and year in ``activity_by_year.first_visited_on`` and ``applications_by_year``'s
``first_loan_on``, ``first_recommended_on``, ``first_certified_on`` and ``first_renewed_on``: triggers on
``visits``, ``applications`` and ``stage_events`` look the firm's earliest counted record of the year up again (one
index range) whenever one of its records is written — a high-tech application recounts the firm's certificate days
of every year, as migration 0022 recounts its flags — and triggers on the two per-firm tables move the firm in
``totals_by_day`` from its old first day to its new one. All of it runs in the writing transaction, whatever writes.
All firms count; the summary takes archived firms' records away when it reads, and recommendations of archived
applications.

Two indexes the summary reads by range become covering, so it reads no table rows for them: the valid high-tech
certificates (``applications (program, valid_until, stage, valid_from, enterprise_id, archived_at)``) and a period's
technology contracts (``technology_contracts (archived_at, registered_on, enterprise_id, technology_amount,
contract_amount)``); each replaces the index of its first two columns.

Revision ID: 0026
Revises: 0022
Create Date: 2026-11-28 17:30:00.000000
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0026'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = 'totals_by_day'
STRIPES = 16
LENT = "('disbursed', 'overdue', 'repaid')"

# source table: [(the condition a row ({r}) must meet, its date column, {column of totals_by_day: its contribution})]
DAILY = {
    'visits': [("{r}.archived_at IS NULL", 'visited_on', {'visits': '1'})],
    'demands': [
        ("{r}.archived_at IS NULL", 'raised_on', {'demands_raised': '1'}),
        ("{r}.archived_at IS NULL AND {r}.status = 'resolved'", 'resolved_on',
         {'demands_resolved': '1',
          'demands_resolved_on_time': "CASE WHEN {r}.due_on IS NULL OR {r}.resolved_on <= {r}.due_on THEN 1 ELSE 0 END"}),
    ],
    'applications': [
        (f"{{r}}.program = 'tech_loan' AND {{r}}.stage IN {LENT} AND {{r}}.archived_at IS NULL", 'valid_from',
         {'loans': '1', 'loan_disbursed': 'COALESCE({r}.amount_disbursed, 0)'}),
    ],
}
# source table: (the per-firm table, its first-day column, the firm's records that count (alias ``c``), their date
# column, the condition under which a written row ({r}) can move it)
FIRSTS = {
    'visits': ('activity_by_year', 'first_visited_on', "c.archived_at IS NULL", 'visited_on', 'TRUE'),
    'applications': ('applications_by_year', 'first_loan_on',
                     f"c.program = 'tech_loan' AND c.stage IN {LENT} AND c.archived_at IS NULL", 'valid_from',
                     "{r}.program = 'tech_loan'"),
    'stage_events': ('applications_by_year', 'first_recommended_on',
                     "c.program = 'high_tech' AND c.to_stage = 'recommended'", 'occurred_on',
                     "{r}.program = 'high_tech'"),
}
# The day of the firm's first high-tech certificate (首次认定) in the year it was issued, and of the first later one
# (a renewal) of each year: recounted from the firm's certificates whenever one of its high-tech applications changes.
CERTIFICATES = ('first_certified_on', 'first_renewed_on')
# per-firm table: {its first-day column: the column of totals_by_day counting the firms whose first day it is}
FIRM_DAYS = {
    'activity_by_year': {'first_visited_on': 'firms_visited'},
    'applications_by_year': {'first_loan_on': 'loan_firms', 'first_recommended_on': 'recommended_firms',
                             'first_certified_on': 'first_recognized_firms', 'first_renewed_on': 'renewed_firms'},
}
WATCHED = {
    'visits': ('enterprise_id', 'visited_on', 'archived_at'),
    'demands': ('enterprise_id', 'raised_on', 'resolved_on', 'due_on', 'status', 'archived_at'),
    'applications': ('program', 'enterprise_id', 'stage', 'amount_disbursed', 'valid_from', 'archived_at'),
    'stage_events': ('program', 'enterprise_id', 'to_stage', 'occurred_on'),
}
COUNTS = ('visits', 'demands_raised', 'demands_resolved', 'demands_resolved_on_time', 'loans',
          *(firms for days in FIRM_DAYS.values() for firms in days.values()))
AMOUNTS = ('loan_disbursed',)


def _add(names: Sequence[str]) -> str:
    return ', '.join(f"{name} = {TABLE}.{name} + excluded.{name}" for name in names)


def _year(dialect: str, day: str) -> str:
    if dialect == 'sqlite':
        return f"CAST(substr({day}, 1, 4) AS INTEGER)"  # dates are stored as 'YYYY-MM-DD'
    return f"CAST(EXTRACT(YEAR FROM {day}) AS INTEGER)"


def _year_range(dialect: str, day: str) -> tuple[str, str]:
    """1 January and 31 December of the year of ``day``."""
    if dialect == 'sqlite':
        return f"substr({day}, 1, 4) || '-01-01'", f"substr({day}, 1, 4) || '-12-31'"
    year = _year(dialect, day)
    return f"make_date({year}, 1, 1)", f"make_date({year}, 12, 31)"


def _daily(source: str, row: str, sign: str) -> str:
    """Statements adding (sign '') or taking away (sign '-') ``row``'s contributions to its days."""
    statements = []
    for condition, column, values in DAILY[source]:
        contributions = ', '.join(f"{sign}{value.format(r=row)}" for value in values.values())
        statements.append(
            f"INSERT INTO {TABLE} (day, stripe, {', '.join(values)}) SELECT {row}.{column}, "
            f"{row}.enterprise_id % {STRIPES}, {contributions} WHERE {condition.format(r=row)} "
            f"AND {row}.{column} IS NOT NULL ON CONFLICT (day, stripe) DO UPDATE SET {_add(list(values))};")
    return ' '.join(statements)


def _first(dialect: str, source: str, row: str) -> str:
    """The statement setting the first day of the year of ``row``'s firm and date, looked up again."""
    per_firm, first, counted, column, moves = FIRSTS[source]
    start, end = _year_range(dialect, f"{row}.{column}")
    return (f"INSERT INTO {per_firm} (year, enterprise_id, {first}) SELECT {_year(dialect, f'{row}.{column}')}, "
            f"{row}.enterprise_id, (SELECT min(c.{column}) FROM {source} AS c WHERE c.enterprise_id = {row}.enterprise_id "
            f"AND {counted} AND c.{column} >= {start} AND c.{column} <= {end}) "
            f"WHERE {row}.{column} IS NOT NULL AND {moves.format(r=row)} "
            f"ON CONFLICT (year, enterprise_id) DO UPDATE SET {first} = excluded.{first} "
            f"{_if_changed(dialect, per_firm, (first,))};")


def _if_changed(dialect: str, table: str, names: Sequence[str]) -> str:
    """An upsert's update only where a value changes: most writes leave a firm's first days as they were, and an
    unchanged row then fires no trigger of its own."""
    differs = 'IS NOT' if dialect == 'sqlite' else 'IS DISTINCT FROM'
    return 'WHERE ' + ' OR '.join(f"{table}.{name} {differs} excluded.{name}" for name in names)


CERTIFIED = "{r}.program = 'high_tech' AND {r}.stage IN ('recognized', 'revoked') AND {r}.archived_at IS NULL"


def _certificate_days(dialect: str, firm: str) -> str:
    """Rows (year, enterprise_id, first_certified_on, first_renewed_on) of the firms ``firm`` (a condition on the
    certificates ``c``): per year of issue, the day of the firm's first certificate, and of its first later one."""
    certified, year = CERTIFIED.format(r='c'), _year(dialect, 'c.valid_from')
    return (f"SELECT {year} AS year, c.enterprise_id AS enterprise_id, "
            "min(CASE WHEN c.valid_from = f.first_on THEN c.valid_from END) AS first_certified_on, "
            "min(CASE WHEN c.valid_from > f.first_on THEN c.valid_from END) AS first_renewed_on "
            f"FROM applications AS c JOIN (SELECT enterprise_id, min(valid_from) AS first_on FROM applications AS c "
            f"WHERE {certified} AND {firm} GROUP BY enterprise_id) AS f ON f.enterprise_id = c.enterprise_id "
            f"WHERE {certified} AND c.valid_from IS NOT NULL AND {firm} GROUP BY {year}, c.enterprise_id")


def _set_certificate_days(dialect: str, rows: str) -> str:
    names = ', '.join(CERTIFICATES)
    return (f"INSERT INTO applications_by_year (year, enterprise_id, {names}) SELECT year, enterprise_id, {names} "
            f"FROM ({rows}) AS r WHERE TRUE ON CONFLICT (year, enterprise_id) DO UPDATE SET "
            f"{', '.join(f'{name} = excluded.{name}' for name in CERTIFICATES)} "
            f"{_if_changed(dialect, 'applications_by_year', CERTIFICATES)}")


def _recount_certificates(dialect: str, row: str) -> str:
    """Statements recounting ``row``'s firm's certificate days, when ``row`` is a high-tech application: the days of
    the years it no longer has a certificate of cleared, then those of its certificates' years set."""
    firm = f"c.enterprise_id = {row}.enterprise_id AND {row}.program = 'high_tech'"
    years = (f"SELECT {_year(dialect, 'c.valid_from')} FROM applications AS c WHERE {CERTIFIED.format(r='c')} "
             f"AND c.valid_from IS NOT NULL AND {firm}")
    return (f"UPDATE applications_by_year SET first_certified_on = NULL, first_renewed_on = NULL "
            f"WHERE enterprise_id = {row}.enterprise_id AND {row}.program = 'high_tech' "
            f"AND (first_certified_on IS NOT NULL OR first_renewed_on IS NOT NULL) AND year NOT IN ({years}); "
            f"{_set_certificate_days(dialect, _certificate_days(dialect, firm))};")


def _firm_moves(per_firm: str, row: str, sign: str) -> str:
    """Statements adding (sign '') or taking away (sign '-') a per-firm row's first days of the year."""
    return ' '.join(
        f"INSERT INTO {TABLE} (day, stripe, {firms}) SELECT {row}.{first}, {row}.enterprise_id % {STRIPES}, "
        f"{sign}1 WHERE {row}.{first} IS NOT NULL ON CONFLICT (day, stripe) DO UPDATE SET {_add([firms])};"
        for first, firms in FIRM_DAYS[per_firm].items())


def _create_triggers(dialect: str, source: str, name: str, bump: Callable[[str, str], str],
                     watched: Sequence[str]) -> None:
    """Row triggers on ``source`` running ``bump(row, sign)`` for the old row (taken away) and the new (added)."""
    if dialect == 'sqlite':
        for event, rows in (('insert', (('new', ''),)), ('delete', (('old', '-'),)),
                            ('update', (('old', '-'), ('new', '')))):
            body = ' '.join(bump(row, sign) for row, sign in rows)
            when = f"UPDATE OF {', '.join(watched)}" if event == 'update' else event.upper()
            op.execute(f"CREATE TRIGGER {source}_{name}_{event} AFTER {when} ON {source} BEGIN {body} END")
        return
    op.execute(f"CREATE FUNCTION {source}_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {bump('OLD', '-')} END IF; "
               f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {bump('NEW', '')} END IF; "
               "RETURN NULL; END $$")
    op.execute(f"CREATE TRIGGER {source}_{name} AFTER INSERT OR UPDATE OF {', '.join(watched)} OR DELETE "
               f"ON {source} FOR EACH ROW EXECUTE FUNCTION {source}_{name}()")


def _drop_triggers(dialect: str, source: str, name: str) -> None:
    if dialect == 'sqlite':
        for event in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS {source}_{name}_{event}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {source}_{name} ON {source}")
        op.execute(f"DROP FUNCTION IF EXISTS {source}_{name}()")


def _backfill(dialect: str) -> None:
    for source, (per_firm, first, counted, column, _moves) in FIRSTS.items():
        op.execute(f"INSERT INTO {per_firm} (year, enterprise_id, {first}) SELECT {_year(dialect, f'c.{column}')}, "
                   f"c.enterprise_id, min(c.{column}) FROM {source} AS c WHERE {counted} AND c.{column} IS NOT NULL "
                   f"GROUP BY {_year(dialect, f'c.{column}')}, c.enterprise_id "
                   f"ON CONFLICT (year, enterprise_id) DO UPDATE SET {first} = excluded.{first}")
    op.execute(_set_certificate_days(dialect, _certificate_days(dialect, 'TRUE')))
    columns = (*COUNTS, *AMOUNTS)
    parts = []
    for source, contributions in DAILY.items():
        for condition, column, values in contributions:
            given = ', '.join(f"{values[name].format(r=source) if name in values else '0'} AS {name}"
                              for name in columns)
            parts.append(f"SELECT {column} AS day, enterprise_id % {STRIPES} AS stripe, {given} FROM {source} "
                         f"WHERE {condition.format(r=source)} AND {column} IS NOT NULL")
    for per_firm, days in FIRM_DAYS.items():
        for first, firms in days.items():
            given = ', '.join(f"{'1' if name == firms else '0'} AS {name}" for name in columns)
            parts.append(f"SELECT {first} AS day, enterprise_id % {STRIPES} AS stripe, {given} FROM {per_firm} "
                         f"WHERE {first} IS NOT NULL")
    sums = ', '.join(f"sum({name})" for name in columns)
    op.execute(f"INSERT INTO {TABLE} (day, stripe, {', '.join(columns)}) "
               f"SELECT day, stripe, {sums} FROM ({' UNION ALL '.join(parts)}) AS counted GROUP BY day, stripe")


# Indexes the summary's other big reads become covering, so they read no table rows: (table, old index and its
# columns, new index and its columns).
COVERING = (
    ('applications', 'ix_applications_program_valid_until', ['program', 'valid_until'],
     'ix_applications_program_valid_until_covering',
     ['program', 'valid_until', 'stage', 'valid_from', 'enterprise_id', 'archived_at']),
    ('technology_contracts', 'ix_technology_contracts_archived_at_registered_on', ['archived_at', 'registered_on'],
     'ix_technology_contracts_archived_at_registered_on_covering',
     ['archived_at', 'registered_on', 'enterprise_id', 'technology_amount', 'contract_amount']),
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, old, _old_columns, new, columns in COVERING:
        op.create_index(new, table, columns, unique=False)
        op.drop_index(old, table_name=table)
    op.create_table(
        TABLE,
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('stripe', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in COUNTS),
        *(sa.Column(name, sa.BigInteger(), server_default='0', nullable=False) for name in AMOUNTS),
        sa.PrimaryKeyConstraint('day', 'stripe', name=op.f('pk_totals_by_day')),
    )
    for per_firm, days in FIRM_DAYS.items():
        for first in days:
            op.add_column(per_firm, sa.Column(first, sa.Date(), nullable=True))
    _backfill(dialect)
    for per_firm, days in FIRM_DAYS.items():
        _create_triggers(dialect, per_firm, TABLE, lambda row, sign, per_firm=per_firm: _firm_moves(per_firm, row, sign),
                         (*days, 'enterprise_id'))
    for source, watched in WATCHED.items():
        def bump(row: str, sign: str, source: str = source) -> str:
            statements = [_daily(source, row, sign) if source in DAILY else '',
                          _first(dialect, source, row) if source in FIRSTS else '',
                          _recount_certificates(dialect, row) if source == 'applications' else '']
            return ' '.join(statement for statement in statements if statement)
        _create_triggers(dialect, source, TABLE, bump, watched)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, old, old_columns, new, _columns in COVERING:
        op.create_index(old, table, old_columns, unique=False)
        op.drop_index(new, table_name=table)
    for source in WATCHED:
        _drop_triggers(dialect, source, TABLE)
    for per_firm, days in FIRM_DAYS.items():
        _drop_triggers(dialect, per_firm, TABLE)
        for first in days:
            op.execute(f"ALTER TABLE {per_firm} DROP COLUMN {first}")
    op.drop_table(TABLE)
