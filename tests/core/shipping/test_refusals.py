"""Every refusal of the issue, each with a crafted archive: verify and install both refuse,
name the reason, and leave the installed version exactly as it was."""

from __future__ import annotations

import base64
import io
import json
import stat
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.paths import Paths
from agentdesk.core.shipping.install import install
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.limits import MAX_FILES, MAX_RATIO, Limits
from agentdesk.core.shipping.manifest import MANIFEST_NAME, SIGNATURE_NAME
from agentdesk.core.shipping.refusals import Reason, Refusal
from agentdesk.core.shipping.verify import verify_archive
from tests.core.shipping.forge import (
    NOW,
    Entry,
    build,
    copy_example,
    example_files,
    forge,
    patch_bytes,
    patch_header,
    replace,
    snapshot,
    write,
)


class Kit(NamedTuple):
    tmp: Path
    key: Ed25519PrivateKey
    other_key: Ed25519PrivateKey

    def forge(self, edit: Callable[[list[Entry]], list[Entry]] = lambda e: e, **kw: object) -> Path:
        return forge(self.tmp / "crafted.adpack", self.key, edit=edit, **kw)


def _bad_signature(kit: Kit) -> Path:
    forged = base64.b64encode(kit.key.sign(b"something else")) + b"\n"
    return kit.forge(lambda e: replace(e, SIGNATURE_NAME, data=forged))


def _edited_manifest(kit: Kit) -> Path:
    """The manifest changed after signing: another version, same signature."""

    def edit(entries: list[Entry]) -> list[Entry]:
        manifest = next(e for e in entries if e.name == MANIFEST_NAME)
        return replace(entries, MANIFEST_NAME, data=manifest.data.replace(b"2.0.0", b"9.0.0"))

    return kit.forge(edit)


def _missing_signature(kit: Kit) -> Path:
    return kit.forge(lambda e: [x for x in e if x.name != SIGNATURE_NAME])


def _unknown_key(kit: Kit) -> Path:
    return forge(kit.tmp / "other.adpack", kit.other_key)


def _rollback(kit: Kit) -> Path:
    return forge(kit.tmp / "old.adpack", kit.key, example_files("0.9.0"), version="0.9.0")


def _same_version(kit: Kit) -> Path:
    return forge(kit.tmp / "same.adpack", kit.key, example_files("1.0.0"), version="1.0.0")


def _expired(kit: Kit) -> Path:
    return kit.forge(created=NOW - timedelta(days=400), expires=NOW - timedelta(days=35))


def _app_too_old(kit: Kit) -> Path:
    return kit.forge(min_app_version="999.0")


def _not_in_manifest(kit: Kit) -> Path:
    return kit.forge(lambda e: [*e, Entry("pack/extra.yaml", b"flows: {}\n")])


def _missing_file(kit: Kit) -> Path:
    return kit.forge(lambda e: [x for x in e if x.name != "pack/scripts.yaml"])


def _size_mismatch(kit: Kit) -> Path:
    data = example_files()["scripts.yaml"] + b"# one more line\n"
    return kit.forge(lambda e: replace(e, "pack/scripts.yaml", data=data))


def _hash_mismatch(kit: Kit) -> Path:
    data = example_files()["scripts.yaml"]
    changed = data.replace(b"a", b"o", 1)
    assert len(changed) == len(data) and changed != data
    return kit.forge(lambda e: replace(e, "pack/scripts.yaml", data=changed))


def _added(name: str, data: bytes = b"x: 1\n", **kw: int) -> Callable[[Kit], Path]:
    def make(kit: Kit) -> Path:
        return kit.forge(lambda e: [*e, Entry(name, data, **kw)])

    return make


def _nul_in_name(kit: Kit) -> Path:
    # zipfile cuts names at NUL when writing: write a stand-in, then patch the raw bytes.
    path = kit.forge(lambda e: [*e, Entry("pack/evil.yamlXsh", b"x: 1\n")])
    return patch_bytes(path, b"pack/evil.yamlXsh", b"pack/evil.yaml\0sh")


def _symlink(kit: Kit) -> Path:
    mode = (stat.S_IFLNK | 0o777) << 16
    return kit.forge(lambda e: [*e, Entry("pack/link.yaml", b"/etc/passwd", external_attr=mode)])


def _encrypted(kit: Kit) -> Path:
    # zipfile clears the flags when writing: set bit 0 ("encrypted") in the raw headers.
    return patch_header(kit.forge(), "pack/scripts.yaml", 6, 8, b"\x01\x00")


