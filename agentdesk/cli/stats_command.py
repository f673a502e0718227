"""``agentdesk stats``: the local usage figures, aggregated; CSV for central use."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from agentdesk.cli.common import UsageError, paths, print_json
from agentdesk.core.usage import RECORDING


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = commands.add_parser(
        "stats",
        help="usage figures recorded on this desk: steps, answers, outcomes, offers, drop-offs",
        description="Figures from the walks recorded on this desk (ids and times only, never "
        "customer data). Recording is off unless --recording (or the setting) turns it on.",
    )
    p.add_argument("--pack", metavar="P", help="only this pack id")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only from this day on (local time)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--csv", metavar="FILE", help="also write every figure as a row of a CSV file")
    p.add_argument(
        "--recording",
        choices=RECORDING,
        help="set the usage_stats setting: off, on (every pack) or pack (packs that ask)",
    )
    p.set_defaults(handler=stats)


def _since(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--since must be a date as YYYY-MM-DD, not '{value}'") from None
    return datetime(day.year, day.month, day.day).timestamp()


def stats(args: argparse.Namespace) -> int:
    from agentdesk.core.settings import Settings
    from agentdesk.core.usage.overview import load, write_csv

    where = paths(args)
    settings = Settings.load(where.settings_file)
    if args.recording:
        settings.usage_stats = args.recording
        settings.save(where.settings_file)
    since = _since(args.since)
    try:
        figures = load(where.usage_db, args.pack, since)
    except sqlite3.Error as exc:
        print(f"agentdesk: cannot read {where.usage_db}: {exc}", file=sys.stderr)
        return 1
    if args.csv:
        write_csv(figures, Path(args.csv))
    if args.json:
        print_json({"recording": settings.usage_stats, **figures.to_json()})
        return 0
    print(f"Recording: {settings.usage_stats}. Calls: {figures.calls}" + _scope(args))
    _print_figures(figures)
    return 0


def _scope(args: argparse.Namespace) -> str:
    parts = [f"pack {args.pack}" if args.pack else "", f"since {args.since}" if args.since else ""]
    shown = ", ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


def _print_figures(figures: Any) -> None:
    from agentdesk.core.usage.overview import duration

    if figures.steps:
        print("\nSteps: visits, calls, median time")
    for s in figures.steps:
        print(f"  {s.pack}/{s.flow}/{s.step}: {s.visits}, {s.calls}, {duration(s.median_seconds)}")
    if figures.answers:
        print("\nAnswers: count (share of the answers at that step)")
    for a in figures.answers:
        print(f"  {a.pack}/{a.flow}/{a.step} → {a.choice}: {a.times} ({a.share:.0%})")
    if figures.outcomes:
        print("\nOutcomes reached")
    for o in figures.outcomes:
        print(f"  {o.pack}/{o.flow}/{o.step}: {o.times}")
    if figures.offers:
        print("\nOffers: shown, accepted, refused")
    for f in figures.offers:
        rate = f" ({f.acceptance:.0%} accepted)" if f.acceptance is not None else ""
        print(f"  {f.pack}/{f.offer}: {f.shown}, {f.accepted}, {f.refused}{rate}")
    if figures.drop_offs:
        print("\nWhere calls dropped off (before an outcome)")
    for s in figures.drop_offs:
        print(f"  {s.pack}/{s.flow}/{s.step}: {s.drop_offs} of {figures.calls} calls")
