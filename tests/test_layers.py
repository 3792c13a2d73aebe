"""The layering rule catches a forbidden import and passes the real tree."""
from pathlib import Path

from tools.check_layers import violations

ROOT = Path(__file__).resolve().parents[1]


def test_real_tree_respects_the_layers():
    assert violations(ROOT) == []


def test_forbidden_imports_are_named(tmp_path):
    (tmp_path / "engine").mkdir()
    (tmp_path / "web").mkdir()
    (tmp_path / "engine" / "bad.py").write_text("import flask\nfrom web.x import y\n")
    (tmp_path / "web" / "bad.py").write_text("from SpiffWorkflow.task import Task\n")
    (tmp_path / "web" / "ok.py").write_text("import engine\nfrom flask import Flask\n")
    assert violations(tmp_path) == [
        "engine/bad.py:1: engine/ must not import flask",
        "engine/bad.py:2: engine/ must not import web.x",
        "web/bad.py:1: web/ must not import SpiffWorkflow.task",
    ]
