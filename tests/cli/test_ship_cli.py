"""``agentdesk pack keygen|build|verify|install|rollback|update|trust-root`` and the channel
commands: exit codes, one-line refusals naming the reason, and JSON for scripts."""

from __future__ import annotations

import json
import shutil
import socket
import stat
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core.paths import Paths
from agentdesk.core.shipping.keys import load_private
from tests.conftest import EXAMPLE
from tests.core.shipping.forge import forge, set_version


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, _ = run(capsys, "pack", "keygen", "--out", str(tmp_path / "keys"))
    assert code == 0
    return tmp_path / "keys"


@pytest.fixture
def src(tmp_path: Path) -> Path:
    root = tmp_path / "ejemplo"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest.fixture
def archive(tmp_path: Path, keys: Path, src: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "ejemplo-1.0.0.adpack"
    code, _, _ = run(
        capsys, "pack", "build", str(src), "-o", str(out), "--key", str(keys / "pack-signing.key")
    )
    assert code == 0
    return out


def _one_refusal(err: str, reason: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("agentdesk: refused: ") and lines[0].endswith(f"[{reason}]")


def test_keygen_writes_an_owner_only_private_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "pack", "keygen", "--out", str(tmp_path / "k"))
    assert code == 0 and "key id:" in out
    private = tmp_path / "k" / "pack-signing.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert (tmp_path / "k" / "pack-signing.pub").is_file()
    code, _, err = run(capsys, "pack", "keygen", "--out", str(tmp_path / "k"))
    assert code == 1 and "already exists" in err and len(err.strip().splitlines()) == 1


def test_build_verify_install_rollback(
    tmp_path: Path, keys: Path, src: Path, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pub = str(keys / "pack-signing.pub")
    code, _, err = run(capsys, "pack", "verify", str(archive))
    assert code == 1
    _one_refusal(err, "no-trusted-keys")

    code, out, _ = run(capsys, "pack", "verify", str(archive), "--trust", pub)
    assert code == 0 and ": ok: ejemplo 1.0.0 (not installed)" in out

    code, out, _ = run(capsys, "pack", "install", str(archive), "--trust", pub)
    assert code == 0 and out.startswith("installed ejemplo 1.0.0")
    code, _, err = run(capsys, "pack", "install", str(archive), "--trust", pub)
    assert code == 1
    _one_refusal(err, "rollback")

    set_version(src, "1.1.0")
    newer = tmp_path / "ejemplo-1.1.0.adpack"
    key = str(keys / "pack-signing.key")
    assert run(capsys, "pack", "build", str(src), "-o", str(newer), "--key", key)[0] == 0
    code, out, _ = run(capsys, "pack", "install", str(newer), "--trust", pub, "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["version"], result["previous"]) == ("1.1.0", "1.0.0")
    assert result["changes"]["from"] == "1.0.0"

    code, out, _ = run(capsys, "pack", "list", "--json")
    rows = [r for r in json.loads(out) if r["id"] == "ejemplo" and r["in_use"]]
    assert [(r["origin"], r["version"]) for r in rows] == [("installed", "1.1.0")]

    code, out, _ = run(capsys, "pack", "rollback", "ejemplo")
    assert code == 0 and "rolled back ejemplo 1.1.0 -> 1.0.0" in out
    code, _, err = run(capsys, "pack", "rollback", "ejemplo")
    assert code == 1
    _one_refusal(err, "nothing-to-roll-back")


def test_the_trusted_keys_folder_is_used(
    keys: Path, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Paths.resolve().trusted_keys
    folder.mkdir(parents=True)
    shutil.copy(keys / "pack-signing.pub", folder / "trainer.pub")
    code, out, _ = run(capsys, "pack", "verify", str(archive), "--json")
    assert code == 0 and json.loads(out)["manifest"]["pack_id"] == "ejemplo"


def test_a_tampered_archive_is_refused_in_one_line(
    tmp_path: Path, keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = load_private(keys / "pack-signing.key")
    crafted = forge(
        tmp_path / "evil.adpack",
        key,
        edit=lambda e: [*e, e[-1]._replace(name="pack/../../escape.yaml")],
    )
    pub = str(keys / "pack-signing.pub")
    for action in ("verify", "install"):
        code, out, err = run(capsys, "pack", action, str(crafted), "--trust", pub)
        assert code == 1 and out == ""
        _one_refusal(err, "parent-path")
    code, out, _ = run(capsys, "pack", "verify", str(crafted), "--trust", pub, "--json")
    assert code == 1 and json.loads(out)["reason"] == "parent-path"
    assert not (tmp_path / "escape.yaml").exists()


def test_build_refuses_a_pack_whose_tests_fail(
    tmp_path: Path, keys: Path, src: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tests = src / "tests.yaml"
    tests.write_text(
        tests.read_text(encoding="utf-8").replace("step: cierre", "step: explicar", 1), "utf-8"
    )
    out_file = tmp_path / "x.adpack"
    code, out, err = run(
        capsys,
        "pack",
        "build",
        str(src),
        "-o",
        str(out_file),
        "--key",
        str(keys / "pack-signing.key"),
    )
    assert code == 1 and "FAIL " in out
    assert err.startswith("agentdesk: refused to build: ") and "scenario test" in err
    assert not out_file.exists()


def test_usage_errors_exit_2(
    tmp_path: Path, keys: Path, archive: Path, src: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_key = tmp_path / "not-a-key.pub"
    not_a_key.write_text("hello", encoding="utf-8")
    cases = [
        ("pack", "verify", str(tmp_path / "missing.adpack")),
        ("pack", "verify", str(archive), "--trust", str(not_a_key)),
        ("pack", "build", str(src), "-o", str(tmp_path / "o.adpack"), "--key", str(not_a_key)),
        (
            "pack",
            "build",
            str(src),
            "-o",
            "o.adpack",
            "--key",
            str(keys / "pack-signing.key"),
            "--expires",
            "next year",
        ),
        ("pack", "update", "--from", "ftp://example.invalid/"),
        ("pack", "publish", str(tmp_path / "nowhere"), "--key", str(keys / "pack-signing.key")),
        ("pack", "trust-root", str(tmp_path / "missing-root.json")),
        ("pack", "new-channel", str(tmp_path / "c"), "--key", str(not_a_key)),
    ]
    for argv in cases:
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        assert err.startswith("agentdesk: error: ") and len(err.strip().splitlines()) == 1


def test_a_new_version_is_verified_and_installed_against_the_installed_one(
    tmp_path: Path, keys: Path, src: Path, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pub, key = str(keys / "pack-signing.pub"), str(keys / "pack-signing.key")
    assert run(capsys, "pack", "install", str(archive), "--trust", pub)[0] == 0
    set_version(src, "1.1.0")
    newer = tmp_path / "ejemplo-1.1.0.adpack"
    assert run(capsys, "pack", "build", str(src), "-o", str(newer), "--key", key)[0] == 0

    code, out, _ = run(capsys, "pack", "verify", str(newer), "--trust", pub)
    assert code == 0 and ": ok: ejemplo 1.1.0 (installed: 1.0.0)" in out
    code, out, _ = run(capsys, "pack", "install", str(newer), "--trust", pub)
    assert code == 0
    assert out.splitlines() == ["installed ejemplo 1.0.0 -> 1.1.0", "  no change agents can see"]


def test_publish_a_channel_and_update_from_it(
    tmp_path: Path, keys: Path, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    channel = tmp_path / "channel"
    key = str(keys / "pack-signing.key")
    code, out, _ = run(capsys, "pack", "new-channel", str(channel), "--key", key)
    assert code == 0 and "metadata/root.json" in out
    code, out, _ = run(capsys, "pack", "publish", str(channel), str(archive), "--key", key)
    assert code == 0 and out.strip() == "published ejemplo 1.0.0 (role targets)"

    code, _, err = run(capsys, "pack", "update", "--from", str(channel))
    assert code == 1
    _one_refusal(err, "no-trusted-root")
    code, out, _ = run(capsys, "pack", "trust-root", str(channel / "metadata" / "root.json"))
    assert code == 0 and "trusts the channel root version 1" in out and "SHA-256" in out

    code, out, _ = run(capsys, "pack", "update", "--from", str(channel))
    assert code == 0 and out.startswith("installed ejemplo 1.0.0")
    code, out, _ = run(capsys, "pack", "update", "--from", str(channel), "--json")
    assert code == 0 and json.loads(out)["items"][0]["status"] == "current"

    code, out, _ = run(capsys, "pack", "timestamp", str(channel), "--key", key)
    assert code == 0 and "timestamp signed again" in out
    code, out, _ = run(capsys, "pack", "channel-status", str(channel), "--json")
    roles = {r["role"]: r for r in json.loads(out)}
    assert roles["timestamp"]["version"] == 3 and roles["targets"]["packs"] == ["ejemplo 1.0.0"]


def test_a_channel_with_separate_keys_and_thresholds(
    tmp_path: Path, keys: Path, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Root and targets need two signatures each; too few keys is refused in one line and
    writes nothing; delegating a pack to a team; rotating a key publishes a new root."""
    for name in ("root1", "root2", "targets1", "targets2", "online", "team"):
        assert run(capsys, "pack", "keygen", "--out", str(keys), "--name", name)[0] == 0
        assert stat.S_IMODE((keys / f"{name}.key").stat().st_mode) == 0o600

    def k(name: str) -> str:
        return str(keys / f"{name}.key")

    channel = tmp_path / "channel"
    signers = ["--key", k("root1"), "--key", k("root2"), "--key", k("targets1")]
    signers += ["--key", k("targets2"), "--key", k("online")]
    roles = ["--root", k("root1"), "--root", k("root2"), "--root-threshold", "2"]
    roles += ["--targets", k("targets1"), "--targets", k("targets2"), "--targets-threshold", "2"]
    roles += ["--online", k("online")]
    code, _, err = run(capsys, "pack", "new-channel", str(channel), *roles, *signers[:2])
    assert code == 1 and "root needs 2 signature(s)" in err and len(err.splitlines()) == 1
    assert not channel.exists()
    assert run(capsys, "pack", "new-channel", str(channel), *roles, *signers)[0] == 0

    team = str(keys / "team.pub")
    code, out, _ = run(
        capsys, "pack", "delegate", str(channel), "ventas", "--pack", "ejemplo",
        "--signer", team, "--key", k("targets1"), "--key", k("targets2"), "--key", k("online"),
    )  # fmt: skip
    assert code == 0 and "delegated the role ventas" in out
    code, _, err = run(capsys, "pack", "publish", str(channel), str(archive), *signers)
    assert code == 1 and "not published" in err and "[unknown-key]" in err  # not ventas' key

    code, out, _ = run(
        capsys, "pack", "rotate-keys", str(channel), "--role", "root", "--add", team,
        "--threshold", "3", *signers, "--key", k("team"),
    )  # fmt: skip
    assert code == 0 and out.startswith("root version 2: root keys ") and "threshold 3" in out
    code, out, _ = run(capsys, "pack", "channel-status", str(channel))
    assert "ventas" in out and "3 of " in out


def test_a_desk_trusting_the_old_key_adopts_the_endorsed_root(
    tmp_path: Path, keys: Path, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Migration: the desk trusts only the trainer's .pub (as before TUF). The trainer's key
    becomes the channel's targets key, and signs the channel's first root; the desk adopts
    that root once, then the root decides."""
    folder = Paths.resolve().trusted_keys
    folder.mkdir(parents=True)
    shutil.copy(keys / "pack-signing.pub", folder / "trainer.pub")
    for name in ("root", "online", "stranger"):
        assert run(capsys, "pack", "keygen", "--out", str(keys), "--name", name)[0] == 0
    old = str(keys / "pack-signing.key")
    channel = tmp_path / "channel"
    code, _, _ = run(
        capsys, "pack", "new-channel", str(channel), "--root", str(keys / "root.pub"),
        "--targets", str(keys / "pack-signing.pub"), "--online", str(keys / "online.pub"),
        "--key", str(keys / "root.key"), "--key", old, "--key", str(keys / "online.key"),
    )  # fmt: skip
    assert code == 0
    publish = ["pack", "publish", str(channel), str(archive)]
    assert run(capsys, *publish, "--key", old, "--key", str(keys / "online.key"))[0] == 0
    code, _, err = run(capsys, "pack", "update", "--from", str(channel))
    assert code == 1
    _one_refusal(err, "no-trusted-root")  # nothing endorsed yet

    endorse = ["pack", "endorse-root", str(channel), "--key"]
    assert run(capsys, *endorse, str(keys / "stranger.key"))[0] == 0
    code, _, err = run(capsys, "pack", "update", "--from", str(channel))
    assert code == 1
    _one_refusal(err, "unknown-key")  # endorsed, but not by a key this desk trusts
    assert not (Paths.resolve().channel / "metadata" / "root.json").exists()

    code, out, _ = run(capsys, *endorse, old)
    assert code == 0 and "root-endorsement.json" in out
    code, out, _ = run(capsys, "pack", "update", "--from", str(channel))
    assert code == 0 and out.startswith("installed ejemplo 1.0.0")
    assert (Paths.resolve().channel / "metadata" / "root.json").is_file()  # adopted

    for pub in folder.iterdir():  # from now on the root decides, not the .pub files
        pub.unlink()
    code, out, _ = run(capsys, "pack", "update", "--from", str(channel))
    assert code == 0 and out.startswith("current: ejemplo 1.0.0")


def test_update_when_offline_exits_0(keys: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pub = str(keys / "pack-signing.pub")
    url = f"http://127.0.0.1:{port}/"
    code, out, err = run(capsys, "pack", "update", "--from", url, "--trust", pub, "--timeout", "5")
    assert code == 0 and out.startswith("offline: ") and err == ""
