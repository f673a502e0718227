"""Update channels: publish a signed index, update from a folder and from a web server on
loopback, and being offline as a normal result."""

from __future__ import annotations

import functools
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agentdesk.core.paths import Paths
from agentdesk.core.shipping.channel import INDEX_NAME, read_index, update, write_index
from agentdesk.core.shipping.install import install, installed_pack, rollback
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.refusals import Reason, Refusal
from tests.core.shipping.forge import build, copy_example, snapshot


@pytest.fixture
def channel(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    """A published channel with ejemplo 1.0.0 and 1.1.0 (the index names 1.1.0)."""
    src = copy_example(tmp_path / "src")
    folder = tmp_path / "channel"
    build(src, folder / "ejemplo-1.0.0.adpack", key, "1.0.0")
    flows = src / "flows" / "consulta.yaml"
    flows.write_text(
        flows.read_text(encoding="utf-8").replace("title:", "title: Nueva", 1), "utf-8"
    )
    build(src, folder / "ejemplo-1.1.0.adpack", key, "1.1.0")
    write_index(folder, key)
    return folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(channel: Path) -> Iterator[str]:
    """The channel folder served over HTTP on 127.0.0.1, on a port the system picks."""
    handler = functools.partial(_Quiet, directory=str(channel))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()
            thread.join()


def test_the_index_lists_the_newest_archive_of_each_pack(
    channel: Path, key: Ed25519PrivateKey, trust: TrustStore
) -> None:
    index = read_index((channel / INDEX_NAME).read_bytes(), trust, "index")
    (entry,) = index.packs
    assert (entry.pack_id, entry.version, entry.archive) == (
        "ejemplo",
        "1.1.0",
        "ejemplo-1.1.0.adpack",
    )
    assert entry.size == (channel / entry.archive).stat().st_size


def test_update_from_a_folder_then_already_current(
    channel: Path, trust: TrustStore, paths: Paths
) -> None:
    report = update(str(channel), paths, trust)
    assert not report.offline and not report.failed
    (item,) = report.items
    assert (item.status, item.offered, item.installed_before) == ("installed", "1.1.0", None)
    assert installed_pack(paths, "ejemplo").version == "1.1.0"  # type: ignore[union-attr]

    (again,) = update(str(channel), paths, trust).items
    assert again.status == "current"


def test_update_says_what_changed(channel: Path, trust: TrustStore, paths: Paths) -> None:
    install(channel / "ejemplo-1.0.0.adpack", paths, trust)
    (item,) = update(str(channel / INDEX_NAME), paths, trust).items
    assert item.status == "installed" and item.changes is not None
    data = item.changes.to_json()
    assert (data["from"], data["to"]) == ("1.0.0", "1.1.0")
    assert {"section": "flows", "id": "consulta", "change": "changed"}.items() <= data["items"][
        0
    ].items()


def test_update_over_http_on_loopback_with_progress(
    server: str, trust: TrustStore, paths: Paths
) -> None:
    seen: list[tuple[str, str, int, int]] = []
    report = update(server, paths, trust, progress=lambda *event: seen.append(event), timeout=5)
    assert [item.status for item in report.items] == ["installed"]
    phases = [phase for _, phase, _, _ in seen]
    assert phases.index("download") < phases.index("install")
    last_download = [e for e in seen if e[1] == "download"][-1]
    assert last_download[2] == last_download[3]  # every byte of the archive arrived
    assert installed_pack(paths, "ejemplo").version == "1.1.0"  # type: ignore[union-attr]


def test_unreachable_server_is_offline_not_an_error(trust: TrustStore, paths: Paths) -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report = update(f"http://127.0.0.1:{port}/packs/", paths, trust, timeout=5)
    assert report.offline and not report.failed and report.items == ()
    assert "cannot reach" in report.message
    assert installed_pack(paths, "ejemplo") is None


def test_missing_folder_is_offline(tmp_path: Path, trust: TrustStore, paths: Paths) -> None:
    report = update(str(tmp_path / "unplugged-usb"), paths, trust)
    assert report.offline and report.items == ()


def test_a_missing_index_is_an_error(server: str, trust: TrustStore, paths: Paths) -> None:
    with pytest.raises(Refusal) as refused:
        update(server + "nothing-here/", paths, trust, timeout=5)
    assert refused.value.reason == Reason.DOWNLOAD_FAILED
    assert "404" in str(refused.value)


def test_an_index_signed_by_an_unknown_key_is_refused(
    channel: Path, other_key: Ed25519PrivateKey, trust: TrustStore, paths: Paths
) -> None:
    write_index(channel, other_key)
    with pytest.raises(Refusal) as refused:
        update(str(channel), paths, trust)
    assert refused.value.reason == Reason.UNKNOWN_KEY


def test_an_edited_index_is_refused(channel: Path, trust: TrustStore, paths: Paths) -> None:
    doc = json.loads((channel / INDEX_NAME).read_text(encoding="utf-8"))
    doc["index"]["packs"][0]["archive"] = "ejemplo-1.0.0.adpack"
    (channel / INDEX_NAME).write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(Refusal) as refused:
        update(str(channel), paths, trust)
    assert refused.value.reason == Reason.BAD_SIGNATURE


def test_an_archive_swapped_after_publishing_is_refused(
    channel: Path, trust: TrustStore, paths: Paths
) -> None:
    """The server now holds another (validly signed) archive under the listed name."""
    (channel / "ejemplo-1.0.0.adpack").replace(channel / "ejemplo-1.1.0.adpack")
    before = snapshot(paths.installed_packs)
    report = update(str(channel), paths, trust)
    (item,) = report.items
    assert (item.status, item.reason) == ("refused", "hash-mismatch")
    assert report.failed and snapshot(paths.installed_packs) == before
    assert not list((paths.cache / "downloads").iterdir())


def test_a_version_rolled_back_is_held_until_installed_by_hand(
    channel: Path, trust: TrustStore, paths: Paths
) -> None:
    install(channel / "ejemplo-1.0.0.adpack", paths, trust)
    update(str(channel), paths, trust)
    rollback(paths, "ejemplo")
    (item,) = update(str(channel), paths, trust).items
    assert item.status == "held" and "rolled back from 1.1.0" in item.message
    assert installed_pack(paths, "ejemplo").version == "1.0.0"  # type: ignore[union-attr]
    install(channel / "ejemplo-1.1.0.adpack", paths, trust)
    assert installed_pack(paths, "ejemplo").held_back is None  # type: ignore[union-attr]


def test_only_some_packs(channel: Path, trust: TrustStore, paths: Paths) -> None:
    report = update(str(channel), paths, trust, only=["otro"])
    (item,) = report.items
    assert (item.pack_id, item.status) == ("otro", "absent") and report.failed
    assert installed_pack(paths, "ejemplo") is None


def test_a_source_that_is_neither_folder_nor_web(trust: TrustStore, paths: Paths) -> None:
    with pytest.raises(ValueError, match="folder or an http"):
        update("ftp://example.invalid/packs", paths, trust)
