"""Rules for the names of archive entries: each one must be a plain relative path that
lands inside the pack's folder on every system (Windows desks included)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from agentdesk.core.shipping.refusals import Reason, Refusal

MAX_NAME_LENGTH = 512
MAX_PART_LENGTH = 200
#: Names ending like this are archives, which a pack never holds.
ARCHIVE_SUFFIXES = (
    ".adpack",
    ".zip",
    ".jar",
    ".gz",
    ".tgz",
    ".tar",
    ".bz2",
    ".xz",
    ".7z",
    ".rar",
    ".zst",
    ".cab",
)
#: First bytes of archive and compressed formats.
ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\x1f\x8b",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd",
    b"MSCF\x00\x00\x00\x00",
)
_BZIP2 = re.compile(rb"^BZh[1-9]1AY&SY")
_DRIVE = re.compile(r"^[A-Za-z]:")
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {
    f"{d}{n}" for d in ("com", "lpt") for n in "123456789"
}


def check_name(name: str, what: str) -> None:
    """Refuse a name that could write outside the folder or mean something else elsewhere."""
    shown = name.replace("\0", "\\0")
    if "\0" in name:
        raise Refusal(Reason.NUL_IN_NAME, f"{what}: the entry name '{shown}' contains a NUL byte")
    if "\\" in name:
        raise Refusal(
            Reason.BACKSLASH,
            f"{what}: the entry name '{name}' contains a backslash, which Windows reads as a "
            "folder separator",
        )
    if name.startswith("/") or _DRIVE.match(name):
        raise Refusal(Reason.ABSOLUTE_PATH, f"{what}: the entry name '{name}' is an absolute path")
    parts = name.split("/")
    if ".." in parts:
        raise Refusal(Reason.PARENT_PATH, f"{what}: the entry name '{name}' climbs out with '..'")
    if len(name) > MAX_NAME_LENGTH:
        raise _bad_name(what, name, "it is too long")
    for part in parts:
        if part in ("", "."):
            raise _bad_name(what, name, "it has an empty or '.' part")
        if len(part) > MAX_PART_LENGTH:
            raise _bad_name(what, name, "one of its parts is too long")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in part) or ":" in part:
            raise _bad_name(what, name, "it has a control character or ':'")
        if part.endswith((".", " ")) or part.split(".")[0].lower() in _WINDOWS_DEVICES:
            raise _bad_name(what, name, "Windows cannot store it as written")


def check_unique(names: Iterable[str], what: str) -> None:
    """Refuse duplicates, names equal but for case (or Unicode form), and file/folder clashes."""
    seen: set[str] = set()
    folded: dict[str, str] = {}
    for name in names:
        if name in seen:
            raise Refusal(
                Reason.DUPLICATE_NAME, f"{what}: the entry '{name}' appears more than once"
            )
        seen.add(name)
        key = unicodedata.normalize("NFC", name).casefold()
        other = folded.get(key)
        if other is not None:
            raise Refusal(
                Reason.CASE_COLLISION,
                f"{what}: the entries '{other}' and '{name}' differ only in case or accents' "
                "encoding, so they collide on Windows and macOS",
            )
        folded[key] = name
    for key, name in folded.items():
        parts = key.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i])
            if parent in folded:
                raise _bad_name(what, name, f"'{folded[parent]}' is a file and also a folder")


def looks_like_archive(name: str, head: bytes = b"") -> bool:
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        return True
    return head.startswith(ARCHIVE_MAGIC) or _BZIP2.match(head) is not None


def _bad_name(what: str, name: str, why: str) -> Refusal:
    return Refusal(Reason.BAD_NAME, f"{what}: the entry name '{name}' is unsafe: {why}")
