"""Parsed packs cached by content hash, so an unchanged pack loads without parsing.

The key hashes every file of the pack together with the code that reads packs, so a new
version of AgentDesk never trusts a cache written by an older one. Entries are written
atomically; a damaged or unreadable entry is simply a miss.

hashlib and pickle are imported when packs are first read, not with this module: the desk
app paints its panel before it loads packs (scripts/bench_ui.py).
"""

from __future__ import annotations

import gc
import os
from functools import cache
from pathlib import Path
from typing import Any

_READER_PACKAGES = ("packs", "render", "templates", "logic")
_READER_MODULES = ("patterns.py", "problems.py", "ids.py")
MAX_ENTRIES = 256


def reader_sources() -> list[Path]:
    """The modules of the code that turns YAML into packs."""
    core = Path(__file__).resolve().parent.parent
    sources = [
        source for package in _READER_PACKAGES for source in sorted((core / package).glob("*.py"))
    ]
    return sources + [core / name for name in _READER_MODULES if (core / name).is_file()]


@cache
def reader_fingerprint() -> bytes:
    """A hash of the code that turns YAML into packs: changes to it invalidate the cache."""
    import hashlib

    import agentdesk

    digest = hashlib.sha256(agentdesk.__version__.encode())
    for source in reader_sources():
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.digest()


class PackCache:
    """A folder of pickled load results, one file per content hash."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, digest: str) -> Any | None:
        if self.folder is None:
            return None
        # Unpickling a pack creates tens of thousands of tuples that live until the next
        # reload. The cycle collector would walk them all, during the load and in the one
        # or two collections after it, and find nothing (they hold no cycles): they are
        # loaded with it paused and then set aside from it (gc.freeze), which keeps a warm
        # load of a large pack within 2x of json.loads (scripts/bench_core.py; without the
        # freeze, 2.6x). Reference counting still frees them on reload. The price: cyclic
        # garbage that exists at that moment is kept too; a load is rare, and it is small.
        import pickle

        collecting = gc.isenabled()
        gc.disable()
        try:
            with (self.folder / f"{digest}.pickle").open("rb") as f:
                value = pickle.load(f)
            gc.freeze()
            return value
        except Exception:  # any damaged entry is a miss
            return None
        finally:
            if collecting:
                gc.enable()

    def put(self, digest: str, value: Any) -> None:
        if self.folder is None:
            return
        import pickle
        import tempfile

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(self.folder / f"{digest}.pickle")
            self._prune()
        except OSError:
            return  # a read-only or full disk only costs speed

    def _prune(self) -> None:
        assert self.folder is not None
        entries = sorted(self.folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
