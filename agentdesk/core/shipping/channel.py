"""Desks update from a channel through The Update Framework's client, ``tuf.ngclient``.

A channel is a folder published by :mod:`.publish`, served by any static web server or read
from a shared folder. :func:`update` asks ngclient to refresh the channel's metadata (root,
timestamp, snapshot, targets, in that order, each signed by enough of the keys the root
names for it), which is how freeze, rollback, fast-forward, mix-and-match and endless-data
attacks are refused; :class:`.fetcher.ChannelFetcher` adds one deadline for the whole update
(slow retrieval). Then, for each pack the channel lists, the archive TUF verified (length and
SHA-256) goes through every check of :func:`.install.install`, with the keys of the role
that lists the pack.

The channel decides which version a desk runs: a desk installs the version listed, newer or
older (a release taken back), except the one it was rolled back from by hand. Being offline
is a normal state: :func:`update` reports it and changes nothing. On any failure the packs
in use stay as they are.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Collection
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

from tuf.api import exceptions as tuf_errors
from tuf.api.metadata import Root, Snapshot, Targets
from tuf.ngclient import Updater, UpdaterConfig

from agentdesk.core.ids import version_key
from agentdesk.core.packs.installed import locked
from agentdesk.core.paths import Paths
from agentdesk.core.shipping.changes import PackChanges
from agentdesk.core.shipping.desk_trust import (
    ENDORSED_ROOT,
    ENDORSEMENT,
    MAX_ENDORSEMENT_BYTES,
    archive_keys,
    check_endorsement,
    has_root,
    metadata_dir,
    read_trusted,
)
from agentdesk.core.shipping.fetcher import (
    DEFAULT_DEADLINE,
    ChannelFetcher,
    ChannelOffline,
    Deadline,
    Source,
)
from agentdesk.core.shipping.install import install, installed_pack
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.limits import DEFAULT_LIMITS, Limits
from agentdesk.core.shipping.manifest import ARCHIVE_SUFFIX, PACK_ID_RE, VERSION_RE
from agentdesk.core.shipping.refusals import Reason, Refusal

UpdateStatus = Literal["installed", "current", "held", "refused", "absent"]
#: ``progress(pack_id, phase, done, total)``, phase "download" or "install"; bytes.
UpdateProgress = Callable[[str, str, int, int], None]
#: Kept compatible with the limits of archives: metadata larger than this is refused.
_CONFIG = UpdaterConfig(max_root_rotations=64, root_max_length=512 * 1024)
_PACK_TARGET = re.compile(rf"^(.+){re.escape(ARCHIVE_SUFFIX)}$")


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
    bytes_received: int = 0

    @property
    def failed(self) -> bool:
        return any(item.status in ("refused", "absent") for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "offline": self.offline,
            "message": self.message,
            "items": [item.to_json() for item in self.items],
            "bytes_received": self.bytes_received,
        }


class _Offer(NamedTuple):
    pack_id: str
    path: str  # the target path
    trust: TrustStore  # the keys that may sign its archive


def update(
    source: str,
    paths: Paths,
    trust: TrustStore,
    *,
    only: Collection[str] = (),
    progress: UpdateProgress | None = None,
    timeout: float = DEFAULT_DEADLINE,
    now: datetime | None = None,
    app_version: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> UpdateReport:
    """Bring every pack of the channel (or of ``only``) to the version the channel lists.

    ``trust`` (the desk's trusted ``.pub`` keys) is used once, to adopt the channel's root
    when the desk has none yet (see :mod:`.desk_trust`). ``timeout``: seconds the whole
    update may take. Raises :class:`Refusal` when the channel's metadata is refused,
    ``ValueError`` for a source that is neither a folder nor an http(s) address. A pack
    refused does not stop the others.
    """
    where = Source.parse(source)
    fetcher = ChannelFetcher(where, Deadline(timeout))
    paths.channel.mkdir(parents=True, exist_ok=True)
    try:
        with locked(paths.channel):  # one update at a time: ngclient's cache is not shared
            return _update(where, fetcher, paths, trust, only, progress, now, app_version, limits)
    except ChannelOffline as exc:
        return UpdateReport(source, True, str(exc), (), fetcher.received)
    finally:
        fetcher.close()


def _update(
    where: Source,
    fetcher: ChannelFetcher,
    paths: Paths,
    trust: TrustStore,
    only: Collection[str],
    progress: UpdateProgress | None,
    now: datetime | None,
    app_version: str | None,
    limits: Limits,
) -> UpdateReport:
    folder = metadata_dir(paths.channel)
    for leftover in folder.glob("tmp*"):  # a file ngclient was writing when killed
        leftover.unlink(missing_ok=True)
    bootstrap = None if has_root(paths.channel) else _adopt_root(where, fetcher, trust)
    try:
        updater = Updater(
            str(folder),
            where.metadata_url,
            target_base_url=where.targets_url,
            fetcher=fetcher,
            config=_CONFIG,
            bootstrap=bootstrap,
        )
        updater.refresh()
        offers = _offers(paths.channel)
    except (tuf_errors.RepositoryError, tuf_errors.DownloadError) as exc:
        if isinstance(exc, ChannelOffline):
            raise
        raise _refusal(exc, f"{where.text}: the channel's metadata") from None
    items: list[UpdateItem] = []
    for pack_id in sorted(set(only) - offers.keys()):
        items.append(UpdateItem(pack_id, None, "absent", None, f"{pack_id}: not in this channel"))
    downloads = paths.cache / "downloads"
    for leftover in downloads.glob("*.part"):  # only a killed update leaves any
        leftover.unlink(missing_ok=True)
    for pack_id, offer in sorted(offers.items()):
        if only and pack_id not in only:
            continue
        job = _PackJob(updater, fetcher, offer, paths, downloads, progress)
        item = job.run(now, app_version, limits)
        if item is not None:
            items.append(item)
    done = sum(item.status == "installed" for item in items)
    summary = f"{done} pack(s) installed"
    return UpdateReport(where.text, False, summary, tuple(items), fetcher.received)


def _adopt_root(where: Source, fetcher: ChannelFetcher, trust: TrustStore) -> bytes:
    """The channel's first root, endorsed by a key this pre-TUF desk trusts (migration)."""
    what = f"{where.text} ({ENDORSEMENT})"
    try:
        endorsement = fetcher.download_bytes(
            where.metadata_url + ENDORSEMENT, MAX_ENDORSEMENT_BYTES
        )
        root = fetcher.download_bytes(where.metadata_url + ENDORSED_ROOT, _CONFIG.root_max_length)
    except tuf_errors.DownloadHTTPError:
        raise Refusal(
            Reason.NO_TRUSTED_ROOT,
            f"this desk trusts no channel root yet and {where.text} offers none endorsed by "
            "a key it trusts: ask IT to run agentdesk pack trust-root with the channel's "
            "root.json",
        ) from None
    except tuf_errors.DownloadError as exc:
        if isinstance(exc, ChannelOffline):
            raise
        raise _refusal(exc, what) from None
    check_endorsement(endorsement, root, trust, what)
    return root


def _offers(channel: Path) -> dict[str, _Offer]:
    """The packs the channel lists, from the metadata ngclient has just verified.

    A pack delegated to a role that has published nothing yet is not offered.
    """
    root = read_trusted(channel, Root.type).signed
    targets = read_trusted(channel, Targets.type).signed
    snapshot = read_trusted(channel, Snapshot.type).signed
    paths = list(targets.targets)
    delegations = targets.delegations
    for name, role in (delegations.roles or {}).items() if delegations else ():
        if f"{name}.json" in snapshot.meta:
            paths += role.paths or []
    offers: dict[str, _Offer] = {}
    for path in paths:
        match = _PACK_TARGET.match(path)
        if match and PACK_ID_RE.match(match[1]) and match[1] not in offers:
            offers[match[1]] = _Offer(match[1], path, archive_keys(root, targets, path))
    return offers


class _PackJob:
    """Bring one pack to the version the channel lists."""

    def __init__(
        self,
        updater: Updater,
        fetcher: ChannelFetcher,
        offer: _Offer,
        paths: Paths,
        downloads: Path,
        progress: UpdateProgress | None,
    ) -> None:
        self.updater = updater
        self.fetcher = fetcher
        self.offer = offer
        self.paths = paths
        self.downloads = downloads
        self.progress = progress

    def run(
        self, now: datetime | None, app_version: str | None, limits: Limits
    ) -> UpdateItem | None:
        pid = self.offer.pack_id
        current = installed_pack(self.paths, pid)
        before = current.version if current else None
        what = f"{pid} ({self.offer.path})"
        try:
            info = self.updater.get_targetinfo(self.offer.path)
        except (tuf_errors.RepositoryError, tuf_errors.DownloadError) as exc:
            if isinstance(exc, ChannelOffline):
                raise
            refused = _refusal(exc, f"{what}: its role's metadata")
            return UpdateItem(pid, None, "refused", before, str(refused), None, refused.reason)
        if info is None:  # its role has not listed it yet
            return None
        version = (info.custom or {}).get("version") if isinstance(info.custom, dict) else None
        if not isinstance(version, str) or not VERSION_RE.match(version):
            message = f"{what}: the channel gives no valid version for it [{Reason.BAD_INDEX}]"
            return UpdateItem(pid, None, "refused", before, message, None, str(Reason.BAD_INDEX))
        if current is not None and version_key(version) == version_key(current.version):
            return UpdateItem(pid, version, "current", before, f"{pid} {before}: already current")
        if current and current.held_back and version_key(version) == version_key(current.held_back):
            return UpdateItem(
                pid,
                version,
                "held",
                before,
                f"{pid} {version}: held back ({pid} was rolled back from {current.held_back}); "
                "install the archive by hand to take it",
            )
        try:
            changes = self._download_and_install(info, version, now, app_version, limits)
        except (tuf_errors.RepositoryError, tuf_errors.DownloadError) as exc:
            if isinstance(exc, ChannelOffline):
                raise
            refused = _refusal(exc, f"{what}: the archive")
            return UpdateItem(pid, version, "refused", before, str(refused), None, refused.reason)
        except Refusal as exc:
            return UpdateItem(pid, version, "refused", before, str(exc), None, str(exc.reason))
        move = f"{pid} {before} -> {version}" if before else f"{pid} {version}"
        return UpdateItem(pid, version, "installed", before, f"{move}: installed", changes)

    def _download_and_install(
        self,
        info: Any,
        version: str,
        now: datetime | None,
        app_version: str | None,
        limits: Limits,
    ) -> PackChanges:
        pid, progress = self.offer.pack_id, self.progress
        self.downloads.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.downloads, prefix=f"{pid}-", suffix=".part")
        os.close(fd)  # ngclient writes the verified bytes to it by name
        tmp = Path(name)
        done = 0

        def downloaded(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(pid, "download", done, info.length)

        def installing(count: int, total: int) -> None:
            if progress:
                progress(pid, "install", count, total)

        try:
            if info.length > limits.max_archive_bytes:
                raise Refusal(
                    Reason.TOO_MANY_BYTES,
                    f"{self.offer.path}: the channel lists {info.length} bytes, over the limit "
                    f"of {limits.max_archive_bytes}",
                )
            self.fetcher.on_bytes = downloaded
            try:
                self.updater.download_target(info, filepath=str(tmp))
            finally:
                self.fetcher.on_bytes = None
            result = install(
                tmp,
                self.paths,
                self.offer.trust,
                progress=installing,
                now=now,
                app_version=app_version,
                limits=limits,
                expect=(pid, version),
            )
        finally:
            tmp.unlink(missing_ok=True)
        return result.changes


_ROLLBACK = re.compile(r"^New \w+ version|^Expected [\w./-]+\.json version")


def _refusal(exc: Exception, what: str) -> Refusal:
    """What ngclient or the fetcher refused, as a refusal with a reason code."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, tuf_errors.ExpiredMetadataError):
        return Refusal(
            Reason.CHANNEL_EXPIRED,
            f"{what}: {text}: nobody has re-signed it in time (the publisher must run "
            "agentdesk pack timestamp), or this computer's clock is wrong",
        )
    if isinstance(exc, tuf_errors.BadVersionNumberError):
        if _ROLLBACK.match(text):
            return Refusal(
                Reason.CHANNEL_ROLLBACK,
                f"{what}: {text}: the source is older than what this desk has already seen "
                "(an old copy of the channel, or an attack)",
            )
        return Refusal(
            Reason.CHANNEL_MISMATCH,
            f"{what}: {text}: its files are from different publications",
        )
    if isinstance(exc, tuf_errors.UnsignedMetadataError):
        return Refusal(
            Reason.UNTRUSTED_METADATA,
            f"{what}: {text}: not signed by enough of the keys the channel's root names",
        )
    if isinstance(exc, tuf_errors.LengthOrHashMismatchError):
        reason = Reason.HASH_MISMATCH if "archive" in what else Reason.CHANNEL_MISMATCH
        return Refusal(reason, f"{what}: {text}: it is not what the signed metadata lists")
    if isinstance(exc, tuf_errors.DownloadLengthMismatchError):
        return Refusal(Reason.TOO_MANY_BYTES, f"{what}: {text}: more bytes than expected")
    if isinstance(exc, tuf_errors.SlowRetrievalError):
        return Refusal(Reason.TOO_SLOW, f"{what}: {text}")
    if isinstance(exc, tuf_errors.DownloadHTTPError):
        hint = ""
        if exc.status_code == 404 and "archive" not in what:
            hint = ": is it a channel published with agentdesk pack publish?"
        return Refusal(Reason.DOWNLOAD_FAILED, f"{what}: {text}{hint}")
    if isinstance(exc, tuf_errors.DownloadError):
        cause = exc.__cause__
        return Refusal(Reason.DOWNLOAD_FAILED, f"{what}: {text}{f' ({cause})' if cause else ''}")
    return Refusal(Reason.BAD_INDEX, f"{what}: {text}")
