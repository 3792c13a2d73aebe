"""The README tells the truth: its settings table is `web/config.py`'s, and its architecture
screen names every package of `engine/` and `web/` (its commands: tests/web/test_cli.py)."""
import re
from pathlib import Path

from tools.settings_table import readme_table, table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_settings_table_is_the_configuration():
    assert readme_table(README) == table(), (
        "README.md's settings differ from web/config.py: run `python tools/settings_table.py "
        "--write`")


def test_the_architecture_screen_names_every_package():
    screen = README.split("## Architecture in a screen", 1)[1].split("```")[1]
    for top in ("engine", "web"):
        block = screen.split(f"\n{top}/", 1)[1].split("\n", 1)[1]
        block = block[:re.search(r"^\S", block, re.M).start()]  # its indented lines
        named = set(re.findall(r"^  (\w+)/", block, re.M))
        packages = {p.parent.name for p in (ROOT / top).glob("*/*.py")}
        assert packages - named == set(), f"{top}/ packages missing from the README's screen"
        assert named - packages - {"templates", "static", "translations"} == set()
