"""The DuckDB store: schema, connections, writes and every query (all SQL lives here)."""

from dashboard.store.db import StoreError, connect, exclusive, transaction

__all__ = ["StoreError", "connect", "exclusive", "transaction"]
