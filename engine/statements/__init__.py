"""Prebuilt SQL statements, one module per table: each table's Core writes (and its hot reads)
in one place. Built once at import: reusing a statement object spares SQLAlchemy rebuilding
its cache key on every call, and the Core path skips the ORM's compile step and autoflush.

The hot path's statements are also wrapped in `prepared.Prepared` (compiled once per dialect
for the driver's own connection) and run by `driver`, which queues the writes of a use case
and sends them together with its next read or its COMMIT."""
