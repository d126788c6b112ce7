"""PostgreSQL: the registry's yearly count of active firms (``totals_by_year.firms_registered``) kept once per
INSERT statement instead of once per inserted firm.

Migration 0022 keeps the count with a row trigger on ``enterprises``: every inserted firm ran its own upsert of
its year's stripe, so an import of 10,000 firms ran 10,000 upserts of a few hundred rows, each on a longer chain
of row versions. Inserts now have a statement trigger that reads the statement's new rows (a transition table)
and adds their count per year and stripe in one upsert, stripes in (year, stripe) order, so two imports at once
take their locks in the same order. Updates (of status, archived_at or registered_on) and deletes keep the row
trigger of 0022, unchanged: its counts are exact per row and a transition table cannot be limited to those columns.

SQLite has only row triggers, and a multi-row INSERT (how bulk writes go) already runs them cheaply: unchanged.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-28 17:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOTALS = 'totals_by_year'
STRIPES = 16
ROW_TRIGGER = 'enterprises_registered_firms'  # and its function (migration 0022)
INSERT_TRIGGER = 'enterprises_registered_firms_insert'  # and its function

_ADD_INSERTED = f"""
CREATE FUNCTION {INSERT_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    INSERT INTO {TOTALS} (year, stripe, firms_registered)
        SELECT COALESCE(CAST(EXTRACT(YEAR FROM registered_on) AS INTEGER), 0), id % {STRIPES}, count(*)
        FROM inserted WHERE archived_at IS NULL AND status = 'active'
        GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (year, stripe) DO UPDATE SET firms_registered = {TOTALS}.firms_registered + excluded.firms_registered;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        return
    op.execute(f"DROP TRIGGER {ROW_TRIGGER} ON enterprises")
    op.execute(f"CREATE TRIGGER {ROW_TRIGGER} AFTER UPDATE OF status, archived_at, registered_on OR DELETE "
               f"ON enterprises FOR EACH ROW EXECUTE FUNCTION {ROW_TRIGGER}()")
    op.execute(_ADD_INSERTED)
    op.execute(f"CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON enterprises REFERENCING NEW TABLE AS inserted "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {INSERT_TRIGGER}()")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        return
    op.execute(f"DROP TRIGGER {INSERT_TRIGGER} ON enterprises")
    op.execute(f"DROP FUNCTION {INSERT_TRIGGER}()")
    op.execute(f"DROP TRIGGER {ROW_TRIGGER} ON enterprises")
    op.execute(f"CREATE TRIGGER {ROW_TRIGGER} AFTER INSERT OR UPDATE OF status, archived_at, registered_on OR DELETE "
               f"ON enterprises FOR EACH ROW EXECUTE FUNCTION {ROW_TRIGGER}()")
