"""The DuckDB store: where the database lives, how it is opened (readers, one writer at a time), and its schema."""

from store.db import DEFAULT_DB, DEMO_DB, connect, db_path, has_data, is_demo, reading, writing
from store.errors import DatabaseBusy, DiskFull, NotADatabase, StoreError, disk_full, is_disk_full
from store.schema import SCHEMA_VERSION, migrate

__all__ = ["DEFAULT_DB", "DEMO_DB", "SCHEMA_VERSION", "DatabaseBusy", "DiskFull", "NotADatabase", "StoreError",
           "connect", "db_path", "disk_full", "has_data", "is_demo", "is_disk_full", "migrate", "reading", "writing"]
