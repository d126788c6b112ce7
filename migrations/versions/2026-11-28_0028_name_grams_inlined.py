"""PostgreSQL: the names' grams (``seedbed_name_grams``, migration 0019) in one expression PostgreSQL inlines.

0019's body was a query (``generate_series`` and ``array_agg(DISTINCT …)``) that PostgreSQL cannot inline: every
firm or contact written ran it as a function call of its own, the most of the server's work for an imported
firm (10,000 names indexed in 0.21–0.34 s; 0.09 s now). The new body is one expression: the characters of the
lower-cased name, then its pairs from the first character and from the second (each split off by a regular
expression that ends every pair with U+0001, a control character names never hold: they are refused on input).

The grams are the same set as before; a duplicate or a lone last character, which the old body did not repeat,
is one key to GIN all the same (it keeps each key of a row once). The indexes stay valid and are not rebuilt.
The function is no longer STRICT (PostgreSQL inlines a function only if its body is as strict as it says);
names are NOT NULL, and a NULL still gives NULL.

SQLite keeps its FTS5 indexes: unchanged.

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-28 22:15:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0028'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PAIRS = "string_to_array(regexp_replace({text}, '(..)', E'\\\\1\\x01', 'g'), E'\\x01')"
INLINED = ("CREATE OR REPLACE FUNCTION seedbed_name_grams(name text) RETURNS text[] LANGUAGE sql IMMUTABLE "
           "CALLED ON NULL INPUT PARALLEL SAFE AS $$ SELECT array_remove(string_to_array(lower(name), NULL) || "
           + _PAIRS.format(text="lower(name)") + " || " + _PAIRS.format(text="substr(lower(name), 2)")
           + ", '') $$")
QUERIED = ("CREATE OR REPLACE FUNCTION seedbed_name_grams(name text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT "
           "PARALLEL SAFE AS $$ SELECT coalesce(array_agg(DISTINCT substr(lower(name), n, k)), '{}') "
           "FROM generate_series(1, length(lower(name))) AS n, (VALUES (1), (2)) AS grams(k) "
           "WHERE n + k - 1 <= length(lower(name)) $$")


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(INLINED)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(QUERIED)