def _nested_archive_by_content(kit: Kit) -> Path:
    """A signed file with a .yaml name that holds a zip."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("bomb.yaml", b"0" * 1000)
    files = {**example_files(), "anexo.yaml": inner.getvalue()}
    return kit.forge(files=files)


def _too_many_files(kit: Kit) -> Path:
    extra = [Entry(f"pack/x/{i}.yaml", b"") for i in range(MAX_FILES + 1)]
    return kit.forge(lambda e: e + extra)


def _zip_bomb(kit: Kit) -> Path:
    """A signed file of 4 MiB of blanks: under every size limit, far over the ratio."""
    files = {**example_files(), "blank.yaml": b" " * (4 * 1024 * 1024)}
    return kit.forge(files=files)


def _non_canonical_manifest(kit: Kit) -> Path:
    """Signed correctly, but pretty-printed: one manifest must have one encoding."""

    def edit(entries: list[Entry]) -> list[Entry]:
        manifest = next(e for e in entries if e.name == MANIFEST_NAME)
        pretty = json.dumps(json.loads(manifest.data), indent=2).encode()
        signature = base64.b64encode(kit.key.sign(pretty)) + b"\n"
        entries = replace(entries, MANIFEST_NAME, data=pretty)
        return replace(entries, SIGNATURE_NAME, data=signature)

    return kit.forge(edit)


def _not_a_zip(kit: Kit) -> Path:
    path = kit.tmp / "notes.adpack"
    path.write_bytes(b"flows: {}\n" * 100)
    return path


def _lying_sizes(kit: Kit) -> Path:
    """Header and signed manifest say 2 bytes; the data inflates to much more.

    zipfile stops at the declared size, so the check of the data against its checksum
    fails: nothing beyond the declared bytes is ever read or written.
    """
    big = b"#" * 4000
    path = kit.forge(files={**example_files(), "aaa.yaml": b"#\n"})
    with zipfile.ZipFile(path) as zf:
        entries = [Entry(i.filename, zf.read(i)) for i in zf.infolist()]
    write(path, replace(entries, "pack/aaa.yaml", data=big))
    # The uncompressed size, 4000, becomes 2 in the local header and the central directory.
    return patch_header(path, "pack/aaa.yaml", 22, 24, (2).to_bytes(4, "little"))


class Case(NamedTuple):
    make: Callable[[Kit], Path]
    reason: Reason
    limits: Limits = Limits()


CASES: dict[str, Case] = {
    "bad signature": Case(_bad_signature, Reason.BAD_SIGNATURE),
    "manifest edited after signing": Case(_edited_manifest, Reason.BAD_SIGNATURE),
    "missing signature": Case(_missing_signature, Reason.MISSING_SIGNATURE),
    "unknown key": Case(_unknown_key, Reason.UNKNOWN_KEY),
    "rollback to an older version": Case(_rollback, Reason.ROLLBACK),
    "the same version again": Case(_same_version, Reason.ROLLBACK),
    "expired": Case(_expired, Reason.EXPIRED),
    "needs a newer app": Case(_app_too_old, Reason.APP_TOO_OLD),
    "file not in the manifest": Case(_not_in_manifest, Reason.NOT_IN_MANIFEST),
    "folder entry not in the manifest": Case(_added("pack/extra/"), Reason.NOT_IN_MANIFEST),
    "file missing from the archive": Case(_missing_file, Reason.MISSING_FILE),
    "size mismatch": Case(_size_mismatch, Reason.SIZE_MISMATCH),
    "hash mismatch": Case(_hash_mismatch, Reason.HASH_MISMATCH),
    "absolute path": Case(_added("/etc/agentdesk.yaml"), Reason.ABSOLUTE_PATH),
    "drive letter": Case(_added("C:/agentdesk.yaml"), Reason.ABSOLUTE_PATH),
    "parent path": Case(_added("pack/../../evil.yaml"), Reason.PARENT_PATH),
    "backslash": Case(_added("pack\\..\\evil.yaml"), Reason.BACKSLASH),
    "NUL in a name": Case(_nul_in_name, Reason.NUL_IN_NAME),
    "Windows device name": Case(_added("pack/con.yaml"), Reason.BAD_NAME),
    "duplicate names": Case(_added("pack/scripts.yaml"), Reason.DUPLICATE_NAME),
    "names differing in case": Case(_added("pack/Scripts.yaml"), Reason.CASE_COLLISION),
    "a file that is also a folder": Case(_added("pack/pack.yaml/x.yaml"), Reason.BAD_NAME),
    "symlink": Case(_symlink, Reason.SYMLINK),
    "encrypted entry": Case(_encrypted, Reason.ENCRYPTED),
    "nested archive by name": Case(_added("pack/more.zip", b"PK"), Reason.NESTED_ARCHIVE),
    "nested archive by content": Case(_nested_archive_by_content, Reason.NESTED_ARCHIVE),
    "too many files": Case(_too_many_files, Reason.TOO_MANY_FILES),
    "too many bytes in all": Case(
        lambda kit: kit.forge(), Reason.TOO_MANY_BYTES, Limits(max_total_bytes=4000)
    ),
    "too many bytes in one file": Case(
        lambda kit: kit.forge(), Reason.TOO_MANY_BYTES, Limits(max_file_bytes=1000)
    ),
    "extreme compression ratio": Case(_zip_bomb, Reason.COMPRESSION_RATIO),
    "manifest not canonical": Case(_non_canonical_manifest, Reason.BAD_MANIFEST),
    "not a zip file": Case(_not_a_zip, Reason.NOT_AN_ARCHIVE),
    "sizes that lie": Case(_lying_sizes, Reason.CORRUPT),
}


@pytest.fixture
def installed(tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths) -> Path:
    """Version 1.0.0 of the example pack, installed from a real archive."""
    built = build(copy_example(tmp_path / "src"), tmp_path / "base.adpack", key)
    install(built.path, paths, trust)
    return paths.installed_packs


def test_the_forge_makes_archives_that_pass(
    tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths, installed: Path
) -> None:
    """Without an attack, a forged archive installs: each refusal below is the attack's."""
    path = forge(tmp_path / "good.adpack", key)
    assert verify_archive(path, trust, lambda _: "1.0.0").version == "2.0.0"
    assert install(path, paths, trust).version == "2.0.0"


