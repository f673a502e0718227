"""One reader of pack folders for validate, walk and the app: the same files accepted or
refused, with the same message, everywhere (issue 13).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core.packs.library import Library
from tests.helpers import SIMPLE_FLOW, write_pack


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int | str | None, str, str]:
    try:
        code: int | str | None = main(list(argv))
    except SystemExit as exc:  # walk ends a pack with errors this way
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def linked_manifest(tmp_path: Path) -> Path:
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW})
    (tmp_path / "elsewhere.yaml").write_bytes((root / "pack.yaml").read_bytes())
    (root / "pack.yaml").unlink()
    (root / "pack.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    return root


def test_a_linked_pack_yaml_is_refused_alike_by_validate_walk_and_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = linked_manifest(tmp_path)
    expected = (
        f"{root / 'pack.yaml'}:1:1: error: pack.yaml is a symbolic link, and links are not read"
    )

    code, out, _ = run(capsys, "pack", "validate", str(root))
    assert code == 1 and expected in out  # it used to say "ok"
    code, out, _ = run(capsys, "walk", str(root))
    assert code == 1 and expected in out  # it used to exit 1 printing nothing

    library = Library(None, folders=[root], include_bundled=False).load()  # the app's
    (entry,) = library.failed()
    assert expected in [p.format().split("\n")[0] for p in entry.result.problems]

    outside = tmp_path / "packs"  # a linked pack.yaml among bundled or installed packs
    outside.mkdir()
    root.rename(outside / "p")
    found = Library(None, bundled=outside).load()
    assert [e.source.root for e in found.failed()] == [outside / "p"]  # said, not dropped


def test_a_folder_named_pack_yaml_gets_a_message_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    (root / "pack.yaml").mkdir(parents=True)
    code, out, _ = run(capsys, "pack", "validate", str(root))
    assert code == 1
    assert "pack.yaml is a folder; it must be a file" in out
    assert "has no pack.yaml" not in out


def test_skipped_links_and_special_files_are_reported_and_fail_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW})
    (tmp_path / "outside.yaml").write_text("facts: {}\n", encoding="utf-8")
    (root / "extra.yaml").symlink_to(tmp_path / "outside.yaml")
    os.mkfifo(root / "pipe.yaml")
    code, out, _ = run(capsys, "pack", "validate", "--json", str(root))
    assert code == 0
    (report,) = json.loads(out)
    found = {(p["file"], p["severity"], p["code"]) for p in report["problems"]}
    assert (str(root / "extra.yaml"), "warning", "skipped-link") in found
    assert (str(root / "pipe.yaml"), "warning", "skipped-file") in found
    code, out, _ = run(capsys, "pack", "validate", "--strict", str(root))
    assert code == 1 and "is not read" in out


def test_two_folders_with_the_same_pack_and_version_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write_pack(tmp_path / "a", {"f.yaml": SIMPLE_FLOW})
    second = write_pack(tmp_path / "b", {"f.yaml": SIMPLE_FLOW})
    code, out, _ = run(capsys, "pack", "validate", str(first), str(second))
    assert code == 1
    assert (
        f"{second / 'pack.yaml'}:1:1: error: pack 'prueba' version 1.0.0 is also in {first}" in out
    )
    code, _, _ = run(capsys, "pack", "validate", str(first), str(first))
    assert code == 0  # the same folder twice is no clash


def test_file_names_are_escaped_in_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_pack(tmp_path / "p\x1b[2Jx", {"f.yaml": SIMPLE_FLOW, "a\x1b[31m\nb.yaml": "x: ["})
    code, out, _ = run(capsys, "pack", "validate", str(root))
    assert code == 1
    assert "\x1b" not in out
    (line,) = [line for line in out.splitlines() if "error: YAML syntax" in line]
    assert line.startswith(str(tmp_path) + "/p\\x1b[2Jx/a\\x1b[31m\\nb.yaml:2:1: error:")


def test_over_2000_files_is_said_at_the_folder_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {f"x/{i}.yaml": "facts: {}\n" for i in range(2001)}
    root = write_pack(tmp_path / "p", {"f.yaml": SIMPLE_FLOW, **files})
    code, out, _ = run(capsys, "pack", "validate", str(root))
    assert code == 1
    first, hint = out.splitlines()[:2]
    assert first == f"{root}: error: the pack has 2,003 YAML files; a pack may have up to 2,000"
    assert hint.startswith("    hint: Split it into several packs")


def test_a_missing_pack_folder_for_the_app_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shot = tmp_path / "shot.png"
    code, _, err = run(
        capsys, "--pack", str(tmp_path / "does-not-exist"), "--screenshot", str(shot)
    )
    assert code == 2
    assert f"--pack: '{tmp_path / 'does-not-exist'}': no such folder" in err
    assert not shot.exists()  # no window on the bundled packs instead


def test_walk_says_which_folder_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "walk", str(tmp_path / "nada"))
    assert code == 2 and "no such folder" in err
