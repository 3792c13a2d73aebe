"""Copy the front-end packages installed by npm into web/static/vendor (served locally).

Nothing is fetched at run time: `make assets` runs `npm ci` and then this script.
"""
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "node_modules"
VENDOR = ROOT / "web" / "static" / "vendor"

FILES = {
    "bpmn-js/dist/bpmn-navigated-viewer.production.min.js": "bpmn-js/bpmn-viewer.js",
    "bpmn-js/dist/bpmn-modeler.production.min.js": "bpmn-js/bpmn-modeler.js",
    "bpmn-js/dist/assets": "bpmn-js/assets",
    "bpmn-js-properties-panel/dist/bpmn-js-properties-panel.umd.js":
        "bpmn-js-properties-panel/bpmn-js-properties-panel.umd.js",
    "@bpmn-io/properties-panel/dist/assets": "bpmn-js-properties-panel/assets",
    "camunda-bpmn-moddle/resources/camunda.json": "camunda-bpmn-moddle/camunda.json",
    "dmn-js/dist/dmn-navigated-viewer.production.min.js": "dmn-js/dmn-viewer.js",
    "dmn-js/dist/dmn-modeler.production.min.js": "dmn-js/dmn-modeler.js",
    "dmn-js/dist/assets": "dmn-js/assets",
    "chart.js/dist/chart.umd.min.js": "chart.js/chart.umd.min.js",
}


def main() -> int:
    missing = [src for src in FILES if not (NODE / src).exists()]
    if missing:
        print("missing from node_modules (run `npm ci`):", *missing, sep="\n  ")
        return 1
    for src, dest in FILES.items():
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if (NODE / src).is_dir():
            shutil.copytree(NODE / src, target, dirs_exist_ok=True)
        else:
            shutil.copy2(NODE / src, target)
    print(f"vendored {len(FILES)} front-end assets into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
