"""The README's table of environment variables, generated from `web/config.py`.

`python tools/settings_table.py` prints it; `--write` replaces the table in README.md.
"""
import sys
from pathlib import Path

from web.config import GUNICORN_SETTINGS, SETTINGS, Setting

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN = ("<!-- settings: generated from web/config.py by "
         "`python tools/settings_table.py --write` -->")
END = "<!-- end of settings -->"


def _default(setting: Setting) -> str:
    if setting.shown_default is not None:
        return setting.shown_default
    if isinstance(setting.default, bool):
        return "on" if setting.default else "off"
    return f"`{setting.default}`" if setting.default != "" else "unset"


def _rows(settings) -> list[str]:
    return [f"| `{s.env}` | {_default(s)} | {s.meaning} |" for s in settings]


def table() -> str:
    """The markdown: the app's and the worker's settings, then gunicorn's."""
    head = ["| variable | default | meaning |", "|---|---|---|"]
    return "\n".join([
        "Read by the web app and the worker (`web/config.py`):", "", *head, *_rows(SETTINGS),
        "", "Read by gunicorn (`gunicorn.conf.py`):", "", *head, *_rows(GUNICORN_SETTINGS)])


def readme_table(text: str) -> str:
    """The table as the README has it (between the markers)."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n")


def write(path: Path = README) -> None:
    """Put the generated table into the README, between the markers."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    path.write_text(f"{text[:start]}\n{table()}\n{text[end:]}", encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write()
    else:
        print(table())
