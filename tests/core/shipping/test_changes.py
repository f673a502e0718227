"""What changed between two versions of a pack, as plain data."""

from __future__ import annotations

from pathlib import Path

from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Pack
from agentdesk.core.shipping.changes import describe_changes
from tests.core.shipping.forge import copy_example


def _load(root: Path) -> Pack:
    pack = load_pack(root).pack
    assert pack is not None
    return pack


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_new_pack_has_everything_added(tmp_path: Path) -> None:
    pack = _load(copy_example(tmp_path / "a"))
    changes = describe_changes(None, pack)
    assert changes.is_new and changes.old_version is None
    assert {i.change for i in changes.items} == {"added"}
    assert {i.id for i in changes.items if i.section == "flows"} == set(pack.flows)
    assert changes.lines()[0] == "ejemplo: new, version 1.0.0"


def test_moving_content_around_is_not_a_change(tmp_path: Path) -> None:
    old = _load(copy_example(tmp_path / "a"))
    root = copy_example(tmp_path / "b", "1.0.1")
    _edit(root / "scripts.yaml", "scripts:", "# a comment that shifts every line\n\nscripts:")
    changes = describe_changes(old, _load(root))
    assert changes.items == () and not changes.tests_changed
    assert not changes.manifest_changed  # a new version alone is not a change of details
    assert changes.lines() == ["ejemplo: 1.0.0 -> 1.0.1", "  no change agents can see"]


def test_a_changed_title_is_a_change_of_details(tmp_path: Path) -> None:
    old = _load(copy_example(tmp_path / "a"))
    root = copy_example(tmp_path / "b", "1.0.1")
    _edit(root / "pack.yaml", "title: Pack de ejemplo", "title: Pack de prueba")
    changes = describe_changes(old, _load(root))
    assert changes.items == () and changes.manifest_changed
    assert changes.lines() == ["ejemplo: 1.0.0 -> 1.0.1", "  changed pack details (pack.yaml)"]


def _flow(root: Path, flow_id: str, title: str) -> None:
    (root / f"{flow_id}.yaml").write_text(
        f"flows:\n  {flow_id}:\n    title: {title}\n    steps:\n      fin: {{text: Listo.}}\n",
        encoding="utf-8",
    )


def test_added_removed_and_changed_items(tmp_path: Path) -> None:
    old_root = copy_example(tmp_path / "a")
    _flow(old_root, "viejo", "Un flujo que se va")
    old = _load(old_root)
    root = copy_example(tmp_path / "b", "1.1.0")
    _edit(root / "scripts.yaml", "Buenos días", "Buenas tardes")
    _flow(root, "nuevo", "Un flujo nuevo")
    changes = describe_changes(old, _load(root))

    found = {(i.section, i.id): i.change for i in changes.items}
    assert found == {
        ("flows", "nuevo"): "added",
        ("flows", "viejo"): "removed",
        ("scripts", "saludo"): "changed",
    }
    data = changes.to_json()
    assert (data["pack"], data["from"], data["to"]) == ("ejemplo", "1.0.0", "1.1.0")
    assert data["items"][0] == {
        "section": "flows",
        "id": "nuevo",
        "title": "Un flujo nuevo",
        "change": "added",
    }
    assert "  removed flow viejo (Un flujo que se va)" in changes.lines()
