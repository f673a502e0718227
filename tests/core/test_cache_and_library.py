"""The content-hash cache and the library of packs (last good content kept)."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from agentdesk.core.packs.cache import PackCache
from agentdesk.core.packs.installed import State, write_state
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.paths import Paths
from tests.conftest import EXAMPLE
from tests.helpers import SIMPLE_FLOW, write_pack


def test_unchanged_pack_comes_from_the_cache(tmp_path: Path) -> None:
    cache = PackCache(tmp_path / "cache")
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW})
    first = load_pack(root, cache)
    assert first.pack is not None
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    second = load_pack(root, cache)
    assert second.pack == first.pack
    assert second.pack is not first.pack  # unpickled, not parsed again


def test_a_cache_hit_leaves_the_collector_running(tmp_path: Path) -> None:
    cache = PackCache(tmp_path / "cache")
    cache.put("digest", {"pack": ("a", "b")})
    assert gc.isenabled()
    assert cache.get("digest") == {"pack": ("a", "b")}
    assert gc.isenabled()
    (tmp_path / "cache" / "digest.pickle").write_bytes(b"damaged")
    assert cache.get("digest") is None
    assert gc.isenabled()


def test_a_change_misses_the_cache(tmp_path: Path) -> None:
    cache = PackCache(tmp_path / "cache")
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW})
    load_pack(root, cache)
    (root / "f.yaml").write_text(SIMPLE_FLOW.replace("Listo.", "Terminado."), encoding="utf-8")
    result = load_pack(root, cache)
    assert result.pack is not None
    assert result.pack.flows["f"].steps["fin"].text == "Terminado."


def test_damaged_cache_entries_are_misses(tmp_path: Path) -> None:
    cache = PackCache(tmp_path / "cache")
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW})
    load_pack(root, cache)
    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"garbage")
    assert load_pack(root, cache).ok


def test_cached_problems_point_at_the_folder_as_given(tmp_path: Path) -> None:
    cache = PackCache(tmp_path / "cache")
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW.replace("go: fin", "go: x")})
    load_pack(root, cache)
    moved = tmp_path / "moved"
    shutil.copytree(root, moved)
    (problem,) = load_pack(moved, cache).errors
    assert problem.loc.file == str(moved / "f.yaml")


def test_library_lists_bundled_packs(user_dirs: Path) -> None:
    library = Library(Paths.resolve()).load()
    assert "ejemplo" in library.packs()


def test_library_keeps_the_last_good_pack(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW})
    library = Library(None, folders=[root], include_bundled=False).load()
    good = library.get("prueba")
    assert good is not None
    (root / "f.yaml").write_text("flows: [", encoding="utf-8")
    entry = library.reload(root)
    assert entry is not None and entry.stale
    assert library.get("prueba") is good
    assert entry.result.errors[0].code == "yaml"


def test_folder_given_by_hand_wins_over_bundled(tmp_path: Path) -> None:
    copy = tmp_path / "ejemplo"
    shutil.copytree(EXAMPLE, copy)
    text = (copy / "pack.yaml").read_text(encoding="utf-8").replace('"1.0.0"', '"0.9.0"')
    (copy / "pack.yaml").write_text(text, encoding="utf-8")
    library = Library(None, folders=[copy]).load()
    pack = library.get("ejemplo")
    assert pack is not None and pack.version == "0.9.0"


def test_newest_of_installed_and_bundled_wins(tmp_path: Path, user_dirs: Path) -> None:
    paths = Paths.resolve()
    installed = paths.installed_packs / "ejemplo" / "versions" / "by-hand"
    shutil.copytree(EXAMPLE, installed)
    write_state(installed.parent.parent, State("by-hand"))  # what an install leaves
    text = (installed / "pack.yaml").read_text(encoding="utf-8").replace('"1.0.0"', '"1.1.0"')
    (installed / "pack.yaml").write_text(text, encoding="utf-8")
    assert Library(paths).load().get("ejemplo").version == "1.1.0"  # type: ignore[union-attr]
    (installed / "pack.yaml").write_text(text.replace('"1.1.0"', '"0.1.0"'), encoding="utf-8")
    assert Library(paths).load().get("ejemplo").version == "1.0.0"  # type: ignore[union-attr]


def test_links_to_unavailable_packs_are_warned(tmp_path: Path) -> None:
    flow = SIMPLE_FLOW.replace("go: fin", "flow: otro/flujo")
    root = write_pack(tmp_path / "p", {"f.yaml": flow + "      huerfano: {text: x}\n"})
    library = Library(None, folders=[root], include_bundled=False).load()
    (warning,) = library.link_problems()
    assert "otro/flujo" in warning.message
