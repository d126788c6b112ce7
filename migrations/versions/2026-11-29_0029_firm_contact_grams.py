"""SQLite: each firm's contacts' grams in one row of the firm, so a word contacts hold counts its firms at once.

A word of one or two characters that contacts' names hold (a surname: ``王``) found its firms through the
contacts' grams (``contact_name_grams``, migration 0019), one row per contact: each contact found was looked up to
learn its firm (111,560 contacts hold 王 at a million firms), and the firms then each to learn whether they are
archived — 140 ms. ``enterprise_contact_grams`` holds, per firm (its rowid is the firm's id), the grams of all
its contacts' names, as the contacts' own table holds them each; it counts the firms whose contacts hold 王 in
2 ms (``app/enterprises/search_totals.py``).

A contentless FTS5 table, as 0019's, deletes a row by being given its grams again: each trigger on contacts gives
the firm's row as it was (its contacts before the change) and then puts in the row as it is now, for the firm
the contact left as well as the firm it joined. A firm with no contacts has no row. The rows are exact as long as
every contact belongs to a firm that exists, which the foreign key (``ON DELETE CASCADE``, whose deletions run
these triggers) keeps.

PostgreSQL counts such words from the contacts' grams index (``count_by_sets``): unchanged.

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-29 01:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0029'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = 'enterprise_contact_grams'
TRIGGER = 'contacts_firm_grams'  # _insert, _delete, _update
# The contacts' grams tables' tokenizer (0019): every printable ASCII character but space is part of a token.
_TOKEN_CHARACTERS = ''.join(chr(c) for c in range(33, 127) if not chr(c).isalnum())
_TOKENIZE = "ascii tokenchars '" + _TOKEN_CHARACTERS.replace("'", "''") + "'"
TOKENIZE_SQL = "'" + _TOKENIZE.replace("'", "''") + "'"

# One contact's grams, from the row the trigger sees (0019's formula).
_GRAMS = ("(SELECT group_concat(substr({name}, n, 1) || ' ' || substr({name}, n, 2), ' ') "
          "FROM (SELECT n FROM seedbed_positions LIMIT length({name})))")
# The grams of the contacts of firm {firm} but contact {but} (NULL: none left out): the positions are counted as
# far as its longest name, once, and each name takes those within it.
_FIRM_GRAMS = ("(SELECT group_concat(substr(c.name, p.n, 1) || ' ' || substr(c.name, p.n, 2), ' ') "
               "FROM contacts AS c JOIN (SELECT n FROM seedbed_positions LIMIT "
               "(SELECT coalesce(max(length(name)), 0) FROM contacts WHERE enterprise_id = {firm})) AS p "
               "ON p.n <= length(c.name) WHERE c.enterprise_id = {firm} AND c.id IS NOT {but})")


def _delete(firm: str, grams: str, when: str = "1") -> str:
    return (f"INSERT INTO {TABLE}({TABLE}, rowid, grams) SELECT 'delete', {firm}, g FROM (SELECT {grams} AS g) "
            f"WHERE g IS NOT NULL AND {when};")


def _put(firm: str, when: str = "1") -> str:
    return (f"INSERT INTO {TABLE}(rowid, grams) SELECT {firm}, g FROM (SELECT {_FIRM_GRAMS.format(firm=firm, but='NULL')}"
            f" AS g) WHERE g IS NOT NULL AND {when};")


_MOVED = "new.enterprise_id IS NOT old.enterprise_id"


def _with_old(firm: str, but: str) -> str:
    """The firm's grams before the change: its contacts now but ``but``, and the old row's."""
    return (f"nullif(coalesce({_FIRM_GRAMS.format(firm=firm, but=but)}, '') || ' ' || "
            f"coalesce({_GRAMS.format(name='old.name')}, ''), ' ')")


def upgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    op.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(grams, content='', detail=none, columnsize=0, "
               f"tokenize={TOKENIZE_SQL})")
    # The contacts already there (a query's LIMIT may not name its row, hence the recursive walk along each name).
    op.execute(f"INSERT INTO {TABLE}(rowid, grams) WITH RECURSIVE p(firm, name, n) AS ("
               "SELECT enterprise_id, name, 1 FROM contacts WHERE length(name) > 0 UNION ALL "
               "SELECT firm, name, n + 1 FROM p WHERE n < length(name)) "
               "SELECT firm, group_concat(substr(name, n, 1) || ' ' || substr(name, n, 2), ' ') FROM p GROUP BY firm")
    op.execute(f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON contacts BEGIN "
               f"{_delete('new.enterprise_id', _FIRM_GRAMS.format(firm='new.enterprise_id', but='new.id'))} "
               f"{_put('new.enterprise_id')} END")
    op.execute(f"CREATE TRIGGER {TRIGGER}_delete AFTER DELETE ON contacts BEGIN "
               f"{_delete('old.enterprise_id', _with_old('old.enterprise_id', 'NULL'))} "
               f"{_put('old.enterprise_id')} END")
    # The firm the contact was in, then (when it moved) the one it is in now.
    op.execute(f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE OF id, enterprise_id, name ON contacts BEGIN "
               f"{_delete('old.enterprise_id', _with_old('old.enterprise_id', 'new.id'))} "
               f"{_put('old.enterprise_id')} "
               f"{_delete('new.enterprise_id', _FIRM_GRAMS.format(firm='new.enterprise_id', but='new.id'), _MOVED)} "
               f"{_put('new.enterprise_id', _MOVED)} END")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for event in ('insert', 'delete', 'update'):
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{event}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
