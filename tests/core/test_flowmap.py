"""The flow map: every step placed, nothing overlapping, what needs a look marked."""

from __future__ import annotations

import itertools
from xml.etree import ElementTree

from agentdesk.core.flowmap import FlowMap, flow_map
from agentdesk.core.flowmap.svg import to_svg
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Choice, Flow, Step
from tests.conftest import PACKS


def _pack():  # type: ignore[no-untyped-def]
    pack = load_pack(PACKS / "migracion-pre-post").pack
    assert pack is not None
    return pack


def _no_overlap(fmap: FlowMap) -> None:
    for a, b in itertools.combinations(fmap.nodes, 2):
        apart_x = abs(a.x - b.x) >= (a.width + b.width) / 2
        apart_y = abs(a.y - b.y) >= (a.height + b.height) / 2
        assert apart_x or apart_y, f"{a.key} overlaps {b.key}"
    for n in fmap.nodes:
        assert n.x - n.width / 2 >= 0 and n.x + n.width / 2 <= fmap.width, n.key
        assert n.y - n.height / 2 >= 0 and n.y + n.height / 2 <= fmap.height, n.key


def test_the_whole_pack_every_step_once_no_boxes_overlapping() -> None:
    pack = _pack()
    fmap = flow_map(pack)
    steps = {f"{f.id}/{s}" for f in pack.flows.values() for s in f.steps}
    assert {n.key for n in fmap.nodes} == steps  # hand-overs inside the pack join the flows
    _no_overlap(fmap)
    pairs = {
        (f"{f.id}/{s.id}", c.go or c.flow)
        for f in pack.flows.values()
        for s in f.steps.values()
        for c in s.choices
    }
    assert len(fmap.edges) == len(pairs)
    both = next(e for e in fmap.edges if e.target == "contacto/retomar" and "datos" in e.source)
    assert both.label == "A nombre del titular / A nombre de un tercero o de…"
    assert fmap.marked("unreachable") == [] and fmap.marked("dead-end") == []


def test_arrows_go_down_except_those_closing_a_loop() -> None:
    fmap = flow_map(_pack(), "oferta")
    nodes = {n.key: n for n in fmap.nodes}
    for edge in fmap.edges:
        down = nodes[edge.target].y > nodes[edge.source].y if edge.target in nodes else True
        assert down != edge.back, edge
    assert any(e.back for e in fmap.edges)  # 'oferta' has a loop back to the review


def test_one_flow_hands_over_to_a_box_naming_the_next() -> None:
    fmap = flow_map(_pack(), "contacto")
    handovers = [n for n in fmap.nodes if n.kind == "handover"]
    assert [n.key for n in handovers] == ["→preanalisis"]
    assert handovers[0].marks == ()
    assert "Preanálisis" in " ".join(handovers[0].lines)


def test_unreachable_steps_and_dead_ends_are_marked() -> None:
    pack = _pack()
    flow = Flow(
        id="roto",
        title="Roto",
        steps={
            "inicio": Step(
                id="inicio",
                ask="¿?",
                choices=(
                    Choice(label="a", id="a", go="fin"),
                    Choice(label="b", id="b", go="vuelta"),
                    Choice(label="c", id="c", flow="otro-pack/flujo"),
                    Choice(label="otra vez", id="d", go="inicio"),
                ),
            ),
            "fin": Step(id="fin", text="Listo."),
            "vuelta": Step(id="vuelta", choices=(Choice(label="x", id="x", go="vuelta2"),)),
            "vuelta2": Step(id="vuelta2", choices=(Choice(label="y", id="y", go="vuelta"),)),
            "suelto": Step(id="suelto", text="Nadie llega aquí."),
            "vacio": Step(id="vacio"),
        },
    )
    pack = pack._replace(flows={"roto": flow})
    fmap = flow_map(pack, "roto", lookup=Library(None).load().get)
    marks = {n.key: n.marks for n in fmap.nodes}
    assert marks["roto/inicio"] == ("start",)
    assert marks["roto/fin"] == ()
    assert marks["roto/vuelta"] == marks["roto/vuelta2"] == ("dead-end",)
    assert marks["roto/suelto"] == ("unreachable",)
    assert marks["roto/vacio"] == ("unreachable", "dead-end")
    assert marks["→otro-pack/flujo"] == ("dead-end",)  # no such pack
    again = [e for e in fmap.edges if e.source == e.target == "roto/inicio"]
    assert [(e.label, e.back) for e in again] == [("otra vez", True)]  # drawn, as a loop
    _no_overlap(fmap)
    svg = to_svg(fmap)
    ElementTree.fromstring(svg)  # well-formed
    assert svg.count('stroke="#d93025"') >= 4  # the dead ends drawn red (and the legend)


def test_node_at_finds_the_box_under_a_point() -> None:
    fmap = flow_map(_pack(), "preanalisis")
    node = fmap.nodes[3]
    assert fmap.node_at(node.x + node.width / 2 - 1, node.y) == node
    assert fmap.node_at(1, 1) is None


def test_the_same_pack_gives_the_same_picture() -> None:
    assert to_svg(flow_map(_pack())) == to_svg(flow_map(_pack()))
