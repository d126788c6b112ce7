"""PostgreSQL: how many firms' names hold each character and each pair of characters, kept in the writing
transaction, so a word of one or two ideographs that only names hold is counted at once.

A GIN index cannot count: it hands over the firms whose names hold the word, and PostgreSQL then visits each one's
row to learn whether the row is visible — at a million firms every page of ``enterprises`` for a word a quarter of
the names hold (``科技``: 110–130 ms; ``有限``, in nearly every name, 180–200 ms). ``name_gram_counts`` is a ledger
of changes to, for each gram of the lower-cased names (``seedbed_name_grams``, migration 0019), how many firms hold
it and how many of those are not archived; a gram's count is the sum of its rows (``app/enterprises/search_totals.py``).

Statement triggers on ``enterprises`` (insert, update, delete, truncate) append each statement's changes, one row
per gram it changed: the grams of the rows it wrote, each once per firm; a row whose name or archival changed is
counted out as it was and in as it is. Writers only append, so two of them never wait on each other's rows (a
counter updated in place would hold each gram's row until its writer commits).

Every ``FOLD_EVERY``-th statement also folds the ledger: the rows no other transaction is folding (``FOR UPDATE
SKIP LOCKED``) are deleted and their sums put back, one row per gram, in the same statement — a reader's snapshot
sees the rows before or the sums after, never both or neither. A gram is then read from at most a few dozen rows.

SQLite counts in its FTS5 indexes, which hold one row per firm: unchanged.

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-29 02:50:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0030'
down_revision: str | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER = 'name_gram_counts'
WRITES = 'name_gram_count_writes'  # a sequence: the statements that wrote to the ledger
FOLD = 'seedbed_fold_name_gram_counts'
FOLD_EVERY = 64
TRIGGER = 'enterprises_name_gram_counts'  # _insert, _update, _delete, _truncate, each with its function


def _grams(rows: str, sign: str, name: str = "name", archived_at: str = "archived_at") -> str:
    """The changes of ``rows``, counted with ``sign``: (gram, firms, current) rows, each firm once per gram."""
    # Each name's grams made distinct on their own: a third of the cost of count(DISTINCT id), which sorts.
    return (f"SELECT g AS gram, {sign}count(*) AS firms, {sign}count(*) FILTER (WHERE r.{archived_at} IS NULL) "
            f"AS current FROM {rows} AS r, LATERAL (SELECT DISTINCT unnest(seedbed_name_grams(r.{name})) AS g) "
            "AS grams GROUP BY g")


def _function(event: str, changes: str, first: str = "") -> str:
    """A statement trigger's function that appends ``changes`` to the ledger and now and then folds it."""
    return f"""
CREATE FUNCTION {TRIGGER}_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {first}
    INSERT INTO {LEDGER} (gram, firms, current)
        SELECT gram, sum(firms), sum(current) FROM ({changes}) AS changes GROUP BY gram
        HAVING sum(firms) <> 0 OR sum(current) <> 0;
    IF nextval('{WRITES}') % {FOLD_EVERY} = 0 THEN
        PERFORM {FOLD}();
    END IF;
    RETURN NULL;
END $$"""


_FOLD_FUNCTION = f"""
CREATE FUNCTION {FOLD}() RETURNS void LANGUAGE sql AS $$
    WITH folded AS (
        DELETE FROM {LEDGER} AS ledger
        USING (SELECT ctid AS row FROM {LEDGER} FOR UPDATE SKIP LOCKED) AS free
        WHERE ledger.ctid = free.row
        RETURNING ledger.gram, ledger.firms, ledger.current)
    INSERT INTO {LEDGER} (gram, firms, current)
        SELECT gram, sum(firms), sum(current) FROM folded GROUP BY gram HAVING sum(firms) <> 0 OR sum(current) <> 0
$$"""

# An update's rows whose name or archival changed, as they were (old_*) and are.
_CHANGED = ("(SELECT o.name AS old_name, o.archived_at AS old_archived_at, n.name, n.archived_at "
            "FROM before AS o JOIN after AS n ON n.id = o.id WHERE o.name IS DISTINCT FROM n.name "
            "OR (o.archived_at IS NULL) <> (n.archived_at IS NULL))")
_NOTHING_CHANGED = f"PERFORM 1 FROM {_CHANGED} AS changed LIMIT 1; IF NOT FOUND THEN RETURN NULL; END IF;"


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        return
    op.execute(f"CREATE TABLE {LEDGER} (gram text NOT NULL, firms bigint NOT NULL, current bigint NOT NULL)")
    op.execute(f"CREATE INDEX ix_{LEDGER}_gram ON {LEDGER} (gram)")
    op.execute(f"CREATE SEQUENCE {WRITES}")
    op.execute(f"INSERT INTO {LEDGER} (gram, firms, current) {_grams('enterprises', '')}")
    op.execute(_FOLD_FUNCTION)
    op.execute(_function("insert", _grams("inserted", "")))
    op.execute(_function("delete", _grams("deleted", "-")))
    op.execute(_function("update", f"{_grams(_CHANGED, '', 'name', 'archived_at')} UNION ALL "
                                   f"{_grams(_CHANGED, '-', 'old_name', 'old_archived_at')}", _NOTHING_CHANGED))
    op.execute(f"CREATE FUNCTION {TRIGGER}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"DELETE FROM {LEDGER}; RETURN NULL; END $$")
    op.execute(f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON enterprises REFERENCING NEW TABLE AS inserted "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_insert()")
    op.execute(f"CREATE TRIGGER {TRIGGER}_delete AFTER DELETE ON enterprises REFERENCING OLD TABLE AS deleted "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_delete()")
    op.execute(f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE ON enterprises REFERENCING OLD TABLE AS before "
               f"NEW TABLE AS after FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_update()")
    op.execute(f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON enterprises "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_truncate()")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        return
    for event in ('insert', 'delete', 'update', 'truncate'):
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{event} ON enterprises")
        op.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}_{event}()")
    op.execute(f"DROP FUNCTION IF EXISTS {FOLD}()")
    op.execute(f"DROP TABLE IF EXISTS {LEDGER}")
    op.execute(f"DROP SEQUENCE IF EXISTS {WRITES}")
