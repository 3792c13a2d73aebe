"""What a stretch of work asks of the database: statements, commits and round trips.

Counted below SQLAlchemy, so that statements the engine sends on the driver's connection are
seen too. SQLite: the connection's trace callback reports every statement it runs.
PostgreSQL: libpq's protocol trace records every message; a round trip is the client sending
one or more messages and then reading the server's answer (a run of `F` lines followed by a
`B` line), so statements sent together in a pipeline count once.

On SQLite the pages written are counted too: the WAL is emptied first and not checkpointed
while counting, so the frames it then holds are the pages the commits wrote.
"""
import sqlite3
import tempfile

from sqlalchemy import event
from sqlalchemy.engine import Engine

_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK")


class Counter:
    """`with Counter(engine) as c: ...` then `c.totals()`."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.statements: list[str] = []
        self.traced: dict[int, object] = {}
        self.log = None if self.sqlite else tempfile.TemporaryFile("w+")
        self.wal_pages: int | None = None

    def _checkout(self, dbapi_connection, _record, _proxy) -> None:
        raw = getattr(dbapi_connection, "driver_connection", dbapi_connection)
        if id(raw) in self.traced:
            return
        self.traced[id(raw)] = raw
        if self.sqlite:
            raw.execute("PRAGMA wal_autocheckpoint=0")  # the WAL keeps every page written
            raw.set_trace_callback(self.statements.append)
        else:
            from psycopg.pq import Trace

            raw.pgconn.trace(self.log.fileno())
            raw.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS)

    def _wal_checkpoint(self, mode: str) -> int:
        """Checkpoint the WAL (`mode` as SQLite's); the frames it held. Through a connection
        of its own, open while counting: the last connection to close would checkpoint and
        empty the WAL before it is read."""
        return self._watch.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()[1]

    def __enter__(self) -> "Counter":
        self.engine.pool.dispose()  # every connection used from here on is a traced one
        if self.sqlite:
            self._watch = sqlite3.connect(self.engine.url.database)
            self._watch.execute("PRAGMA wal_autocheckpoint=0")
            self._wal_checkpoint("TRUNCATE")
        event.listen(self.engine, "checkout", self._checkout)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "checkout", self._checkout)
        for raw in self.traced.values():
            if self.sqlite:
                raw.set_trace_callback(None)
            else:
                raw.pgconn.untrace()
        self.engine.pool.dispose()  # connections with the WAL left unchecked go away
        if self.sqlite:
            self.wal_pages = self._wal_checkpoint("PASSIVE")
            self._watch.close()

    def totals(self) -> dict[str, int]:
        if self.sqlite:
            words = [s.split(None, 1)[0].upper() for s in self.statements if s.strip()]
            return {"statements": sum(w not in _TRANSACTION and w != "PRAGMA" for w in words),
                    "commits": words.count("COMMIT"), "round_trips": 0,
                    "wal_pages": self.wal_pages}
        self.log.seek(0)
        statements = commits = trips = 0
        previous = None
        for line in self.log:
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            side, message = parts[0], parts[2]
            if side == "B" and previous == "F":
                trips += 1
            previous = side
            if side == "B" and message == "CommandComplete":
                tag = parts[3].strip().strip('"').split()[0] if len(parts) > 3 else ""
                commits += tag == "COMMIT"
                statements += tag not in _TRANSACTION
        return {"statements": statements, "commits": commits, "round_trips": trips,
                "wal_pages": None}
