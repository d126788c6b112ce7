"""The summary's program figures counted per firm and year (``applications_by_year``), and the per-firm counts and
the annual figures' sums added up per year (``totals_by_year``), kept by triggers.

``app.stats.models.ApplicationsByYear``: per calendar year and firm, what the summary's program figures add up —
tech-SME registrations of the year's applications; R&D subsidies approved or disbursed of the year's
applications, with their approved and disbursed amounts (fen); sci-tech loans disbursed in the year (by
``valid_from``), with their amounts; high-tech "recommended" stage events of the year; and whether the firm's first
high-tech certificate (首次认定), or a later one (a renewal), was issued in the year — recounted from the firm's
certificates by a trigger whenever one of its high-tech applications changes. Applications count
when they are not archived; stage events count whatever their application's state, and the summary takes those
of archived applications (few) away when it reads them, as it does the rows of archived firms.

Triggers on ``applications`` and ``stage_events`` keep the rows in the writing transaction (an insert adds its
row's contribution, a delete takes it away, an update takes the old row's away and adds the new one's), so they
are exact whatever writes: the API, imports, the CLI, demo data or SQL by hand. The upgrade counts the rows
already there. No foreign key: a deleted firm's rows go to zero with its records' cascaded deletes.

``app.stats.models.TotalsByYear``: the rows of ``activity_by_year`` (migration 0018) and ``applications_by_year``
added up per year — their sums, and for firm counts the number of rows above zero — kept by triggers on those two
tables, so the summary reads a few rows a year whatever the number of firms (less the archived firms' per-firm
rows, which it reads by their ids). A year's totals are split over 16 stripes by firm id, so writes about
different firms seldom wait for one row on PostgreSQL. The same rows hold the annual figures' high-tech income of
every firm and R&D expense of the firms above scale, kept by triggers on ``annual_figures`` (which look the firm's
``above_scale`` up) and on ``enterprises``: a firm whose ``above_scale`` changes moves its R&D expense in or out,
and a firm deleted takes it out before its figures are deleted with it. And they hold the registry's active firms
that are not archived per year of registration (year 0: not known), kept by triggers on ``enterprises`` (insert,
delete, and updates of ``status``, ``archived_at`` or ``registered_on``): a year's count is the rows up to it.

Revision ID: 0022
Revises: 0025
Create Date: 2026-11-28 14:50:00.000000
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = 'applications_by_year'
COUNTERS = ('tech_sme_registered', 'rd_subsidies', 'loans', 'high_tech_recommended')
# Per firm and year, 1 where the firm's first high-tech certificate was issued in the year (首次认定), and 1
# where a later one was (重新认定): recounted from the firm's certificates whenever one of them changes.
CERTIFICATES = ('high_tech_first', 'high_tech_renewed')
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


CERTIFIED = "{r}.program = 'high_tech' AND {r}.stage IN ('recognized', 'revoked') AND {r}.archived_at IS NULL"


def _certificates(dialect: str, firm: str) -> str:
    """The per-year first-certificate and renewal flags of the firms ``firm`` (an expression, or a column of
    ``applications`` for all firms), as rows (year, enterprise_id, high_tech_first, high_tech_renewed)."""
    certified = CERTIFIED.format(r='c')
    return (f"SELECT {_year(dialect, 'c', 'valid_from')} AS year, c.enterprise_id AS enterprise_id, "
            "max(CASE WHEN c.valid_from = f.first_on THEN 1 ELSE 0 END) AS high_tech_first, "
            "max(CASE WHEN c.valid_from > f.first_on THEN 1 ELSE 0 END) AS high_tech_renewed "
            f"FROM applications AS c JOIN (SELECT enterprise_id, min(valid_from) AS first_on FROM applications AS c "
            f"WHERE {certified} AND {firm} GROUP BY enterprise_id) AS f ON f.enterprise_id = c.enterprise_id "
            f"WHERE {certified} AND c.valid_from IS NOT NULL AND {firm} "
            f"GROUP BY {_year(dialect, 'c', 'valid_from')}, c.enterprise_id")


def _recount_certificates(dialect: str, row: str) -> str:
    """Statements recounting the flags of ``row``'s firm: all its rows to zero, then its certificates' years."""
    firm = f"c.enterprise_id = {row}.enterprise_id"
    return (f"UPDATE {TABLE} SET high_tech_first = 0, high_tech_renewed = 0 WHERE enterprise_id = {row}.enterprise_id "
            "AND (high_tech_first <> 0 OR high_tech_renewed <> 0); "
            f"INSERT INTO {TABLE} (year, enterprise_id, high_tech_first, high_tech_renewed) "
            f"SELECT year, enterprise_id, high_tech_first, high_tech_renewed FROM ({_certificates(dialect, firm)}) AS r "
            "WHERE TRUE ON CONFLICT (year, enterprise_id) DO UPDATE SET high_tech_first = excluded.high_tech_first, "
            "high_tech_renewed = excluded.high_tech_renewed;")


def _create_certificate_triggers(dialect: str) -> None:
    watched = 'program, enterprise_id, stage, valid_from, archived_at'
    if dialect == 'sqlite':
        for event, rows in (('insert', ('new',)), ('delete', ('old',)), ('update', ('old', 'new'))):
            when = ' OR '.join(f"{row}.program = 'high_tech'" for row in rows)
            body = ' '.join(_recount_certificates(dialect, row) for row in rows)
            on = f"UPDATE OF {watched}" if event == 'update' else event.upper()
            op.execute(f"CREATE TRIGGER applications_certificates_{event} AFTER {on} ON applications "
                       f"WHEN {when} BEGIN {body} END")
        return
    op.execute("CREATE FUNCTION applications_certificates() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.program = 'high_tech' THEN "
               f"{_recount_certificates(dialect, 'OLD')} END IF; "
               f"IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.program = 'high_tech' THEN "
               f"{_recount_certificates(dialect, 'NEW')} END IF; RETURN NULL; END $$")
    op.execute(f"CREATE TRIGGER applications_certificates AFTER INSERT OR UPDATE OF {watched} OR DELETE "
               "ON applications FOR EACH ROW EXECUTE FUNCTION applications_certificates()")


def _drop_certificate_triggers(dialect: str) -> None:
    if dialect == 'sqlite':
        for event in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS applications_certificates_{event}")
    else:
        op.execute("DROP TRIGGER IF EXISTS applications_certificates ON applications")
        op.execute("DROP FUNCTION IF EXISTS applications_certificates()")


def _backfill_certificates(dialect: str) -> None:
    op.execute(f"INSERT INTO {TABLE} (year, enterprise_id, high_tech_first, high_tech_renewed) "
               f"SELECT year, enterprise_id, high_tech_first, high_tech_renewed FROM ({_certificates(dialect, 'TRUE')}) "
               "AS r WHERE TRUE ON CONFLICT (year, enterprise_id) DO UPDATE SET high_tech_first = excluded.high_tech_first, "
               "high_tech_renewed = excluded.high_tech_renewed")


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


TOTALS = 'totals_by_year'
STRIPES = 16
# per-firm table: {column of totals_by_year: a row's ({r}) contribution}
TOTALLED = {
    'activity_by_year': {
        'visits': '{r}.visits', 'demands_raised': '{r}.demands_raised', 'demands_resolved': '{r}.demands_resolved',
        'demands_resolved_on_time': '{r}.demands_resolved_on_time',
        'firms_visited': 'CASE WHEN {r}.visits > 0 THEN 1 ELSE 0 END'},
    TABLE: {
        'tech_sme_firms': 'CASE WHEN {r}.tech_sme_registered > 0 THEN 1 ELSE 0 END',
        'rd_subsidy_firms': 'CASE WHEN {r}.rd_subsidies > 0 THEN 1 ELSE 0 END',
        'rd_subsidy_approved': '{r}.rd_subsidy_approved', 'rd_subsidy_disbursed': '{r}.rd_subsidy_disbursed',
        'loans': '{r}.loans', 'loan_firms': 'CASE WHEN {r}.loans > 0 THEN 1 ELSE 0 END',
        'loan_disbursed': '{r}.loan_disbursed',
        'recommended_firms': 'CASE WHEN {r}.high_tech_recommended > 0 THEN 1 ELSE 0 END',
        'first_recognized_firms': '{r}.high_tech_first', 'renewed_firms': '{r}.high_tech_renewed'},
}
TOTAL_AMOUNTS = ('rd_subsidy_approved', 'rd_subsidy_disbursed', 'loan_disbursed')


def _total(source: str, row: str, sign: str) -> str:
    """The statement adding (sign '') or taking away (sign '-') a per-firm row's part of its year's totals."""
    values = TOTALLED[source]
    contributions = ', '.join(f"{sign}{value.format(r=row)}" for value in values.values())
    added = ', '.join(f"{name} = {TOTALS}.{name} + excluded.{name}" for name in values)
    return (f"INSERT INTO {TOTALS} (year, stripe, {', '.join(values)}) SELECT {row}.year, "
            f"{row}.enterprise_id % {STRIPES}, {contributions} WHERE TRUE "
            f"ON CONFLICT (year, stripe) DO UPDATE SET {added};")


def _backfill_totals() -> None:
    columns = [name for values in TOTALLED.values() for name in values]
    parts = []
    for source, values in TOTALLED.items():
        given = ', '.join(f"{values[name].format(r=source) if name in values else '0'} AS {name}" for name in columns)
        parts.append(f"SELECT year, enterprise_id % {STRIPES} AS stripe, {given} FROM {source}")
    sums = ', '.join(f"sum({name})" for name in columns)
    op.execute(f"INSERT INTO {TOTALS} (year, stripe, {', '.join(columns)}) "
               f"SELECT year, stripe, {sums} FROM ({' UNION ALL '.join(parts)}) AS counted GROUP BY year, stripe")


def _create_triggers(dialect: str, source: str, name: str, bump: Callable[[str, str], str],
                     watched: Sequence[str] | None = None) -> None:
    """Row triggers on ``source`` running ``bump(row, sign)`` for the old row (taken away) and the new (added)."""
    if dialect == 'sqlite':
        for event, rows in (('insert', (('new', ''),)), ('delete', (('old', '-'),)),
                            ('update', (('old', '-'), ('new', '')))):
            body = ' '.join(bump(row, sign) for row, sign in rows)
            when = f"UPDATE OF {', '.join(watched)}" if event == 'update' and watched else event.upper()
            op.execute(f"CREATE TRIGGER {source}_{name}_{event} AFTER {when} ON {source} BEGIN {body} END")
        return
    op.execute(f"CREATE FUNCTION {source}_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {bump('OLD', '-')} END IF; "
               f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {bump('NEW', '')} END IF; "
               "RETURN NULL; END $$")
    update = f"UPDATE OF {', '.join(watched)}" if watched else "UPDATE"
    op.execute(f"CREATE TRIGGER {source}_{name} AFTER INSERT OR {update} OR DELETE "
               f"ON {source} FOR EACH ROW EXECUTE FUNCTION {source}_{name}()")


def _drop_triggers(dialect: str, source: str, name: str) -> None:
    if dialect == 'sqlite':
        for event in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS {source}_{name}_{event}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {source}_{name} ON {source}")
        op.execute(f"DROP FUNCTION IF EXISTS {source}_{name}()")


# The annual figures' sums: every firm's high-tech income, and the R&D expense of the firms above scale (the firm's
# ``above_scale`` when the row is written; a firm changing it moves its rows' R&D from one side to the other).
FIGURE_SUMS = ('high_tech_income', 'rd_expense_above_scale')
ABOVE_SCALE = "CASE WHEN {firm} THEN 1 ELSE 0 END"


def _figures_bump(row: str, sign: str) -> str:
    above_scale = ABOVE_SCALE.format(firm=f"(SELECT above_scale FROM enterprises WHERE id = {row}.enterprise_id)")
    return (f"INSERT INTO {TOTALS} (year, stripe, high_tech_income, rd_expense_above_scale) SELECT {row}.year, "
            f"{row}.enterprise_id % {STRIPES}, {sign}COALESCE({row}.high_tech_income, 0), "
            f"{sign}{above_scale} * COALESCE({row}.rd_expense, 0) WHERE TRUE ON CONFLICT (year, stripe) DO UPDATE SET "
            f"high_tech_income = {TOTALS}.high_tech_income + excluded.high_tech_income, "
            f"rd_expense_above_scale = {TOTALS}.rd_expense_above_scale + excluded.rd_expense_above_scale;")


def _firm_moves(firm: str, factor: str) -> str:
    """Adds ``factor`` times the R&D expense of ``firm``'s annual figures to the above-scale sums."""
    return (f"INSERT INTO {TOTALS} (year, stripe, rd_expense_above_scale) SELECT year, enterprise_id % {STRIPES}, "
            f"({factor}) * COALESCE(rd_expense, 0) FROM annual_figures WHERE enterprise_id = {firm}.id "
            f"ON CONFLICT (year, stripe) DO UPDATE SET "
            f"rd_expense_above_scale = {TOTALS}.rd_expense_above_scale + excluded.rd_expense_above_scale;")


