"""What IT reads when something went wrong: the log file and crash reports.

Both live in the log folder (:attr:`agentdesk.core.paths.Paths.logs`):

- ``agentdesk.log``: a rotating log (1 MB, five older files kept) of start, end, crashes and
  what the app did on its own (a second start handed over, the panel re-placed on a new
  screen);
- ``crash-<time>-<pid>.txt``: one report per crash, the newest twenty kept.

Neither holds customer data or credentials. A report names each frame of the traceback
(file, line, function, source line) and each exception's type, but leaves out the
exception's message and every variable: those can carry what the agent typed (a name, an
ID number). No settings and no environment variables are written.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from agentdesk import __version__
from agentdesk.core.files import write_atomic

if TYPE_CHECKING:
    import traceback

LOG_NAME = "agentdesk.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5
REPORTS_KEPT = 20
REPORT_PATTERN = "crash-*.txt"

log = logging.getLogger("agentdesk")


def start_log(folder: Path) -> Path:
    """Send the app's log records to the rotating file in ``folder``; returns its path.

    Called after the first paint (``logging.handlers`` imports pickle and socket). Calling
    it again for the same folder changes nothing.
    """
    from logging.handlers import RotatingFileHandler

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    for handler in log.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = RotatingFileHandler(
        path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def stop_log() -> None:
    """Close the log file (the app is ending)."""
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


def environment(extra: Mapping[str, str] = {}) -> dict[str, str]:
    """Versions and platform: what a report and the log's first line say about the machine."""
    import platform  # here: the log starts after the first paint

    return {
        "agentdesk": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "frozen": "yes" if getattr(sys, "frozen", False) else "no",
        **extra,
    }


def crash_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    where: str,
    extra: Mapping[str, str] = {},
) -> str:
    """The text of a crash report: when, where, versions, and the traceback without messages."""
    import traceback

    lines = [
        "AgentDesk crash report",
        f"time: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"where: {where}",
        f"process: {os.getpid()}",
        *(f"{key}: {value}" for key, value in environment(extra).items()),
        "",
    ]
    shown = traceback.TracebackException(exc_type, exc, tb, capture_locals=False)
    lines += _chain(shown)
    lines += ["", "(Exception messages and variables are left out: they may hold customer data.)"]
    return "\n".join(lines) + "\n"


def _chain(shown: traceback.TracebackException) -> list[str]:
    """Each exception of the chain, oldest first, as frames and a type name."""
    chain: list[tuple[traceback.TracebackException, str]] = []
    current: traceback.TracebackException | None = shown
    link = ""
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above exception was the direct cause of:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "During handling of the above exception:"
        else:
            current = None
    lines: list[str] = []
    for index, (item, _) in enumerate(reversed(chain)):
        if index:
            lines += ["", chain[len(chain) - index][1]]
        lines.append("Traceback (most recent call last):")
        lines += [part.rstrip("\n") for part in item.stack.format()]
        kind = item.exc_type
        name = f"{kind.__module__}.{kind.__qualname__}" if kind is not None else "unknown"
        lines.append(name.removeprefix("builtins."))
    return lines


def write_report(folder: Path, text: str) -> Path:
    """Write a crash report into ``folder`` (only the user may read it); keep the newest."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"crash-{stamp}-{os.getpid()}.txt"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"crash-{stamp}-{os.getpid()}-{number}.txt"
    write_atomic(path, text.encode("utf-8"), mode=0o600)
    reports = sorted(folder.glob(REPORT_PATTERN), key=lambda p: p.stat().st_mtime)
    for old in reports[:-REPORTS_KEPT]:
        old.unlink(missing_ok=True)
    return path
