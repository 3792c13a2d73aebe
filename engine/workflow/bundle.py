"""Process bundles: a set of .bpmn and .dmn files parsed and validated together."""
import ast
import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptEngineTask
from SpiffWorkflow.camunda.specs.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.specs.MultiChoice import MultiChoice

from engine.errors import BundleInvalid, BundleProblem, ScriptNotAllowed
from engine.people.roles import role_for_lane
from engine.workflow import limits
from engine.workflow.forms import check_form
from engine.workflow.parser import ASSIGNEE, CANDIDATE_GROUPS, PlatformParser
from engine.workflow.script_helpers import helper_names
from engine.workflow.scripting import check_source
from engine.workflow.unsupported import unsupported

EXPRESSION = re.compile(r"^\$\{(.+)\}$")
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
UNQUOTED_DURATION = re.compile(r"^R?\d*/?P(\d|T\d)")
QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")  # as the DMN engine


@dataclass
class Bundle:
    """A validated bundle: its files and, per process id, the spec and its subprocess specs."""

    files: dict[str, str]
    specs: dict[str, tuple] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)  # process id -> its files

    def checksum(self, key: str) -> str:
        digest = hashlib.sha256()
        for name in self.sources[key]:
            digest.update(name.encode() + b"\0" + self.files[name].encode() + b"\0")
        return digest.hexdigest()


def read_files(paths: list[str | Path]) -> dict[str, str]:
    """Collect .bpmn/.dmn files from files, folders and zip archives, keyed by file name."""
    files: dict[str, str] = {}
    for path in map(Path, paths):
        try:
            found = _read_path(path)
        except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise BundleInvalid([BundleProblem(str(path), None, reason)]) from None
        for name, text in found:
            if name in files:
                raise BundleInvalid([BundleProblem(name, None, "two files share this name")])
            files[name] = text
    if not files:
        raise BundleInvalid([BundleProblem(", ".join(map(str, paths)), None, "no .bpmn files")])
    return files


def _read_path(path: Path) -> list[tuple[str, str]]:
    if path.is_dir():
        found = sorted(path.glob("*.bpmn")) + sorted(path.glob("*.dmn"))
        return [(p.name, p.read_text(encoding="utf-8")) for p in found]
    if path.suffix == ".zip":  # a version downloaded from the designer pages, edited
        return _zip_members(path)
    return [(path.name, path.read_text(encoding="utf-8"))]


def _zip_members(archive_file) -> list[tuple[str, str]]:
    with zipfile.ZipFile(archive_file) as archive:
        return [(PurePosixPath(n).name, archive.read(n).decode("utf-8"))
                for n in sorted(archive.namelist()) if n.endswith((".bpmn", ".dmn"))]


def read_zip(archive_file, label: str) -> dict[str, str]:
    """The .bpmn/.dmn files of a zip archive (a path or a binary file), keyed by file name."""
    try:
        found = _zip_members(archive_file)
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise BundleInvalid([BundleProblem(label, None, f"not a zip of UTF-8 files: {exc}")]) \
            from None
    files: dict[str, str] = {}
    for name, text in found:
        if name in files:
            raise BundleInvalid([BundleProblem(name, None, "two files share this name")])
        files[name] = text
    if not files:
        raise BundleInvalid([BundleProblem(label, None, "no .bpmn files")])
    return files


def process_files(files: dict[str, str]) -> dict[str, str]:
    """{id: file name} of every BPMN process and embedded subprocess (SpiffWorkflow names a
    subprocess's spec after it) in the files; unparsable files are skipped."""
    found = {}
    for name, text in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        try:
            root = etree.fromstring(text.encode("utf-8"))
        except etree.XMLSyntaxError:
            continue
        for tag in ("process", "subProcess"):
            for element in root.iter(f"{{{BPMN_NS}}}{tag}"):
                found.setdefault(element.get("id"), name)
    return found


def parse(files: dict[str, str], validate_schema: bool = True) -> Bundle:
    """Parse every file and build every executable process's spec; raise BundleInvalid."""
    parser, problems = PlatformParser(validate_schema), []
    for name, text in sorted(files.items(), key=lambda kv: not kv[0].endswith(".dmn")):
        if not name.endswith((".bpmn", ".dmn")):
            problems.append(BundleProblem(name, None, "only .bpmn and .dmn files can be deployed"))
            continue
        try:
            root = etree.fromstring(text.encode("utf-8"))
            (parser.add_dmn_xml if name.endswith(".dmn") else parser.add_bpmn_xml)(root, name)
            if name.endswith(".bpmn") and validate_schema:  # deploying, not reloading
                problems.extend(unsupported(root, name))
        except etree.XMLSyntaxError as exc:
            problems.append(BundleProblem(name, None, f"not well-formed XML: {exc}"))
        except ValidationException as exc:
            problems.append(BundleProblem(exc.file_name or name, exc.id or None, str(exc)))
    if problems:
        raise BundleInvalid(problems)
    bundle = Bundle(files=files)
    dmn_files = sorted(n for n in files if n.endswith(".dmn"))
    for pid in parser.get_process_ids():
        _build_spec(parser, pid, bundle, dmn_files, problems)
    if not bundle.specs and not problems:
        problems.append(BundleProblem(", ".join(files), None, "no executable process"))
    if problems:
        raise BundleInvalid(problems)
    return bundle


