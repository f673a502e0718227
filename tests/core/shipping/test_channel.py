"""Desks update from a channel (TUF metadata beside the archives): from a folder and from a
web server on loopback, what changed, progress, being offline as a normal result, and the
archive checks that still run on what TUF verified."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest
from tuf.api.metadata import TargetFile

from agentdesk.core.paths import Paths
from agentdesk.core.shipping.channel import update
from agentdesk.core.shipping.install import install, installed_pack, rollback
from agentdesk.core.shipping.keys import TrustStore, key_id
from agentdesk.core.shipping.publish import publish
from agentdesk.core.shipping.refusals import Reason, Refusal
from tests.core.shipping.channels import Keys, forge_targets, new_channel, serve, trust
from tests.core.shipping.forge import build, copy_example, snapshot

NO_KEYS = TrustStore({})


@pytest.fixture
def channel(tmp_path: Path, channel_keys: Keys, archives: dict[str, Path]) -> Path:
    """A channel listing ejemplo 1.1.0, trusted by this desk."""
    folder = new_channel(tmp_path / "channel", channel_keys, archives["1.1.0"])
    trust(Paths.resolve(), folder)
    return folder


def version(paths: Paths) -> str | None:
    found = installed_pack(paths, "ejemplo")
    return found.version if found else None


def test_update_from_a_folder_then_already_current(channel: Path, paths: Paths) -> None:
    report = update(str(channel), paths, NO_KEYS)
    assert not report.offline and not report.failed
    (item,) = report.items
    assert (item.status, item.offered, item.installed_before) == ("installed", "1.1.0", None)
    assert version(paths) == "1.1.0"

    (again,) = update(channel.as_uri(), paths, NO_KEYS).items  # a file: address too
    assert again.status == "current"


def test_update_says_what_changed(
    channel: Path, channel_keys: Keys, archives: dict[str, Path], paths: Paths
) -> None:
    public = channel_keys.targets.public_key()
    install(archives["1.0.0"], paths, TrustStore({key_id(public): public}))
    (item,) = update(str(channel), paths, NO_KEYS).items
    assert item.status == "installed" and item.changes is not None
    data = item.changes.to_json()
    assert (data["from"], data["to"]) == ("1.0.0", "1.1.0")
    assert {"section": "flows", "id": "consulta", "change": "changed"}.items() <= data["items"][
        0
    ].items()


def test_update_over_http_on_loopback_with_progress(channel: Path, paths: Paths) -> None:
    seen: list[tuple[str, str, int, int]] = []
    with serve(channel) as server:
        report = update(server.url, paths, NO_KEYS, progress=lambda *e: seen.append(e), timeout=5)
    assert [item.status for item in report.items] == ["installed"]
    phases = [phase for _, phase, _, _ in seen]
    assert phases.index("download") < phases.index("install")
    last_download = [e for e in seen if e[1] == "download"][-1]
    assert last_download[2] == last_download[3]  # every byte of the archive arrived
    assert version(paths) == "1.1.0"
    assert report.bytes_received == sum(server.sent.values())


def test_unreachable_server_is_offline_not_an_error(channel: Path, paths: Paths) -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report = update(f"http://127.0.0.1:{port}/packs/", paths, NO_KEYS, timeout=5)
    assert report.offline and not report.failed and report.items == ()
    assert report.message.startswith(f"cannot reach http://127.0.0.1:{port}/packs/")
    assert version(paths) is None


def test_missing_folder_is_offline(tmp_path: Path, channel: Path, paths: Paths) -> None:
    report = update(str(tmp_path / "unplugged-usb"), paths, NO_KEYS)
    assert report.offline and report.items == ()


def test_a_folder_without_a_channel_is_an_error(
    tmp_path: Path, channel: Path, paths: Paths
) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(Refusal) as refused:
        update(str(tmp_path / "empty"), paths, NO_KEYS)
    assert refused.value.reason == Reason.DOWNLOAD_FAILED
    assert "timestamp.json" in str(refused.value) and "pack publish" in str(refused.value)


def test_a_desk_without_a_root_is_told_what_to_do(tmp_path: Path, paths: Paths) -> None:
    (tmp_path / "channel" / "metadata").mkdir(parents=True)
    with pytest.raises(Refusal) as refused:
        update(str(tmp_path / "channel"), paths, NO_KEYS)
    assert refused.value.reason == Reason.NO_TRUSTED_ROOT
    assert "agentdesk pack trust-root" in str(refused.value)


def test_a_channel_of_other_keys_is_refused(
    tmp_path: Path, channel: Path, archives: dict[str, Path], paths: Paths
) -> None:
    """Same folder, re-created by someone with other keys: the desk's root does not sign it."""
    shutil.rmtree(channel)
    new_channel(channel, Keys.make())
    with pytest.raises(Refusal) as refused:
        update(str(channel), paths, NO_KEYS)
    assert refused.value.reason == Reason.UNTRUSTED_METADATA


