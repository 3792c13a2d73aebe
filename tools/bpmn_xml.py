"""Writing a laid-out Diagram as BPMN 2.0 XML: semantic elements, Camunda extensions and DI."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from bpmn_layout import HEADER_W, KIND_SIZE, POOL_X, POOL_Y, ROW_H


def to_xml(d) -> str:
    d.layout()
    pid = d.process_id
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'id="Definitions_{pid}" targetNamespace="http://bpmn.io/schema/bpmn" '
        'exporter="tools/build_processes.py" exporterVersion="1">',
        f'  <bpmn:collaboration id="Collaboration_{pid}">',
        f'    <bpmn:participant id="Participant_{pid}" name={quoteattr(d.name)} '
        f'processRef="{pid}" />',
        "  </bpmn:collaboration>",
        f'  <bpmn:process id="{pid}" name={quoteattr(d.name)} isExecutable="true">',
    ]
    if d.documentation:
        out.append(f"    <bpmn:documentation>{escape(d.documentation)}</bpmn:documentation>")
    out.append(f'    <bpmn:laneSet id="LaneSet_{pid}">')
    for i, (lane, _rows) in enumerate(d.lanes):
        out.append(f'      <bpmn:lane id="Lane_{pid}_{i}" name={quoteattr(lane)}>')
        for node in d.nodes.values():
            if node.lane == lane and not node.attrs.get("_no_lane"):
                out.append(f"        <bpmn:flowNodeRef>{node.id}</bpmn:flowNodeRef>")
        out.append("      </bpmn:lane>")
    out.append("    </bpmn:laneSet>")
    out.extend(elements(d, None, "    "))
    out.append("  </bpmn:process>")
    out.extend(di(d))
    out.append("</bpmn:definitions>")
    return "\n".join(out) + "\n"

def elements(d, parent: str | None, ind: str) -> list[str]:
    out = []
    for node in d.nodes.values():
        if node.parent != parent:
            continue
        attrs = "".join(
            f" {k}={quoteattr(str(v))}" for k, v in node.attrs.items() if not k.startswith("_"))
        if node.attached_to:
            attrs += f' attachedToRef="{node.attached_to}"'
        default = [f.id for f in d.flows if f.source == node.id and f.default]
        if default:
            attrs += f' default="{default[0]}"'
        name = f" name={quoteattr(node.name)}" if node.name else ""
        out.append(f'{ind}<bpmn:{node.kind} id="{node.id}"{name}{attrs}>')
        docs = [b for b in node.body if b.startswith("<bpmn:documentation")]
        out.extend(ind + "  " + b for b in docs)
        if node.extension:
            out.append(f"{ind}  <bpmn:extensionElements>")
            out.extend(f"{ind}    {e}" for e in node.extension)
            out.append(f"{ind}  </bpmn:extensionElements>")
        out.extend(f"{ind}  <bpmn:incoming>{f}</bpmn:incoming>" for f in node.incoming)
        out.extend(f"{ind}  <bpmn:outgoing>{f}</bpmn:outgoing>" for f in node.outgoing)
        out.extend(ind + "  " + b for b in node.body if b not in docs)
        if node.kind == "subProcess":
            out.extend(elements(d, node.id, ind + "  "))
        out.append(f"{ind}</bpmn:{node.kind}>")
    for flow in d.flows:
        if d.nodes[flow.source].parent != parent:
            continue
        name = f" name={quoteattr(flow.name)}" if flow.name else ""
        head = f'{ind}<bpmn:sequenceFlow id="{flow.id}"{name} ' \
               f'sourceRef="{flow.source}" targetRef="{flow.target}"'
        if flow.condition:
            out.append(head + ">")
            out.append(f'{ind}  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                       f"{escape(flow.condition)}</bpmn:conditionExpression>")
            out.append(f"{ind}</bpmn:sequenceFlow>")
        else:
            out.append(head + " />")
    return out

def di(d) -> list[str]:
    pid = d.process_id
    height = sum(rows for _, rows in d.lanes) * ROW_H
    right = max(n.bounds[0] + n.bounds[2] for n in d.nodes.values()) + 60
    width = right - POOL_X
    out = [
        f'  <bpmndi:BPMNDiagram id="Diagram_{pid}">',
        f'    <bpmndi:BPMNPlane id="Plane_{pid}" bpmnElement="Collaboration_{pid}">',
        shape(f"Participant_{pid}", (POOL_X, POOL_Y, width, height), ' isHorizontal="true"'),
    ]
    for i, (lane, rows) in enumerate(d.lanes):
        bounds = (POOL_X + HEADER_W, d.lane_top(lane), width - HEADER_W, rows * ROW_H)
        out.append(shape(f"Lane_{pid}_{i}", bounds, ' isHorizontal="true"'))
    for node in d.nodes.values():
        extra = ' isExpanded="true"' if node.kind == "subProcess" else ""
        label = d.node_label(node) if KIND_SIZE.get(node.kind) and node.name else None
        out.append(shape(node.id, node.bounds, extra, label))
    for flow in d.flows:
        out.append(f'      <bpmndi:BPMNEdge id="{flow.id}_di" bpmnElement="{flow.id}">')
        for px, py in flow.points:
            out.append(f'        <di:waypoint x="{px:.0f}" y="{py:.0f}" />')
        if flow.name:
            lx, ly, lw, lh = d.flow_label(flow)
            out.append(f'        <bpmndi:BPMNLabel><dc:Bounds x="{lx:.0f}" y="{ly:.0f}" '
                       f'width="{lw:.0f}" height="{lh:.0f}" /></bpmndi:BPMNLabel>')
        out.append("      </bpmndi:BPMNEdge>")
    out += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>"]
    return out


def shape(element, bounds, extra="", label=None) -> str:
    x, y, w, h = bounds
    head = (f'      <bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}"{extra}>'
            f'<dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" />')
    if label:
        lx, ly, lw, lh = label
        head += (f'<bpmndi:BPMNLabel><dc:Bounds x="{lx:.0f}" y="{ly:.0f}" width="{lw:.0f}" '
                 f'height="{lh:.0f}" /></bpmndi:BPMNLabel>')
    return head + "</bpmndi:BPMNShape>"
