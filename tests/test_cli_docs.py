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
