"""Alembic environment: always run with a connection handed over by opentrakt.db.migrate."""

import re

from alembic import context

from opentrakt.db.tables import metadata

# SQLite's FTS5 search tables and their shadow tables are written by hand in a migration and have
# no table definition; autogenerate must not offer to drop them.
_SEARCH_TABLE = re.compile(r"_fts(_(data|idx|content|docsize|config))?$")


def include_name(name: str | None, type_: str, _parents: dict[str, str | None]) -> bool:
    return not (type_ == "table" and name is not None and _SEARCH_TABLE.search(name))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
