"""A child process for the kill test: install one archive, pausing where told.

    python -m tests.core.shipping.install_child ARCHIVE PUBKEY STOP_AT

Every call into the operating system or a file object during the install (open, read,
write, fsync, mkdir, rename, unlink...) is a point where it can be stopped. At call STOP_AT
the child prints ``stopped`` and waits: the parent then kills it with SIGKILL. With STOP_AT 0
it runs to the end and prints ``done N A B``: N such calls in all, A the count when
``write_state`` (the commit point) is entered and B when it returns.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import FrameType
from typing import Any


def _touches_files(function: Any) -> bool:
    """A call into the operating system or a file object: where the disk can change."""
    module = getattr(function, "__module__", None)
    owner = getattr(function, "__self__", None)
    return module in ("posix", "nt", "io", "_io") or isinstance(owner, io.IOBase)


def main() -> None:
    from agentdesk.core.paths import Paths
    from agentdesk.core.shipping.install import install
    from agentdesk.core.shipping.keys import TrustStore

    archive, pubkey, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    trust = TrustStore.load(None, [pubkey])
    paths = Paths.resolve()
    count = 0
    commit: dict[str, int] = {}

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if frame.f_code.co_name == "write_state" and event in ("call", "return"):
            commit[event] = count
        if event == "c_call" and _touches_files(arg):
            count += 1
            if count == stop_at:
                sys.setprofile(None)
                print("stopped", flush=True)
                sys.stdin.readline()  # killed here
                sys.exit(3)  # only if the parent closed stdin instead of killing

    sys.setprofile(profile)
    install(archive, paths, trust)
    sys.setprofile(None)
    print(f"done {count} {commit['call']} {commit['return']}", flush=True)


if __name__ == "__main__":
    main()
