"""Reading a pack folder from disk: the one place that decides which files a pack is made of.

``pack validate``, ``walk``, ``pack build``, the desk app's library and its file watcher all
read pack folders through here, so the same files are accepted or refused, with the same
message, everywhere.

* ``pack.yaml`` must be a regular file. A folder of that name, a symbolic link or a pipe is
  refused with a message that says so (a link is never followed: it does not travel when a
  pack is copied or shipped, and it may point anywhere).
* Every other ``.yaml``/``.yml`` file below the folder is read, in sub-folders too. Names
  starting with '.' (``.git``, editor backups) are left out without a word. Symbolic links
  and special files (pipes, sockets, devices) are skipped with a warning, which
  ``--strict`` turns into a failure.
* Limits: :data:`MAX_FILES` YAML files, :data:`MAX_FILE_BYTES` per file,
  :data:`MAX_PACK_BYTES` in all; the walk itself stops after :data:`MAX_ENTRIES` entries of
  any kind (a pack folder opened on a home folder must not take minutes).

Problems are reported with names relative to the pack folder ('' is the folder itself).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from agentdesk.core.ids import PACK_ID_REGEX
from agentdesk.core.packs import MANIFEST
from agentdesk.core.problems import Loc, Problems

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_PACK_BYTES = 64 * 1024 * 1024
MAX_FILES = 2000
MAX_ENTRIES = 20_000
SUFFIXES = (".yaml", ".yml")

_FOLDER = Loc("", 0, 0)  # a problem of the folder itself: shown as its path alone
_LINK_HINT = (
    "Put the file itself in the pack folder: links are not read, because they do not travel "
    "when a pack is copied or shipped, and they may point anywhere."
)


class FolderRead(NamedTuple):
    """The pack's files (relative name → content, ``pack.yaml`` first) and the problems."""

    files: dict[str, bytes]
    problems: Problems


class PackArgumentError(Exception):
    """A command-line PACK that names neither a pack id nor a folder."""


def is_pack_folder(folder: Path) -> bool:
    """Whether ``folder`` has a ``pack.yaml`` entry of any kind (a link or a folder of that
    name too: reading it then says what is wrong, instead of the pack vanishing)."""
    return os.path.lexists(folder / MANIFEST)


def pack_files(root: Path) -> list[Path]:
    """The pack's YAML files, relative to ``root``, ``pack.yaml`` first, in a stable order."""
    return _walk(root, Problems())


def read_pack_folder(root: Path) -> FolderRead:
    """Every file of the pack in ``root``, or the problems that stop it being read."""
    problems = Problems()
    if not _manifest_ok(root, problems):
        return FolderRead({}, problems)
    files = _walk(root, problems)
    if problems.has_errors:
        return FolderRead({}, problems)
    if len(files) > MAX_FILES:
        problems.error(
            _FOLDER,
            f"the pack has {len(files):,} YAML files; a pack may have up to {MAX_FILES:,}",
            "Split it into several packs, or move what is not part of it (copies, exports, "
            "backups) out of the folder; names starting with '.' are not read.",
            "size",
        )
        return FolderRead({}, problems)
    return FolderRead(_read(root, files, problems), problems)


def _manifest_ok(root: Path, problems: Problems) -> bool:
    where = Loc(MANIFEST)
    try:
        if not root.is_dir():
            problems.error(
                _FOLDER, "this is not a folder", "Give the folder that holds pack.yaml.", "io"
            )
            return False
        mode = (root / MANIFEST).lstat().st_mode
    except FileNotFoundError:
        problems.error(
            where,
            "this folder has no pack.yaml, so it is not a pack",
            "Create pack.yaml with id, title, version and locale (see docs/packs.md).",
            "no-manifest",
        )
        return False
    except OSError as exc:
        problems.error(where, f"cannot be read: {exc.strerror or exc}", _IO_HINT, "io")
        return False
    if stat.S_ISREG(mode):
        return True
    if stat.S_ISLNK(mode):
        problems.error(
            where,
            "pack.yaml is a symbolic link, and links are not read",
            _LINK_HINT,
            "skipped-link",
        )
    elif stat.S_ISDIR(mode):
        problems.error(
            where,
            "pack.yaml is a folder; it must be a file",
            "Rename the folder, and write pack.yaml as a file with id, title, version and "
            "locale (see docs/packs.md).",
            "no-manifest",
        )
    else:
        problems.error(
            where,
            "pack.yaml is not a regular file (a pipe, socket or device)",
            "Replace it with the pack's manifest, a text file.",
            "no-manifest",
        )
    return False


