"""A kill at any moment of an install leaves the old or the new version, whole and loadable.

A child process installs version 1.1.0 over 1.0.0 and is stopped at a point drawn at random
(fixed seed) among every step of the install code, then killed with SIGKILL. The points are
drawn before the commit point (the switch of ``state.json``), inside it and after it. The
installed state must then be exactly the old version or the new one, whole and loadable,
and the next install must clean up what the kill left.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.packs.installed import INCOMING_PREFIX, VERSIONS, installed_roots, read_state
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.paths import Paths
from agentdesk.core.shipping.install import install
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.refusals import Reason, Refusal
from tests.conftest import REPO
from tests.core.shipping.forge import build, copy_example, files_of

KILLS_BEFORE, KILLS_DURING, KILLS_AFTER = 4, 2, 2
SEED = 20240607


def _child(archive: Path, pubkey: Path, stop_at: int, data: Path) -> tuple[str, int]:
    """Run the child; kill it when it stops. Returns its last line and exit status."""
    paths = _paths(data)
    env = {**os.environ, "AGENTDESK_DATA_DIR": str(paths.data)}
    env["AGENTDESK_CACHE_DIR"] = str(paths.cache)
    command = [sys.executable, "-m", "tests.core.shipping.install_child"]
    with subprocess.Popen(
        [*command, str(archive), str(pubkey), str(stop_at)],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if line == "stopped":
            child.send_signal(signal.SIGKILL)
        _, err = child.communicate()
        assert child.returncode in (0, -signal.SIGKILL), err
        return line, child.returncode


def _paths(data: Path) -> Paths:
    """Each run its own data and cache, so that every child does exactly the same work."""
    return Paths(data, Paths.resolve().config, data.parent / f"{data.name}-cache")


@pytest.fixture
def versions(tmp_path: Path, key: Ed25519PrivateKey) -> dict[str, tuple[Path, dict[str, bytes]]]:
    """Archives of 1.0.0 and 1.1.0 (different content) and each one's files."""
    src = copy_example(tmp_path / "src")
    old = build(src, tmp_path / "old.adpack", key, "1.0.0")
    old_files = files_of(src)
    scripts = src / "scripts.yaml"
    scripts.write_text(
        scripts.read_text(encoding="utf-8").replace("Buenos días", "Buenas tardes"), "utf-8"
    )
    new = build(src, tmp_path / "new.adpack", key, "1.1.0")
    return {"1.0.0": (old.path, old_files), "1.1.0": (new.path, files_of(src))}


def test_a_kill_at_any_moment_leaves_a_consistent_state(
    tmp_path: Path,
    key: Ed25519PrivateKey,
    trust: TrustStore,
    versions: dict[str, tuple[Path, dict[str, bytes]]],
) -> None:
    pubkey = tmp_path / "key.pub"
    pubkey.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    old_archive, new_archive = versions["1.0.0"][0], versions["1.1.0"][0]

    def fresh(name: str) -> Path:
        data = tmp_path / name
        install(old_archive, _paths(data), trust)
        return data

    line, _ = _child(new_archive, pubkey, 0, fresh("count"))
    assert line.startswith("done ")
    events, commit_starts, commit_ends = map(int, line.split()[1:])
    assert 100 < commit_starts < commit_ends < events  # the profiler sees the install's steps

    rng = random.Random(SEED)
    points = (
        rng.sample(range(1, commit_starts), KILLS_BEFORE)
        + rng.sample(range(commit_starts, commit_ends + 1), KILLS_DURING)
        + rng.sample(range(commit_ends + 1, events + 1), KILLS_AFTER)
    )
    for i, stop_at in enumerate(sorted(points)):
        data = fresh(f"run{i}")
        line, status = _child(new_archive, pubkey, stop_at, data)
        assert (line, status) == ("stopped", -signal.SIGKILL)
        paths = _paths(data)

        (root,) = installed_roots(paths.installed_packs)
        result = load_pack(root)
        assert result.ok, result.errors
        version = result.pack.version  # type: ignore[union-attr]
        assert files_of(root) == versions[version][1]
        if stop_at < commit_starts:
            assert version == "1.0.0"
        elif stop_at > commit_ends:
            assert version == "1.1.0"

        # The next install cleans up and brings the new version (or finds it there).
        if version == "1.0.0":
            assert install(new_archive, paths, trust).version == "1.1.0"
        else:
            with pytest.raises(Refusal) as refused:
                install(new_archive, paths, trust)
            assert refused.value.reason == Reason.ROLLBACK
        pack_dir = paths.installed_packs / "ejemplo"
        state = read_state(pack_dir)
        assert state is not None and state.current.startswith("1.1.0-")
        assert not list(pack_dir.glob(f"{INCOMING_PREFIX}*"))
        assert {p.name for p in (pack_dir / VERSIONS).iterdir()} <= {
            state.current,
            state.previous,
        }
