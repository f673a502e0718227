"""``agentdesk central``: the central server: init, status, sync, report, serve.

The server's address comes from ``AGENTDESK_CENTRAL_URL`` or the ``central_url`` setting,
never from the command line (where other users could read it). Nothing printed here holds
its password: addresses are shown redacted and every server error is scrubbed.
"""

from __future__ import annotations

import argparse
import functools
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from agentdesk.cli.common import UsageError, paths, print_json
from agentdesk.cli.notes_commands import open_store

if TYPE_CHECKING:
    from agentdesk.core.central.outbox import Entry

REPORT_SECTIONS = ("per-agent", "due", "outcomes", "offers", "usage")  # report.NAMES, written out


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    central = commands.add_parser(
        "central",
        help="the central server: init, status, sync, report, serve",
        description="Every desk's notes in one PostgreSQL server (see docs/central.md). "
        "The server's address comes from AGENTDESK_CENTRAL_URL or the central_url setting.",
    )
    actions = central.add_subparsers(dest="central_command", metavar="ACTION", required=True)

    init = actions.add_parser("init", help="create or upgrade the server's schema (IT, once)")
    init.set_defaults(handler=init_server)

    status = actions.add_parser("status", help="this desk's queue and the server's state")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=show_status)

    sync = actions.add_parser("sync", help="send this desk's queued notes to the server")
    sync.add_argument(
        "--watch", action="store_true", help="keep running: send as notes are written"
    )
    sync.add_argument(
        "--every", type=float, default=5.0, metavar="S", help="with --watch: seconds between looks"
    )
    sync.add_argument("--batch", type=int, default=500, metavar="N", help="notes per transaction")
    sync.add_argument("-v", "--verbose", action="store_true", help="a line per batch sent")
    sync.set_defaults(handler=sync_desk)

    report = actions.add_parser(
        "report",
        help="supervisors: notes per agent and day, follow-ups due, outcomes, offers, usage",
    )
    report.add_argument(
        "section", nargs="?", choices=REPORT_SECTIONS, help="one section (default: all)"
    )
    report.add_argument("--since", metavar="YYYY-MM-DD", help="first day (default: a week ago)")
    report.add_argument("--until", metavar="YYYY-MM-DD", help="last day (default: today)")
    form = report.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON")
    form.add_argument("--csv", action="store_true", help="print one section as CSV")
    report.set_defaults(handler=print_report)

    serve = actions.add_parser("serve", help="the supervisors' read-only web page")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8470, help="port to listen on")
    serve.set_defaults(handler=serve_page)


# -- handlers -----------------------------------------------------------------------------


