"""search: full-text indexes over titles, people's names and usernames

Revision ID: 0004
Revises: 0006

Each searchable text is indexed in two forms, derived from its folded key column:

* ``words``: apostrophes dropped (``schindler's`` → ``schindlers``), ``&`` spelled ``and``, every
  other punctuation mark a word break;
* ``joined``: the same with every separator removed (``Spider-Man`` → ``spiderman``), for exact
  and starts-with matches that ignore punctuation and spacing.

SQLite keeps them in contentless FTS5 tables filled by triggers, so every writer (importer,
auto-catalogue, account creation) is covered without knowing about search. PostgreSQL derives
them with two immutable SQL functions of the key: ``words`` as a stored generated tsvector column
``search_vector`` with a GIN index (the table definitions don't list it), ``joined`` through a
B-tree expression index in byte order. The character lists here must stay in step with
``opentrakt.discovery.search_text``; the search tests check every one of them on both backends.
"""

import string
from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, folded key column): what each search method looks through.
TARGETS = (
    ("movies", "title_key"),
    ("shows", "title_key"),
    ("episodes", "title_key"),
    ("people", "name_key"),
    ("users", "username_key"),
)
APOSTROPHES = "'`ʼ‘’"
SEPARATORS = (
    "".join(c for c in string.punctuation if c not in APOSTROPHES and c != "&") + " ‐‑‒–—―‹›«»“”„¿¡·•"
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sqlite_words(column: str, joiner: str = " and ") -> str:
    expression = f"replace(coalesce({column}, ''), '&', '{joiner}')"
    for mark in APOSTROPHES:
        expression = f"replace({expression}, {_literal(mark)}, '')"
    return expression


def _sqlite_joined(column: str) -> str:
    """``words`` with every separator removed. SQLite has no translate(), and its parser refuses
    more than about 30 nested calls, so the replace() chain is cut into steps chained through
    subqueries; it only runs when a row is written."""
    expression = _sqlite_words(column, joiner="and")
    step = 16
    for start in range(0, len(SEPARATORS), step):
        chain = "x"
        for mark in SEPARATORS[start : start + step]:
            chain = f"replace({chain}, {_literal(mark)}, '')"
        expression = f"(SELECT {chain} FROM (SELECT {expression} AS x))"
    return expression


def _sqlite_upgrade() -> None:
    bind = op.get_bind()
    for table, column in TARGETS:
        fts = f"{table}_fts"
        new_values = f"new.id, {_sqlite_words('new.' + column)}, {_sqlite_joined('new.' + column)}"
        old_values = f"old.id, {_sqlite_words('old.' + column)}, {_sqlite_joined('old.' + column)}"
        statements = [
            # Contentless: the index holds derived text that no table stores, and nothing reads it back.
            f"CREATE VIRTUAL TABLE {fts} USING fts5("
            "words, joined, content='', tokenize='unicode61 remove_diacritics 2')",
            f"INSERT INTO {fts}(rowid, words, joined) SELECT id, "
            f"{_sqlite_words(column)}, {_sqlite_joined(column)} FROM {table}",
            f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, words, joined) VALUES ({new_values}); END",
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, words, joined) VALUES ('delete', {old_values}); END",
            f"CREATE TRIGGER {table}_search_update AFTER UPDATE OF {column} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, words, joined) VALUES ('delete', {old_values}); "
            f"INSERT INTO {fts}(rowid, words, joined) VALUES ({new_values}); END",
        ]
        for statement in statements:
            bind.exec_driver_sql(statement)


def _postgresql_upgrade() -> None:
    bind = op.get_bind()
    # translate() maps each listed character to its counterpart and drops those without one: in
    # ``words`` separators become spaces and the apostrophes (listed last) vanish.
    words = (
        f"translate(replace($1, '&', ' and '), {_literal(SEPARATORS + APOSTROPHES)}, "
        f"{_literal(' ' * len(SEPARATORS))})"
    )
    joined = f"translate(replace($1, '&', 'and'), {_literal(SEPARATORS + APOSTROPHES)}, '')"
    bind.exec_driver_sql(
        "CREATE FUNCTION search_words(text) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $body$ SELECT to_tsvector('simple'::regconfig, {words}) $body$"
    )
    bind.exec_driver_sql(
        "CREATE FUNCTION search_joined(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $body$ SELECT {joined} $body$"
    )
    for table, column in TARGETS:
        # Stored, so that neither scans nor index rechecks compute the tsvector row by row.
        bind.exec_driver_sql(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS (search_words({column})) STORED"
        )
        bind.exec_driver_sql(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")
        bind.exec_driver_sql(
            f'CREATE INDEX ix_{table}_search_joined ON {table} ((search_joined({column})) COLLATE "C")'
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for table, _column in TARGETS:
        if postgres:
            bind.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{table}_search_joined")
            bind.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        else:
            for event in ("insert", "delete", "update"):
                bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_search_{event}")
            bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table}_fts")
    if postgres:
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS search_words(text)")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS search_joined(text)")
