"""`make messages [PO=FILE]`: every translatable string of the product into the English
catalogue.

The web's own strings (`_`, `_l`, `gettext` ... in web/ and its templates) and the engine's
messages (engine.errors: the first argument of an error class or of `refuse`, the refusal
of a capability, and whatever is marked N_ or made with Message). The catalogue test
(tests/web/test_i18n.py) extracts the same way and fails on a string without its English.
"""
import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "web/translations/en/LC_MESSAGES/messages.po"
WEB_KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None,
                "ngettext": (1, 2)}
ENGINE_KEYWORDS = {name: None for name in (
    "NotFound", "NotAllowed", "InvalidInput", "InvalidFormData", "TaskConflict", "refuse",
    "N_", "Message")} | {"_cap": (2,)}
SOURCES = (  # (folder, extraction methods, keywords)
    ("web", [("**.py", "python"), ("templates/**.html", "jinja2")], WEB_KEYWORDS),
    ("engine", [("**.py", "python")], ENGINE_KEYWORDS),
)


CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # with CJK punctuation


def extract() -> dict:
    """msgid -> the places it was found ("path:line"), over every source. The engine's
    messages in English (the command line's, for operators) are left out."""
    found: dict = {}
    for folder, methods, keywords in SOURCES:
        with contextlib.redirect_stderr(io.StringIO()):  # babel's notes on f-strings it skips
            extracted = list(extract_from_dir(str(ROOT / folder), methods, keywords=keywords))
        for path, line, message, *_ in extracted:
            if isinstance(message, str) or all(isinstance(m, str) for m in message):
                key = message if isinstance(message, str) else tuple(message)
                if folder == "engine" and not CJK.search(str(key)):
                    continue
                found.setdefault(key, []).append(f"{folder}/{path}:{line}")
    return found


def main(argv: list[str]) -> int:
    """Write the template from every source, then merge it into the English catalogue (or
    the catalogue file named on the command line)."""
    po = Path(argv[0]).resolve() if argv else PO
    pot = ROOT / "instance" / "messages.pot"
    pot.parent.mkdir(exist_ok=True)
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    catalog = Catalog(project="fawang", charset="utf-8")
    for message, places in extract().items():
        catalog.add(message, locations=[(p, int(n)) for p, n in (w.rsplit(":", 1)
                                                                  for w in places)])
    with pot.open("wb") as f:
        write_po(f, catalog, width=100)
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "update", "-i", str(pot), "-o", str(po), "-l", "en",
                    "--no-fuzzy-matching", "-w", "100"], check=True)
    print(f"{po}: translate the entries with an empty msgstr, then "
          "`pybabel compile -d web/translations`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