def _reported(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A :class:`CentralError` (its text already free of secrets) as one line, status 1."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from agentdesk.core.central.config import CentralError

        try:
            return handler(args)
        except CentralError as exc:
            print(f"agentdesk: error: {exc}", file=sys.stderr)
            return 1

    return run


@_reported
def init_server(args: argparse.Namespace) -> int:
    from agentdesk.core.central import server
    from agentdesk.core.central.config import redact

    url = _url(args)
    with server.session(url, "cannot initialise the central server") as conn:
        applied = server.migrate(conn)
        numbers = server.applied_migrations(conn)
    print(f"{redact(url)}: schema at migration {max(numbers)}")
    for name in applied:
        print(f"  applied {name}")
    return 0


def show_status(args: argparse.Namespace) -> int:
    from agentdesk.core.central import server
    from agentdesk.core.central.config import CentralError, NotConfigured, central_url, redact
    from agentdesk.core.central.outbox import DeskOutbox

    with open_store(args) as store:
        outbox = DeskOutbox(store)
        backlog, desk_id = outbox.backlog(), outbox.desk_id
    state: dict[str, Any] = {
        "server": None,
        "desk_id": desk_id,
        "syncing": desk_id is not None,
        "waiting": backlog.pending,
        "waiting_unknown_kinds": backlog.unknown,
        "oldest_waiting": backlog.oldest.isoformat() if backlog.oldest else None,
        "reachable": None,
        "schema": None,
        "server_has_up_to": None,
        "error": None,
    }
    try:
        url = central_url(paths(args))
        state["server"] = redact(url)
        with server.session(url, "cannot read the central server") as conn:
            state["reachable"] = True
            numbers = server.applied_migrations(conn)
            state["schema"] = max(numbers) if numbers else 0
            if numbers and desk_id:
                row = conn.execute(
                    f"SELECT last_seq FROM {server.SCHEMA}.desks WHERE desk_id = %s", (desk_id,)
                ).fetchone()
                state["server_has_up_to"] = row[0] if row else 0
    except NotConfigured as exc:
        state["error"] = str(exc)
    except CentralError as exc:
        state["reachable"], state["error"] = False, str(exc)
    if args.json:
        print_json(state)
        return 0
    print(f"server:   {state['server'] or 'not configured'}")
    if state["reachable"] is not None:
        schema = state["schema"]
        print(f"          {'reachable' if state['reachable'] else 'NOT reachable'}", end="")
        print(f", schema at migration {schema}" if schema else "", end="")
        print("" if schema or not state["reachable"] else ": run 'agentdesk central init'")
    print(f"desk:     {desk_id or 'not syncing yet (the first sync starts it)'}")
    oldest = f", the oldest from {state['oldest_waiting']}" if backlog.oldest else ""
    print(f"waiting:  {backlog.pending}{oldest}")
    if backlog.unknown:
        print(f"          and {backlog.unknown} of kinds this version cannot send")
    if state["error"]:
        print(f"error:    {state['error']}")
    return 0


@_reported
def sync_desk(args: argparse.Namespace) -> int:
    from agentdesk.core.central import server, sync
    from agentdesk.core.central.outbox import DeskOutbox
    from agentdesk.core.central.server import Server

    if args.batch < 1:
        raise UsageError("--batch must be 1 or more")
    url = _url(args)

    def said(entries: list[Entry]) -> None:
        print(f"sent {len(entries)} (up to {entries[-1].seq})", flush=True)

    if not args.watch:  # say at once why the server cannot be used (the pool would wait)
        server.connect(url).close()
    with open_store(args) as store, Server(url) as pool:
        outbox = DeskOutbox(store, paths(args))  # usage figures too, where they are on
        if not args.watch:
            sent = sync.push_pending(outbox, pool, args.batch, said if args.verbose else None)
            print(f"{sent} sent; {outbox.backlog().pending} waiting", flush=True)
            return 0

        def show(status: sync.SyncStatus) -> None:
            if status.error:
                print(f"agentdesk: warning: {status.error}", file=sys.stderr, flush=True)
            elif args.verbose:
                print(f"{status.sent} sent so far", flush=True)

        sync.run(outbox, pool, threading.Event(), every=args.every, batch=args.batch, report=show)
    return 0


@_reported
def print_report(args: argparse.Namespace) -> int:
    from agentdesk.core.central import report, server

    first, last = _day(args.since, "--since"), _day(args.until, "--until")
    since, until = report.period(first, last, date.today())
    if since > until:
        raise UsageError("--since is after --until")
    if args.csv and args.section is None:
        raise UsageError(f"--csv prints one section: name it ({', '.join(REPORT_SECTIONS)})")
    names = (args.section,) if args.section else report.NAMES
    with server.session(_url(args), "cannot read the central server") as conn:
        conn.read_only = True
        _needs_schema(conn)
        result = report.build(conn, since, until, datetime.now().replace(microsecond=0), names)
    if args.json:
        print_json(result.to_json())
    elif args.csv:
        sys.stdout.write(result.csv(args.section))
    else:
        sys.stdout.write(result.text())
    return 0


@_reported
def serve_page(args: argparse.Namespace) -> int:
    try:
        from agentdesk.web.supervisor import serve
    except ImportError as exc:
        raise UsageError(
            f"the supervisor page needs the 'supervisor' extra ({exc.name} is missing): "
            "pip install 'agentdesk[supervisor]'"
        ) from None
    url = _url(args)
    serve(url, args.host, args.port)
    return 0


# -- helpers ------------------------------------------------------------------------------


def _url(args: argparse.Namespace) -> str:
    from agentdesk.core.central.config import NotConfigured, central_url

    try:
        return central_url(paths(args))
    except NotConfigured as exc:
        raise UsageError(str(exc)) from None


def _needs_schema(conn: Any) -> None:
    from agentdesk.core.central import server
    from agentdesk.core.central.config import CentralError

    if not server.applied_migrations(conn):
        raise CentralError(server.NO_SCHEMA)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} must be a date as YYYY-MM-DD, not '{value}'") from None
