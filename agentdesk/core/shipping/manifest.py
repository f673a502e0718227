"""The manifest of a pack archive: what the trainer built, signed.

It is stored as canonical JSON (sorted keys, no spaces, UTF-8) and the signature covers
exactly those bytes. A manifest in any other form is refused, so one manifest has one
encoding and nothing can hide in formatting.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, NamedTuple

from agentdesk.core.ids import PACK_ID_REGEX, VERSION_REGEX
from agentdesk.core.shipping.names import check_name
from agentdesk.core.shipping.refusals import Reason, Refusal

FORMAT = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
#: The pack's files are stored under this folder of the archive.
FILES_PREFIX = "pack/"
ARCHIVE_SUFFIX = ".adpack"

PACK_ID_RE = re.compile(PACK_ID_REGEX)
VERSION_RE = re.compile(VERSION_REGEX)
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value that gets signed."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


class FileEntry(NamedTuple):
    path: str  # relative to the pack folder, with '/'
    size: int
    sha256: str


class ArchiveManifest(NamedTuple):
    format: int
    pack_id: str
    version: str
    created: datetime
    expires: datetime
    min_app_version: str
    key_id: str
    files: tuple[FileEntry, ...]

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "pack_id": self.pack_id,
            "version": self.version,
            "created": format_time(self.created),
            "expires": format_time(self.expires),
            "min_app_version": self.min_app_version,
            "key_id": self.key_id,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }

    def canonical(self) -> bytes:
        return canonical_json(self.to_json())


def signer_of(data: bytes, what: str) -> str:
    """The key id a manifest names, read before its signature is checked (to pick the key)."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        raise _bad(what, "it is not JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("key_id"), str):
        raise _bad(what, "it names no key_id")
    key: str = doc["key_id"]
    if not _KEY_ID.match(key):
        raise _bad(what, "its key_id is not 16 hex digits")
    return key


def parse_manifest(data: bytes, what: str) -> ArchiveManifest:
    """Read a manifest whose signature was checked; refuse anything out of shape."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        raise _bad(what, "it is not JSON") from None
    if not isinstance(doc, dict):
        raise _bad(what, "it is not a JSON object")
    fmt = doc.get("format")
    if fmt != FORMAT:
        raise Refusal(
            Reason.UNSUPPORTED_FORMAT,
            f"{what} is in archive format {fmt!r}; this AgentDesk reads format {FORMAT}",
        )
    expected = {
        "format",
        "pack_id",
        "version",
        "created",
        "expires",
        "min_app_version",
        "key_id",
        "files",
    }
    if set(doc) != expected:
        raise _bad(what, f"its fields are not exactly {', '.join(sorted(expected))}")
    pack_id = _text(doc, "pack_id", PACK_ID_RE, what)
    version = _text(doc, "version", VERSION_RE, what)
    min_app = _text(doc, "min_app_version", VERSION_RE, what)
    key = _text(doc, "key_id", _KEY_ID, what)
    try:
        created = parse_time(_text(doc, "created", None, what))
        expires = parse_time(_text(doc, "expires", None, what))
    except ValueError:
        raise _bad(what, "created and expires must be times as YYYY-MM-DDTHH:MM:SSZ") from None
    files = doc["files"]
    if not isinstance(files, list):
        raise _bad(what, "files is not a list")
    entries = tuple(_file_entry(item, what) for item in files)
    paths = [e.path for e in entries]
    for path in paths:
        check_name(path, what)
    if paths != sorted(set(paths)):
        raise _bad(what, "its files are not sorted and unique")
    manifest = ArchiveManifest(fmt, pack_id, version, created, expires, min_app, key, entries)
    if manifest.canonical() != data:
        raise _bad(what, "it is not in canonical form")
    return manifest


def _file_entry(item: Any, what: str) -> FileEntry:
    if (
        not isinstance(item, dict)
        or set(item) != {"path", "size", "sha256"}
        or not isinstance(item["path"], str)
        or type(item["size"]) is not int
        or item["size"] < 0
        or not isinstance(item["sha256"], str)
        or not SHA256_RE.match(item["sha256"])
    ):
        raise _bad(what, f"a file entry is malformed: {str(item)[:80]}")
    return FileEntry(item["path"], item["size"], item["sha256"])


def _text(doc: dict[str, Any], field: str, pattern: re.Pattern[str] | None, what: str) -> str:
    value = doc.get(field)
    if not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
        raise _bad(what, f"its {field} is missing or malformed")
    return value


def _bad(what: str, why: str) -> Refusal:
    return Refusal(Reason.BAD_MANIFEST, f"{what}: the manifest is unusable: {why}")
