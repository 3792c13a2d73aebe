"""The application's PostgreSQL role may only INSERT and SELECT audit rows.

In production the schema (and so audit_event and its guard triggers) belongs to an owner
role that runs the migrations; the application connects as another role. These grants give
that role what the application needs on every table, and on audit_event only SELECT and
INSERT: no UPDATE, DELETE or TRUNCATE, and as it does not own the table it cannot drop the
guard triggers either.
"""
from sqlalchemy import text
from sqlalchemy.orm import Session

from engine.audit.verify import protect
from engine.errors import InvalidInput
from engine.uow import read_only, transaction

TABLE = "audit_event"


def statements(role: str, schema: str = "public") -> list[str]:
    """The GRANT / REVOKE statements for `role` on `schema`, in the order they must run."""
    r, s = _quote(role), _quote(schema)
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        f"REVOKE ALL ON {s}.{TABLE} FROM {r}",
        f"GRANT SELECT, INSERT ON {s}.{TABLE} TO {r}",
    ]


def current_schema(session: Session) -> str:
    """The schema the session's tables live in (its search path's first)."""
    with read_only(session):
        return session.scalar(text("SELECT current_schema()"))


def apply(session: Session, role: str) -> list[str]:
    """Check `role` may be restricted, install the guard triggers, run the statements.

    Refused (InvalidInput) unless on PostgreSQL, with an existing role that is not a
    superuser and neither owns audit_event nor inherits its owner's rights: such a role
    could drop the triggers or the table whatever it is granted."""
    if session.get_bind().dialect.name != "postgresql":
        raise InvalidInput("database roles need PostgreSQL", {"role": ["PostgreSQL only"]})
    schema = current_schema(session)
    _check_role(session, role, schema)
    protect(session)
    done = statements(role, schema)
    with transaction(session):
        for sql in done:
            session.execute(text(sql))
    return done


def _check_role(session: Session, role: str, schema: str) -> None:
    with read_only(session):
        found = session.execute(text(
            "SELECT r.rolsuper, t.tableowner, pg_has_role(r.rolname, t.tableowner, 'USAGE') "
            "FROM pg_roles r, pg_tables t "
            "WHERE r.rolname = :role AND t.schemaname = :schema AND t.tablename = :table"),
            {"role": role, "schema": schema, "table": TABLE}).first()
        exists = found is not None or session.scalar(
            text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role})
    if not exists:
        raise InvalidInput(f"role {role} does not exist", {"role": ["no such role"]})
    if found is None:
        raise InvalidInput(f"{schema}.{TABLE} does not exist: run init-db first",
                           {"role": ["no audit table"]})
    superuser, owner, member = found
    if superuser or member:
        why = "is a superuser" if superuser else f"owns (or inherits from {owner}) {TABLE}"
        raise InvalidInput(
            f"role {role} {why}: it could drop the guard triggers. Run the migrations as "
            f"another role that owns the schema, and the application as {role}.",
            {"role": [why]})


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
