"""``agentdesk``: the desktop app with no command, the trainers' tools with one.

Each group of commands lives in its own module with a ``register`` function; handlers
import what they need when they run, so ``agentdesk --help`` and the app start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import agentdesk
from agentdesk.cli.common import CommandFailed, UsageError
from agentdesk.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, set_language

# command word -> module with its ``register``; imported only when a command is given
COMMANDS = {
    "pack": "agentdesk.cli.pack_commands",
    "walk": "agentdesk.cli.walk_command",
    "notes": "agentdesk.cli.notes_commands",
    "kiosk": "agentdesk.cli.kiosk_commands",
    "stats": "agentdesk.cli.stats_command",
    "central": "agentdesk.cli.central_commands",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(
    with_commands: bool = True, only: Sequence[str] | None = None
) -> argparse.ArgumentParser:
    """The parser; without commands when the app is started (it parses faster), with only
    the command groups in ``only`` if given (a command imports only its own module)."""
    parser = _Parser(
        prog="agentdesk",
        description="AgentDesk: the right script and macro for each situation. "
        "With no command, opens the desktop app on the bundled packs.",
    )
    parser.add_argument("--version", action="version", version=f"agentdesk {agentdesk.__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder for notes and installed packs "
        "(default: the user's data folder; also AGENTDESK_DATA_DIR)",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help=f"interface language (default: {DEFAULT_LANGUAGE})"
    )
    add_app_options(parser)
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for word, module in COMMANDS.items():
        if only is None or word in only:
            importlib.import_module(module).register(commands)
    return parser


def _wants_commands(argv: Sequence[str]) -> bool:
    """A command word or a request for help anywhere: build the whole parser. (A value that
    happens to be a command word only costs the fast path, never a wrong parse.)"""
    return any(arg in COMMANDS or arg in ("-h", "--help") for arg in argv)


def _commands_in(argv: Sequence[str]) -> list[str] | None:
    """The command groups ``argv`` may use: every word of it that names one (a value that
    happens to be a command word costs an import, never a wrong parse); None, all of them,
    when help is asked for (it lists them)."""
    if any(arg in ("-h", "--help") for arg in argv):
        return None
    return [arg for arg in argv if arg in COMMANDS]


def add_app_options(parser: argparse.ArgumentParser) -> None:
    app = parser.add_argument_group("desktop app (no command)")
    app.add_argument("--kiosk", action="store_true", help="run as a locked-down branch kiosk")
    app.add_argument(
        "--window", action="store_true", help="open as a normal window, not a side panel"
    )
    app.add_argument("--screenshot", metavar="FILE.png", help="render a state to a PNG and exit")
    app.add_argument("--pack", metavar="PACK", help="pack id or folder to open")
    app.add_argument("--flow", metavar="ID", help="flow to open")
    app.add_argument(
        "--choose",
        metavar="CHOICE_ID",
        action="append",
        default=[],
        help="answer to give (repeatable)",
    )
    app.add_argument(
        "--var",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="customer detail (repeatable)",
    )
    app.add_argument("--today", metavar="YYYY-MM-DD", help="see content as it was on this date")


def app_defaults() -> argparse.Namespace:
    """What no arguments at all parse to. The desktop app is mostly started that way; it
    does not wait for a parser to be built (a test keeps this equal to the parser's own)."""
    return argparse.Namespace(
        data_dir=None,
        lang=None,
        kiosk=False,
        window=False,
        screenshot=None,
        pack=None,
        flow=None,
        choose=[],
        var=[],
        today=None,
        command=None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv:
        wanted = _wants_commands(argv)
        args = build_parser(wanted, _commands_in(argv) if wanted else None).parse_args(argv)
    else:
        args = app_defaults()
    try:
        set_language(args.lang or os.environ.get("AGENTDESK_LANG") or DEFAULT_LANGUAGE)
        if args.command is None:
            _check_pack_option(args.pack)
            from agentdesk.ui.shell.app import run_app

            return int(run_app(args))
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UsageError as exc:
        from agentdesk.core.problems import printable

        print(f"agentdesk: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except CommandFailed as exc:
        print(f"agentdesk: error: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        where = f"command {args.command}" if args.command else "app start-up"
        return _internal_error(exc, where, args.data_dir)


def _check_pack_option(value: str | None) -> None:
    """``--pack`` naming a folder that does not exist is a usage error, before any window."""
    if value is None:
        return
    from agentdesk.core.packs.folder import PackArgumentError, pack_argument

    try:
        pack_argument(value)
    except PackArgumentError as exc:
        raise UsageError(f"--pack: {exc}") from None


def gui_main() -> int:
    """The entry point with no console: ``agentdesk-gui``, and the Windows bundle's
    ``AgentDesk.exe``. There, standard output and error are None: what would be printed
    goes nowhere instead of failing."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, Path(os.devnull).open("w", encoding="utf-8"))  # noqa: SIM115
    return main()


def _internal_error(exc: Exception, where: str, data_dir: str | None) -> int:
    """One line for the user; the crash report (agentdesk.core.diagnostics) for IT."""
    from agentdesk.core.central.config import scrub_configured
    from agentdesk.core.diagnostics import crash_report, write_report
    from agentdesk.core.paths import Paths

    message = scrub_configured(f"agentdesk: internal error: {type(exc).__name__}: {exc}")
    try:
        text = scrub_configured(crash_report(type(exc), exc, exc.__traceback__, where))
        report = write_report(Paths.resolve(data_dir).logs, text)
        message += f"\nA report was written to {report}; please send it to the AgentDesk team."
    except OSError:
        pass
    print(message, file=sys.stderr)
    return 70
