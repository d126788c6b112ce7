"""Search words of one or two characters from an index of the names' characters and character pairs.

Trigram indexes (migration 0018) cannot serve ``科技``, ``机械`` or a surname like ``王``; those were matched by
reading every firm's and contact's name. Each name is now also indexed by its *grams*: every character and
every pair of neighbouring characters, case-folded as the search folds them (``常德Ab`` → 常 常德 德 德a a ab b),
so a word of one or two characters is one lookup (app/enterprises/search.py).

SQLite: contentless FTS5 tables ``enterprise_name_grams`` and ``contact_name_grams`` whose one column holds the
grams separated by spaces, with the ``ascii`` tokenizer told that every printable ASCII character is part of a
token (so a gram is one token, ``A-`` included; the tokenizer folds ASCII letters only, as ``lower()`` and
``LIKE`` do). Every lookup is of one token, so the tables keep which rows hold a token and nothing else
(``detail=none``, ``columnsize=0``): half the cost of a write. Triggers in the writing transaction compute
the grams in SQL from the view ``seedbed_positions`` (1, 2, 3, … read as far as a name is long), so every
writer keeps them exact: the API, imports, demo data or SQL by hand. A contentless table deletes a row by
being given its grams again: the delete and update triggers recompute them from the old name.

PostgreSQL: the immutable SQL function ``seedbed_name_grams(text)`` (the grams of ``lower(name)``, as an
array) and a GIN index on it for each name; ``seedbed_name_grams(name) @> ARRAY[…]`` finds the candidates,
``ILIKE`` confirms them. It needs no extension and works in a ``C``-locale database too.

Revision ID: 0019
Revises: 0011
Create Date: 2026-11-28 12:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0019'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (indexed table, SQLite FTS5 table, SQLite trigger name prefix, PostgreSQL index)
INDEXES = (('enterprises', 'enterprise_name_grams', 'enterprises_name_grams', 'ix_enterprises_name_grams'),
           ('contacts', 'contact_name_grams', 'contacts_name_grams', 'ix_contacts_name_grams'))

# Every printable ASCII character but letters and digits (token characters already) and space: with these the
# ascii tokenizer splits the grams at spaces (and control characters) only.
_TOKEN_CHARACTERS = ''.join(chr(c) for c in range(33, 127) if not chr(c).isalnum())
# The FTS5 option, then quoted as an SQL string.
_TOKENIZE = "ascii tokenchars '" + _TOKEN_CHARACTERS.replace("'", "''") + "'"
TOKENIZE_SQL = "'" + _TOKENIZE.replace("'", "''") + "'"

# A name's grams in a trigger, from its row (new or old): each character and the pair it starts; the last
# character's "pair" is itself again, which adds nothing.
_GRAMS = ("(SELECT group_concat(substr({name}, n, 1) || ' ' || substr({name}, n, 2), ' ') "
          "FROM (SELECT n FROM seedbed_positions LIMIT length({name})))")


def _sqlite_upgrade() -> None:
    # Counting up to a million: far beyond any name (200 characters at most), and a bound for a reader who
    # selects from the view without a LIMIT.
    op.execute("CREATE VIEW seedbed_positions(n) AS WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL "
               "SELECT n + 1 FROM p WHERE n < 1000000) SELECT n FROM p")
    for table, fts, trigger, _index in INDEXES:
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(grams, content='', detail=none, columnsize=0, "
                   f"tokenize={TOKENIZE_SQL})")
        # The same grams as the triggers make, for the rows already there (a trigger's LIMIT may name the row;
        # a query's may not, hence the recursive walk along each name).
        op.execute(f"INSERT INTO {fts}(rowid, grams) WITH RECURSIVE p(id, name, n) AS ("
                   f"SELECT id, name, 1 FROM {table} WHERE length(name) > 0 UNION ALL "
                   "SELECT id, name, n + 1 FROM p WHERE n < length(name)) "
                   "SELECT id, group_concat(substr(name, n, 1) || ' ' || substr(name, n, 2), ' ') "
                   "FROM p GROUP BY id")
        new, old = _GRAMS.format(name='new.name'), _GRAMS.format(name='old.name')
        op.execute(f"CREATE TRIGGER {trigger}_insert AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {fts}(rowid, grams) VALUES (new.id, {new}); END")
        op.execute(f"CREATE TRIGGER {trigger}_delete AFTER DELETE ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, grams) VALUES ('delete', old.id, {old}); END")
        op.execute(f"CREATE TRIGGER {trigger}_update AFTER UPDATE OF id, name ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, grams) VALUES ('delete', old.id, {old}); "
                   f"INSERT INTO {fts}(rowid, grams) VALUES (new.id, {new}); END")


def _sqlite_downgrade() -> None:
    for _table, fts, trigger, _index in INDEXES:
        for event in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}_{event}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")
    op.execute("DROP VIEW IF EXISTS seedbed_positions")


def _postgresql_upgrade() -> None:
    # Grams of the case-folded name, as ILIKE folds it; no duplicates, so the index holds each once per row.
    op.execute("CREATE FUNCTION seedbed_name_grams(name text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT "
               "PARALLEL SAFE AS $$ SELECT coalesce(array_agg(DISTINCT substr(lower(name), n, k)), '{}') "
               "FROM generate_series(1, length(lower(name))) AS n, (VALUES (1), (2)) AS grams(k) "
               "WHERE n + k - 1 <= length(lower(name)) $$")
    for table, _fts, _trigger, index in INDEXES:
        op.execute(f"CREATE INDEX {index} ON {table} USING gin (seedbed_name_grams(name))")


def _postgresql_downgrade() -> None:
    for _table, _fts, _trigger, index in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index}")
    op.execute("DROP FUNCTION IF EXISTS seedbed_name_grams(text)")


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_upgrade()
    else:
        _postgresql_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_downgrade()
    else:
        _postgresql_downgrade()
