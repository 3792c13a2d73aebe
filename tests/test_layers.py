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


def test_the_generic_runtime_never_imports_the_domain(tmp_path):
    (tmp_path / "engine" / "workflow").mkdir(parents=True)
    (tmp_path / "engine" / "consultation").mkdir()
    (tmp_path / "web").mkdir()
    (tmp_path / "engine" / "workflow" / "runtime.py").write_text(
        "from engine.consultation import helpers\nfrom engine.errors import X\n")
    (tmp_path / "engine" / "consultation" / "cases.py").write_text(
        "from engine.workflow import runtime\n")
    assert violations(tmp_path) == [
        "engine/workflow/runtime.py:1: engine.workflow must not import engine.consultation",
    ]


def test_import_cycles_are_named(tmp_path):
    (tmp_path / "engine").mkdir()
    (tmp_path / "web" / "board").mkdir(parents=True)
    (tmp_path / "web" / "board" / "__init__.py").write_text(
        "bp = object()\nfrom . import views\n")
    (tmp_path / "web" / "board" / "views.py").write_text("def f():\n    from . import bp\n")
    (tmp_path / "web" / "ok.py").write_text("from web.board import views\n")
    assert violations(tmp_path) == ["import cycle: web.board -> web.board.views"]
