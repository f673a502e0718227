"""Make pack archives for tests: honest ones, and ones crafted to attack the installer."""

from __future__ import annotations

import base64
import hashlib
import shutil
import warnings
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.packs.loader import pack_files
from agentdesk.core.shipping.build import Built, build_archive
from agentdesk.core.shipping.keys import public_id
from agentdesk.core.shipping.manifest import (
    FILES_PREFIX,
    FORMAT,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    ArchiveManifest,
    FileEntry,
)
from tests.conftest import EXAMPLE

NOW = datetime.now(UTC).replace(microsecond=0)


def copy_example(dest: Path, version: str = "1.0.0") -> Path:
    shutil.copytree(EXAMPLE, dest)
    set_version(dest, version)
    return dest


def set_version(root: Path, version: str) -> None:
    manifest = root / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    current = text.split('version: "', 1)[1].split('"', 1)[0]
    manifest.write_text(text.replace(f'version: "{current}"', f'version: "{version}"'), "utf-8")


def build(
    root: Path, out: Path, key: Ed25519PrivateKey, version: str | None = None, **kw: object
) -> Built:
    if version is not None:
        set_version(root, version)
    return build_archive(root, out, key, **kw)


def files_of(root: Path) -> dict[str, bytes]:
    return {rel.as_posix(): (root / rel).read_bytes() for rel in pack_files(root)}


def example_files(version: str = "2.0.0") -> dict[str, bytes]:
    files = files_of(EXAMPLE)
    files["pack.yaml"] = files["pack.yaml"].replace(b'"1.0.0"', f'"{version}"'.encode())
    return files


class Entry(NamedTuple):
    name: str
    data: bytes
    external_attr: int = 0o100644 << 16
    compress_type: int = zipfile.ZIP_DEFLATED


def manifest_for(
    files: dict[str, bytes],
    key: Ed25519PrivateKey,
    *,
    pack_id: str = "ejemplo",
    version: str = "2.0.0",
    created: datetime = NOW - timedelta(days=1),
    expires: datetime = NOW + timedelta(days=30),
    min_app_version: str = "0.0.1",
) -> ArchiveManifest:
    return ArchiveManifest(
        FORMAT,
        pack_id,
        version,
        created,
        expires,
        min_app_version,
        public_id(key),
        tuple(
            FileEntry(name, len(data), hashlib.sha256(data).hexdigest())
            for name, data in sorted(files.items())
        ),
    )


def signed_entries(
    files: dict[str, bytes], key: Ed25519PrivateKey, **manifest: object
) -> list[Entry]:
    data = manifest_for(files, key, **manifest).canonical()
    signature = base64.b64encode(key.sign(data)) + b"\n"
    entries = [Entry(MANIFEST_NAME, data), Entry(SIGNATURE_NAME, signature)]
    return entries + [Entry(FILES_PREFIX + name, files[name]) for name in sorted(files)]


def write(path: Path, entries: list[Entry]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": that is the point
        with zipfile.ZipFile(path, "w") as zf:
            for entry in entries:
                info = zipfile.ZipInfo(entry.name, date_time=(2024, 1, 1, 0, 0, 0))
                info.create_system = 3
                info.external_attr = entry.external_attr
                info.compress_type = entry.compress_type
                zf.writestr(info, entry.data)
    return path


def forge(
    path: Path,
    key: Ed25519PrivateKey,
    files: dict[str, bytes] | None = None,
    edit: Callable[[list[Entry]], list[Entry]] = lambda entries: entries,
    **manifest: object,
) -> Path:
    """A signed archive of ``files`` (the example pack, version 2.0.0), then ``edit``-ed."""
    files = example_files() if files is None else files
    return write(path, edit(signed_entries(files, key, **manifest)))


def replace(entries: list[Entry], name: str, **changes: object) -> list[Entry]:
    assert any(e.name == name for e in entries), name
    return [e._replace(**changes) if e.name == name else e for e in entries]


def patch_bytes(path: Path, old: bytes, new: bytes) -> Path:
    """Change raw bytes of the zip (both the local header and the central directory)."""
    data = path.read_bytes()
    assert len(old) == len(new) and data.count(old) == 2, data.count(old)
    path.write_bytes(data.replace(old, new))
    return path


def patch_header(path: Path, name: str, local: int, central: int, value: bytes) -> Path:
    """Overwrite a field of one entry's local header and central directory record."""
    raw = bytearray(path.read_bytes())
    found = 0
    for marker, offset, name_at in ((b"PK\x03\x04", local, 30), (b"PK\x01\x02", central, 46)):
        start = 0
        while (at := raw.find(marker, start)) >= 0:
            if raw[at + name_at : at + name_at + len(name)] == name.encode():
                raw[at + offset : at + offset + len(value)] = value
                found += 1
            start = at + 4
    assert found == 2, found
    path.write_bytes(bytes(raw))
    return path


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (content) and folder (None) under ``folder``, but the lock file."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.name != ".lock"
    }
