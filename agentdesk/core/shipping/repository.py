"""An update channel as a TUF repository in a folder: reading, signing and writing it.

::

    <channel>/
        metadata/
            1.root.json 2.root.json ...   every root ever signed: desks walk from theirs
            root.json                     the newest root, to hand to IT (pack trust-root)
            timestamp.json                the only file without a version in its name
            <n>.snapshot.json  <n>.targets.json  <n>.<role>.json
            root-endorsement.json         the first root, signed by a pre-TUF key (migration)
        targets/
            <sha256>.<pack id>.adpack     each archive under its hash: never overwritten

Every file but ``timestamp.json`` is written once under a name that includes its version or
hash (TUF's *consistent snapshots*), so a desk reading while a trainer publishes always sees
one complete publication. A change is staged in memory and signed first; only when every
role it touches has enough signatures are the files written: archives, then targets
metadata, snapshot, root, and ``timestamp.json`` last.

This is the repository side of :mod:`tuf.repository`; :mod:`.publish` holds the operations
trainers run (create, publish, delegate, rotate keys, refresh the timestamp).
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from securesystemslib.signer import CryptoSigner, Key, SSlibKey
from tuf.api.exceptions import RepositoryError
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    RootVerificationResult,
    Signed,
    Snapshot,
    Targets,
    Timestamp,
    VerificationResult,
)
from tuf.api.serialization.json import JSONSerializer
from tuf.repository import Repository

from agentdesk.core.files import fsync_path, replace_durably, write_atomic
from agentdesk.core.shipping.fetcher import METADATA_DIR, TARGETS_DIR
from agentdesk.core.shipping.keys import key_id
from agentdesk.core.shipping.manifest import ARCHIVE_SUFFIX

TOP_ROLES = (Root.type, Targets.type, Snapshot.type, Timestamp.type)
#: How long a role's metadata stays valid once signed, unless told otherwise. Delegated
#: roles live as long as targets. Desks refuse expired metadata (a frozen channel).
LIFETIMES: dict[str, timedelta] = {
    Root.type: timedelta(days=365),
    Targets.type: timedelta(days=90),
    Snapshot.type: timedelta(days=7),
    Timestamp.type: timedelta(days=1),
}
ROLE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_SIGNED: dict[str, Callable[[], Signed]] = {
    Root.type: Root,
    Targets.type: Targets,
    Snapshot.type: Snapshot,
    Timestamp.type: Timestamp,
}
_PRETTY = JSONSerializer(compact=False)


class ChannelError(Exception):
    """The channel cannot be read or changed as asked; the message says why and what to do."""


def tuf_key(public: Ed25519PublicKey) -> Key:
    return SSlibKey.from_crypto(public)


def public_of(key: Key) -> Ed25519PublicKey | None:
    """The Ed25519 key behind a TUF key (None for other kinds, which AgentDesk never makes)."""
    if key.keytype != "ed25519" or not isinstance(key.keyval.get("public"), str):
        return None
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(key.keyval["public"]))
    except ValueError:
        return None


def short_id(key: Key) -> str:
    """A TUF key by the 16-digit id AgentDesk shows for keys everywhere else."""
    public = public_of(key)
    return key_id(public) if public is not None else key.keyid[:16]


def pack_path(pack_id: str) -> str:
    """The target path of a pack: one per pack; its metadata names the current archive."""
    return f"{pack_id}{ARCHIVE_SUFFIX}"


def lifetime(role: str, lifetimes: Mapping[str, timedelta]) -> timedelta:
    return lifetimes.get(role) or lifetimes.get(Targets.type) or LIFETIMES[Targets.type]


class ChannelRepository(Repository):
    """The metadata of one channel folder, with the private keys at hand to sign it.

    ``open``/``close`` are what :class:`tuf.repository.Repository` needs; changes made with
    its ``edit_*`` helpers are staged until :meth:`commit`.
    """

    def __init__(
        self,
        folder: Path,
        keys: Iterable[Ed25519PrivateKey] = (),
        *,
        lifetimes: Mapping[str, timedelta] | None = None,
        now: datetime | None = None,
    ) -> None:
        self.folder = folder
        self.signers = {s.public_key.keyid: s for s in (CryptoSigner(k) for k in keys)}
        self.lifetimes = {**LIFETIMES, **(lifetimes or {})}
        self.now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        self._current: dict[str, Metadata[Any]] = {}
        self._staged: dict[str, bytes] = {}  # file name in metadata/ -> content
        self._archives: dict[str, Path] = {}  # file name in targets/ -> archive to copy
        self._snapshot_info = MetaFile(1)
        self._targets_infos: dict[str, MetaFile] = {}
        self._load()

    # -- reading ----------------------------------------------------------------------

    @property
    def metadata_dir(self) -> Path:
        return self.folder / METADATA_DIR

    @property
    def exists(self) -> bool:
        return Root.type in self._current

    def _load(self) -> None:
        folder = self.metadata_dir
        versions = [
            int(p.name.split(".", 1)[0])
            for p in folder.glob("*.root.json")
            if p.name.split(".", 1)[0].isdigit()
        ]
        if not versions:
            return
        self._current[Root.type] = self._read(f"{max(versions)}.root.json")
        if not (folder / "timestamp.json").is_file():
            raise ChannelError(f"{folder} has a root but no timestamp.json: the channel is damaged")
        timestamp = self._read("timestamp.json")
        self._current[Timestamp.type] = timestamp
        snapshot_meta = timestamp.signed.snapshot_meta
        self._snapshot_info = snapshot_meta
        snapshot = self._read(f"{snapshot_meta.version}.snapshot.json")
        self._current[Snapshot.type] = snapshot
        for name, meta in snapshot.signed.meta.items():
            role = name.removesuffix(".json")
            self._targets_infos[name] = meta
            self._current[role] = self._read(f"{meta.version}.{role}.json")

    def _read(self, name: str) -> Metadata[Any]:
        path = self.metadata_dir / name
        try:
            return Metadata.from_bytes(path.read_bytes())
        except OSError as exc:
            raise ChannelError(f"cannot read {path}: {exc.strerror or exc}") from None
        except RepositoryError as exc:
            raise ChannelError(f"{path} is not TUF metadata: {exc}") from None

    def require(self) -> None:
        if not self.exists:
            raise ChannelError(
                f"{self.folder} is not a channel yet: create it with agentdesk pack new-channel"
            )

    def delegated_roles(self) -> list[str]:
        delegations = self.targets().delegations
        return list(delegations.roles or {}) if delegations is not None else []

    def role_of(self, path: str) -> str:
        """The targets role that may list ``path``: a delegated role naming it, else targets."""
        delegations = self.targets().delegations
        for name, role in (delegations.roles or {}).items() if delegations else ():
            if role.is_delegated_path(path):
                return name
        return Targets.type

    def keys_of(self, role: str) -> dict[str, Key]:
        """The keys that may sign ``role``, by TUF key id."""
        if role in TOP_ROLES:
            root = self.root()
            return {k: root.keys[k] for k in root.roles[role].keyids}
        delegations = self.targets().delegations
        if delegations is None or delegations.roles is None or role not in delegations.roles:
            raise ChannelError(f"the channel has no role '{role}'")
        return {k: delegations.keys[k] for k in delegations.roles[role].keyids}

    def threshold_of(self, role: str) -> int:
        if role in TOP_ROLES:
            return int(self.root().roles[role].threshold)
        return int(self.targets().get_delegated_role(role).threshold)

    def metadata(self, role: str) -> Metadata[Any] | None:
        return self._current.get(role)

    # -- tuf.repository.Repository -----------------------------------------------------

    @property
    def targets_infos(self) -> dict[str, MetaFile]:
        return self._targets_infos

    @property
    def snapshot_info(self) -> MetaFile:
        return self._snapshot_info

    def open(self, role: str) -> Metadata[Any]:
        if role in self._current:
            return copy.deepcopy(self._current[role])
        md: Metadata[Any] = Metadata(_SIGNED.get(role, Targets)())
        md.signed.version = 0  # close() makes it 1
        return md

    def close(self, role: str, md: Metadata[Any]) -> None:
        """Sign a new version of ``role`` with every key at hand that may sign it; stage it."""
        md.signed.version += 1
        md.signed.expires = self.now + lifetime(role, self.lifetimes)
        md.signatures.clear()
        previous_root = self._current.get(Root.type)
        allowed = self._signers_of(role, md, previous_root)
        for keyid in allowed:
            if keyid in self.signers:
                md.sign(self.signers[keyid], append=True)
        result = self._verification(role, md, previous_root)
        if not result:
            raise ChannelError(_not_enough(role, result))
        data = md.to_bytes(_PRETTY)
        version = md.signed.version
        if role == Timestamp.type:
            self._staged["timestamp.json"] = data
        elif role == Root.type:
            self._staged[f"{version}.root.json"] = data
            self._staged["root.json"] = data
        else:
            self._staged[f"{version}.{role}.json"] = data
            info = MetaFile.from_data(version, data, ["sha256"])
            if role == Snapshot.type:
                self._snapshot_info = info
            else:
                self._targets_infos[f"{role}.json"] = info
        self._current[role] = md

    def _signers_of(
        self, role: str, md: Metadata[Any], previous_root: Metadata[Any] | None
    ) -> list[str]:
        if role == Root.type:  # a new root is signed by the old root keys and the new ones
            ids = list(md.signed.roles[Root.type].keyids)
            if previous_root is not None:
                ids += previous_root.signed.roles[Root.type].keyids
            return ids
        return list(self.keys_of(role))

    def _verification(
        self, role: str, md: Metadata[Any], previous_root: Metadata[Any] | None
    ) -> VerificationResult | RootVerificationResult:
        if role == Root.type:
            previous = previous_root.signed if previous_root is not None else None
            result: RootVerificationResult = md.signed.get_root_verification_result(
                previous, md.signed_bytes, md.signatures
            )
            return result
        delegator: Root | Targets = self.root() if role in TOP_ROLES else self.targets()
        return delegator.get_verification_result(role, md.signed_bytes, md.signatures)

    # -- writing ------------------------------------------------------------------------

    def add_archive(self, archive: Path, sha256: str, pack_id: str) -> str:
        """Stage an archive under its hash; returns its file name in ``targets/``."""
        name = f"{sha256}.{pack_id}{ARCHIVE_SUFFIX}"
        self._archives[name] = archive
        return name

    def touch(self, role: str) -> None:
        """Sign a new version of ``role`` with no change but its version and expiry."""
        with self.edit(role):
            pass

    def commit(self) -> list[Path]:
        """Write what was staged, in the order that keeps the channel whole at every moment."""
        written: list[Path] = []
        targets = self.folder / TARGETS_DIR
        for name, source in sorted(self._archives.items()):
            target = targets / name
            if not target.is_file():
                targets.mkdir(parents=True, exist_ok=True)
                partial = targets / f".{name}.part"
                shutil.copyfile(source, partial)
                fsync_path(partial)
                replace_durably(partial, target, synced=True)
            written.append(target)
        self.metadata_dir.mkdir(parents=True, exist_ok=True)

        def order(name: str) -> int:
            if name == "timestamp.json":
                return 4
            if name.endswith(".root.json") or name == "root.json":
                return 3
            return 2 if name.endswith(".snapshot.json") else 1

        for name in sorted(self._staged, key=lambda n: (order(n), n)):
            write_atomic(self.metadata_dir / name, self._staged[name])
            written.append(self.metadata_dir / name)
        self._staged.clear()
        self._archives.clear()
        return written


def _not_enough(role: str, result: VerificationResult | RootVerificationResult) -> str:
    parts: list[VerificationResult] = [result] if isinstance(result, VerificationResult) else []
    if isinstance(result, RootVerificationResult):
        parts = [result.first, result.second]
    for part in parts:
        if not part:
            wanted = ", ".join(sorted(short_id(k) for k in part.unsigned.values()))
            return (
                f"{role} needs {part.threshold} signature(s) from its keys; the keys given "
                f"make {len(part.signed)}. Give more of these with --key: {wanted}"
            )
    return f"{role} could not be signed"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
