"""What trainers do to a channel: create it, publish packs, delegate, rotate keys, refresh.

The roles of a channel (TUF's, see docs/shipping.md):

- ``root`` (offline keys, a threshold of them): which keys may sign each other role.
- ``targets`` (a threshold of trainers' keys): which archive is current for each pack, and
  which packs a delegated role (a team, or one pack's owner) may publish by itself.
- ``snapshot`` and ``timestamp`` (the "online" key, kept where publishing runs): the list of
  every role's current version, and a short-lived signature saying "this is still current".

Each function takes the channel folder and the private keys at hand, signs what it must and
writes nothing unless every role it changes gets enough signatures (:class:`ChannelError`
says which keys are missing). Pack archives are checked like a desk would check them, and
must be signed by a key of the role that lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from tuf.api.metadata import DelegatedRole, Delegations, Root, Snapshot, TargetFile, Targets

from agentdesk.core.ids import PACK_ID_REGEX, version_key
from agentdesk.core.shipping.desk_trust import (
    ENDORSED_ROOT,
    ENDORSEMENT,
    endorsement,
    endorsement_payload,
)
from agentdesk.core.shipping.keys import TrustStore, key_id, public_id
from agentdesk.core.shipping.limits import DEFAULT_LIMITS, Limits
from agentdesk.core.shipping.refusals import Refusal
from agentdesk.core.shipping.repository import (
    ROLE_NAME,
    TOP_ROLES,
    ChannelError,
    ChannelRepository,
    lifetime,
    pack_path,
    public_of,
    short_id,
    tuf_key,
)
from agentdesk.core.shipping.verify import verify_archive

ONLINE_ROLES = (Snapshot.type, "timestamp")


class Published(NamedTuple):
    pack_id: str
    version: str
    role: str
    file: str  # the archive's name in targets/
    previous: str | None  # the version the channel listed before


class RoleStatus(NamedTuple):
    role: str
    version: int
    expires: datetime
    threshold: int
    keys: tuple[str, ...]  # short ids
    packs: tuple[str, ...]  # pack id and version, for targets roles


def create_channel(
    folder: Path,
    keys: Sequence[Ed25519PrivateKey],
    *,
    root: Sequence[Ed25519PublicKey],
    targets: Sequence[Ed25519PublicKey],
    online: Sequence[Ed25519PublicKey],
    root_threshold: int = 1,
    targets_threshold: int = 1,
    lifetimes: Mapping[str, timedelta] | None = None,
    now: datetime | None = None,
) -> ChannelRepository:
    """A new, empty channel: root, targets, snapshot and timestamp, version 1 each."""
    repo = ChannelRepository(folder, keys, lifetimes=lifetimes, now=now)
    if repo.exists:
        raise ChannelError(f"{folder} already holds a channel; publish to it instead")
    with repo.edit_root() as signed:
        _set_role(signed, Root.type, root, root_threshold)
        _set_role(signed, Targets.type, targets, targets_threshold)
        for role in ONLINE_ROLES:
            _set_role(signed, role, online, 1)
    repo.touch(Targets.type)
    _snapshot_and_timestamp(repo, snapshot=True, timestamp=True)
    repo.commit()
    return repo


def _set_role(root: Root, role: str, keys: Sequence[Ed25519PublicKey], threshold: int) -> None:
    if not keys:
        raise ChannelError(f"the role {role} needs at least one key")
    if not 1 <= threshold <= len(keys):
        raise ChannelError(
            f"the {role} threshold must be between 1 and its {len(keys)} key(s), not {threshold}"
        )
    for keyid in list(root.roles[role].keyids):
        root.revoke_key(keyid, role)
    for public in keys:
        root.add_key(tuf_key(public), role)
    root.roles[role].threshold = threshold


def publish(
    folder: Path,
    keys: Sequence[Ed25519PrivateKey],
    archives: Sequence[Path] = (),
    *,
    downgrade: bool = False,
    lifetimes: Mapping[str, timedelta] | None = None,
    now: datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Published]:
    """List ``archives`` as the current version of their packs; renew roles about to expire.

    Each archive is checked in full (as a desk would) and must be signed by a key of the role
    that lists its pack. A version older than the one listed is refused unless ``downgrade``
    (taking back a bad release: desks follow the channel down).
    """
    repo = _open(folder, keys, lifetimes, now)
    by_role: dict[str, dict[str, TargetFile]] = {}
    done: list[Published] = []
    for archive in archives:
        pid, version, role, info = _target_for(repo, archive, limits)
        listed = repo.targets(role).targets.get(info.path)
        previous = listed.custom.get("version") if listed and listed.custom else None
        if listed is not None and listed.hashes == info.hashes:
            continue  # published already
        if previous is not None and version_key(version) <= version_key(previous):
            if version_key(version) == version_key(previous):
                raise ChannelError(
                    f"{archive.name}: the channel already lists {pid} {version} with other "
                    "content; raise the version in pack.yaml and build again"
                )
            if not downgrade:
                raise ChannelError(
                    f"{archive.name}: the channel lists {pid} {previous}; publishing {version} "
                    "takes desks back to it: give --downgrade to do that on purpose"
                )
        name = repo.add_archive(archive, info.hashes["sha256"], pid)
        by_role.setdefault(role, {})[info.path] = info
        done.append(Published(pid, version, role, name, previous))
    for role, infos in by_role.items():
        with repo.edit_targets(role) as signed:
            signed.targets.update(infos)
    for role in [Targets.type, *repo.delegated_roles()]:
        if role not in by_role and _due(repo, role) and _can_sign(repo, role):
            repo.touch(role)
    _snapshot_and_timestamp(repo)
    repo.commit()
    return done


def _target_for(
    repo: ChannelRepository, archive: Path, limits: Limits
) -> tuple[str, str, str, TargetFile]:
    """Check ``archive`` as a desk would, with the keys of the role that would list it."""
    from agentdesk.core.shipping.manifest import MANIFEST_NAME, parse_manifest
    from agentdesk.core.shipping.verify import PackArchive

    try:
        with PackArchive(archive, limits) as zipped:
            if MANIFEST_NAME not in zipped.entries:
                raise ChannelError(f"{archive.name}: it has no manifest: build it with pack build")
            pid = parse_manifest(zipped.read_entry(MANIFEST_NAME), archive.name).pack_id
        role = repo.role_of(pack_path(pid))
        trust = _trust_store(repo, role)
        manifest = verify_archive(archive, trust, limits=limits, now=repo.now)
    except Refusal as exc:
        raise ChannelError(f"not published: {exc}") from None
    info = TargetFile.from_file(pack_path(pid), str(archive), ["sha256"])
    info.unrecognized_fields["custom"] = {"version": manifest.version}
    return pid, manifest.version, role, info


def _trust_store(repo: ChannelRepository, role: str) -> TrustStore:
    publics = [p for p in map(public_of, repo.keys_of(role).values()) if p is not None]
    return TrustStore({key_id(p): p for p in publics})


def delegate(
    folder: Path,
    keys: Sequence[Ed25519PrivateKey],
    role: str,
    *,
    packs: Sequence[str] = (),
    signers: Sequence[Ed25519PublicKey] = (),
    threshold: int = 1,
    remove: bool = False,
    lifetimes: Mapping[str, timedelta] | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Let ``role`` (a team, or one pack's owner) publish ``packs`` with its own keys.

    Calling it again for a role replaces its packs, keys and threshold: that is how a team's
    key is revoked. The packs leave the top-level targets (and any other role); desks keep
    what they have installed until the role publishes. Returns notes for the trainer.
    """
    repo = _open(folder, keys, lifetimes, now)
    if not ROLE_NAME.match(role) or role in TOP_ROLES:
        raise ChannelError(
            f"'{role}' cannot name a role: use lowercase letters, digits and '-', and none of "
            f"{', '.join(TOP_ROLES)}"
        )
    notes: list[str] = []
    with repo.edit_targets() as signed:
        if signed.delegations is None or signed.delegations.roles is None:
            signed.delegations = Delegations(keys={}, roles={})
        delegations = signed.delegations
        assert delegations.roles is not None
        if remove:
            if role not in delegations.roles:
                raise ChannelError(f"the channel has no role '{role}'")
            for keyid in list(delegations.roles[role].keyids):
                signed.revoke_key(keyid, role)
            del delegations.roles[role]
            notes.append(f"desks keep the packs of {role} they have; nobody can publish them now")
        else:
            bad = [p for p in packs if not re.match(PACK_ID_REGEX, p)]
            if bad or not packs:
                raise ChannelError(f"give the pack ids the role publishes (not: {bad or 'none'})")
            if not signers or not 1 <= threshold <= len(signers):
                raise ChannelError(
                    f"the role needs 1 to {len(signers)} signature(s) of its keys, not {threshold}"
                )
            paths = [pack_path(p) for p in sorted(set(packs))]
            for other, other_role in delegations.roles.items():
                taken = set(other_role.paths or ()) & set(paths)
                if other != role and taken:
                    raise ChannelError(f"{', '.join(sorted(taken))}: already published by {other}")
            if role in delegations.roles:
                for keyid in list(delegations.roles[role].keyids):
                    signed.revoke_key(keyid, role)
            delegations.roles[role] = DelegatedRole(role, [], threshold, True, paths)
            for public in signers:
                signed.add_key(tuf_key(public), role)
            for path in paths:
                if signed.targets.pop(path, None) is not None:
                    notes.append(f"{path} moved from targets to {role}: {role} must publish it")
    if not remove:
        if _can_sign(repo, role):
            repo.touch(role)  # a new role starts empty; a changed one is signed by its new keys
        elif repo.metadata(role) is not None:
            notes.append(f"desks refuse {role}'s packs until it publishes with its new keys")
    _snapshot_and_timestamp(repo)
    repo.commit()
    return notes


