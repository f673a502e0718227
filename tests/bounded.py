"""Run code in a child process bounded by CPU time and memory, not by a wall clock.

A test of "never hangs, never runs away" cannot run the suspect in its own process: a
regression would hang the suite or exhaust the machine. The child gets an rlimit on CPU
seconds and on address space; it prints what it measured (as JSON) and the test judges
that. The CPU limit is a backstop far above what the code needs (a fixed run takes
milliseconds), so it never decides a pass on a slow machine; it only turns a hang into a
failure.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap
from typing import Any

from tests.conftest import REPO

CPU_SECONDS = 30
MEMORY_BYTES = 2 * 2**30


def _limits(cpu: int, memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def run_bounded(
    code: str, cpu: int = CPU_SECONDS, memory: int = MEMORY_BYTES
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (dedented) in a fresh interpreter with the repository importable."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=lambda: _limits(cpu, memory),
        timeout=10 * cpu,  # only if the child sleeps instead of computing
        check=False,
    )


def bounded_json(code: str, cpu: int = CPU_SECONDS, memory: int = MEMORY_BYTES) -> Any:
    """Run ``code`` bounded; it must succeed and print one JSON value last."""
    done = run_bounded(code, cpu, memory)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])
