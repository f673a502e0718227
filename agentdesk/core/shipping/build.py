"""Build a signed pack archive, only from a pack that loads cleanly and passes its tests.

The archive is deterministic: the same pack, key and times give the same bytes (entries in
a fixed order with fixed dates and modes; Ed25519 signatures are deterministic). Set
``SOURCE_DATE_EPOCH`` to pin the creation time for reproducible builds.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import agentdesk
from agentdesk.core.files import write_atomic
from agentdesk.core.packs.cache import PackCache
from agentdesk.core.packs.model import Pack
from agentdesk.core.problems import Problem
from agentdesk.core.shipping.keys import public_id
from agentdesk.core.shipping.limits import MAX_FILES, MAX_TOTAL_BYTES
from agentdesk.core.shipping.manifest import (
    FILES_PREFIX,
    FORMAT,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    ArchiveManifest,
    FileEntry,
)

#: How long an archive may be installed after it is built, unless told otherwise.
DEFAULT_LIFETIME = timedelta(days=365)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class BuildRefused(Exception):
    """The pack is not fit to ship; ``lines`` say why (problems, failing tests)."""

    def __init__(self, summary: str, lines: list[str]) -> None:
        super().__init__(summary)
        self.summary = summary
        self.lines = lines


class Ready(NamedTuple):
    pack: Pack
    warnings: tuple[Problem, ...]
    tests: int


class Built(NamedTuple):
    path: Path
    manifest: ArchiveManifest
    size: int
    warnings: tuple[Problem, ...]
    tests: int


def check_ready(root: Path, today: date, cache: PackCache | None = None) -> Ready:
    """Validate the pack and run its scenario tests; refuse on any error or failing test."""
    from agentdesk.core.flows.scenarios import run_scenario
    from agentdesk.core.packs.checks import validity_problems
    from agentdesk.core.packs.loader import load_pack

    result = load_pack(root, cache)
    if result.pack is None:
        errors = result.errors
        raise BuildRefused(
            f"{root}: the pack has {len(errors)} error(s)", [p.format() for p in errors]
        )
    pack = result.pack
    failures = []
    for scenario in pack.tests:
        outcome = run_scenario(pack, scenario, today)
        if not outcome.passed:
            where = f"{root / scenario.loc.file}:{scenario.loc.line}"
            failures.append(f"FAIL {scenario.name}  ({where})")
            failures.extend(f"     {failure}" for failure in outcome.failures)
    if failures:
        count = sum(line.startswith("FAIL") for line in failures)
        raise BuildRefused(f"{root}: {count} scenario test(s) fail", failures)
    warnings = [p for p in result.problems if p.severity == "warning"]
    warnings += validity_problems(pack, today).items
    return Ready(pack, tuple(warnings), len(pack.tests))


def default_created() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def build_archive(
    root: Path,
    out: Path,
    key: Ed25519PrivateKey,
    *,
    today: date | None = None,
    created: datetime | None = None,
    expires: datetime | None = None,
    min_app_version: str | None = None,
    cache: PackCache | None = None,
) -> Built:
    """Check the pack in ``root``, then write ``out`` (durably, in one step: a kill or a
    power cut never leaves a half-written archive)."""
    from agentdesk.core.packs.loader import pack_files

    created = (created or default_created()).astimezone(UTC).replace(microsecond=0)
    expires = (expires or created + DEFAULT_LIFETIME).astimezone(UTC).replace(microsecond=0)
    if expires <= created:
        raise BuildRefused("the archive would expire before it is created", [])
    ready = check_ready(root, today or created.date(), cache)
    # Read after the check: a file may have grown meanwhile, past what a desk accepts.
    blobs = {rel.as_posix(): (root / rel).read_bytes() for rel in pack_files(root)}
    if len(blobs) > MAX_FILES or sum(map(len, blobs.values())) > MAX_TOTAL_BYTES:
        raise BuildRefused(f"{root}: the pack is too large to ship", [])
    manifest = ArchiveManifest(
        format=FORMAT,
        pack_id=ready.pack.id,
        version=ready.pack.version,
        created=created,
        expires=expires,
        min_app_version=min_app_version or agentdesk.__version__,
        key_id=public_id(key),
        files=tuple(
            FileEntry(name, len(data), hashlib.sha256(data).hexdigest())
            for name, data in sorted(blobs.items())
        ),
    )
    data = manifest.canonical()
    signature = base64.b64encode(key.sign(data)) + b"\n"
    entries = [(MANIFEST_NAME, data), (SIGNATURE_NAME, signature)]
    entries += [(FILES_PREFIX + f.path, blobs[f.path]) for f in manifest.files]
    zipped = io.BytesIO()
    write_zip(zipped, entries)
    archive = zipped.getvalue()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, archive)
    return Built(out, manifest, len(archive), ready.warnings, ready.tests)


def write_zip(file: IO[bytes], entries: list[tuple[str, bytes]]) -> None:
    """A zip with nothing that varies between machines or runs: fixed dates, modes, order."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode below means the same everywhere
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data, compresslevel=9)
