"""Install a verified archive atomically, keep the previous version, roll back to it.

See :mod:`.layout` for the folders. An install extracts into a temporary folder beside the
pack's versions, checks every byte and loads the pack, renames the folder into place and
then switches ``state.json``: a failure or a kill before that switch leaves the installed
version untouched, and the leftovers are removed by the next install or rollback.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from agentdesk.core.files import sync_folder, write_atomic
from agentdesk.core.ids import PACK_ID_REGEX, version_key
from agentdesk.core.packs.cache import PackCache
from agentdesk.core.packs.installed import (
    INCOMING_PREFIX,
    INSTALLED_MANIFEST,
    VERSIONS,
    State,
    locked,
    read_state,
    remove_leftovers,
    remove_path,
    version_of,
    write_state,
)
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Pack
from agentdesk.core.paths import Paths
from agentdesk.core.shipping.changes import PackChanges, describe_changes
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.limits import DEFAULT_LIMITS, Limits
from agentdesk.core.shipping.manifest import ArchiveManifest
from agentdesk.core.shipping.refusals import Reason, Refusal
from agentdesk.core.shipping.verify import PackArchive, Progress, check_manifest


class InstallResult(NamedTuple):
    pack_id: str
    version: str
    previous_version: str | None
    root: Path  # the folder now current
    manifest: ArchiveManifest
    changes: PackChanges

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack_id,
            "version": self.version,
            "previous": self.previous_version,
            "root": str(self.root),
            "changes": self.changes.to_json(),
        }


class RollbackResult(NamedTuple):
    pack_id: str
    from_version: str
    to_version: str
    root: Path
    changes: PackChanges

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack_id,
            "from": self.from_version,
            "to": self.to_version,
            "root": str(self.root),
            "changes": self.changes.to_json(),
        }


class InstalledPack(NamedTuple):
    pack_id: str
    version: str
    root: Path
    previous_version: str | None
    held_back: str | None


def install(
    archive: Path,
    paths: Paths,
    trust: TrustStore,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
    app_version: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    expect: tuple[str, str] | None = None,
) -> InstallResult:
    """Verify ``archive`` and make it the current version of its pack.

    ``progress(done, total)`` reports the bytes extracted; if it raises, the install stops
    and nothing changes. Raises :class:`Refusal` for anything the archive fails.

    ``expect``: the (pack id, version) an update channel's signed metadata lists for this
    archive. The channel then decides the version, older than the installed one included
    (a release taken back); without it only a newer version is installed.
    """
    cache = PackCache(paths.pack_cache)
    with PackArchive(archive, limits) as zipped:
        manifest = zipped.read_manifest(trust)
        if expect is not None and expect != (manifest.pack_id, manifest.version):
            raise Refusal(
                Reason.BAD_INDEX,
                f"{zipped.what}: the channel lists {' '.join(expect)} but the archive holds "
                f"{manifest.pack_id} {manifest.version}",
            )
        packs_dir = paths.installed_packs
        pack_dir = packs_dir / manifest.pack_id
        with locked(packs_dir):
            remove_leftovers(pack_dir)
            state = read_state(pack_dir)
            installed = version_of(state.current) if state else None
            check_manifest(
                manifest,
                installed if expect is None else None,
                what=zipped.what,
                now=now,
                app_version=app_version,
            )
            pack_dir.mkdir(parents=True, exist_ok=True)
            incoming = Path(tempfile.mkdtemp(prefix=INCOMING_PREFIX, dir=pack_dir))
            try:
                zipped.extract(manifest, incoming, progress)
                new_pack = _load_new(incoming, manifest, zipped.what, cache)
                write_atomic(incoming / INSTALLED_MANIFEST, _record(manifest, zipped))
                sync_folder(incoming)
                old_pack = _load_old(pack_dir, state, cache)
                name = f"{manifest.version}-{hashlib.sha256(manifest.canonical()).hexdigest()[:8]}"
                versions = pack_dir / VERSIONS
                versions.mkdir(exist_ok=True)
                if (versions / name).exists():  # left by a kill before a first install's switch
                    remove_path(versions / name)
                incoming.rename(versions / name)
                sync_folder(versions)
            except BaseException:
                remove_leftovers(pack_dir)
                raise
            held = state.held_back if state else None
            if held is not None and version_key(manifest.version) >= version_key(held):
                held = None
            write_state(pack_dir, State(name, state.current if state else None, held))
            remove_leftovers(pack_dir)
    changes = describe_changes(old_pack, new_pack)._replace(old_version=installed)
    root = versions / name
    return InstallResult(manifest.pack_id, manifest.version, installed, root, manifest, changes)


def _load_new(folder: Path, manifest: ArchiveManifest, what: str, cache: PackCache) -> Pack:
    result = load_pack(folder, cache)
    if result.pack is None:
        first = result.errors[0].message if result.errors else "it cannot be read"
        raise Refusal(
            Reason.PACK_INVALID,
            f"{what}: the pack inside does not load on this AgentDesk "
            f"({len(result.errors)} error(s); first: {first})",
        )
    pack = result.pack
    if (pack.id, pack.version) != (manifest.pack_id, manifest.version):
        raise Refusal(
            Reason.PACK_INVALID,
            f"{what}: the manifest says {manifest.pack_id} {manifest.version} but the pack "
            f"inside is {pack.id} {pack.version}",
        )
    return pack


def _load_old(pack_dir: Path, state: State | None, cache: PackCache) -> Pack | None:
    if state is None:
        return None
    return load_pack(pack_dir / VERSIONS / state.current, cache).pack


def _record(manifest: ArchiveManifest, zipped: PackArchive) -> bytes:
    """What the version folder keeps of the archive: the signed manifest and signature."""
    signature = zipped.signature
    doc = {"manifest": manifest.to_json(), "signature": base64.b64encode(signature).decode()}
    return json.dumps(doc, indent=2).encode() + b"\n"


def rollback(paths: Paths, pack_id: str) -> RollbackResult:
    """Make the previous version current again; updates then skip the version left."""
    pack_dir = _pack_dir(paths, pack_id)
    cache = PackCache(paths.pack_cache)
    with locked(paths.installed_packs):
        remove_leftovers(pack_dir)
        state = read_state(pack_dir)
        if state is None:
            raise Refusal(Reason.NOT_INSTALLED, f"{pack_id} is not installed")
        versions = pack_dir / VERSIONS
        if state.previous is None or not (versions / state.previous).is_dir():
            raise Refusal(
                Reason.NOTHING_TO_ROLL_BACK,
                f"{pack_id} {version_of(state.current)} has no previous version to go back to",
            )
        left, back = state.current, state.previous
        old_pack = load_pack(versions / left, cache).pack
        new_pack = load_pack(versions / back, cache).pack
        write_state(pack_dir, State(back, None, version_of(left)))
        remove_leftovers(pack_dir)
    if new_pack is None:  # cannot happen to a version that was installed: it loaded then
        raise Refusal(Reason.PACK_INVALID, f"{pack_id} {version_of(back)} no longer loads")
    changes = describe_changes(old_pack, new_pack)._replace(old_version=version_of(left))
    return RollbackResult(pack_id, version_of(left), version_of(back), versions / back, changes)


def installed(paths: Paths) -> list[InstalledPack]:
    """The packs installed from archives, by id."""
    folder = paths.installed_packs
    if not folder.is_dir():
        return []
    found = []
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            pack = installed_pack(paths, child.name)
            if pack is not None:
                found.append(pack)
    return found


def installed_pack(paths: Paths, pack_id: str) -> InstalledPack | None:
    if not re.match(PACK_ID_REGEX, pack_id):
        return None
    pack_dir = paths.installed_packs / pack_id
    state = read_state(pack_dir)
    if state is None:
        return None
    root = pack_dir / VERSIONS / state.current
    previous = version_of(state.previous) if state.previous else None
    return InstalledPack(pack_id, version_of(state.current), root, previous, state.held_back)


def _pack_dir(paths: Paths, pack_id: str) -> Path:
    if not re.match(PACK_ID_REGEX, pack_id):
        raise Refusal(Reason.NOT_INSTALLED, f"'{pack_id}' is not a pack id")
    return paths.installed_packs / pack_id