def _create_firm_triggers(dialect: str) -> None:
    """A firm that becomes above scale (or stops being) moves its R&D; a firm deleted takes its R&D away before
    its annual figures go with it (their own triggers then find no firm above scale)."""
    moved = _firm_moves('new', f"{ABOVE_SCALE.format(firm='new.above_scale')} - "
                               f"{ABOVE_SCALE.format(firm='old.above_scale')}")
    deleted = _firm_moves('old', f"-{ABOVE_SCALE.format(firm='old.above_scale')}")
    if dialect == 'sqlite':
        op.execute(f"CREATE TRIGGER enterprises_{TOTALS}_above_scale AFTER UPDATE OF above_scale ON enterprises "
                   f"WHEN old.above_scale IS NOT new.above_scale BEGIN {moved} END")
        op.execute(f"CREATE TRIGGER enterprises_{TOTALS}_delete BEFORE DELETE ON enterprises "
                   f"WHEN old.above_scale BEGIN {deleted} END")
        return
    op.execute(f"CREATE FUNCTION enterprises_{TOTALS}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"IF TG_OP = 'UPDATE' THEN {moved} RETURN NULL; END IF; {deleted} RETURN OLD; END $$")
    op.execute(f"CREATE TRIGGER enterprises_{TOTALS}_above_scale AFTER UPDATE OF above_scale ON enterprises "
               f"FOR EACH ROW WHEN (OLD.above_scale IS DISTINCT FROM NEW.above_scale) "
               f"EXECUTE FUNCTION enterprises_{TOTALS}()")
    op.execute(f"CREATE TRIGGER enterprises_{TOTALS}_delete BEFORE DELETE ON enterprises "
               f"FOR EACH ROW WHEN (OLD.above_scale) EXECUTE FUNCTION enterprises_{TOTALS}()")


def _drop_firm_triggers(dialect: str) -> None:
    for event in ('above_scale', 'delete'):
        op.execute(f"DROP TRIGGER IF EXISTS enterprises_{TOTALS}_{event}" + ('' if dialect == 'sqlite' else ' ON enterprises'))
    if dialect != 'sqlite':
        op.execute(f"DROP FUNCTION IF EXISTS enterprises_{TOTALS}()")


# The registry: active firms that are not archived, per year of registration (0: not known) — the summary's count
# of a year is that of the years up to it.
REGISTERED = "{r}.archived_at IS NULL AND {r}.status = 'active'"


def _registered_year(dialect: str, row: str) -> str:
    return f"COALESCE({_year(dialect, row, 'registered_on')}, 0)"


def _registry_bump(dialect: str, row: str, sign: str) -> str:
    return (f"INSERT INTO {TOTALS} (year, stripe, firms_registered) SELECT {_registered_year(dialect, row)}, "
            f"{row}.id % {STRIPES}, {sign}1 WHERE {REGISTERED.format(r=row)} ON CONFLICT (year, stripe) DO UPDATE SET "
            f"firms_registered = {TOTALS}.firms_registered + excluded.firms_registered;")


def _backfill_registry(dialect: str) -> None:
    op.execute(f"INSERT INTO {TOTALS} (year, stripe, firms_registered) SELECT {_registered_year(dialect, 'enterprises')}, "
               f"id % {STRIPES}, count(*) FROM enterprises WHERE {REGISTERED.format(r='enterprises')} "
               f"GROUP BY {_registered_year(dialect, 'enterprises')}, id % {STRIPES} "
               "ON CONFLICT (year, stripe) DO UPDATE SET firms_registered = excluded.firms_registered")


def _backfill_figure_sums() -> None:
    above_scale = ABOVE_SCALE.format(firm="enterprises.above_scale")
    op.execute(f"INSERT INTO {TOTALS} (year, stripe, high_tech_income, rd_expense_above_scale) "
               f"SELECT year, enterprise_id % {STRIPES}, sum(COALESCE(high_tech_income, 0)), "
               f"sum({above_scale} * COALESCE(rd_expense, 0)) FROM annual_figures "
               "JOIN enterprises ON enterprises.id = annual_figures.enterprise_id "
               f"GROUP BY year, enterprise_id % {STRIPES} "
               "ON CONFLICT (year, stripe) DO UPDATE SET high_tech_income = excluded.high_tech_income, "
               "rd_expense_above_scale = excluded.rd_expense_above_scale")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        TABLE,
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in COUNTERS),
        *(sa.Column(name, sa.BigInteger(), server_default='0', nullable=False) for name in AMOUNTS),
        *(sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in CERTIFICATES),
        sa.PrimaryKeyConstraint('year', 'enterprise_id', name=op.f('pk_applications_by_year')),
    )
    _backfill(dialect)
    _backfill_certificates(dialect)
    op.create_table(
        TOTALS,
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('stripe', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.BigInteger() if name in TOTAL_AMOUNTS else sa.Integer(), server_default='0',
                    nullable=False) for values in TOTALLED.values() for name in values),
        *(sa.Column(name, sa.BigInteger(), server_default='0', nullable=False) for name in FIGURE_SUMS),
        sa.Column('firms_registered', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('year', 'stripe', name=op.f('pk_totals_by_year')),
    )
    _backfill_totals()
    _backfill_figure_sums()
    _backfill_registry(dialect)
    _create_triggers(dialect, 'enterprises', 'registered_firms',
                     lambda row, sign: _registry_bump(dialect, row, sign), ('status', 'archived_at', 'registered_on'))
    _create_triggers(dialect, 'annual_figures', TOTALS, _figures_bump,
                     ('enterprise_id', 'year', 'rd_expense', 'high_tech_income'))
    _create_firm_triggers(dialect)
    for source in TOTALLED:
        _create_triggers(dialect, source, TOTALS, lambda row, sign, source=source: _total(source, row, sign))
    for source, watched in WATCHED.items():
        _create_triggers(dialect, source, TABLE, lambda row, sign, source=source: _bump(dialect, source, row, sign),
                         watched)
    _create_certificate_triggers(dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _drop_certificate_triggers(dialect)
    for source in WATCHED:
        _drop_triggers(dialect, source, TABLE)
    for source in TOTALLED:
        _drop_triggers(dialect, source, TOTALS)
    _drop_triggers(dialect, 'annual_figures', TOTALS)
    _drop_firm_triggers(dialect)
    _drop_triggers(dialect, 'enterprises', 'registered_firms')
    op.drop_table(TOTALS)
    op.drop_table(TABLE)
