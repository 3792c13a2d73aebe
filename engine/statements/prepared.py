"""Core statements compiled once per dialect for the driver's own connection
(engine.statements.driver): the SQL text, how to build its parameters from the caller's, and
how to read its rows. Parameters and results go through the column types' own processors
(dates on SQLite, JSON), so the driver reads and writes what the ORM does."""
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect


@dataclass
class Compiled:
    sql: str
    positional: bool  # parameters as a tuple in `plan` order (SQLite), else a dict by name
    # Per parameter: (name, the caller's key or None for a value the statement carries itself,
    # the column type's processor, that value already processed).
    plan: tuple[tuple[str, str | None, Any, Any], ...]
    columns: tuple[str, ...]
    results: tuple


class Prepared:
    """A Core statement compiled once per dialect (and, for an INSERT, per set of columns)."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled: dict[tuple, Compiled] = {}

    def _for(self, dialect: Dialect, keys: tuple[str, ...] | None) -> Compiled:
        found = self._compiled.get((dialect.name, keys))
        if found is None:
            found = self._compiled[(dialect.name, keys)] = self._compile(dialect, keys)
        return found

    def _compile(self, dialect: Dialect, keys: tuple[str, ...] | None) -> Compiled:
        compiled = self.statement.compile(dialect=dialect,
                                          column_keys=list(keys) if keys else None)
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch",
                                                                 None):
            raise ValueError(f"give every column a value: {compiled.string[:80]}")
        plan = []
        names = compiled.positiontup if dialect.positional else list(compiled.binds)
        for name in names:
            bind = compiled.binds[name]
            if bind.callable is not None or bind.expanding:
                raise ValueError(f"unsupported parameter {name}: {compiled.string[:80]}")
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                plan.append((name, bind.key, process, None))
            else:
                value = bind.value if process is None else process(bind.value)
                plan.append((name, None, None, value))
        returned = _returned(self.statement)
        columns = tuple(c.key for c in returned)
        results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                        for c in returned)
        return Compiled(compiled.string, dialect.positional, tuple(plan), columns, results)

    def parameters(self, dialect: Dialect, params: dict) -> tuple[Compiled, Any]:
        c = self._for(dialect, tuple(params) if self.statement.is_dml else None)
        values = [value if key is None else params[key] if process is None
                  else process(params[key]) for _name, key, process, value in c.plan]
        if c.positional:
            return c, tuple(values)
        return c, {entry[0]: value for entry, value in zip(c.plan, values, strict=True)}


def _returned(statement) -> tuple:
    """The columns a statement answers with: a SELECT's, or a write's RETURNING clause."""
    return tuple(statement.selected_columns if statement.is_select
                 else statement.exported_columns)


class Row(tuple):
    """A result row: a tuple with its columns as attributes."""

    __slots__ = ()
    _columns: tuple[str, ...] = ()

    def __getattr__(self, name: str):
        try:
            return self[self._columns.index(name)]
        except ValueError:
            raise AttributeError(name) from None

    @property
    def _mapping(self) -> dict:
        return dict(zip(self._columns, self, strict=True))


_ROW_CLASSES: dict[tuple[str, ...], type] = {}


def _row_class(columns: tuple[str, ...]) -> type:
    cls = _ROW_CLASSES.get(columns)
    if cls is None:
        cls = _ROW_CLASSES[columns] = type("Row", (Row,), {"__slots__": (), "_columns": columns})
    return cls


def rows(c: Compiled, fetched: list) -> list:
    """The fetched tuples as Rows, through the columns' result processors."""
    cls, processors = _row_class(c.columns), c.results
    if not any(processors):
        return [cls(raw) for raw in fetched]
    return [cls([v if p is None else p(v) for p, v in zip(processors, raw, strict=True)])
            for raw in fetched]
