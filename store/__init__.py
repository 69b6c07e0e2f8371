"""The DuckDB store: where the database lives, how it is opened, and its schema."""

from store.db import DEFAULT_DB, connect, db_path, has_data, is_demo
from store.schema import SCHEMA_VERSION, migrate

__all__ = ["DEFAULT_DB", "SCHEMA_VERSION", "connect", "db_path", "has_data", "is_demo", "migrate"]