def test_edited_metadata_is_refused(channel: Path, paths: Paths) -> None:
    path = channel / "metadata" / "timestamp.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["signed"]["expires"] = "2099-01-01T00:00:00Z"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(Refusal) as refused:
        update(str(channel), paths, NO_KEYS)
    assert refused.value.reason == Reason.UNTRUSTED_METADATA
    assert version(paths) is None


def test_an_archive_swapped_after_publishing_is_refused(
    channel: Path, archives: dict[str, Path], paths: Paths
) -> None:
    """The server holds another (validly signed) archive under the listed name."""
    (listed,) = (channel / "targets").iterdir()
    shutil.copy(archives["1.0.0"], listed)
    before = snapshot(paths.installed_packs)
    report = update(str(channel), paths, NO_KEYS)
    (item,) = report.items
    assert (item.status, item.reason) == ("refused", "hash-mismatch")
    assert report.failed and snapshot(paths.installed_packs) == before
    assert not list((paths.cache / "downloads").iterdir())  # no temporary file left


def test_an_archive_not_signed_by_its_role_is_refused(
    tmp_path: Path, channel: Path, channel_keys: Keys, archives: dict[str, Path], paths: Paths
) -> None:
    """TUF lists it (the metadata is fine), but the archive's own signature is by another key:
    the archive checks still run on what TUF verified."""
    stranger = build(copy_example(tmp_path / "src"), tmp_path / "x.adpack", Keys.make().targets)
    info = TargetFile.from_file("ejemplo.adpack", str(stranger.path), ["sha256"])
    info.unrecognized_fields["custom"] = {"version": "1.0.0"}
    shutil.copy(stranger.path, channel / "targets" / f"{info.hashes['sha256']}.ejemplo.adpack")
    forge_targets(
        channel,
        [channel_keys.targets, channel_keys.online],
        lambda signed: signed.targets.update({"ejemplo.adpack": info}),
    )
    (item,) = update(str(channel), paths, NO_KEYS).items
    assert (item.status, item.reason) == ("refused", "unknown-key")
    assert version(paths) is None


def test_a_version_rolled_back_is_held_until_installed_by_hand(
    channel: Path, channel_keys: Keys, archives: dict[str, Path], paths: Paths
) -> None:
    public = channel_keys.targets.public_key()
    hand = TrustStore({key_id(public): public})
    install(archives["1.0.0"], paths, hand)
    update(str(channel), paths, NO_KEYS)
    rollback(paths, "ejemplo")
    (item,) = update(str(channel), paths, NO_KEYS).items
    assert item.status == "held" and "rolled back from 1.1.0" in item.message
    assert version(paths) == "1.0.0"
    install(archives["1.1.0"], paths, hand)
    assert installed_pack(paths, "ejemplo").held_back is None  # type: ignore[union-attr]


def test_the_channel_takes_a_desk_back_to_the_version_it_lists(
    channel: Path, channel_keys: Keys, archives: dict[str, Path], paths: Paths
) -> None:
    """A release taken back (publish --downgrade): desks follow the channel down."""
    update(str(channel), paths, NO_KEYS)
    publish(
        channel, [channel_keys.targets, channel_keys.online], [archives["1.0.0"]], downgrade=True
    )
    (item,) = update(str(channel), paths, NO_KEYS).items
    assert (item.status, item.installed_before, item.offered) == ("installed", "1.1.0", "1.0.0")
    assert version(paths) == "1.0.0"


def test_only_some_packs(channel: Path, paths: Paths) -> None:
    report = update(str(channel), paths, NO_KEYS, only=["otro"])
    (item,) = report.items
    assert (item.pack_id, item.status) == ("otro", "absent") and report.failed
    assert version(paths) is None


def test_a_source_that_is_neither_folder_nor_web(paths: Paths) -> None:
    with pytest.raises(ValueError, match="folder or an http"):
        update("ftp://example.invalid/packs", paths, NO_KEYS)