def rotate_keys(
    folder: Path,
    keys: Sequence[Ed25519PrivateKey],
    role: str,
    *,
    add: Sequence[Ed25519PublicKey] = (),
    remove: Sequence[str] = (),
    threshold: int | None = None,
    lifetimes: Mapping[str, timedelta] | None = None,
    now: datetime | None = None,
) -> Root:
    """A new root: keys added to or removed from a top-level role (``remove``: short ids).

    Signed by a threshold of the old root keys and of the new ones. The role's metadata is
    signed again with its new keys (and snapshot and timestamp always), so desks move over
    in one update; anything signed only by a removed key is refused from then on.
    """
    repo = _open(folder, keys, lifetimes, now)
    if role not in TOP_ROLES:
        raise ChannelError(f"keys of {role} change with agentdesk pack delegate")
    with repo.edit_root() as signed:
        current = {short_id(signed.keys[k]): k for k in signed.roles[role].keyids}
        for short in remove:
            if short not in current:
                raise ChannelError(f"{short} is not a key of {role} (it has {', '.join(current)})")
            signed.revoke_key(current[short], role)
        for public in add:
            signed.add_key(tuf_key(public), role)
        ids = signed.roles[role].keyids
        wanted = threshold if threshold is not None else min(signed.roles[role].threshold, len(ids))
        if not ids or not 1 <= wanted <= len(ids):
            raise ChannelError(f"{role} would have {len(ids)} key(s) and threshold {wanted}")
        signed.roles[role].threshold = wanted
    if role == Targets.type:
        repo.touch(Targets.type)
    _snapshot_and_timestamp(repo, snapshot=True, timestamp=True)
    repo.commit()
    return repo.root()


