"""Every check a pack archive must pass, and the streaming extraction that finishes them.

The order goes from what needs no trust to what does: the zip's own structure (names, entry
kinds, counts, declared sizes), then the signature, then what the signed manifest says
(format, expiry, app version, rollback), then the entries against the manifest, and last
the content itself, read in chunks with every byte counted and hashed. Declared sizes are
only a first filter: the limits are enforced on the bytes actually read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

import agentdesk
from agentdesk.core.ids import version_key
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.limits import DEFAULT_LIMITS, Limits
from agentdesk.core.shipping.manifest import (
    FILES_PREFIX,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    ArchiveManifest,
    format_time,
    parse_manifest,
    signer_of,
)
from agentdesk.core.shipping.names import check_name, check_unique, looks_like_archive
from agentdesk.core.shipping.refusals import Reason, Refusal

Progress = Callable[[int, int], None]
CHUNK = 64 * 1024
_ENCRYPTED = 0x1
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_BINARY = getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class PackArchive:
    """An open ``.adpack`` whose structure passed; use as a context manager.

    >>> with PackArchive(path) as archive:
    ...     manifest = archive.read_manifest(trust)
    ...     check_manifest(manifest, installed_version=None)
    ...     archive.extract(manifest, dest)
    """

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.what = path.name
        self.limits = limits
        self.signature = b""
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise Refusal(
                Reason.NOT_AN_ARCHIVE, f"{self.what}: cannot read it: {exc.strerror or exc}"
            ) from None
        if size > limits.max_archive_bytes:
            raise Refusal(
                Reason.TOO_MANY_BYTES,
                f"{self.what}: the archive is {size} bytes, over the limit of "
                f"{limits.max_archive_bytes}",
            )
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise Refusal(
                Reason.NOT_AN_ARCHIVE, f"{self.what}: it is not a pack archive (not a zip file)"
            ) from None
        try:
            self.entries = self._check_structure()
        except BaseException:
            self.zip.close()
            raise

    def __enter__(self) -> PackArchive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.zip.close()

    # -- 1. structure: nothing here needs trust ---------------------------------------

    def _check_structure(self) -> dict[str, zipfile.ZipInfo]:
        limits, what = self.limits, self.what
        infos = self.zip.infolist()
        if len(infos) > limits.max_files + 2:
            raise Refusal(
                Reason.TOO_MANY_FILES,
                f"{what}: it holds {len(infos)} entries, over the limit of "
                f"{limits.max_files} files",
            )
        # orig_filename: zipfile cuts names at a NUL byte (and turns backslashes into '/' on
        # Windows), which would hide exactly what these checks look for.
        for info in infos:
            check_name(info.orig_filename.removesuffix("/"), what)
        check_unique((info.orig_filename for info in infos), what)
        declared = 0
        for info in infos:
            name = info.filename
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise Refusal(Reason.SYMLINK, f"{what}: the entry '{name}' is a symbolic link")
            if info.flag_bits & _ENCRYPTED:
                raise Refusal(Reason.ENCRYPTED, f"{what}: the entry '{name}' is encrypted")
            if info.compress_type not in _METHODS:
                raise Refusal(
                    Reason.NOT_AN_ARCHIVE,
                    f"{what}: the entry '{name}' uses compression method "
                    f"{info.compress_type}, which pack archives never use",
                )
            if looks_like_archive(name):
                raise Refusal(
                    Reason.NESTED_ARCHIVE, f"{what}: the entry '{name}' is itself an archive"
                )
            if info.file_size > limits.max_file_bytes:
                raise Refusal(
                    Reason.TOO_MANY_BYTES,
                    f"{what}: the entry '{name}' would unpack to {info.file_size} bytes, "
                    f"over the limit of {limits.max_file_bytes} per file",
                )
            self._check_ratio(name, info.file_size, info.compress_size)
            declared += info.file_size
        if declared > limits.max_total_bytes:
            raise Refusal(
                Reason.TOO_MANY_BYTES,
                f"{what}: it would unpack to {declared} bytes, over the limit of "
                f"{limits.max_total_bytes}",
            )
        return {info.filename: info for info in infos}

    def _check_ratio(self, name: str, size: int, compressed: int) -> None:
        limits = self.limits
        if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(compressed, 1):
            raise Refusal(
                Reason.COMPRESSION_RATIO,
                f"{self.what}: the entry '{name}' unpacks to {size} bytes from {compressed}: "
                f"a compression ratio over {limits.max_ratio} (a zip bomb)",
            )

    # -- 2. signature ------------------------------------------------------------------

    def read_manifest(self, trust: TrustStore) -> ArchiveManifest:
        """The manifest, once its signature by a trusted key is checked."""
        what = self.what
        if MANIFEST_NAME not in self.entries:
            raise Refusal(
                Reason.BAD_MANIFEST, f"{what}: it has no {MANIFEST_NAME}: not a pack archive"
            )
        if SIGNATURE_NAME not in self.entries:
            raise Refusal(Reason.MISSING_SIGNATURE, f"{what}: it is not signed (no signature)")
        data = self.read_entry(MANIFEST_NAME)
        encoded = self.read_entry(SIGNATURE_NAME)
        try:
            signature = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise Refusal(
                Reason.BAD_SIGNATURE, f"{what}: the signature is not valid base64"
            ) from None
        trust.verify(signer_of(data, what), signature, data, what)
        manifest = parse_manifest(data, what)
        self.signature = signature
        return manifest

    def read_entry(self, name: str) -> bytes:
        info = self.entries[name]
        limit = self.limits.max_manifest_bytes
        if info.file_size > limit:
            raise Refusal(
                Reason.TOO_MANY_BYTES,
                f"{self.what}: {name} is {info.file_size} bytes, over the limit of {limit}",
            )
        try:
            with self.zip.open(info) as f:
                data = f.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
            raise Refusal(Reason.CORRUPT, f"{self.what}: the entry '{name}' is damaged") from None
        if len(data) > limit:
            raise Refusal(Reason.TOO_MANY_BYTES, f"{self.what}: {name} is too large")
        return data

    # -- 4. entries against the manifest, 5. content --------------------------------

    def check_entries(self, manifest: ArchiveManifest) -> None:
        what = self.what
        expected = {FILES_PREFIX + f.path: f for f in manifest.files}
        for name in self.entries:
            if name not in expected and name not in (MANIFEST_NAME, SIGNATURE_NAME):
                raise Refusal(
                    Reason.NOT_IN_MANIFEST,
                    f"{what}: the entry '{name}' is not in the signed manifest",
                )
        for name, entry in expected.items():
            info = self.entries.get(name)
            if info is None:
                raise Refusal(
                    Reason.MISSING_FILE,
                    f"{what}: '{entry.path}' is in the manifest but missing from the archive",
                )
            if info.file_size != entry.size:
                raise Refusal(
                    Reason.SIZE_MISMATCH,
                    f"{what}: '{entry.path}' is {info.file_size} bytes in the archive but "
                    f"{entry.size} in the signed manifest",
                )

    def extract(
        self, manifest: ArchiveManifest, dest: Path | None, progress: Progress | None = None
    ) -> int:
        """Read every file, counting and hashing; write them under ``dest`` unless None.

        ``dest`` must be a new, empty folder. Returns the bytes read. ``progress(done,
        total)`` is called as bytes come in; an exception it raises stops the extraction.
        """
        self.check_entries(manifest)
        total = manifest.total_bytes
        done = 0
        if progress:
            progress(0, total)
        for entry in manifest.files:
            name = FILES_PREFIX + entry.path
            info = self.entries[name]
            target = None if dest is None else dest / entry.path
            digest = hashlib.sha256()
            count = 0
            with _open_member(self, info) as src, _NewFile(target) as out:
                while chunk := _read_chunk(self, src, name):
                    if count == 0 and looks_like_archive("", chunk):
                        raise Refusal(
                            Reason.NESTED_ARCHIVE,
                            f"{self.what}: the entry '{name}' holds an archive",
                        )
                    count += len(chunk)
                    done += len(chunk)
                    if count > entry.size:
                        raise Refusal(
                            Reason.SIZE_MISMATCH,
                            f"{self.what}: '{entry.path}' holds more bytes than the signed "
                            f"manifest says ({entry.size})",
                        )
                    if done > self.limits.max_total_bytes:
                        raise Refusal(
                            Reason.TOO_MANY_BYTES,
                            f"{self.what}: it unpacks to more than "
                            f"{self.limits.max_total_bytes} bytes",
                        )
                    self._check_ratio(name, count, info.compress_size)
                    digest.update(chunk)
                    if out is not None:
                        out.write(chunk)
                    if progress:
                        progress(done, total)
                if out is not None:
                    out.flush()
                    os.fsync(out.fileno())
            if count != entry.size:
                raise Refusal(
                    Reason.SIZE_MISMATCH,
                    f"{self.what}: '{entry.path}' is {count} bytes, but {entry.size} in the "
                    "signed manifest",
                )
            if digest.hexdigest() != entry.sha256:
                raise Refusal(
                    Reason.HASH_MISMATCH,
                    f"{self.what}: '{entry.path}' does not match the SHA-256 in the signed "
                    "manifest: it was changed after signing",
                )
        return done


def _open_member(archive: PackArchive, info: zipfile.ZipInfo) -> IO[bytes]:
    try:
        return archive.zip.open(info)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
        raise Refusal(
            Reason.CORRUPT, f"{archive.what}: the entry '{info.filename}' is damaged"
        ) from None


def _read_chunk(archive: PackArchive, src: IO[bytes], name: str) -> bytes:
    try:
        return src.read(CHUNK)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise Refusal(
            Reason.CORRUPT,
            f"{archive.what}: the entry '{name}' is damaged (its data does not match its checksum)",
        ) from None


class _NewFile:
    """A new file opened for writing (never an existing file, never through a link)."""

    def __init__(self, target: Path | None) -> None:
        self.target = target
        self.file: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes] | None:
        if self.target is None:
            return None
        self.target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | _NOFOLLOW
        self.file = os.fdopen(os.open(self.target, flags, 0o644), "wb")
        return self.file

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()


def check_manifest(
    manifest: ArchiveManifest,
    installed_version: str | None,
    *,
    what: str = "the archive",
    now: datetime | None = None,
    app_version: str | None = None,
) -> None:
    """What the signed manifest itself must satisfy on this desk, today."""
    now = now or datetime.now(UTC)
    app_version = app_version or agentdesk.__version__
    if now > manifest.expires:
        raise Refusal(
            Reason.EXPIRED,
            f"{what}: {manifest.pack_id} {manifest.version} expired on "
            f"{format_time(manifest.expires)}; ask for a fresh build",
        )
    if version_key(manifest.min_app_version) > version_key(app_version):
        raise Refusal(
            Reason.APP_TOO_OLD,
            f"{what}: {manifest.pack_id} {manifest.version} needs AgentDesk "
            f"{manifest.min_app_version} or newer; this is {app_version}",
        )
    if installed_version is None:
        return
    if version_key(manifest.version) <= version_key(installed_version):
        raise Refusal(
            Reason.ROLLBACK,
            f"{what}: {manifest.pack_id} {manifest.version} is not newer than the installed "
            f"version {installed_version}",
        )


def verify_archive(
    path: Path,
    trust: TrustStore,
    installed: Callable[[str], str | None] | None = None,
    *,
    now: datetime | None = None,
    app_version: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> ArchiveManifest:
    """Run every check, reading every byte, writing nothing. Raises :class:`Refusal`.

    ``installed(pack_id)`` is the version of that pack installed on this desk, or None; it
    is asked once the signed manifest names the pack.
    """
    with PackArchive(path, limits) as archive:
        manifest = archive.read_manifest(trust)
        version = installed(manifest.pack_id) if installed else None
        check_manifest(manifest, version, what=archive.what, now=now, app_version=app_version)
        archive.extract(manifest, None, progress)
    return manifest
