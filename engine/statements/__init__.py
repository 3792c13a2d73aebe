"""Prebuilt SQL statements, one module per table: each table's Core writes (and its hot reads)
in one place. Built once at import: reusing a statement object spares SQLAlchemy rebuilding
its cache key on every call, and the Core path skips the ORM's compile step and autoflush."""
