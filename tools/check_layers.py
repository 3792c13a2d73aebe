"""The layering rule: engine never imports flask or web; web never imports SpiffWorkflow."""
import ast
import sys
from pathlib import Path

RULES = {"engine": ("flask", "flask_", "web"), "web": ("SpiffWorkflow",)}


def imported(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def violations(root: Path) -> list[str]:
    found = []
    for package, banned in RULES.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, name in imported(path):
                top = name.split(".")[0]
                if top in banned or any(top.startswith(b) for b in banned if b.endswith("_")):
                    where = f"{path.relative_to(root)}:{line}"
                    found.append(f"{where}: {package}/ must not import {name}")
    return found


if __name__ == "__main__":
    problems = violations(Path(__file__).resolve().parents[1])
    print("\n".join(problems) or "layers ok")
    sys.exit(1 if problems else 0)
