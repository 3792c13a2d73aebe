"""Rasterise web/static/icons/icon.svg to the web app manifest's PNG icons (192 and 512 px).

Uses Debian's Chromium through Playwright (never downloads a browser):
    python tools/make_app_icons.py
"""
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parents[1] / "web" / "static" / "icons"
CHROMIUM = "/usr/bin/chromium"
SIZES = (192, 512)


def main() -> None:
    """Write icon-192.png and icon-512.png next to icon.svg."""
    svg = (ICONS / "icon.svg").read_text("utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size in SIZES:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content("<style>html,body{margin:0;background:transparent}"
                             f"svg{{width:{size}px;height:{size}px;display:block}}</style>{svg}")
            page.screenshot(path=str(ICONS / f"icon-{size}.png"), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
