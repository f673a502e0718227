"""Update channels: a folder or a web address holding ``.adpack`` files and a signed index.

Publishing is writing the archives and ``index.json`` (:func:`write_index`) into a folder;
any static web server, a shared drive or a USB stick can then serve it. The index lists the
newest archive of each pack with its size and SHA-256 and is signed like a manifest, so a
desk trusts nothing the server says unless a trusted key signed it; each archive is then
checked in full by :func:`.install.install`.

Being offline is a normal state: :func:`update` reports it and changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime
from http.client import HTTPException
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.files import write_atomic
from agentdesk.core.ids import version_key
from agentdesk.core.paths import Paths
from agentdesk.core.shipping.changes import PackChanges
from agentdesk.core.shipping.install import install, installed_pack
from agentdesk.core.shipping.keys import TrustStore, public_id
from agentdesk.core.shipping.limits import DEFAULT_LIMITS, Limits
from agentdesk.core.shipping.manifest import (
    ARCHIVE_SUFFIX,
    MANIFEST_NAME,
    PACK_ID_RE,
    SHA256_RE,
    VERSION_RE,
    canonical_json,
    format_time,
    parse_manifest,
    parse_time,
)
from agentdesk.core.shipping.refusals import Reason, Refusal
from agentdesk.core.shipping.verify import CHUNK, PackArchive

INDEX_NAME = "index.json"
INDEX_FORMAT = 1
#: Seconds to wait for a server to connect or send the next bytes.
DEFAULT_TIMEOUT = 10.0
_ARCHIVE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.adpack$")
_STALE_DOWNLOAD = 24 * 3600

UpdateStatus = Literal["installed", "current", "held", "refused", "absent"]
#: ``progress(pack_id, phase, done, total)``, phase "download" or "install"; bytes.
UpdateProgress = Callable[[str, str, int, int], None]


class IndexEntry(NamedTuple):
    pack_id: str
    version: str
    archive: str  # a file name beside index.json
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.pack_id,
            "version": self.version,
            "archive": self.archive,
            "size": self.size,
            "sha256": self.sha256,
        }


class Index(NamedTuple):
    created: datetime
    key_id: str
    packs: tuple[IndexEntry, ...]

    def signed_part(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "created": format_time(self.created),
            "packs": [entry.to_json() for entry in self.packs],
        }


# -- publishing ------------------------------------------------------------------------


def write_index(
    folder: Path,
    key: Ed25519PrivateKey,
    *,
    now: datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Index:
    """Sign an ``index.json`` listing the newest ``.adpack`` of each pack in ``folder``."""
    newest: dict[str, IndexEntry] = {}
    for path in sorted(folder.glob(f"*{ARCHIVE_SUFFIX}")):
        if not _ARCHIVE_NAME.match(path.name):
            raise Refusal(
                Reason.BAD_NAME,
                f"{path.name}: rename it to letters, digits, '.', '_' and '-' to publish it",
            )
        with PackArchive(path, limits) as archive:
            if MANIFEST_NAME not in archive.entries:
                raise Refusal(Reason.BAD_MANIFEST, f"{path.name}: it has no manifest")
            manifest = parse_manifest(archive.read_entry(MANIFEST_NAME), path.name)
        entry = IndexEntry(
            manifest.pack_id, manifest.version, path.name, path.stat().st_size, _sha256(path)
        )
        other = newest.get(entry.pack_id)
        if other is not None and version_key(other.version) == version_key(entry.version):
            raise Refusal(
                Reason.BAD_INDEX,
                f"{other.archive} and {path.name} are both {entry.pack_id} {entry.version}: "
                "keep one",
            )
        if other is None or version_key(entry.version) > version_key(other.version):
            newest[entry.pack_id] = entry
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    index = Index(now, public_id(key), tuple(newest[pid] for pid in sorted(newest)))
    part = index.signed_part()
    doc = {
        "index": part,
        "key_id": index.key_id,
        "signature": base64.b64encode(key.sign(canonical_json(part))).decode(),
    }
    write_atomic(folder / INDEX_NAME, json.dumps(doc, indent=2, ensure_ascii=False).encode())
    return index


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_index(data: bytes, trust: TrustStore, what: str, limits: Limits = DEFAULT_LIMITS) -> Index:
    """The index, once its signature by a trusted key is checked."""
    try:
        doc = json.loads(data)
        part, key_id = doc["index"], doc["key_id"]
        signature = base64.b64decode(doc["signature"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error, RecursionError):
        raise _bad(what, "it is not a signed AgentDesk index") from None
    if not isinstance(key_id, str) or not isinstance(part, dict):
        raise _bad(what, "it is not a signed AgentDesk index")
    if "signature" not in doc or not signature:
        raise Refusal(Reason.MISSING_SIGNATURE, f"{what}: the index is not signed")
    trust.verify(key_id, signature, canonical_json(part), what)
    if part.get("format") != INDEX_FORMAT:
        raise Refusal(
            Reason.UNSUPPORTED_FORMAT,
            f"{what}: index format {part.get('format')!r}; this AgentDesk reads {INDEX_FORMAT}",
        )
    try:
        created = parse_time(part["created"])
        packs = tuple(_entry(item, limits) for item in part["packs"])
    except (ValueError, KeyError, TypeError):
        raise _bad(what, "an entry is malformed") from None
    if len({p.pack_id for p in packs}) != len(packs):
        raise _bad(what, "it lists a pack twice")
    return Index(created, key_id, packs)


def _entry(item: Any, limits: Limits) -> IndexEntry:
    entry = IndexEntry(item["id"], item["version"], item["archive"], item["size"], item["sha256"])
    if not (
        isinstance(entry.pack_id, str)
        and PACK_ID_RE.match(entry.pack_id)
        and isinstance(entry.version, str)
        and VERSION_RE.match(entry.version)
        and isinstance(entry.archive, str)
        and _ARCHIVE_NAME.match(entry.archive)
        and type(entry.size) is int
        and 0 < entry.size <= limits.max_archive_bytes
        and isinstance(entry.sha256, str)
        and SHA256_RE.match(entry.sha256)
    ):
        raise ValueError(entry)
    return entry


def _bad(what: str, why: str) -> Refusal:
    return Refusal(Reason.BAD_INDEX, f"{what}: {why}")


# -- sources ---------------------------------------------------------------------------


class Offline(Exception):
    """The channel cannot be reached now: not an error, try again later."""


class Source:
    """Where an update channel is: a folder or an http(s) address."""

    def __init__(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.text = text
        self.timeout = timeout
        scheme = urllib.parse.urlsplit(text).scheme.lower()
        self.url: str | None = None
        self.folder: Path | None = None
        if scheme in ("http", "https"):
            base = text if text.endswith((".json", "/")) else text + "/"
            self.url = base if base.endswith(".json") else base + INDEX_NAME
        elif scheme == "file":
            self.folder = Path(urllib.request.url2pathname(urllib.parse.urlsplit(text).path))
        elif scheme and len(scheme) > 1:  # one letter: a Windows drive
            raise ValueError(f"'{text}': an update source is a folder or an http(s) address")
        else:
            self.folder = Path(text)
        if self.folder is not None and self.folder.name == INDEX_NAME:
            self.folder = self.folder.parent

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        """``index.json`` or an archive named by the index. Raises :class:`Offline`."""
        if self.folder is not None:
            if not self.folder.is_dir():
                raise Offline(f"the folder {self.folder} is not available")
            try:
                f = (self.folder / name).open("rb")
            except FileNotFoundError:
                raise Refusal(Reason.DOWNLOAD_FAILED, f"{self.folder} has no {name}") from None
            except OSError as exc:
                raise Offline(f"cannot read {self.folder / name}: {exc.strerror}") from None
            with f:
                yield f
            return
        assert self.url is not None
        url = urllib.parse.urljoin(self.url, urllib.parse.quote(name))
        request = urllib.request.Request(url, headers={"User-Agent": "AgentDesk"})
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the connection
            raise Refusal(
                Reason.DOWNLOAD_FAILED, f"{url}: the server answered {exc.code} {exc.reason}"
            ) from None
        except (urllib.error.URLError, OSError, HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise Offline(f"cannot reach {url}: {reason}") from None
        with response:
            yield response


def _read(source: IO[bytes], name: str, limit: int) -> Iterator[bytes]:
    count = 0
    while True:
        try:
            chunk = source.read(CHUNK)
        except (OSError, HTTPException) as exc:
            raise Offline(f"the transfer of {name} broke off: {exc}") from None
        if not chunk:
            return
        count += len(chunk)
        if count > limit:
            raise Refusal(
                Reason.TOO_MANY_BYTES, f"{name} is larger than the {limit} bytes expected"
            )
        yield chunk


# -- updating --------------------------------------------------------------------------


class UpdateItem(NamedTuple):
    pack_id: str
    offered: str | None  # the version in the channel
    status: UpdateStatus
    installed_before: str | None
    message: str
    changes: PackChanges | None = None
    reason: str | None = None  # the refusal's reason code

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack_id,
            "offered": self.offered,
            "status": self.status,
            "installed_before": self.installed_before,
            "message": self.message,
            "reason": self.reason,
            "changes": self.changes.to_json() if self.changes else None,
        }


class UpdateReport(NamedTuple):
    source: str
    offline: bool
    message: str  # why offline, or a summary
    items: tuple[UpdateItem, ...]

    @property
    def failed(self) -> bool:
        return any(item.status in ("refused", "absent") for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "offline": self.offline,
            "message": self.message,
            "items": [item.to_json() for item in self.items],
        }


def update(
    source: str,
    paths: Paths,
    trust: TrustStore,
    *,
    only: Collection[str] = (),
    progress: UpdateProgress | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    now: datetime | None = None,
    app_version: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> UpdateReport:
    """Install every pack of the channel (or of ``only``) newer than the installed one.

    Raises :class:`Refusal` if the index itself is refused, ``ValueError`` for a source that
    is neither a folder nor an http(s) address. A pack refused does not stop the others.
    """
    channel = Source(source, timeout)
    try:
        with channel.open(INDEX_NAME) as f:
            data = b"".join(_read(f, INDEX_NAME, limits.max_manifest_bytes))
    except Offline as exc:
        return UpdateReport(source, True, str(exc), ())
    index = read_index(data, trust, f"{source} ({INDEX_NAME})", limits)
    items: list[UpdateItem] = []
    offered = {entry.pack_id: entry for entry in index.packs}
    for pack_id in sorted(set(only) - offered.keys()):
        items.append(UpdateItem(pack_id, None, "absent", None, f"{pack_id}: not in this channel"))
    downloads = paths.cache / "downloads"
    _clean_downloads(downloads)
    for entry in index.packs:
        if only and entry.pack_id not in only:
            continue
        try:
            items.append(
                _update_one(
                    channel, entry, paths, trust, downloads, progress, now, app_version, limits
                )
            )
        except Offline as exc:
            return UpdateReport(source, True, str(exc), tuple(items))
    done = sum(item.status == "installed" for item in items)
    return UpdateReport(source, False, f"{done} pack(s) installed", tuple(items))


def _update_one(
    channel: Source,
    entry: IndexEntry,
    paths: Paths,
    trust: TrustStore,
    downloads: Path,
    progress: UpdateProgress | None,
    now: datetime | None,
    app_version: str | None,
    limits: Limits,
) -> UpdateItem:
    pid, version = entry.pack_id, entry.version
    current = installed_pack(paths, pid)
    before = current.version if current else None
    if current is not None and version_key(version) <= version_key(current.version):
        return UpdateItem(pid, version, "current", before, f"{pid} {before}: already current")
    if current and current.held_back and version_key(version) <= version_key(current.held_back):
        return UpdateItem(
            pid,
            version,
            "held",
            before,
            f"{pid} {version}: held back ({pid} was rolled back from {current.held_back}); "
            "install the archive by hand to take it",
        )
    downloads.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=downloads, prefix=f"{pid}-", suffix=".part")
    tmp = Path(name)
    try:
        digest = hashlib.sha256()
        count = 0
        with os.fdopen(fd, "wb") as out, channel.open(entry.archive) as src:
            for chunk in _read(src, entry.archive, entry.size):
                digest.update(chunk)
                out.write(chunk)
                count += len(chunk)
                if progress:
                    progress(pid, "download", count, entry.size)
        if count != entry.size or digest.hexdigest() != entry.sha256:
            raise Refusal(
                Reason.HASH_MISMATCH,
                f"{entry.archive}: the download does not match the size and SHA-256 in the "
                "signed index",
            )

        def installing(done: int, total: int) -> None:
            if progress:
                progress(pid, "install", done, total)

        result = install(
            tmp,
            paths,
            trust,
            progress=installing,
            now=now,
            app_version=app_version,
            limits=limits,
        )
    except Refusal as exc:
        return UpdateItem(pid, version, "refused", before, str(exc), None, str(exc.reason))
    finally:
        tmp.unlink(missing_ok=True)
    what = f"{pid} {before} -> {version}" if before else f"{pid} {version}"
    return UpdateItem(pid, version, "installed", before, f"{what}: installed", result.changes)


def _clean_downloads(folder: Path) -> None:
    """Remove what killed updates left; a day old, so a running update is never touched."""
    if not folder.is_dir():
        return
    for path in folder.glob("*.part"):
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > _STALE_DOWNLOAD:
                path.unlink()