def _build_spec(parser, pid, bundle, dmn_files, problems) -> None:
    process_parser = parser.get_process_parser(pid)
    if not process_parser.process_executable:
        return
    try:
        spec = parser.get_spec(pid)
        subprocess_specs = parser.get_subprocess_specs(pid)
    except ValidationException as exc:
        problems.append(BundleProblem(exc.file_name or process_parser.filename, exc.id or pid,
                                      str(exc)))
        return
    except SpiffWorkflowException as exc:
        problems.append(BundleProblem(process_parser.filename, pid, str(exc)))
        return
    found = []
    for proc in [spec, *subprocess_specs.values()]:
        filename = parser.get_process_parser(proc.name).filename
        found.extend(BundleProblem(filename, el, why) for el, why in check_spec(proc))
    problems.extend(p for p in found if p not in problems)
    if not found:
        names = {parser.get_process_parser(p).filename for p in [pid, *subprocess_specs]}
        bundle.specs[pid] = (spec, subprocess_specs)
        bundle.sources[pid] = sorted(names) + dmn_files


def check_spec(spec) -> list[tuple[str, str]]:
    """Lanes, forms, scripts and expressions of one process spec: [(element id, reason)]."""
    problems, names = [], helper_names()

    def check(element, source, mode, what):
        try:  # expressions are stripped when evaluated (a modeler may save them on new lines)
            check_source(source.strip() if mode == "eval" else source, mode, names)
        except ScriptNotAllowed as exc:
            problems.append((element, f"{what}: {exc.message}"))

    for ts in spec.task_specs.values():
        bpmn_id = getattr(ts, "bpmn_id", None) or ts.name
        if ts.lane is not None and role_for_lane(ts.lane) is None:
            problems.append((bpmn_id, f"lane '{ts.lane}' is not a known role"))
        if isinstance(ts, UserTask):
            if ts.lane is None:
                problems.append((bpmn_id, "user task is not in a lane"))
            problems.extend((bpmn_id, why) for why in check_form(ts.form))
            for ext in (ASSIGNEE, CANDIDATE_GROUPS):
                for part in (ts.extensions.get(ext) or "").split(","):
                    match = EXPRESSION.match(part.strip().split(":", 1)[-1])
                    if match:
                        check(bpmn_id, match.group(1), "eval", ext)
        if isinstance(ts, ScriptEngineTask) and getattr(ts, "script", None):
            check(bpmn_id, ts.script, "exec", "script")
        table = getattr(getattr(ts, "dmnEngine", None), "decision_table", None)
        for expression in decision_expressions(table) if table is not None else ():
            check(bpmn_id, expression, "eval", f"decision table '{table.id}'")
        if isinstance(ts, MultiChoice):
            for condition, _ in ts.cond_task_specs:
                if condition is not None:
                    check(bpmn_id, condition.args[0], "eval", "condition")
        if isinstance(ts, CatchingEvent):
            expression = getattr(ts.event_definition, "expression", None)
            if expression and UNQUOTED_DURATION.match(expression.strip()):
                quoted = f'"{expression.strip()}"'
                problems.append((bpmn_id, f"timer: quote the ISO duration: {quoted}"))
            elif expression:
                check(bpmn_id, expression, "eval", "timer")
                if isinstance(ts.event_definition, CycleTimerEventDefinition):
                    problems.extend((bpmn_id, why) for why in check_cycle(expression))
    return problems


def decision_expressions(table):
    """Every expression a decision table evaluates, built as SpiffWorkflow's DMN engine
    builds them (`?` stands for the input; a bare value is compared with `==`)."""
    for rule in table.rules:
        for entry in rule.inputEntries:
            source = entry.input.expression or "None"
            yield source
            for lhs in (t for t in entry.lhs if t):
                if QUESTION_MARK.search(lhs):
                    yield QUESTION_MARK.sub("dmninputexpr", lhs)
                else:
                    yield f"({source}) == ({lhs})" if _parses(lhs) else source + lhs
        yield from (o.text for o in rule.outputEntries if getattr(o, "text", None))


def _parses(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def check_cycle(expression: str) -> list[str]:
    """A timer cycle must be a quoted ISO 8601 repetition no more frequent than the minimum
    (`R1000/PT0S` would fire a thousand times in one step)."""
    minimum = limits.current().timer_cycle_minimum
    try:
        value = ast.literal_eval(expression.strip())
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        value = None
    if not isinstance(value, str):
        return ['timer cycle: must be a quoted ISO 8601 repetition such as "R3/PT1H"']
    try:
        _cycles, _start, every = TimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception:  # noqa: BLE001 - the library raises bare Exception for bad intervals
        return [f"timer cycle: '{value}' is not an ISO 8601 repetition such as \"R3/PT1H\""]
    if every.total_seconds() < minimum:
        return [f"timer cycle: '{value}' repeats every {every.total_seconds():g} s, more often "
                f"than the minimum of {minimum:g} s"]
    return []
