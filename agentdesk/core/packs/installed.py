"""How installed packs are kept on disk, so that a kill at any moment leaves a usable state.

::

    <installed packs>/
        .lock                      held while an install or rollback changes anything
        <pack id>/
            state.json             {"current": "1.1.0-3f2a9c1e", "previous": "1.0.0-...", ...}
            versions/<version>-<8 hex>/
                pack.yaml ...      the pack's files, never changed once in place
                .adpack-manifest.json   the signed manifest it was installed from
            .incoming-<random>/    an install in progress (or killed): removed next time

Version folders are complete before they get their final name (a rename), and ``state.json``
is replaced in one atomic step: that replacement is the moment an install or rollback takes
effect. Before it, the old version is current; after it, the new one. Anything not named by
``state.json`` is a leftover and is removed by the next install or rollback.

The library reads this layout (no third-party imports); shipping writes it.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from agentdesk.core.files import write_atomic

STATE = "state.json"
VERSIONS = "versions"
INCOMING_PREFIX = ".incoming-"
LOCK = ".lock"
INSTALLED_MANIFEST = ".adpack-manifest.json"


class State(NamedTuple):
    """Which version folders of a pack are in use. Folder names, not versions."""

    current: str
    previous: str | None = None
    #: The version a rollback moved away from: updates skip it and anything older.
    held_back: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"current": self.current, "previous": self.previous, "held_back": self.held_back}


def version_of(folder_name: str) -> str:
    """'1.2.0-3f2a9c1e' -> '1.2.0'."""
    return folder_name.rsplit("-", 1)[0]


def read_state(pack_dir: Path) -> State | None:
    """The pack's state, or None if it has none (or an unreadable one, edited by hand)."""
    try:
        doc = json.loads((pack_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    current, previous, held = doc.get("current"), doc.get("previous"), doc.get("held_back")
    if not isinstance(current, str) or not _folder_name(current):
        return None
    if previous is not None and not _folder_name(previous):
        return None
    return State(current, previous, held if isinstance(held, str) else None)


def _folder_name(value: object) -> bool:
    if not isinstance(value, str) or not value or value.startswith("."):
        return False
    return "/" not in value and "\\" not in value


def current_root(pack_dir: Path) -> Path | None:
    state = read_state(pack_dir)
    return None if state is None else pack_dir / VERSIONS / state.current


def installed_roots(folder: Path, manifest: str = "pack.yaml") -> list[Path]:
    """The current version folder of each installed pack, by pack id."""
    if not folder.is_dir():
        return []
    roots = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue
        root = current_root(child)
        if root is not None and (root / manifest).is_file():
            roots.append(root)
    return roots


def watch_folders(folder: Path) -> list[Path]:
    """Folders whose change may mean another version became current (for a file watcher).

    ``state.json`` is replaced by a rename, which a watcher sees as a change of its folder.
    Comparing :func:`installed_roots` before and after tells whether anything switched.
    """
    if not folder.is_dir():
        return [folder.parent] if folder.parent.is_dir() else []
    children = [c for c in sorted(folder.iterdir()) if c.is_dir() and not c.name.startswith(".")]
    return [folder, *children]


def write_state(pack_dir: Path, state: State) -> None:
    """Replace ``state.json`` in one atomic step (the commit point of every change)."""
    write_atomic(pack_dir / STATE, json.dumps(state.to_json(), indent=2).encode() + b"\n")


def remove_leftovers(pack_dir: Path) -> list[Path]:
    """Delete killed installs and version folders the state no longer names."""
    removed: list[Path] = []
    if not pack_dir.is_dir():
        return removed
    for child in pack_dir.iterdir():
        if child.name.startswith((INCOMING_PREFIX, f".{STATE}.")):
            remove_path(child)
            removed.append(child)
    versions = pack_dir / VERSIONS
    if not versions.is_dir():
        return removed
    state = read_state(pack_dir)
    if state is not None:
        keep = {state.current, state.previous}
    elif not (pack_dir / STATE).exists():
        keep = set()  # a first install killed before its switch
    else:
        return removed  # a state.json edited by hand: delete nothing
    for child in versions.iterdir():
        if child.name not in keep:
            remove_path(child)
            removed.append(child)
    return removed


def remove_path(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil  # only when removing: this module is read at start-up

        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the installed packs' lock: one install or rollback at a time, across processes.

    The operating system releases it when the process ends, even when killed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK).open("a+b") as f:
        if sys.platform == "win32":
            import msvcrt

            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)
