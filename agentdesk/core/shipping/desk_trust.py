"""What a desk trusts about its update channel: the channel's root, and how it gets one.

A desk trusts one channel root (TUF ``root.json``): the keys and thresholds for every role of
the channel. Every later root must be signed by the one before it, so the desk follows key
rotations by itself. It gets its first root in one of two ways:

- **IT installs it**: ``agentdesk pack trust-root root.json`` (from the desk image, or
  copied from the channel's ``metadata/root.json`` and checked by its fingerprint).
- **Migration from a pre-TUF desk**: a desk that trusts a trainer's key (a ``.pub`` in its
  trusted keys folder) accepts the channel's first root once, if the channel serves
  ``metadata/root-endorsement.json``: that root's SHA-256, signed by such a key
  (``agentdesk pack endorse-root``). From then on the root decides, not the ``.pub`` files.

The keys that may sign a pack's archive are read from the channel's verified metadata: the
keys of the role that lists the pack (see :func:`archive_keys`). Revoking a key in the
channel therefore also stops desks from installing archives it signed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from tuf.api.exceptions import RepositoryError
from tuf.api.metadata import Metadata, Root, Targets
from tuf.ngclient import Updater

from agentdesk.core.shipping.keys import TrustStore, key_id
from agentdesk.core.shipping.manifest import canonical_json
from agentdesk.core.shipping.refusals import Reason, Refusal
from agentdesk.core.shipping.repository import public_of

ENDORSEMENT = "root-endorsement.json"
ENDORSED_ROOT = "1.root.json"
_PURPOSE = "agentdesk-channel-root"
#: The endorsement is a few hundred bytes; anything much larger is not one.
MAX_ENDORSEMENT_BYTES = 64 * 1024


def metadata_dir(channel: Path) -> Path:
    """Where ``tuf.ngclient`` keeps the metadata this desk has verified."""
    return channel / "metadata"


def has_root(channel: Path) -> bool:
    return (metadata_dir(channel) / "root.json").is_file()


def fingerprint(root_bytes: bytes) -> str:
    return hashlib.sha256(root_bytes).hexdigest()


def endorsement_payload(root_bytes: bytes) -> bytes:
    """What a pre-TUF key signs to endorse a channel root."""
    return canonical_json({"purpose": _PURPOSE, "root_sha256": fingerprint(root_bytes)})


def endorsement(root_bytes: bytes, signatures: list[tuple[str, bytes]]) -> bytes:
    """The endorsement file; ``signatures``: (key id, signature of :func:`endorsement_payload`)."""
    doc = {
        "format": 1,
        "root": ENDORSED_ROOT,
        "root_sha256": fingerprint(root_bytes),
        "signatures": [
            {"key_id": kid, "signature": base64.b64encode(sig).decode()} for kid, sig in signatures
        ],
    }
    return json.dumps(doc, indent=2).encode() + b"\n"


def check_endorsement(data: bytes, root_bytes: bytes, trust: TrustStore, what: str) -> None:
    """Refuse unless a key this desk trusts signed the SHA-256 of ``root_bytes``."""
    try:
        doc = json.loads(data)
        entries = [
            (str(s["key_id"]), base64.b64decode(s["signature"], validate=True))
            for s in doc["signatures"]
        ]
        claimed = doc["root_sha256"]
    except (ValueError, KeyError, TypeError, binascii.Error, RecursionError):
        raise Refusal(Reason.BAD_INDEX, f"{what}: it is not a root endorsement") from None
    if claimed != fingerprint(root_bytes):
        raise Refusal(Reason.HASH_MISMATCH, f"{what}: it endorses another root than the one served")
    if not entries:
        raise Refusal(Reason.MISSING_SIGNATURE, f"{what}: it carries no signature")
    payload = endorsement_payload(root_bytes)
    refused: Refusal | None = None
    # Keys this desk trusts first; with none, the first signer's refusal says why.
    for kid, sig in [e for e in entries if e[0] in trust.keys] or entries[:1]:
        try:
            trust.verify(kid, sig, payload, what)
            return
        except Refusal as exc:
            refused = exc
    assert refused is not None
    raise refused


def check_root(data: bytes, what: str) -> Root:
    """A TUF root, signed by enough of its own root keys; ``Refusal`` otherwise."""
    try:
        md = Metadata[Root].from_bytes(data)
    except RepositoryError as exc:
        raise Refusal(Reason.BAD_INDEX, f"{what}: it is not a TUF root ({exc})") from None
    if not isinstance(md.signed, Root):
        raise Refusal(Reason.BAD_INDEX, f"{what}: it is TUF {md.signed.type} metadata, not a root")
    try:
        md.signed.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except RepositoryError as exc:
        raise Refusal(
            Reason.UNTRUSTED_METADATA, f"{what}: it is not signed by its own root keys ({exc})"
        ) from None
    return md.signed


def trust_root(channel: Path, data: bytes, *, replace: bool = False, what: str = "root") -> Root:
    """Make ``data`` (a channel's ``root.json``) the root this desk trusts.

    Refuses to replace a root already trusted unless ``replace``: the metadata seen so far
    (and the rollback protection it gives) is then forgotten.
    """
    root = check_root(data, what)
    folder = metadata_dir(channel)
    if has_root(channel):
        if not replace:
            raise Refusal(
                Reason.BAD_INDEX,
                f"this desk already trusts a channel root ({folder / 'root.json'}); "
                "give --replace to trust another channel instead",
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # Updater checks the root once more and stores it as ngclient expects it.
    Updater(str(folder), "file:///nonexistent/", bootstrap=data)
    return root


def read_trusted(channel: Path, role: str) -> Metadata[Any]:
    """Metadata ngclient verified and kept in the desk's metadata folder (after a refresh)."""
    return Metadata.from_bytes((metadata_dir(channel) / f"{role}.json").read_bytes())


def archive_keys(root: Root, targets: Targets, path: str) -> TrustStore:
    """The keys that may sign the archive at ``path``: those of the role that lists it.

    AgentDesk channels delegate one level deep, each pack to at most one role (see
    :mod:`.publish`), so this is the role ngclient found the target in.
    """
    if path in targets.targets:
        keys = [root.keys[k] for k in root.roles[Targets.type].keyids]
    else:
        keys = []
        delegations = targets.delegations
        for role in (delegations.roles or {}).values() if delegations else ():
            if role.is_delegated_path(path):
                keys = [delegations.keys[k] for k in role.keyids if delegations]
                break
    publics = [p for p in map(public_of, keys) if p is not None]
    return TrustStore({key_id(p): p for p in publics})
