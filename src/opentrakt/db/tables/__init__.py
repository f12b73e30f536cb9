"""Table definitions, one module per domain; importing this package registers them all."""

from opentrakt.db.metadata import metadata
from opentrakt.db.tables import accounts, catalog

__all__ = ["accounts", "catalog", "metadata"]
