"""What every command shares: usage errors, output helpers, paths and the library."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from agentdesk.core.paths import Paths


class UsageError(Exception):
    """Bad arguments: reported in one line, exit status 2."""


class CommandFailed(Exception):
    """The command could not do its work for a reason outside it (a full disk, a read-only
    folder): reported in words, with exit status ``status``."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def paths(args: argparse.Namespace) -> Paths:
    return Paths.resolve(getattr(args, "data_dir", None))


def parse_today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today must be a date as YYYY-MM-DD, not '{value}'") from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def existing_file(value: str, option: str = "") -> Path:
    """``value`` as a path, if it names a file; ``option`` (e.g. "--trust") heads the error."""
    path = Path(value)
    if not path.is_file():
        where = f"{option}: " if option else ""
        raise UsageError(f"{where}'{value}' is not a file")
    return path


def existing_folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"'{value}' is not a folder")
    return path
