"""The DuckDB store: where the database lives, how it is opened, and its schema."""

from store.db import DEFAULT_DB, DatabaseUnusable, connect, db_path, has_data, is_demo
from store.schema import SCHEMA_VERSION, migrate

__all__ = ["DEFAULT_DB", "DatabaseUnusable", "SCHEMA_VERSION", "connect", "db_path", "has_data", "is_demo", "migrate"]
