"""``agentdesk pack import zendesk|zammad`` and ``agentdesk pack export zendesk``: content
from a helpdesk into a pack folder, and a pack's macros back to the helpdesk."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from agentdesk.cli.common import UsageError, existing_file, print_json

DEFAULT_LOCALE = "es-MX"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="make a pack from a helpdesk's macros or text modules")
    kinds = p.add_subparsers(dest="import_kind", metavar="HELPDESK", required=True)
    zendesk = kinds.add_parser(
        "zendesk",
        help="a Zendesk macros API response (JSON) into a pack",
        description='Reads GET /api/v2/macros.json ({"macros": [...]}) into a new pack folder '
        "and reports what was mapped and what was not.",
    )
    zendesk.add_argument("file", metavar="FILE.json", help="the macros API response")
    zendesk.add_argument(
        "--order-field",
        metavar="FIELD",
        help="the Zendesk action that sets the order status, e.g. custom_fields_360005512345",
    )
    zammad = kinds.add_parser(
        "zammad",
        help="a Zammad text-module CSV into a pack",
        description="Reads Zammad's text-module CSV (name;keywords;content;note;active;) into a "
        "new pack folder and reports what was mapped and what was not.",
    )
    zammad.add_argument("file", metavar="FILE.csv", help="the text-module CSV")
    for kind in (zendesk, zammad):
        kind.add_argument("--out", metavar="DIR", required=True, help="a new, empty pack folder")
        kind.add_argument("--id", metavar="ID", help="the pack id (default: from DIR's name)")
        kind.add_argument("--title", metavar="TEXT", help="the pack's title")
        kind.add_argument(
            "--locale",
            default=DEFAULT_LOCALE,
            help=f"the content's locale (default: {DEFAULT_LOCALE})",
        )
        kind.add_argument("--json", action="store_true", help="print the report as JSON")
        kind.set_defaults(handler=import_pack)

    p = sub.add_parser("export", help="write a pack's macros in a helpdesk's format")
    kinds = p.add_subparsers(dest="export_kind", metavar="HELPDESK", required=True)
    zendesk = kinds.add_parser(
        "zendesk",
        help="a pack's macros as a Zendesk macros response (JSON)",
        description='Writes {"macros": [...]} as the Zendesk API returns it: import it again, '
        "or send each macro to POST/PUT /api/v2/macros.",
    )
    zendesk.add_argument("pack", metavar="PACK", help="pack id or pack folder")
    zendesk.add_argument("--out", metavar="FILE.json", required=True, help="the file to write")
    zendesk.add_argument(
        "--order-field", metavar="FIELD", help="the Zendesk action that sets the order status"
    )
    zendesk.add_argument("--json", action="store_true", help="print the report as JSON")
    zendesk.set_defaults(handler=export_zendesk)


def _pack_id(args: argparse.Namespace, out: Path) -> str:
    from agentdesk.core.ids import PACK_ID_REGEX
    from agentdesk.core.importers.browse import slug

    pack_id = args.id or slug(out.resolve().name) or "importado"
    if not re.match(PACK_ID_REGEX, pack_id):
        raise UsageError(f"--id '{pack_id}': use lowercase letters, digits and '-'")
    return pack_id


def _new_folder(value: str) -> Path:
    out = Path(value)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"--out '{value}' is not a new, empty folder: nothing was written")
    return out


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UsageError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None


def import_pack(args: argparse.Namespace) -> int:
    from agentdesk.core.importers import zammad, zendesk
    from agentdesk.core.importers.report import UnreadableFile
    from agentdesk.core.packs.loader import load_pack
    from agentdesk.core.packs.writer import write_pack

    source = existing_file(args.file)
    out = _new_folder(args.out)
    pack_id = _pack_id(args, out)
    text = _read_text(source)
    es = args.locale.lower().startswith("es")
    try:
        if args.import_kind == "zendesk":
            pack, report = zendesk.import_macros(
                zendesk.read_macros(text, str(source)),
                pack_id=pack_id,
                title=args.title or ("Macros de Zendesk" if es else "Zendesk macros"),
                locale=args.locale,
                source=f"Zendesk: {source.name}",
                order_field=args.order_field,
            )
        else:
            pack, report = zammad.import_text_modules(
                zammad.read_text_modules(text, str(source)),
                pack_id=pack_id,
                title=args.title or ("Textos de Zammad" if es else "Zammad text modules"),
                locale=args.locale,
                source=f"Zammad: {source.name}",
            )
    except UnreadableFile as exc:
        print(f"agentdesk: {exc}", file=sys.stderr)
        return 1
    written = write_pack(pack, out)
    result = load_pack(out)
    errors = len(result.errors)
    if args.json:
        print_json(
            {
                "pack": pack.id,
                "out": str(out),
                "files": [str(p) for p in written],
                "macros": len(pack.macros),
                "scripts": len(pack.scripts),
                "inactive": [m.id for m in pack.macros.values() if not m.active]
                + [s.id for s in pack.scripts.values() if not s.active],
                "variables": {v.id: v.helpdesk_placeholder for v in pack.variables.values()},
                "report": report.to_json(),
                "problems": [p.to_json() for p in result.problems],
                "ok": errors == 0,
            }
        )
        return 1 if errors else 0
    items = f"{len(pack.macros)} macros" if pack.macros else f"{len(pack.scripts)} texts"
    print(f"{out}: pack '{pack.id}' with {items} and {len(pack.variables)} variables")
    print("What became of what was read (how many items):")
    for line in report.lines():
        print(line)
    for problem in result.problems:
        print(problem.format())
    print(f"{out}: " + (f"{errors} error(s)" if errors else "validates"))
    return 1 if errors else 0


def export_zendesk(args: argparse.Namespace) -> int:
    from agentdesk.cli.walk_command import open_library
    from agentdesk.core.files import write_atomic
    from agentdesk.core.importers.zendesk import export_macros

    library, pack_id = open_library(args, args.pack)
    pack = library.get(pack_id)
    data, report = export_macros(pack, args.order_field)
    out = Path(args.out)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(out, text.encode("utf-8"))
    if args.json:
        summary: dict[str, Any] = {"out": str(out), "macros": len(data["macros"])}
        print_json({**summary, "report": report.to_json()})
        return 0
    print(f"{out}: {len(data['macros'])} macros of '{pack.id}'")
    for line in report.lines():
        print(line)
    return 0
