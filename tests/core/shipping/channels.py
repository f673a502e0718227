"""Update channels for tests: keys, published channels, a desk that trusts one, a loopback
web server that can misbehave (drip, endless data, swapped files), and an attacker's signing
tool that ignores thresholds."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tuf.api.metadata import Metadata, RootVerificationResult, Targets, VerificationResult

from agentdesk.core.paths import Paths
from agentdesk.core.shipping.desk_trust import trust_root
from agentdesk.core.shipping.publish import create_channel, publish
from agentdesk.core.shipping.repository import ChannelRepository


class Keys(NamedTuple):
    """A channel's keys: one per top-level role (snapshot and timestamp share 'online')."""

    root: Ed25519PrivateKey
    targets: Ed25519PrivateKey
    online: Ed25519PrivateKey

    @classmethod
    def make(cls) -> Keys:
        return cls(*(Ed25519PrivateKey.generate() for _ in range(3)))

    @property
    def all(self) -> list[Ed25519PrivateKey]:
        return list(self)


def new_channel(folder: Path, keys: Keys, *archives: Path) -> Path:
    create_channel(
        folder,
        keys.all,
        root=[keys.root.public_key()],
        targets=[keys.targets.public_key()],
        online=[keys.online.public_key()],
    )
    if archives:
        publish(folder, [keys.targets, keys.online], archives)
    return folder


def trust(paths: Paths, channel: Path) -> None:
    """The desk trusts the channel's current root (as IT would install it)."""
    trust_root(paths.channel, (channel / "metadata" / "root.json").read_bytes())


class Forger(ChannelRepository):
    """An attacker's tool: signs with the keys it holds, whether they are enough or not."""

    def _verification(
        self, role: str, md: Metadata[Any], previous_root: Metadata[Any] | None
    ) -> VerificationResult | RootVerificationResult:
        return VerificationResult(1, {"forged": None}, {})  # type: ignore[dict-item]

    def _signers_of(
        self, role: str, md: Metadata[Any], previous_root: Metadata[Any] | None
    ) -> list[str]:
        return list(self.signers)


def forge_targets(
    folder: Path, keys: list[Ed25519PrivateKey], edit: Callable[[Targets], None]
) -> None:
    """An attacker with ``keys`` changes the top-level targets, then snapshot and timestamp."""
    attacker = Forger(folder, keys)
    with attacker.edit_targets() as signed:
        edit(signed)
    attacker.do_snapshot()
    attacker.do_timestamp()
    attacker.commit()


# -- a static web server on 127.0.0.1 ---------------------------------------------------------


class ChannelServer:
    """Serves a folder; ``drip[name]`` sends that file one byte per that many seconds,
    ``endless`` names files answered with zeros that never end, ``swap[name]`` serves other
    bytes under that name. Names are paths under the folder, e.g. 'metadata/timestamp.json'.
    ``sent`` counts the bytes of each answer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.drip: dict[str, float] = {}
        self.endless: set[str] = set()
        self.swap: dict[str, bytes] = {}
        self.sent: dict[str, int] = {}
        self.stop = threading.Event()
        self.url = ""


class _Handler(http.server.SimpleHTTPRequestHandler):
    server_state: ChannelServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The folder is read per request: a test may point the server at another copy.
        super().__init__(*args, directory=str(self.server_state.folder), **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        state = self.server_state
        name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
        if name in state.endless:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            zeros = bytes(64 * 1024)
            for _ in range(16 * 1024):  # 1 GiB at most, then it stops by itself
                if state.stop.is_set() or not self._write(name, zeros):
                    return
            return
        if name in state.swap or name in state.drip:
            path = state.folder / name
            data = state.swap.get(name) or (path.read_bytes() if path.is_file() else None)
            if data is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            pause = state.drip.get(name)
            if pause is None:
                self._write(name, data)
                return
            for i in range(len(data)):
                if state.stop.wait(pause) or not self._write(name, data[i : i + 1]):
                    return
            return
        super().do_GET()

    def _write(self, name: str, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client gave up
            return False
        sent = self.server_state.sent
        sent[name] = sent.get(name, 0) + len(data)
        return True

    def copyfile(self, source: Any, outputfile: Any) -> None:
        name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
        data = source.read()
        outputfile.write(data)
        sent = self.server_state.sent
        sent[name] = sent.get(name, 0) + len(data)


@contextmanager
def serve(folder: Path) -> Iterator[ChannelServer]:
    state = ChannelServer(folder)
    handler = type("Handler", (_Handler,), {"server_state": state})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False  # a drip still running ends on its own when stop is set
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
