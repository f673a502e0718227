"""Durable file replacement: a kill or a power cut leaves the old file or the new one.

A file is written beside its target, flushed to disk, renamed over the target in one
step, and the rename is made durable by syncing the folder. Settings, the PIN lock,
installed packs, backups and exports all go through here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` in one step; the new file gets ``mode``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    replace_durably(tmp, path, synced=True)


def replace_durably(partial: Path, final: Path, *, synced: bool = False) -> None:
    """Rename a finished ``partial`` file over ``final`` so that it survives a power cut.

    ``synced``: the partial file's data is already on disk."""
    try:
        if not synced:
            fsync_path(partial)
        partial.replace(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    sync_folder(final.parent)


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no folder handles for this)."""
    if sys.platform == "win32":
        return
    fsync_path(folder)
