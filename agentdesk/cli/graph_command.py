"""``agentdesk pack graph``: a flow, or every flow of a pack, drawn as a map (SVG)."""

from __future__ import annotations

import argparse

from agentdesk.cli.common import UsageError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "graph",
        help="draw a pack's flows as a map (SVG), unreachable steps and dead ends marked",
        description="Steps as boxes, answers as arrows, laid out in layers from the start. "
        "Without --flow, every flow of the pack, hand-overs between them as arrows.",
    )
    p.add_argument("pack", metavar="PACK", help="pack id or pack folder")
    p.add_argument("--flow", metavar="ID", help="only this flow")
    p.add_argument("--out", metavar="FILE.svg", required=True, help="the SVG file to write")
    p.set_defaults(handler=graph)


def graph(args: argparse.Namespace) -> int:
    from pathlib import Path

    from agentdesk.cli.walk_command import open_library
    from agentdesk.core.files import write_atomic
    from agentdesk.core.flowmap import flow_map
    from agentdesk.core.flowmap.svg import to_svg

    library, pack_id = open_library(args, args.pack)
    pack = library.get(pack_id)
    if args.flow is not None and args.flow not in pack.flows:
        raise UsageError(
            f"pack '{pack_id}' has no flow '{args.flow}' (flows: {', '.join(pack.flows)})"
        )
    fmap = flow_map(pack, args.flow, library.get)
    out = Path(args.out)
    write_atomic(out, to_svg(fmap).encode("utf-8"))
    unreachable, dead = fmap.marked("unreachable"), fmap.marked("dead-end")
    print(f"{out}: {len(fmap.nodes)} boxes, {len(fmap.edges)} arrows")
    for name, nodes in (("unreachable", unreachable), ("dead end", dead)):
        for node in nodes:
            print(f"  {name}: {node.key}")
    return 0