@pytest.mark.parametrize("name", list(CASES))
def test_refused_with_its_reason_and_nothing_changes(
    name: str,
    tmp_path: Path,
    key: Ed25519PrivateKey,
    other_key: Ed25519PrivateKey,
    trust: TrustStore,
    paths: Paths,
    installed: Path,
) -> None:
    case = CASES[name]
    path = case.make(Kit(tmp_path, key, other_key))
    before = snapshot(installed)

    with pytest.raises(Refusal) as verified:
        verify_archive(path, trust, lambda _: "1.0.0", limits=case.limits)
    assert verified.value.reason == case.reason, verified.value
    with pytest.raises(Refusal) as refused:
        install(path, paths, trust, limits=case.limits)
    assert refused.value.reason == case.reason, refused.value

    message = str(refused.value)
    assert "\n" not in message and message.endswith(f"[{case.reason}]")
    assert path.name in message or "ejemplo" in message
    assert snapshot(installed) == before


def test_ratio_limit_is_the_named_constant(
    tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore
) -> None:
    """The same bomb passes when the ratio limit is raised: the limit, not luck, refused it."""
    path = _zip_bomb(Kit(tmp_path, key, key))
    with pytest.raises(Refusal, match=f"ratio over {MAX_RATIO}"):
        verify_archive(path, trust)
    verify_archive(path, trust, limits=Limits(max_ratio=100_000))


def test_no_trusted_keys_at_all(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    with pytest.raises(Refusal) as refused:
        verify_archive(forge(tmp_path / "a.adpack", key), TrustStore({}))
    assert refused.value.reason == Reason.NO_TRUSTED_KEYS


def test_a_signed_pack_that_does_not_load_is_not_installed(
    tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths, installed: Path
) -> None:
    """Signed and intact, but the YAML inside is broken: verify passes, install refuses."""
    files = {**example_files(), "scripts.yaml": b"scripts: [\n"}
    path = forge(tmp_path / "broken.adpack", key, files)
    before = snapshot(installed)
    verify_archive(path, trust, lambda _: "1.0.0")
    with pytest.raises(Refusal) as refused:
        install(path, paths, trust)
    assert refused.value.reason == Reason.PACK_INVALID
    assert snapshot(installed) == before


def test_the_manifest_must_name_the_pack_inside(
    tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    path = forge(tmp_path / "liar.adpack", key, pack_id="otro")
    with pytest.raises(Refusal, match="the pack inside is ejemplo") as refused:
        install(path, paths, trust)
    assert refused.value.reason == Reason.PACK_INVALID
    assert not (paths.installed_packs / "otro" / "versions").exists() or not any(
        (paths.installed_packs / "otro" / "versions").iterdir()
    )