_IO_HINT = "Check that the file exists and that you may read it."


def _walk(root: Path, problems: Problems) -> list[Path]:
    """The YAML files under ``root`` (links never followed); skipped entries reported."""
    found: list[Path] = []
    seen = 0
    stack: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while stack:
        folder, parts = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.error(
                Loc("/".join(parts)) if parts else _FOLDER,
                f"cannot read this folder: {exc.strerror or exc}",
                "Check that you may read it.",
                "io",
            )
            continue
        folders: list[tuple[str, tuple[str, ...]]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            seen += 1
            if seen > MAX_ENTRIES:
                problems.error(
                    _FOLDER,
                    f"the folder holds more than {MAX_ENTRIES:,} files and folders",
                    "Is this the pack's own folder? Give the folder that holds pack.yaml, "
                    "and keep only the pack's files in it.",
                    "size",
                )
                return []
            rel = (*parts, entry.name)
            kind = _kind(entry)
            if kind == "dir":
                folders.append((entry.path, rel))
            elif kind == "file":
                if entry.name.endswith(SUFFIXES):
                    found.append(Path(*rel))
            elif rel != (MANIFEST,):  # a bad pack.yaml is reported on its own
                _skipped(entry, "/".join(rel), kind, problems)
        stack.extend(reversed(folders))
    return sorted(found, key=lambda p: (p != Path(MANIFEST), p.parts))


def _kind(entry: os.DirEntry[str]) -> str:
    try:
        if entry.is_symlink():
            return "link"
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_file(follow_symlinks=False):
            return "file"
    except OSError:
        pass
    return "special"


def _skipped(entry: os.DirEntry[str], name: str, kind: str, problems: Problems) -> None:
    if kind == "link":
        try:
            target = f" (to {Path(entry.path).readlink()})"
        except OSError:
            target = ""
        problems.warning(
            Loc(name), f"a symbolic link{target} is not read", _LINK_HINT, "skipped-link"
        )
    else:
        problems.warning(
            Loc(name),
            "this is not a regular file (a pipe, socket or device); it is not read",
            "Remove it from the pack folder.",
            "skipped-file",
        )


def _read(root: Path, files: list[Path], problems: Problems) -> dict[str, bytes]:
    blobs: dict[str, bytes] = {}
    total = 0
    for rel in files:
        name = rel.as_posix()
        try:
            with (root / rel).open("rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
                size = len(data) + (len(f.read(1)) if len(data) > MAX_FILE_BYTES else 0)
        except OSError as exc:
            problems.error(Loc(name), f"cannot be read: {exc.strerror or exc}", _IO_HINT, "io")
            return {}
        total += len(data)
        if size > MAX_FILE_BYTES or total > MAX_PACK_BYTES:
            problems.error(
                Loc(name),
                "the file is too large for a pack"
                if size > MAX_FILE_BYTES
                else "the pack is too large",
                f"Files up to {MAX_FILE_BYTES // 2**20} MiB, packs up to "
                f"{MAX_PACK_BYTES // 2**20} MiB: split the content or remove what is not text.",
                "size",
            )
            return {}
        blobs[name] = data
    return blobs


def pack_argument(value: str) -> Path | None:
    """The folder a PACK argument names (``walk PACK``, ``--pack PACK``), or None if it is a
    pack id. A value with a '/' (or starting with '.' or '~') is a folder; a bare name is a
    folder if it holds a ``pack.yaml``. Raises :class:`PackArgumentError` if it is neither."""
    path = Path(value).expanduser()
    looks_like_a_path = os.sep in value or "/" in value or value.startswith((".", "~"))
    if not looks_like_a_path:
        if path.is_dir() and is_pack_folder(path):
            return path
        if re.match(PACK_ID_REGEX, value):
            return None
        raise PackArgumentError(f"'{value}' is neither a pack id nor a folder")
    if not path.exists():
        raise PackArgumentError(f"'{value}': no such folder")
    if not path.is_dir():
        raise PackArgumentError(f"'{value}' is a file; give the pack's folder")
    return path
