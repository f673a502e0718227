"""``agentdesk pack list|validate|test|schema``: the trainers' tools (importing, exporting
and the flow map have their own modules)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from agentdesk.cli import graph_command, import_commands, ship_commands
from agentdesk.cli.common import UsageError, existing_folder, parse_today, paths, print_json


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pack = commands.add_parser("pack", help="list, validate, test and describe content packs")
    sub = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="bundled and installed packs: id, title, version, validity")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge validity on this date")
    p.set_defaults(handler=list_packs)

    p = sub.add_parser("validate", help="check packs; exit 0 ok, 1 problems found, 2 usage error")
    p.add_argument("paths", nargs="+", metavar="PATH", help="pack folder")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge validity on this date")
    p.add_argument("--strict", action="store_true", help="treat warnings as problems too")
    p.set_defaults(handler=validate)

    p = sub.add_parser("test", help="run the packs' scenario tests")
    p.add_argument("paths", nargs="+", metavar="PATH", help="pack folder")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="date for tests that give none")
    p.add_argument(
        "--require-coverage",
        action="store_true",
        help="fail unless the tests reach every outcome and take every conditional branch",
    )
    p.set_defaults(handler=test)

    p = sub.add_parser("schema", help="print the JSON Schema of a pack file or item kind")
    p.add_argument(
        "kind", nargs="?", metavar="KIND", help="manifest, content, flow, step, macro..."
    )
    p.add_argument("--out", metavar="DIR", help="write every schema as DIR/KIND.schema.json")
    p.set_defaults(handler=schema)

    ship_commands.register(sub)
    import_commands.register(sub)
    graph_command.register(sub)


def _library(args: argparse.Namespace) -> Any:
    from agentdesk.core.packs.library import Library

    return Library(paths(args)).load()


def _cache(args: argparse.Namespace) -> Any:
    from agentdesk.core.packs.cache import PackCache

    return PackCache(paths(args).pack_cache)


def validity_text(valid_from: date | None, valid_until: date | None, today: date) -> str:
    if valid_from is None and valid_until is None:
        return "always"
    span = f"{valid_from or '…'} to {valid_until or '…'}"
    if valid_until is not None and today > valid_until:
        return f"{span} (expired)"
    if valid_from is not None and today < valid_from:
        return f"{span} (not yet valid)"
    return span


def list_packs(args: argparse.Namespace) -> int:
    from agentdesk.core.packs.validity import is_expired

    today = parse_today(args.today)
    library = _library(args)
    rows = []
    in_use = library.in_use()
    for entry in library.entries.values():
        pack = entry.pack
        if pack is None:
            continue
        m = pack.manifest
        rows.append(
            {
                "id": pack.id,
                "title": m.title,
                "version": m.version,
                "locale": m.locale,
                "audiences": list(m.audiences),
                "valid_from": m.valid_from.isoformat() if m.valid_from else None,
                "valid_until": m.valid_until.isoformat() if m.valid_until else None,
                "validity": validity_text(m.valid_from, m.valid_until, today),
                "expired": is_expired(m, today),
                "origin": entry.source.origin,
                "root": str(entry.source.root),
                "in_use": in_use[pack.id].source == entry.source,
                "flows": [{"id": f.id, "title": f.title} for f in pack.flows.values()],
                "problems": len(entry.result.problems),
                "stale": entry.stale,
            }
        )
    failed = [
        {"root": str(e.source.root), "origin": e.source.origin, "errors": len(e.result.errors)}
        for e in library.failed()
        if e.pack is None
    ]
    for fail in failed:
        print(
            f"{fail['root']}: cannot be used, {fail['errors']} error(s) "
            "(see: agentdesk pack validate)",
            file=sys.stderr,
        )
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No packs found.")
    for row in rows:
        marker = "" if row["in_use"] else "  (not in use: another version wins)"
        print(f"{row['id']:<28} {row['version']:<8} {row['title']}")
        print(f"{'':<28} {row['origin']}, valid: {row['validity']}{marker}")
    return 0


def validate(args: argparse.Namespace) -> int:
    from agentdesk.core.packs.checks import validity_problems
    from agentdesk.core.packs.library import Library
    from agentdesk.core.problems import printable

    today = parse_today(args.today)
    folders = [existing_folder(p) for p in args.paths]
    report: list[dict[str, Any]] = []
    failed = False
    # With the installed and bundled packs, for answers that lead to another pack's flow.
    library = Library(paths(args), folders=folders).load()
    links = list(library.link_problems())
    clashes = list(library.duplicates(folders))
    for folder in folders:
        result = library.entries[folder].result
        problems = list(result.problems)
        if result.pack is not None:
            problems += [
                p._replace(loc=p.loc._replace(file=str(folder / p.loc.file)))
                for p in validity_problems(result.pack, today)
            ]
            problems += [p for p in links if Path(p.loc.file).is_relative_to(folder)]
            problems += [p for p in clashes if Path(p.loc.file).parent == folder]
            problems.sort(key=lambda p: (p.loc, p.severity != "error"))
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        failed = failed or errors > 0 or (args.strict and warnings > 0)
        if args.json:
            report.append(
                {
                    "path": str(folder),
                    "ok": errors == 0,
                    "errors": errors,
                    "warnings": warnings,
                    "problems": [p.to_json() for p in problems],
                }
            )
            continue
        for problem in problems:
            print(problem.format())
        shown = printable(str(folder))
        if errors:
            print(f"{shown}: {errors} error(s), {warnings} warning(s): the pack cannot be used")
        elif warnings:
            print(f"{shown}: ok, {warnings} warning(s)")
        else:
            print(f"{shown}: ok")
    if args.json:
        print_json(report)
    return 1 if failed else 0


def test(args: argparse.Namespace) -> int:
    from agentdesk.core.flows.scenarios import (
        branches,
        branches_not_taken,
        outcomes,
        run_scenario,
        uncovered,
    )
    from agentdesk.core.packs.loader import load_pack
    from agentdesk.core.problems import printable

    today = parse_today(args.today)
    folders = [existing_folder(p) for p in args.paths]
    cache = _cache(args)
    passed = failed = 0
    for path in folders:
        folder = Path(printable(str(path)))  # as printed; read from ``path``
        result = load_pack(path, cache)
        if result.pack is None:
            for problem in result.errors:
                print(problem.format())
            print(f"FAIL {folder}: the pack has errors, its tests cannot run")
            failed += 1
            continue
        pack = result.pack
        print(f"{pack.id} {pack.version} ({folder})")
        results = [run_scenario(pack, s, today) for s in pack.tests]
        for r in results:
            where = f"{folder / r.scenario.loc.file}:{r.scenario.loc.line}"
            if r.passed:
                passed += 1
                print(f"  PASS {r.scenario.name}")
            else:
                failed += 1
                print(f"  FAIL {r.scenario.name}  ({where})")
                for failure in r.failures:
                    print(f"       {failure}")
        missing = uncovered(pack, results)
        total = len(outcomes(pack))
        print(f"  outcomes reached by tests: {total - len(missing)}/{total}")
        for flow_id, step_id in missing:
            step = pack.flows[flow_id].steps[step_id]
            print(f"  not reached: {flow_id}/{step_id}  ({folder / step.loc.file}:{step.loc.line})")
        if missing and args.require_coverage:
            failed += 1
            print(f"  FAIL {pack.id}: {len(missing)} outcome(s) have no test")
        conditional = branches(pack)
        not_taken = branches_not_taken(pack, results)
        if conditional:
            taken = len(conditional) - len(not_taken)
            print(f"  conditional branches taken by tests: {taken}/{len(conditional)}")
        for branch in not_taken:
            step = pack.flows[branch.flow].steps[branch.step]
            print(f"  not taken: {branch}  ({folder / step.loc.file}:{step.loc.line})")
        if not_taken and args.require_coverage:
            failed += 1
            print(f"  FAIL {pack.id}: {len(not_taken)} conditional branch(es) have no test")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def schema(args: argparse.Namespace) -> int:
    from agentdesk.core.packs.jsonschema import KINDS
    from agentdesk.core.packs.jsonschema import schema as make_schema

    if args.kind is not None and args.kind not in KINDS:
        raise UsageError(f"unknown kind '{args.kind}'; kinds: {', '.join(KINDS)}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for kind in (None, *KINDS):
            name = kind or "pack"
            text = json.dumps(make_schema(kind), ensure_ascii=False, indent=2) + "\n"
            (out / f"{name}.schema.json").write_text(text, encoding="utf-8")
        print(f"wrote {len(KINDS) + 1} schemas to {out}")
        return 0
    print_json(make_schema(args.kind))
    return 0
