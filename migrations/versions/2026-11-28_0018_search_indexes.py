"""Search by trigram indexes: firms' and contacts' names (app/enterprises/search.py).

SQLite: FTS5 tables with the ``trigram`` tokenizer over ``enterprises.name`` and ``contacts.name`` (external
content: the index only, the names stay in their tables), kept by triggers in the writing transaction.
PostgreSQL: ``pg_trgm`` and a GIN index on each name (``ILIKE '%word%'`` uses them). pg_trgm sees Chinese
characters only where the database's ``LC_CTYPE`` is a UTF-8 locale (README: PostgreSQL); elsewhere the
indexes are still correct but Chinese words are matched by reading them whole. The extension is left in place
on downgrade: other objects may use it.

Revision ID: 0018
Revises: 0008
Create Date: 2026-11-28 09:40:00.000000
"""

from collections.abc import Sequence

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


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_upgrade()
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, index in POSTGRESQL_INDEXES:
        op.execute(f"CREATE INDEX {index} ON {table} USING gin (name gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_downgrade()
        return
    for _table, index in POSTGRESQL_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {index}")
