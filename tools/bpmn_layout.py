"""Grid layout and XML writer for the process diagrams (BPMN 2.0 + Camunda 7 + DI).

A diagram is declared as nodes placed on a grid (column, lane, row inside the lane) and
flows between them; this module turns that into semantic XML plus shapes and orthogonal
edges. Flows that cannot be drawn as a simple elbow get explicit `via` points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from bpmn_forms import Field, form_xml  # noqa: F401 - Field is part of this module's API

COL_W = 150  # distance between column centres
ROW_H = 130  # height of one row inside a lane
POOL_X = 100  # left edge of the pool
POOL_Y = 60  # top edge of the pool
HEADER_W = 30  # participant name band
LANE_HEADER_W = 30  # lane name band
FIRST_COL_X = POOL_X + HEADER_W + LANE_HEADER_W + 70  # centre of column 0

SIZES = {
    "task": (100, 80),
    "event": (36, 36),
    "gateway": (50, 50),
}
KIND_SIZE = {
    "startEvent": "event",
    "endEvent": "event",
    "boundaryEvent": "event",
    "exclusiveGateway": "gateway",
    "parallelGateway": "gateway",
}


@dataclass
class Node:
    id: str
    kind: str
    name: str
    col: float
    lane: str
    row: int = 0
    parent: str | None = None  # id of the embedded subprocess holding this node
    attrs: dict = field(default_factory=dict)
    body: list[str] = field(default_factory=list)  # inner XML before incoming/outgoing
    extension: list[str] = field(default_factory=list)
    attached_to: str | None = None
    bounds: tuple[float, float, float, float] = (0, 0, 0, 0)
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str = ""
    condition: str | None = None
    default: bool = False
    via: list[tuple[float, float]] | None = None
    points: list[tuple[float, float]] = field(default_factory=list)


class Diagram:
    """One process in one pool, with role lanes."""

    def __init__(self, process_id: str, name: str, lanes: list[tuple[str, int]],
                 documentation: str = ""):
        self.process_id = process_id
        self.name = name
        self.lanes = lanes  # (lane name, number of rows), top to bottom
        self.documentation = documentation
        self.nodes: dict[str, Node] = {}
        self.flows: list[Flow] = []
        self.subprocesses: dict[str, tuple[float, float]] = {}  # id -> (padding cols left/right)

    # ---- geometry -------------------------------------------------------------------
    def lane_top(self, lane: str) -> float:
        y = POOL_Y
        for name, rows in self.lanes:
            if name == lane:
                return y
            y += rows * ROW_H
        raise KeyError(lane)

    def x(self, col: float) -> float:
        return FIRST_COL_X + col * COL_W

    def y(self, lane: str, row: float = 0) -> float:
        return self.lane_top(lane) + (row + 0.5) * ROW_H

    # ---- declaring nodes --------------------------------------------------------------
    def add(self, kind: str, id: str, name: str, col: float, lane: str, row: int = 0,
            parent: str | None = None, **attrs) -> Node:
        assert id not in self.nodes, id
        node = Node(id, kind, name, col, lane, row, parent, attrs)
        self.nodes[id] = node
        return node

    def start(self, id, name, col, lane, row=0, parent=None, form=None):
        node = self.add("startEvent", id, name, col, lane, row, parent)
        if form:
            node.extension.append(form_xml(form))
        return node

    def end(self, id, name, col, lane, row=0, parent=None):
        return self.add("endEvent", id, name, col, lane, row, parent)

    def script(self, id, name, col, lane, row=0, parent=None, script=""):
        node = self.add("scriptTask", id, name, col, lane, row, parent, scriptFormat="python")
        node.body.append(f"<bpmn:script>{escape(script.strip())}</bpmn:script>")
        return node

    def user(self, id, name, col, lane, row=0, parent=None, form=(), assignee=None,
             groups=None, doc=""):
        attrs = {"camunda:formKey": "generated"}
        if assignee:
            attrs["camunda:assignee"] = assignee
        if groups:
            attrs["camunda:candidateGroups"] = groups
        node = self.add("userTask", id, name, col, lane, row, parent, **attrs)
        if doc:
            node.body.insert(0, f"<bpmn:documentation>{escape(doc)}</bpmn:documentation>")
        node.extension.append(form_xml(form))
        return node

    def rule(self, id, name, col, lane, row=0, parent=None, decision=""):
        return self.add("businessRuleTask", id, name, col, lane, row, parent,
                        **{"camunda:decisionRef": decision})

    def call(self, id, name, col, lane, row=0, parent=None, called="", doc=""):
        node = self.add("callActivity", id, name, col, lane, row, parent, calledElement=called)
        if doc:
            node.body.insert(0, f"<bpmn:documentation>{escape(doc)}</bpmn:documentation>")
        node.extension.append('<camunda:in variables="all" /><camunda:out variables="all" />')
        return node

    def xor(self, id, name, col, lane, row=0, parent=None):
        return self.add("exclusiveGateway", id, name, col, lane, row, parent)

    def fork(self, id, col, lane, row=0, parent=None):
        return self.add("parallelGateway", id, "", col, lane, row, parent)

    def subprocess(self, id, name, cols: tuple[float, float], lane, rows, doc=""):
        """An expanded subprocess spanning `cols` (first, last) over lanes/rows given as
        ((lane, row) top, (lane, row) bottom); children are declared with parent=id."""
        node = self.add("subProcess", id, name, cols[0], lane)
        node.attrs["_span"] = (cols, rows)
        if doc:
            node.body.insert(0, f"<bpmn:documentation>{escape(doc)}</bpmn:documentation>")
        return node

    def timer(self, id, name, attached_to, duration, interrupting, offset, lane=None):
        """A boundary timer on the bottom edge of `attached_to`, `offset` px from its left."""
        node = self.add("boundaryEvent", id, name, 0, lane or self.nodes[attached_to].lane)
        node.attached_to = attached_to
        node.attrs["_offset"] = offset
        if not interrupting:
            node.attrs["cancelActivity"] = "false"
        node.body.append(
            "<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">"
            f"{escape(duration)}</bpmn:timeDuration></bpmn:timerEventDefinition>")
        return node

    def flow(self, source, target, name="", condition=None, default=False, via=None):
        fid = f"flow_{source}_{target}"
        assert all(f.id != fid for f in self.flows), fid
        self.flows.append(Flow(fid, source, target, name, condition, default, via))
        self.nodes[source].outgoing.append(fid)
        self.nodes[target].incoming.append(fid)
        return fid

    # ---- layout -----------------------------------------------------------------------
    def layout(self) -> None:
        for node in self.nodes.values():
            if node.kind == "subProcess":
                (c0, c1), ((l0, r0), (l1, r1)) = node.attrs["_span"]
                left = self.x(c0) - COL_W / 2 + 10
                right = self.x(c1) + COL_W / 2 - 10
                top = self.y(l0, r0) - ROW_H / 2 + 8
                bottom = self.y(l1, r1) + ROW_H / 2 - 8
                node.bounds = (left, top, right - left, bottom - top)
            elif node.kind != "boundaryEvent":
                w, h = SIZES[KIND_SIZE.get(node.kind, "task")]
                cx, cy = self.x(node.col), self.y(node.lane, node.row)
                node.bounds = (cx - w / 2, cy - h / 2, w, h)
        for node in self.nodes.values():
            if node.kind == "boundaryEvent":
                hx, hy, hw, hh = self.nodes[node.attached_to].bounds
                cx, cy = hx + node.attrs["_offset"], hy + hh
                node.bounds = (cx - 18, cy - 18, 36, 36)
        for flow in self.flows:
            flow.points = self.route(flow)

    def route(self, flow: Flow) -> list[tuple[float, float]]:
        src, tgt = self.nodes[flow.source], self.nodes[flow.target]
        sx, sy, sw, sh = src.bounds
        tx, ty, tw, th = tgt.bounds
        scx, scy, tcx, tcy = sx + sw / 2, sy + sh / 2, tx + tw / 2, ty + th / 2
        if flow.via == "h":  # straight across at the source's height (into a subprocess)
            y = tcy if src.kind == "subProcess" else scy
            return [(sx + sw, y), (tx if tcx > scx else tx + tw, y)]
        if flow.via:
            pts = [self.resolve(p) for p in flow.via]
            return [clip(src.bounds, pts[0]), *pts, clip(tgt.bounds, pts[-1])]
        if src.kind == "boundaryEvent":
            if abs(scx - tcx) < 1:
                return [(scx, sy + sh), (tcx, ty)]
            return [(scx, sy + sh), (scx, tcy), (tx, tcy)]
        if abs(scy - tcy) < 1:
            return [(sx + sw, scy), (tx, tcy)] if tcx > scx else [(sx, scy), (tx + tw, tcy)]
        if abs(scx - tcx) < 1:
            return [(scx, sy + sh), (tcx, ty)] if tcy > scy else [(scx, sy), (tcx, ty + th)]
        down = tcy > scy
        if KIND_SIZE.get(src.kind) == "gateway":
            return [(scx, sy + sh if down else sy), (scx, tcy), (tx, tcy)]
        if KIND_SIZE.get(tgt.kind) == "gateway":
            return [(sx + sw, scy), (tcx, scy), (tcx, ty if down else ty + th)]
        mid = tx - (tx - (sx + sw)) / 2
        return [(sx + sw, scy), (mid, scy), (mid, tcy), (tx, tcy)]

    def resolve(self, p):
        """A via point is (col, (lane, row)) or (col, absolute y) or absolute (x, y)."""
        px, py = p
        if isinstance(py, tuple):
            py = self.y(*py)
        if isinstance(px, int | float) and abs(px) < 100:
            px = self.x(px)
        return (px, py)

    def flow_label(self, flow: Flow) -> tuple[float, float, float, float]:
        """Beside the first segment, just after it leaves the source."""
        (ax, ay), (bx, by) = flow.points[0], flow.points[1]
        lw, lh = label_size(flow.name, 110)
        if abs(ax - bx) < 1:  # vertical: to the right of the line
            return (ax + 5, ay + 4 if by > ay else ay - 4 - lh, lw, lh)
        if bx > ax:  # rightwards: above the line
            return (ax + 8, ay - 4 - lh, lw, lh)
        return (ax - 8 - lw, ay - 4 - lh, lw, lh)

    def node_label(self, node: Node) -> tuple[float, float, float, float]:
        """Events and gateways get an external label: below unless a flow leaves or enters
        through the bottom, then above, then to the upper left."""
        x, y, w, h = node.bounds
        lw, lh = label_size(node.name)
        if node.kind == "boundaryEvent":
            return (x + w + 2, y + h + 2, lw, lh)
        cx = x + w / 2
        used = set()
        for f in self.flows:
            for p in (f.points[:1] if f.source == node.id else []) + \
                     (f.points[-1:] if f.target == node.id else []):
                if abs(p[0] - cx) < 1:
                    used.add("bottom" if p[1] > y + h / 2 else "top")
        if "bottom" not in used:
            return (cx - lw / 2, y + h + 4, lw, lh)
        if "top" not in used:
            return (cx - lw / 2, y - 4 - lh, lw, lh)
        return (x - lw - 2, y - lh, lw, lh)

    # ---- XML --------------------------------------------------------------------------
    def to_xml(self) -> str:
        """The diagram as BPMN XML with Camunda extensions and DI (see bpmn_xml)."""
        from bpmn_xml import to_xml

        return to_xml(self)


def label_size(text: str, max_w: int = 120) -> tuple[float, float]:
    width = len(text) * 12
    lines = 1 + int(width > max_w)
    return min(max(width, 30), max_w), 14 * lines


def clip(bounds, toward):
    """The point where a straight horizontal/vertical line from the shape centre towards
    `toward` leaves the shape."""
    x, y, w, h = bounds
    cx, cy = x + w / 2, y + h / 2
    px, py = toward
    if x < px < x + w:
        return (px, y + h if py > cy else y)
    return (x + w if px > cx else x, py)
