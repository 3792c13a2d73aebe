"""Template safety, checked by `make lint`: nothing bypasses Jinja's autoescaping, and the
pages need no inline script (the Content-Security-Policy refuses it).

Refused in web/templates: the `|safe` filter, `{% autoescape false %}`, inline event handlers
(`onclick=` ...) and inline `<script>` other than JSON data islands. Refused in web/*.py:
`Markup(` and `|safe` (HTML built in Python from data reaches the page unescaped).
"""
import re
import sys
from pathlib import Path

TEMPLATE_RULES = (
    (re.compile(r"\|\s*safe\b"), "the |safe filter turns off escaping"),
    (re.compile(r"{%-?\s*autoescape\s+false"), "autoescape false turns off escaping"),
    (re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S), "inline event handler (CSP refuses it)"),
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
     "inline script (CSP refuses it): load a file from /static"),
)
PYTHON_RULES = (
    (re.compile(r"\bMarkup\s*\("), "Markup() marks text as safe HTML"),
    (re.compile(r"\|\s*safe\b"), "the |safe filter turns off escaping"),
)


def _scan(path: Path, root: Path, rules) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    for pattern, reason in rules:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(root)}:{line}: {reason}")
    return found


def violations(root: Path) -> list[str]:
    """Every refused construct under root/web, as 'path:line: reason'."""
    web = root / "web"
    found = []
    for path in sorted((web / "templates").rglob("*.html")):
        found += _scan(path, root, TEMPLATE_RULES)
    for path in sorted(web.rglob("*.py")):
        found += _scan(path, root, PYTHON_RULES)
    return found


def main() -> int:
    found = violations(Path(__file__).resolve().parents[1])
    for line in found:
        print(line)
    print("templates ok" if not found else f"{len(found)} template problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
