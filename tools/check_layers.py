"""The layering rules, checked by `make lint`.

- `engine/` never imports flask or `web`; `web/` never imports SpiffWorkflow.
- Inside the engine, a package imports only the packages below it: the generic workflow
  runtime never imports the platform's domain (consultation, oversight) or notifications.
- No import cycles between modules of `engine/` or `web/` (imports inside functions count).
"""
import ast
import sys
from pathlib import Path

RULES = {"engine": ("flask", "flask_", "web"), "web": ("SpiffWorkflow",)}
# What each engine package may import of the engine, besides itself and the foundation.
FOUNDATION = ("engine.errors", "engine.actor", "engine.db", "engine.uow", "engine.models",
              "engine.statements", "engine.audit", "engine.access")
ENGINE_LAYERS = {
    "engine.models": (),
    "engine.statements": (),
    "engine.audit": (),
    "engine.people": (),
    "engine.workflow": ("engine.people",),
    "engine.notifications": ("engine.people",),
    "engine.consultation": ("engine.people", "engine.workflow", "engine.notifications"),
    "engine.oversight": ("engine.people", "engine.workflow", "engine.notifications",
                         "engine.consultation"),
}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path | None = None):
    """(line, absolute module name) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(root, path).split(".") if root else []
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield node.lineno, module


def violations(root: Path) -> list[str]:
    found = []
    for package, banned in RULES.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, name in imported(path, root):
                top = name.split(".")[0]
                if top in banned or any(top.startswith(b) for b in banned if b.endswith("_")):
                    where = f"{path.relative_to(root)}:{line}"
                    found.append(f"{where}: {package}/ must not import {name}")
    found += _engine_layers(root)
    found += [f"import cycle: {' -> '.join(c)}" for c in cycles(root)]
    return sorted(set(found), key=found.index)


def _layer(name: str) -> str | None:
    return next((layer for layer in ENGINE_LAYERS if name == layer
                 or name.startswith(layer + ".")), None)


def _engine_layers(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "engine").rglob("*.py")):
        layer = _layer(module_name(root, path))
        if layer is None:
            continue
        allowed = (layer, *ENGINE_LAYERS[layer], *FOUNDATION)
        for line, name in imported(path, root):
            target = _layer(name)
            if name.startswith("engine.") and target and not name.startswith(allowed):
                found.append(f"{path.relative_to(root)}:{line}: {layer} must not import {name}")
    return found


def graph(root: Path) -> dict[str, set[str]]:
    """Module → the project modules it imports (within engine/ and web/)."""
    modules = {module_name(root, p): p for top in ("engine", "web")
               for p in (root / top).rglob("*.py") if (root / top).is_dir()}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges[name] = {target for target in _dependencies(path, root)
                       if target in modules and target != name}
    return edges


def _dependencies(path: Path, root: Path) -> set[str]:
    """`from pkg import mod` depends on pkg.mod; `from pkg import name` on pkg itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(root, path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                is_module = (root / sub.replace(".", "/")).is_dir() or \
                    (root / (sub.replace(".", "/") + ".py")).is_file()
                found.add(sub if is_module else module)
    return found


def cycles(root: Path) -> list[list[str]]:
    """Every strongly connected group of modules, as one cycle each (Tarjan's algorithm)."""
    edges = graph(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


if __name__ == "__main__":
    problems = violations(Path(__file__).resolve().parents[1])
    print("\n".join(problems) or "layers ok, no import cycles")
    sys.exit(1 if problems else 0)
