"""Keys (owner-only private key, stable ids, the trusted keys folder) and building."""

from __future__ import annotations

import os
import stat
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.shipping.build import BuildRefused, build_archive
from agentdesk.core.shipping.keys import (
    KeyFileError,
    TrustStore,
    generate,
    key_id,
    load_private,
    load_public,
)
from agentdesk.core.shipping.manifest import (
    FILES_PREFIX,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    parse_manifest,
)
from agentdesk.core.shipping.verify import verify_archive
from tests.core.shipping.forge import copy_example, files_of


def test_keygen_private_key_is_owner_only(tmp_path: Path) -> None:
    old = os.umask(0)  # even with the loosest umask
    try:
        pair = generate(tmp_path / "keys")
    finally:
        os.umask(old)
    assert stat.S_IMODE(pair.private.stat().st_mode) == 0o600
    private, public = load_private(pair.private), load_public(pair.public)
    assert key_id(private.public_key()) == key_id(public) == pair.key_id
    assert len(pair.key_id) == 16


def test_keygen_never_overwrites(tmp_path: Path) -> None:
    pair = generate(tmp_path)
    before = pair.private.read_bytes()
    with pytest.raises(KeyFileError, match="already exists"):
        generate(tmp_path)
    assert pair.private.read_bytes() == before


def test_a_public_key_is_not_a_private_key(tmp_path: Path) -> None:
    pair = generate(tmp_path)
    with pytest.raises(KeyFileError, match="not an unencrypted Ed25519 private key"):
        load_private(pair.public)


def test_trust_store_reads_the_folder_and_extra_keys(tmp_path: Path) -> None:
    first, second = generate(tmp_path / "a"), generate(tmp_path / "b")
    folder = tmp_path / "trusted"
    folder.mkdir()
    (folder / "first.pub").write_bytes(first.public.read_bytes())
    (folder / "broken.pub").write_text("not a key", encoding="utf-8")
    store = TrustStore.load(folder, [second.public])
    assert set(store.keys) == {first.key_id, second.key_id}
    (problem,) = store.problems
    assert "broken.pub" in problem
    assert len(TrustStore.load(tmp_path / "missing")) == 0


def test_build_writes_a_signed_manifest_of_every_file(
    tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore
) -> None:
    src = copy_example(tmp_path / "src")
    built = build_archive(src, tmp_path / "out.adpack", key)
    m = built.manifest
    assert (m.pack_id, m.version, m.key_id) == ("ejemplo", "1.0.0", key_id(key.public_key()))
    assert m.expires > m.created and m.min_app_version
    files = files_of(src)
    assert [f.path for f in m.files] == sorted(files)
    assert all(f.size == len(files[f.path]) for f in m.files)
    with zipfile.ZipFile(built.path) as zf:
        names = zf.namelist()
        assert names == [MANIFEST_NAME, SIGNATURE_NAME, *(FILES_PREFIX + n for n in sorted(files))]
        assert parse_manifest(zf.read(MANIFEST_NAME), "x") == m
    assert verify_archive(built.path, trust) == m


def test_build_is_deterministic(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    src = copy_example(tmp_path / "src")
    created = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    a = build_archive(src, tmp_path / "a.adpack", key, created=created)
    b = build_archive(src, tmp_path / "b.adpack", key, created=created)
    assert a.path.read_bytes() == b.path.read_bytes()


def test_build_syncs_the_archive_and_its_rename_to_disk(
    tmp_path: Path, key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = copy_example(tmp_path / "src")
    out = tmp_path / "dist" / "out.adpack"
    synced: list[int] = []  # inodes
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    build_archive(src, out, key)
    assert out.stat().st_ino in synced  # the archive's bytes, before its rename
    if sys.platform != "win32":
        assert out.parent.stat().st_ino in synced  # the rename itself


def test_build_refuses_a_pack_with_errors(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    src = copy_example(tmp_path / "src")
    (src / "scripts.yaml").write_text("scripts: [\n", encoding="utf-8")
    out = tmp_path / "out.adpack"
    with pytest.raises(BuildRefused, match="error") as refused:
        build_archive(src, out, key)
    assert any("scripts.yaml" in line for line in refused.value.lines)
    assert not out.exists() and not list(tmp_path.glob(".out.adpack*"))


def test_build_refuses_a_pack_whose_tests_fail(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    src = copy_example(tmp_path / "src")
    tests = src / "tests.yaml"
    text = tests.read_text(encoding="utf-8")
    # The first test expects the step 'cierre'; another real step passes validation but fails.
    tests.write_text(text.replace("step: cierre", "step: explicar", 1), encoding="utf-8")
    with pytest.raises(BuildRefused, match="scenario test") as refused:
        build_archive(src, tmp_path / "out.adpack", key)
    assert refused.value.lines[0].startswith("FAIL ")
    assert not (tmp_path / "out.adpack").exists()
