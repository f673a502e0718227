"""The start list kept between starts (issue 14): read before the packs, never stale."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from agentdesk.core.packs import start_list
from agentdesk.core.packs.library import Library
from agentdesk.core.paths import Paths
from tests.helpers import SIMPLE_FLOW, write_pack

MANIFEST = """\
id: prueba
title: {title}
version: "1.0.0"
locale: es-MX
valid_until: 2030-01-31
"""


@pytest.fixture
def old_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files just written count as old enough to vouch for (see start_list.RECENT_NS)."""
    monkeypatch.setattr(start_list, "RECENT_NS", -(10**18))


def library(tmp_path: Path, title: str = "Pack de prueba") -> Library:
    root = write_pack(tmp_path / "pack", {"flows.yaml": SIMPLE_FLOW}, MANIFEST.format(title=title))
    return Library(Paths.resolve(), folders=[root], include_bundled=False)


def kept(lib: Library) -> start_list.StartList:
    """Load the library and keep its start list, as the app does after every load."""
    key = start_list.fingerprint(lib)
    lib.load()
    listed = start_list.of_library(lib)
    start_list.keep(lib, listed, key)
    return listed


def test_the_list_kept_reads_back_as_the_packs_list_it(tmp_path: Path, old_files: None) -> None:
    lib = library(tmp_path)
    listed = kept(lib)
    again = start_list.read(Library(Paths.resolve(), folders=lib.folders, include_bundled=False))
    assert again == listed
    (pack, flow, expired) = again.current("desk", date(2024, 6, 1))[0]
    assert (pack.title, flow.title, expired) == ("Pack de prueba", "Flujo", False)
    assert pack.manifest.valid_until == date(2030, 1, 31)
    assert again.current("desk", date(2031, 1, 1)) == []  # expired: the same rules


def test_a_changed_pack_is_never_listed_from_the_old_list(tmp_path: Path, old_files: None) -> None:
    lib = library(tmp_path)
    kept(lib)
    write_pack(lib.folders[0], {}, MANIFEST.format(title="Un título nuevo"))
    assert start_list.read(lib) is None  # the packs are loaded before they are listed
    listed = kept(lib)
    assert [p.title for p in listed.packs] == ["Un título nuevo"]
    assert start_list.read(lib) == listed


@pytest.mark.parametrize("change", ["add a file", "remove a file", "add a pack"])
def test_files_added_or_removed_change_the_fingerprint(
    tmp_path: Path, old_files: None, change: str
) -> None:
    lib = library(tmp_path)
    kept(lib)
    if change == "add a file":
        (lib.folders[0] / "more.yaml").write_text("scripts: {}\n", encoding="utf-8")
    elif change == "remove a file":
        (lib.folders[0] / "flows.yaml").unlink()
    else:
        lib.folders.append(write_pack(tmp_path / "other", {"flows.yaml": SIMPLE_FLOW}))
    assert start_list.read(lib) is None


def test_files_changed_a_moment_ago_are_not_vouched_for(tmp_path: Path) -> None:
    """A file written in the same clock tick as it was read could keep its times: a
    list is only kept for files older than RECENT_NS (these were just written)."""
    lib = library(tmp_path)
    assert start_list.fingerprint(lib) is None
    kept(lib)
    assert not (Paths.resolve().cache / start_list.FILE).exists()


def test_a_damaged_list_is_a_miss(tmp_path: Path, old_files: None) -> None:
    lib = library(tmp_path)
    kept(lib)
    path = Paths.resolve().cache / start_list.FILE
    doc = json.loads(path.read_bytes())
    doc["packs"] = [{"id": "prueba", "manifest": {"nonsense": 1}, "flows": []}]
    path.write_text(json.dumps(doc), encoding="utf-8")  # the right key, a wrong list
    assert start_list.read(lib) is None
    path.write_bytes(b"\xff\xfe")
    assert start_list.read(lib) is None
