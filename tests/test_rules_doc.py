"""docs/rules.md traces every rule of the platform to the test that proves it: each test it
names must exist, and every row has a status."""
import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "rules.md"
STATUSES = {"enforced", "partly", "norm"}
CITED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def _rows() -> list[list[str]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit():
            rows.append(cells)
    return rows


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_named_test_exists():
    missing = []
    for path, name in CITED.findall(DOC.read_text(encoding="utf-8")):
        file = ROOT / path
        if not file.is_file() or name not in _functions(file):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_every_rule_has_a_status_and_a_test():
    rows = _rows()
    assert len(rows) >= 38
    counts = Counter(row[4] for row in rows)
    print("rules by status:", dict(counts))
    assert set(counts) <= STATUSES, counts
    assert all(CITED.search(row[5]) for row in rows), [r[0] for r in rows if not CITED.search(r[5])]
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
