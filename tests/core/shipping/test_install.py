"""Install, the layout on disk, rollback, progress and what a running app sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.ids import version_key
from agentdesk.core.packs.installed import (
    INCOMING_PREFIX,
    STATE,
    VERSIONS,
    installed_roots,
    read_state,
    watch_folders,
)
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.paths import Paths
from agentdesk.core.shipping.install import install, installed, installed_pack, rollback
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.refusals import Reason, Refusal
from tests.core.shipping.forge import build, copy_example, files_of


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "src")


def test_install_puts_the_pack_where_the_library_finds_it(
    src: Path, tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    built = build(src, tmp_path / "a.adpack", key, "1.5.0")
    result = install(built.path, paths, trust)
    assert (result.pack_id, result.version, result.previous_version) == ("ejemplo", "1.5.0", None)
    assert result.root.parent == paths.installed_packs / "ejemplo" / VERSIONS
    assert files_of(result.root) == files_of(src)
    assert installed_roots(paths.installed_packs) == [result.root]
    entry = Library(paths).load().entries[result.root]
    assert entry.source.origin == "installed" and entry.pack is not None
    assert Library(paths).load().get("ejemplo").version == "1.5.0"  # type: ignore[union-attr]
    (info,) = installed(paths)
    assert (info.pack_id, info.version, info.root) == ("ejemplo", "1.5.0", result.root)


def test_progress_counts_every_byte_and_can_cancel(
    src: Path, tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    built = build(src, tmp_path / "a.adpack", key)
    seen: list[tuple[int, int]] = []
    install(built.path, paths, trust, progress=lambda done, total: seen.append((done, total)))
    total = built.manifest.total_bytes
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        if done > total // 2:
            raise Cancelled

    newer = build(src, tmp_path / "b.adpack", key, "2.0.0")
    before = read_state(paths.installed_packs / "ejemplo")
    with pytest.raises(Cancelled):
        install(newer.path, paths, trust, progress=cancel)
    pack_dir = paths.installed_packs / "ejemplo"
    assert read_state(pack_dir) == before
    assert not list(pack_dir.glob(f"{INCOMING_PREFIX}*"))


def test_update_keeps_the_previous_version_and_rollback_restores_it(
    src: Path, tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    first = install(build(src, tmp_path / "1.adpack", key, "1.0.0").path, paths, trust)
    old_files = files_of(first.root)
    (src / "scripts.yaml").write_text(
        (src / "scripts.yaml").read_text(encoding="utf-8").replace("Buenos días", "Buenas"),
        encoding="utf-8",
    )
    second = install(build(src, tmp_path / "2.adpack", key, "1.1.0").path, paths, trust)
    assert second.previous_version == "1.0.0"
    assert first.root.is_dir() and second.root.is_dir()

    third = install(build(src, tmp_path / "3.adpack", key, "1.2.0").path, paths, trust)
    assert not first.root.exists()  # only the current and the previous version are kept
    assert {p.name for p in (third.root.parent).iterdir()} == {second.root.name, third.root.name}

    back = rollback(paths, "ejemplo")
    assert (back.from_version, back.to_version, back.root) == ("1.2.0", "1.1.0", second.root)
    assert Library(paths).load().get("ejemplo").version == "1.1.0"  # type: ignore[union-attr]
    assert installed_pack(paths, "ejemplo").held_back == "1.2.0"  # type: ignore[union-attr]
    assert not third.root.exists()
    with pytest.raises(Refusal) as refused:
        rollback(paths, "ejemplo")
    assert refused.value.reason == Reason.NOTHING_TO_ROLL_BACK
    assert old_files != files_of(second.root)


def test_rollback_of_a_pack_that_is_not_installed(paths: Paths) -> None:
    for pack_id in ("ejemplo", "../etc"):
        with pytest.raises(Refusal) as refused:
            rollback(paths, pack_id)
        assert refused.value.reason == Reason.NOT_INSTALLED


def test_a_running_library_picks_up_a_new_version_on_reload(
    src: Path, tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    install(build(src, tmp_path / "1.adpack", key, "1.1.0").path, paths, trust)
    library = Library(paths).load()
    assert library.get("ejemplo").version == "1.1.0"  # type: ignore[union-attr]
    watched = watch_folders(paths.installed_packs)
    assert paths.installed_packs / "ejemplo" in watched
    before = installed_roots(paths.installed_packs)

    install(build(src, tmp_path / "2.adpack", key, "1.2.0").path, paths, trust)
    assert installed_roots(paths.installed_packs) != before  # what a watcher compares
    assert library.load().get("ejemplo").version == "1.2.0"  # type: ignore[union-attr]
    rollback(paths, "ejemplo")
    assert library.load().get("ejemplo").version == "1.1.0"  # type: ignore[union-attr]


def test_versions_compare_by_number_with_trailing_zeros_dropped() -> None:
    assert version_key("1.2") == version_key("1.2.0") == version_key("1.2.0.0")
    assert version_key("1.10") > version_key("1.9.9") > version_key("1.2")


def test_the_library_and_installs_agree_that_1_0_is_1_0_0(
    src: Path, tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    result = install(build(src, tmp_path / "a.adpack", key, "1.0").path, paths, trust)
    library = Library(paths).load()  # the bundled ejemplo is 1.0.0: the same version
    assert library.get("ejemplo").root == str(result.root)  # type: ignore[union-attr]
    assert library.in_use()["ejemplo"].source.origin == "installed"
    with pytest.raises(Refusal) as refused:
        install(build(src, tmp_path / "b.adpack", key, "1.0.0").path, paths, trust)
    assert refused.value.reason == Reason.ROLLBACK


def test_leftovers_of_a_killed_install_are_removed_by_the_next(
    src: Path, tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    first = install(build(src, tmp_path / "1.adpack", key, "1.0.0").path, paths, trust)
    pack_dir = paths.installed_packs / "ejemplo"
    half = pack_dir / f"{INCOMING_PREFIX}killed"
    (half / "flows").mkdir(parents=True)
    (half / "pack.yaml").write_text("id: half", encoding="utf-8")
    orphan = pack_dir / VERSIONS / "9.9.9-deadbeef"  # renamed in, state never switched
    orphan.mkdir()
    (pack_dir / f".{STATE}.1234.tmp").write_text("{", encoding="utf-8")
    assert installed_roots(paths.installed_packs) == [first.root]  # not seen meanwhile

    second = install(build(src, tmp_path / "2.adpack", key, "1.1.0").path, paths, trust)
    assert sorted(p.name for p in pack_dir.iterdir()) == [STATE, VERSIONS]
    assert sorted(p.name for p in (pack_dir / VERSIONS).iterdir()) == sorted(
        [first.root.name, second.root.name]
    )


def test_a_first_install_killed_after_its_rename_is_redone(
    src: Path, tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    """A version folder with no state.json: not installed, and replaced by the next try."""
    built = build(src, tmp_path / "1.adpack", key, "1.0.0")
    result = install(built.path, paths, trust)
    (result.root.parent.parent / STATE).unlink()
    (result.root / "pack.yaml").write_text("half", encoding="utf-8")
    assert installed_roots(paths.installed_packs) == []
    again = install(built.path, paths, trust)
    assert again.root == result.root and load_pack(again.root).ok


def test_state_file_is_plain_json(
    src: Path, tmp_path: Path, key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    result = install(build(src, tmp_path / "1.adpack", key, "1.0.0").path, paths, trust)
    state = json.loads((paths.installed_packs / "ejemplo" / STATE).read_text(encoding="utf-8"))
    assert state == {"current": result.root.name, "previous": None, "held_back": None}
