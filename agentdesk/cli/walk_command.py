"""``agentdesk walk``: walk a flow from the command line, as the panel would show it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, get_args

from agentdesk.cli.common import UsageError, parse_today, paths, print_json
from agentdesk.core.packs.model import Audience


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = commands.add_parser(
        "walk",
        help="walk a flow: apply answers and print the step and outcome, rendered",
        description="Without --flow, lists the pack's flows. With it, applies the answers in "
        "order and prints where they lead, every text rendered with the given details.",
    )
    p.add_argument("pack", metavar="PACK", help="pack id or pack folder")
    p.add_argument("--flow", metavar="ID", help="the flow to walk")
    p.add_argument(
        "--choose", metavar="CHOICE_ID", action="append", default=[], help="an answer (repeatable)"
    )
    p.add_argument(
        "--var", metavar="KEY=VALUE", action="append", default=[], help="a customer detail"
    )
    p.add_argument("--record", metavar="FACT", action="append", default=[], help="record a fact")
    p.add_argument(
        "--refuse", metavar="OFFER", action="append", default=[], help="the customer refused it"
    )
    p.add_argument(
        "--accept", metavar="OFFER", action="append", default=[], help="the customer accepted it"
    )
    p.add_argument(
        "--tick",
        metavar="ITEM",
        action="append",
        default=[],
        help="tick a checklist item (its id) at the step that shows it (repeatable)",
    )
    p.add_argument("--today", metavar="YYYY-MM-DD", help="walk as on this date")
    p.add_argument(
        "--audience",
        choices=get_args(Audience),
        default="desk",
        help="walk as this audience sees it (a kiosk hides hand-overs to desk-only flows)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=walk)


def parse_vars(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--var needs KEY=VALUE, not '{pair}'")
        values[key.strip()] = value
    return values


def open_library(args: argparse.Namespace, pack_arg: str) -> tuple[Any, str]:
    """The library (with PACK's folder first if PACK is a folder) and the pack id.

    A folder with errors prints them (as ``pack validate`` does) and ends with status 1.
    """
    from agentdesk.core.packs.folder import PackArgumentError, pack_argument
    from agentdesk.core.packs.library import Library, unknown_pack

    try:
        folder = pack_argument(pack_arg)
    except PackArgumentError as exc:
        raise UsageError(str(exc)) from None
    folders = [folder] if folder is not None else []
    library = Library(paths(args), folders=folders).load()
    if folder is not None:
        entry = library.entries[folder]
        if entry.pack is None:
            for problem in entry.result.errors:
                print(problem.format())
            raise SystemExit(1)
        return library, entry.pack.id
    unknown = unknown_pack(library, pack_arg)
    if unknown:
        raise UsageError(unknown)
    return library, pack_arg


def walk(args: argparse.Namespace) -> int:
    from agentdesk.core.flows.session import Session
    from agentdesk.core.flows.walk import UnknownChoice, WalkError

    today = parse_today(args.today)
    values = parse_vars(args.var)
    library, pack_id = open_library(args, args.pack)
    pack = library.get(pack_id)
    if args.flow is None:
        flows = [{"id": f.id, "title": f.title} for f in pack.flows.values()]
        if args.json:
            print_json({"flows": flows})
        else:
            for f in flows:
                print(f"{f['id']:<32} {f['title']}")
        return 0
    session = Session(library.get, today, args.audience)
    session.values = values
    act = _recorded(args, session, pack)
    try:
        act(lambda: session.open(pack_id, args.flow))
        session.tick_items(args.tick)
        for choice in args.choose:
            act(lambda c=choice: session.choose(c))
            session.tick_items(args.tick)
        for fact in args.record:
            act(lambda f=fact: session.record(f))
        for offer in args.refuse:
            act(lambda o=offer: session.decide(o, "refused"))
        for offer in args.accept:
            act(lambda o=offer: session.decide(o, "accepted"))
        act(session.close, keep=True)  # the command ends: a call that stops short drops off
    except UnknownChoice as exc:
        raise UsageError(
            f"step '{exc.step.id}' has no choice '{exc.choice_id}'; valid choices: "
            + (", ".join(exc.valid) or "none (the flow has ended)")
        ) from None
    except WalkError as exc:
        raise UsageError(str(exc)) from None
    view = session.view()
    unknown = [k for k in values if k not in session.walk.pack.variables]
    data = view.to_json()
    data["warnings"] = [f"unknown variable '{k}' (ignored)" for k in unknown] + data["warnings"]
    if args.json:
        print_json(data)
    else:
        print_view(data)
    return 0


def _recorded(args: argparse.Namespace, session: Any, pack: Any) -> Callable[..., None]:
    """How the walk's actions are applied: recorded in the usage figures when the
    ``usage_stats`` setting says so for this pack (``agentdesk stats --recording``)."""
    from agentdesk.core.settings import Settings
    from agentdesk.core.usage import records

    where = paths(args)
    if not records(Settings.load(where.settings_file).usage_stats, pack.manifest):
        return lambda action, keep=False: None if keep else action()

    from agentdesk.core.usage.events import Recorder
    from agentdesk.core.usage.store import UsageStore

    recorder = Recorder(UsageStore(where.usage_db).add)

    def act(action: Callable[[], object], keep: bool = False) -> None:
        """``keep``: record the action without doing it (the view still needs the walk)."""
        before = session.walks
        if keep:
            recorder.transition(before, ())
            return
        action()
        recorder.transition(before, session.walks)

    return act


def print_view(data: dict[str, Any]) -> None:
    """The walk as text, for a trainer's terminal: everything the panel would show."""
    pack = data["pack"]
    print(f"{pack['title']} ({pack['id']} {pack['version']}) · {data['flow_title']}")
    if data["expired"]:
        print(f"!! EXPIRED: valid until {data['valid_until']}")
    for answer in data["why"]:
        decided = f"  ({answer['decided']})" if answer["decided"] is not None else ""
        print(f"  {answer['title']} → {answer['answer']}{decided}")
    step = data["step"]
    print(f"\n== {step['title'] or step['id']}")
    for decision in data["decisions"]:
        print(f"» {decision['text']}")
    for text in (step["prompt"], step["text"]):
        if text:
            print(text)
    for rule in step["rules"]:
        print(f"! {rule}")
    for script in step["scripts"]:
        print(
            f"\n-- Script: {script['title']}" + (f"  ({script['when']})" if script["when"] else "")
        )
        print(script["text"])
    for macro in step["macros"]:
        print(f"\n-- Macro: {macro['title']}\n   path: {macro['path']}")
        print(f"   ticket: {macro['ticket_status'] or '-'} · order: {macro['order_status'] or '-'}")
        for label, value in macro["fields"]:
            print(f"   {label}: {value}")
        if not macro["active"]:
            print("   (inactive in the helpdesk)")
        for extra in (macro["description"], macro["note"]):
            if extra:
                print(f"   {extra}")
        if macro["text"]:
            print(macro["text"])
    for offer in step["offers"]:
        state = (
            "available" if offer["available"] else "; ".join(offer["locks"]) or offer["decision"]
        )
        rank = f" {offer['rank']}" if offer["rank"] else ""
        print(f"\n-- Offer{rank}: {offer['code']} — {offer['title']} [{state}]")
        if offer["description"]:
            print(f"   {offer['description']}")
    if step["checklist"]:
        print()
    for item in step["checklist"]:
        box = "[x]" if item["ticked"] else "[ ]"
        tick = f"  [--tick {item['id']}]" if item["id"] else ""
        print(f"{box} {item['label']}" + ("" if item["required"] else " (optional)") + tick)
    for timer in step["timers"]:
        print(f"⏱ {timer['label']}: {timer['minutes']} min — {timer['alert'] or ''}")
    if step["choices"]:
        print()
        for number, choice in enumerate(step["choices"], 1):
            print(f"  {number}. {choice['label']}  [--choose {choice['id']}]")
            if choice["hint"]:
                print(f"     {choice['hint']}")
    if data["handover"]:
        print(f"\n→ continues in flow {data['handover']}")
    note = data["outcome"]["note"] if data["outcome"] else None
    if note and any(note.values()):
        print("\n-- Note draft")
        for field, value in note.items():
            if value:
                print(f"   {field}: {value}")
    for warning in data["warnings"]:
        print(f"warning: {warning}")
