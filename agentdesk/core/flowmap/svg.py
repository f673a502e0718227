"""The flow map as SVG. Only rectangles, paths, polygons and text (SVG Tiny), so every
viewer draws it alike: browsers, Qt's SVG renderer in the app, librsvg."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from agentdesk.core.flowmap import CAPTION, LINE, PADDING, FlowMap, MapEdge, MapNode
from agentdesk.core.i18n import _

FONT = "DejaVu Sans, Segoe UI, Arial, sans-serif"
FILL = {"question": "#e8f0fe", "procedure": "#ffffff", "outcome": "#e6f4ea", "handover": "#f3e8fd"}
INK = "#202124"
MUTED = "#5f6368"
EDGE = "#80868b"
MARK_STROKE = {"dead-end": "#d93025", "unreachable": "#e37400", "start": "#1a73e8"}


def to_svg(fmap: FlowMap) -> str:
    width, height = math.ceil(fmap.width), math.ceil(fmap.height)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(fmap.title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _text(20, 28, fmap.title, 16, INK, bold=True),
        *_legend(20, 50),
    ]
    leaving: dict[str, int] = {}
    for edge in fmap.edges:  # labels of arrows leaving one box alternate in height
        turn = leaving[edge.source] = leaving.get(edge.source, -1) + 1
        out += _edge(edge, 0.42 if turn % 2 else 0.68)
    for node in fmap.nodes:
        out += _node(node)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _text(
    x: float, y: float, text: str, size: int, fill: str, bold: bool = False, middle: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    anchor = ' text-anchor="middle"' if middle else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family={quoteattr(FONT)} font-size="{size}" '
        f'fill="{fill}"{weight}{anchor}>{escape(text)}</text>'
    )


def _legend(x: float, y: float) -> list[str]:
    items = [
        (FILL["question"], EDGE, _("Question")),
        (FILL["procedure"], EDGE, _("Step")),
        (FILL["outcome"], EDGE, _("Outcome")),
        (FILL["handover"], EDGE, _("Another flow")),
        ("#ffffff", MARK_STROKE["unreachable"], _("Unreachable")),
        ("#ffffff", MARK_STROKE["dead-end"], _("Dead end")),
    ]
    out = []
    for fill, stroke, label in items:
        out.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="14" height="12" rx="3" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"/>'
        )
        out.append(_text(x + 19, y, label, 11, MUTED))
        x += 32 + len(label) * 6.5
    return out


def _node(node: MapNode) -> list[str]:
    left, top = node.x - node.width / 2, node.y - node.height / 2
    stroke, width, dash = EDGE, 1.2, ""
    for mark in ("start", "unreachable", "dead-end"):  # the last that applies wins
        if mark in node.marks:
            stroke, width = MARK_STROKE[mark], 2.4
    if "unreachable" in node.marks or node.kind == "handover":
        dash = ' stroke-dasharray="6,4"'
    out = [
        f"<g><title>{escape(node.key)}</title>",
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{node.width:.1f}" height="{node.height:.1f}" '
        f'rx="8" fill="{FILL[node.kind]}" stroke="{stroke}" stroke-width="{width}"{dash}/>',
    ]
    caption_ink = stroke if node.marks and node.marks != ("start",) else MUTED
    out.append(_text(left + PADDING, top + PADDING + 10, node.caption, 10, caption_ink))
    y = top + PADDING + CAPTION + 12
    for line in node.lines:
        out.append(_text(left + PADDING, y, line, 13, INK))
        y += LINE
    out.append("</g>")
    return out


def _edge(edge: MapEdge, along: float) -> list[str]:
    """The arrow, its head, and its label ``along`` its first segment (0 start, 1 end)."""
    points = edge.points
    path = "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in points)
    dash = ' stroke-dasharray="4,3"' if edge.back else ""
    out = [f'<path d="{path}" fill="none" stroke="{EDGE}" stroke-width="1.4"{dash}/>']
    (x1, y1), (x2, y2) = points[-2], points[-1]
    angle = math.atan2(y2 - y1, x2 - x1)
    tip = [(x2, y2)]
    for side in (-1, 1):
        a = angle + math.pi + side * 0.4
        tip.append((x2 + 9 * math.cos(a), y2 + 9 * math.sin(a)))
    corners = " ".join(f"{x:.1f},{y:.1f}" for x, y in tip)
    out.append(f'<polygon points="{corners}" fill="{EDGE}"/>')
    if edge.label:
        (ax, ay), (bx, by) = points[0], points[1]
        mx, my = ax + (bx - ax) * along, ay + (by - ay) * along
        w = len(edge.label) * 6.0 + 8
        out.append(
            f'<rect x="{mx - w / 2:.1f}" y="{my - 9:.1f}" width="{w:.1f}" height="14" rx="3" '
            'fill="#ffffff" fill-opacity="0.9"/>'
        )
        out.append(_text(mx, my + 2, edge.label, 10, MUTED, middle=True))
    return out