def refresh_timestamp(
    folder: Path,
    keys: Sequence[Ed25519PrivateKey],
    *,
    lifetimes: Mapping[str, timedelta] | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Sign a new timestamp (and snapshot, past half its life); warn of roles expiring."""
    repo = _open(folder, keys, lifetimes, now)
    _snapshot_and_timestamp(repo, snapshot=_due(repo, Snapshot.type), timestamp=True)
    repo.commit()
    warnings = []
    for role in (Root.type, Targets.type, *repo.delegated_roles()):
        md = repo.metadata(role)
        if md is not None and _due(repo, role):
            command = "rotate-keys --role root" if role == Root.type else "publish"
            warnings.append(
                f"{role} expires on {md.signed.expires:%Y-%m-%d %H:%M} UTC: sign it again "
                f"with its keys (agentdesk pack {command})"
            )
    return warnings


def endorse_root(folder: Path, legacy: Sequence[Ed25519PrivateKey]) -> Path:
    """Sign the channel's first root with pre-TUF keys, for desks that trust only those."""
    path = folder / "metadata" / ENDORSED_ROOT
    try:
        root_bytes = path.read_bytes()
    except OSError:
        raise ChannelError(f"{folder} has no {ENDORSED_ROOT}: create the channel first") from None
    payload = endorsement_payload(root_bytes)
    out = folder / "metadata" / ENDORSEMENT
    from agentdesk.core.files import write_atomic

    write_atomic(out, endorsement(root_bytes, [(public_id(k), k.sign(payload)) for k in legacy]))
    return out


def status(folder: Path) -> list[RoleStatus]:
    """Every role of the channel: version, expiry, threshold, keys and packs listed."""
    repo = _open(folder, (), None, None)
    found = []
    for role in (*TOP_ROLES, *repo.delegated_roles()):
        md = repo.metadata(role)
        listed: Iterable[TargetFile] = ()
        if md is not None and isinstance(md.signed, Targets):
            listed = md.signed.targets.values()
        packs = tuple(
            f"{t.path.removesuffix('.adpack')} {(t.custom or {}).get('version', '?')}"
            for t in listed
        )
        keys = tuple(sorted(short_id(k) for k in repo.keys_of(role).values()))
        version = md.signed.version if md else 0
        expires = md.signed.expires if md else repo.now
        found.append(RoleStatus(role, version, expires, repo.threshold_of(role), keys, packs))
    return found


# -- helpers ------------------------------------------------------------------------------


def _open(
    folder: Path,
    keys: Sequence[Ed25519PrivateKey],
    lifetimes: Mapping[str, timedelta] | None,
    now: datetime | None,
) -> ChannelRepository:
    repo = ChannelRepository(folder, keys, lifetimes=lifetimes, now=now)
    repo.require()
    return repo


def _due(repo: ChannelRepository, role: str) -> bool:
    """Past half its lifetime (or expired): sign it again now, while there is time."""
    md = repo.metadata(role)
    if md is None:
        return False
    expires: datetime = md.signed.expires
    return expires - repo.now < lifetime(role, repo.lifetimes) / 2


def _can_sign(repo: ChannelRepository, role: str) -> bool:
    have = sum(keyid in repo.signers for keyid in repo.keys_of(role))
    return have >= repo.threshold_of(role)


def _snapshot_and_timestamp(
    repo: ChannelRepository, *, snapshot: bool = False, timestamp: bool = False
) -> None:
    """New versions if anything they list changed; ``True``: new versions in any case."""
    repo.do_snapshot(force=snapshot)
    repo.do_timestamp(force=timestamp)
