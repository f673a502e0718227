"""The command line and its documentation stay in step."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

from agentdesk.cli.main import app_defaults, build_parser
from tests.conftest import REPO

CLI_DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def commands(
    parser: argparse.ArgumentParser, prefix: str = "agentdesk"
) -> Iterator[tuple[str, str]]:
    """Every command path with its help text."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                path = f"{prefix} {name}"
                yield path, helps.get(name, "")
                yield from commands(sub, path)


def documented(path: str) -> bool:
    """``agentdesk pack validate`` written out, or the action named in a line about its
    group (``agentdesk notes list|due``, ``agentdesk pack keygen, build, verify``)."""
    if path in CLI_DOC:
        return True
    group, _, action = path.rpartition(" ")
    for line in CLI_DOC.splitlines():
        if group in line:
            tokens = re.split(r"[\s|,`]+", line.split(group, 1)[1])
            if action in tokens:
                return True
    return False


def test_every_command_has_help_and_is_documented() -> None:
    found = list(commands(build_parser()))
    assert len(found) > 15
    for path, help_text in found:
        assert help_text, f"{path} has no help text"
        assert documented(path), f"{path} is not in docs/cli.md"


def test_no_arguments_mean_the_parser_defaults() -> None:
    """``agentdesk`` alone starts the app without building the parser: what it uses instead
    must be exactly what the parser would have given."""
    assert app_defaults() == build_parser(with_commands=False).parse_args([])
    assert app_defaults() == build_parser().parse_args([])


def test_every_option_of_the_shipping_commands_is_in_their_synopsis() -> None:
    """``agentdesk pack update --timeout`` and the rest: each option of the commands that
    ship packs appears in docs/cli.md, in the synopsis of its command."""
    from agentdesk.cli import channel_commands, ship_commands

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    ship_commands.register(sub)
    assert len(sub.choices) == 14 and channel_commands.ROLES
    for name, command in sub.choices.items():
        lines = [line for line in CLI_DOC.splitlines() if f"agentdesk pack {name} " in line]
        start = CLI_DOC.index(lines[0]) if lines else -1
        assert start >= 0, f"agentdesk pack {name} has no synopsis in docs/cli.md"
        synopsis = CLI_DOC[start:].split("\n\n", 1)[0].split("\nagentdesk ", 1)[0]
        for action in command._actions:
            options = [o for o in action.option_strings if o not in ("-h", "--help")]
            shown = any(re.search(rf"{re.escape(o)}[\s\])]", synopsis) for o in options)
            assert shown or not options, f"agentdesk pack {name} {options}: not in docs/cli.md"
