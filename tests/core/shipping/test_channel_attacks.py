"""The attacks The Update Framework is designed for, each against a desk updating from a
static web server on loopback. In every one the desk keeps the pack it had and says why.

The desk starts with ejemplo 1.0.0 from the channel; the trainers then publish 1.1.0.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.paths import Paths
from agentdesk.core.shipping.channel import update
from agentdesk.core.shipping.install import installed_pack
from agentdesk.core.shipping.keys import TrustStore, key_id
from agentdesk.core.shipping.publish import publish, refresh_timestamp, rotate_keys
from agentdesk.core.shipping.refusals import Reason, Refusal
from agentdesk.core.shipping.repository import ChannelError, ChannelRepository, sha256_of
from tests.core.shipping.channels import (
    ChannelServer,
    Forger,
    Keys,
    forge_targets,
    new_channel,
    serve,
    trust,
)
from tests.core.shipping.forge import snapshot

NO_KEYS = TrustStore({})


@pytest.fixture
def channel(tmp_path: Path, channel_keys: Keys, archives: dict[str, Path], paths: Paths) -> Path:
    """A channel the desk trusts and has updated from: ejemplo 1.0.0 installed."""
    folder = new_channel(tmp_path / "channel", channel_keys, archives["1.0.0"])
    trust(paths, folder)
    update(str(folder), paths, NO_KEYS)
    assert version(paths) == "1.0.0"
    return folder


class Scene(NamedTuple):
    channel: Path
    server: ChannelServer
    keys: Keys
    archives: dict[str, Path]
    paths: Paths


@pytest.fixture
def scene(
    channel: Path, channel_keys: Keys, archives: dict[str, Path], paths: Paths
) -> Iterator[Scene]:
    """The channel served on loopback, its keys, the archives and the desk's folders."""
    with serve(channel) as server:
        yield Scene(channel, server, channel_keys, archives, paths)


def version(paths: Paths) -> str | None:
    found = installed_pack(paths, "ejemplo")
    return found.version if found else None


def publish_new(channel: Path, keys: Keys, archives: dict[str, Path]) -> None:
    publish(channel, [keys.targets, keys.online], [archives["1.1.0"]])


def refused(server: ChannelServer, paths: Paths, timeout: float = 5) -> Refusal:
    before = snapshot(paths.installed_packs)
    with pytest.raises(Refusal) as caught:
        update(server.url, paths, NO_KEYS, timeout=timeout)
    assert snapshot(paths.installed_packs) == before  # the last good pack stays in use
    return caught.value


def test_freeze_an_expired_timestamp_is_refused(scene: Scene) -> None:
    """A 'new' timestamp signed with a 2019 date (or one nobody refreshed)."""
    channel, server, channel_keys, archives, paths = scene
    publish_new(channel, channel_keys, archives)
    refresh_timestamp(channel, [channel_keys.online], now=datetime(2019, 5, 1, tzinfo=UTC))
    refusal = refused(server, paths)
    assert refusal.reason == Reason.CHANNEL_EXPIRED
    assert "timestamp.json is expired" in str(refusal)
    assert version(paths) == "1.0.0"


def test_metadata_rollback_an_older_copy_of_the_channel_is_refused(
    scene: Scene, tmp_path: Path
) -> None:
    """After seeing 1.1.0, the desk is served the channel as it was before (all validly
    signed): it is not 'already current', it is refused."""
    channel, server, channel_keys, archives, paths = scene
    old = shutil.copytree(channel, tmp_path / "old")
    publish_new(channel, channel_keys, archives)
    update(server.url, paths, NO_KEYS)
    assert version(paths) == "1.1.0"
    server.folder = old
    refusal = refused(server, paths)
    assert refusal.reason == Reason.CHANNEL_ROLLBACK
    assert version(paths) == "1.1.0"


def test_fast_forward_then_recovery_by_rotating_the_online_key(
    scene: Scene, tmp_path: Path
) -> None:
    """A stolen online key signs timestamp version 1000; the desk accepts it and then
    refuses the real, lower versions. Rotating the key in a new root recovers every desk."""
    channel, server, channel_keys, archives, paths = scene
    evil = shutil.copytree(channel, tmp_path / "evil")
    forger = Forger(evil, [channel_keys.online])
    with forger.edit_timestamp() as timestamp:
        timestamp.version = 999
    forger.commit()
    server.folder = evil
    (item,) = update(server.url, paths, NO_KEYS).items
    assert item.status == "current"  # nothing looks wrong yet

    server.folder = channel
    publish_new(channel, channel_keys, archives)
    assert refused(server, paths).reason == Reason.CHANNEL_ROLLBACK  # stuck at version 1000

    new_online = Ed25519PrivateKey.generate()
    old_id = key_id(channel_keys.online.public_key())
    for role in ("timestamp", "snapshot"):
        rotate_keys(
            channel,
            [channel_keys.root, channel_keys.online, new_online],
            role,
            add=[new_online.public_key()],
            remove=[old_id],
        )
    (item,) = update(server.url, paths, NO_KEYS).items
    assert (item.status, item.offered) == ("installed", "1.1.0")


