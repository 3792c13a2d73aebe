"""Writes processes/consultation.bpmn, expert_review.bpmn and referral.bpmn.

Run `python tools/build_processes.py`. The generated files are committed; after that they
can be edited in Camunda Modeler like any other diagram (then stop regenerating them).
Task ids and variable names follow DESIGN.md section 3; the helpers called by scripts are
listed in tests/processes/helpers_contract.py.
"""

import sys
from pathlib import Path

from diagram_consultation import build_consultation
from diagram_others import build_expert_review, build_referral


def main(out_dir: str = "processes") -> None:
    out = Path(out_dir)
    out.mkdir(exist_ok=True)
    for name, build in (("consultation", build_consultation),
                        ("expert_review", build_expert_review),
                        ("referral", build_referral)):
        (out / f"{name}.bpmn").write_text(build().to_xml(), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