def test_mix_and_match_files_of_two_publications_are_refused(scene: Scene) -> None:
    """The server answers for the new targets metadata with the old one (both signed)."""
    channel, server, channel_keys, archives, paths = scene
    metadata = channel / "metadata"
    old_targets = (metadata / "2.targets.json").read_bytes()
    publish_new(channel, channel_keys, archives)
    assert (metadata / "3.targets.json").is_file()
    server.swap["metadata/3.targets.json"] = old_targets
    refusal = refused(server, paths)
    assert refusal.reason == Reason.CHANNEL_MISMATCH
    assert version(paths) == "1.0.0"


def test_endless_data_instead_of_the_timestamp_is_cut_off(scene: Scene) -> None:
    server, paths = scene.server, scene.paths
    server.endless.add("metadata/timestamp.json")
    refusal = refused(server, paths)
    assert refusal.reason == Reason.TOO_MANY_BYTES
    # The desk hung up after TUF's 16 KiB limit for a timestamp; the rest is what the
    # system's socket buffers took before the server noticed, far from the gigabyte it sends.
    assert server.sent["metadata/timestamp.json"] < 64 * 1024 * 1024


def test_endless_data_instead_of_an_archive_is_cut_off(scene: Scene) -> None:
    channel, server, channel_keys, archives, paths = scene
    publish_new(channel, channel_keys, archives)
    server.endless.add(listed_as(archives["1.1.0"]))
    report = update(server.url, paths, NO_KEYS, timeout=5)
    (item,) = report.items
    assert (item.status, item.reason) == ("refused", "too-many-bytes")
    assert version(paths) == "1.0.0"
    assert not list((paths.cache / "downloads").iterdir())


def listed_as(archive: Path) -> str:
    """Where the channel keeps an archive: under its SHA-256."""
    return f"targets/{sha256_of(archive)}.ejemplo.adpack"


def test_slow_retrieval_is_stopped_by_the_update_deadline(scene: Scene) -> None:
    """The archive drips in a byte every 20 ms: no single read waits long enough to time
    out, and the whole file would take minutes. The update's one deadline stops it."""
    channel, server, channel_keys, archives, paths = scene
    publish_new(channel, channel_keys, archives)
    server.drip[listed_as(archives["1.1.0"])] = 0.02
    report = update(server.url, paths, NO_KEYS, timeout=1.5)
    (item,) = report.items
    assert (item.status, item.reason) == ("refused", "too-slow")
    assert "did not finish within 1.5 seconds" in item.message
    assert version(paths) == "1.0.0"
    assert not list((paths.cache / "downloads").iterdir())  # no partial file left behind


def test_a_compromised_targets_key_revoked_by_a_new_root(scene: Scene) -> None:
    """The stolen targets key publishes 99.0.0 (desks take it: the key was trusted). The
    owners rotate the key and publish 1.1.0 signed by the new one: desks go back to 1.1.0 by
    themselves, and what the old key signs from then on is refused."""
    channel, server, channel_keys, archives, paths = scene
    publish(channel, [channel_keys.targets, channel_keys.online], [archives["99.0.0"]])
    update(server.url, paths, NO_KEYS)
    assert version(paths) == "99.0.0"

    new_targets = Ed25519PrivateKey.generate()
    rotate_keys(
        channel,
        [channel_keys.root, new_targets, channel_keys.online],
        "targets",
        add=[new_targets.public_key()],
        remove=[key_id(channel_keys.targets.public_key())],
    )
    from tests.core.shipping.forge import build, copy_example

    src = copy_example(channel.parent / "src")
    rebuilt = build(src, channel.parent / "e.adpack", new_targets, "1.1.0")
    publish(channel, [new_targets, channel_keys.online], [rebuilt.path], downgrade=True)
    (item,) = update(server.url, paths, NO_KEYS).items
    assert (item.status, item.installed_before, item.offered) == ("installed", "99.0.0", "1.1.0")

    forge_targets(channel, [channel_keys.targets, channel_keys.online], lambda t: t.targets.clear())
    refusal = refused(server, paths)
    assert refusal.reason == Reason.UNTRUSTED_METADATA
    assert version(paths) == "1.1.0"


def test_a_threshold_not_met_is_refused(
    tmp_path: Path, channel_keys: Keys, archives: dict[str, Path], paths: Paths
) -> None:
    """Targets needs two of its two keys. The publishing tool refuses one; metadata signed
    with one key anyway (an attacker holding one key) is refused by the desk."""
    second = Ed25519PrivateKey.generate()
    folder = new_channel(tmp_path / "channel", channel_keys, archives["1.0.0"])
    with pytest.raises(ChannelError, match="targets needs 2 signature"):
        rotate_keys(folder, channel_keys.all, "targets", add=[second.public_key()], threshold=2)
    rotate_keys(
        folder, [*channel_keys.all, second], "targets", add=[second.public_key()], threshold=2
    )
    trust(paths, folder)
    with serve(folder) as server:
        update(server.url, paths, NO_KEYS)
        assert version(paths) == "1.0.0"
        with pytest.raises(ChannelError, match="targets needs 2 signature"):
            publish(folder, [channel_keys.targets, channel_keys.online], [archives["1.1.0"]])
        forge_targets(
            folder, [channel_keys.targets, channel_keys.online], lambda t: t.targets.clear()
        )
        refusal = refused(server, paths)
    assert refusal.reason == Reason.UNTRUSTED_METADATA
    assert "targets" in str(refusal)
    assert version(paths) == "1.0.0"
    assert ChannelRepository(folder).threshold_of("targets") == 2
