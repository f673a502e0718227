"""Where a channel is (a folder or a web address) and how its files are fetched.

:class:`ChannelFetcher` is the network layer ``tuf.ngclient`` calls for every metadata file
and archive. It adds what TUF leaves to the application:

- **one deadline for the whole update** (:class:`Deadline`): a server that drips a byte a
  second cannot hold a desk longer than that, whatever the number of files. Each wait for
  the network is bounded by the time left, so the deadline holds within a fraction of a
  second; passing it raises ``SlowRetrievalError``.
- **offline is not an error** (:class:`ChannelOffline`): a server that cannot be reached or
  an unplugged shared folder ends the update calmly.
- **folders and shared drives**: ``file:`` addresses are read from disk, and a missing file
  answers like a web server's 404 (which is how TUF learns there is no newer root).

TUF itself bounds every download by the length its signed metadata gives (endless data) and
keeps the bytes in an anonymous temporary file, gone as soon as it is closed.
"""

from __future__ import annotations

import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import IO, NamedTuple

import urllib3
from tuf.api.exceptions import DownloadError, DownloadHTTPError, SlowRetrievalError
from tuf.ngclient.fetcher import FetcherInterface

import agentdesk

#: Folder of the channel holding the TUF metadata, and the one holding the archives.
METADATA_DIR = "metadata"
TARGETS_DIR = "targets"
#: Seconds one update may take in all, unless told otherwise.
DEFAULT_DEADLINE = 120.0
#: Seconds to wait for a connection or for the next bytes (never past the deadline).
READ_TIMEOUT = 10.0
CHUNK = 64 * 1024


class ChannelOffline(DownloadError):
    """The channel cannot be reached now: not an error, try again later."""


class Deadline:
    """The moment an update must be over, on the monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self, what: str) -> float:
        """Seconds left; raises ``SlowRetrievalError`` naming ``what`` once none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise SlowRetrievalError(
                f"{what}: the update did not finish within {self.seconds:g} seconds"
            )
        return left


class Source(NamedTuple):
    """A channel's address as given, and the base addresses TUF fetches from."""

    text: str
    metadata_url: str
    targets_url: str
    folder: Path | None  # for a folder or file: address; None for http(s)

    @classmethod
    def parse(cls, text: str) -> Source:
        """A folder path, a ``file:`` address or an http(s) address; ``ValueError`` else."""
        parts = urllib.parse.urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            base = text if text.endswith("/") else text + "/"
            return cls(text, base + METADATA_DIR + "/", base + TARGETS_DIR + "/", None)
        if scheme == "file":
            folder = _file_path(text)
        elif scheme and len(scheme) > 1:  # one letter: a Windows drive
            raise ValueError(f"'{text}': an update source is a folder or an http(s) address")
        else:
            folder = Path(text).expanduser()
        folder = folder.absolute()
        base = folder.as_uri().rstrip("/") + "/"
        return cls(text, base + METADATA_DIR + "/", base + TARGETS_DIR + "/", folder)


def _file_path(url: str) -> Path:
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parts.path)
    if parts.netloc and parts.netloc != "localhost":  # \\server\share on Windows
        path = f"//{parts.netloc}{path}"
    return Path(urllib.request.url2pathname(path))


class ChannelFetcher(FetcherInterface):
    """Fetches a channel's files over http(s) or from a folder, within one deadline.

    ``on_bytes(count)`` is called as an archive comes in (set it around a download);
    ``received`` counts every byte fetched, for reports and benchmarks.
    """

    def __init__(self, source: Source, deadline: Deadline, read_timeout: float = READ_TIMEOUT):
        self.source = source
        self.deadline = deadline
        self.read_timeout = read_timeout
        self.on_bytes: Callable[[int], None] | None = None
        self.received = 0
        self._pool: urllib3.PoolManager | None = None
        self._last: Iterator[bytes] | None = None

    def close(self) -> None:
        """End the last transfer (a cut-off one is still open) and every connection."""
        self._end_last()
        if self._pool is not None:
            self._pool.clear()
            self._pool = None

    def fetch(self, url: str) -> Iterator[bytes]:
        # ngclient stops reading when a file is too long but leaves the transfer open:
        # close it here, at the next fetch or at close(), rather than whenever it is freed.
        self._end_last()
        self._last = super().fetch(url)
        return self._last

    def _end_last(self) -> None:
        last, self._last = self._last, None
        if isinstance(last, Generator):
            last.close()

    def _fetch(self, url: str) -> Iterator[bytes]:
        # Opens the file or the connection now (so that ``fetch`` can tell a missing file
        # from one that breaks off), then returns an iterator over its bytes.
        if url.startswith("file:"):
            return self._chunks(url, self._open_file(url))
        return self._http(url)

    # -- folders ------------------------------------------------------------------------

    def _open_file(self, url: str) -> IO[bytes]:
        folder = self.source.folder
        if folder is not None and not folder.is_dir():
            raise ChannelOffline(f"the folder {folder} is not available")
        path = _file_path(url)
        try:
            return path.open("rb")
        except FileNotFoundError:
            raise DownloadHTTPError(f"{path} does not exist", 404) from None
        except OSError as exc:
            raise ChannelOffline(f"cannot read {path}: {exc.strerror or exc}") from None

    def _chunks(self, url: str, f: IO[bytes]) -> Iterator[bytes]:
        with f:
            while True:
                self.deadline.left(url)
                try:
                    chunk = f.read(CHUNK)
                except OSError as exc:
                    raise ChannelOffline(f"reading {url} broke off: {exc}") from None
                if not chunk:
                    return
                yield self._count(chunk)

    # -- web servers --------------------------------------------------------------------

    def _http(self, url: str) -> Iterator[bytes]:
        wait = min(self.read_timeout, self.deadline.left(url))
        try:
            response = self._pool_for().request(
                "GET",
                url,
                headers={
                    "User-Agent": f"AgentDesk/{agentdesk.__version__}",
                    "Accept-Encoding": "identity",
                },
                preload_content=False,
                decode_content=False,
                retries=urllib3.Retry(total=3, connect=0, read=0, status=0, redirect=3),
                timeout=urllib3.Timeout(connect=wait, read=wait),
            )
        except urllib3.exceptions.MaxRetryError as exc:
            # (a refused connection is a NewConnectionError, which urllib3 makes a timeout)
            timeout = isinstance(exc.reason, urllib3.exceptions.TimeoutError)
            if timeout and not isinstance(exc.reason, urllib3.exceptions.NewConnectionError):
                self.deadline.left(url)  # the deadline's message if that is what passed
                raise SlowRetrievalError(f"{url}: no answer within {wait:.1f} s") from None
            raise ChannelOffline(f"cannot reach {url}: {_why(exc.reason)}") from None
        except urllib3.exceptions.HTTPError as exc:
            raise ChannelOffline(f"cannot reach {url}: {_why(exc)}") from None
        if response.status >= 400:
            response.release_conn()
            raise DownloadHTTPError(
                f"{url}: the server answered {response.status} {response.reason}",
                response.status,
            )
        return self._stream(url, response)

    def _stream(self, url: str, response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
        complete = False
        try:
            while True:
                wait = min(self.read_timeout, self.deadline.left(url))
                sock = getattr(response.connection, "sock", None)
                if isinstance(sock, socket.socket):
                    sock.settimeout(wait)  # no read may outlast the deadline
                try:
                    chunk = response.read1(CHUNK)
                except urllib3.exceptions.TimeoutError:
                    self.deadline.left(url)
                    raise SlowRetrievalError(f"{url}: no bytes for {wait:.1f} s") from None
                except (urllib3.exceptions.HTTPError, OSError) as exc:
                    raise ChannelOffline(f"the transfer of {url} broke off: {exc}") from None
                if not chunk:
                    complete = True
                    return
                yield self._count(chunk)
        finally:
            if complete:
                response.release_conn()  # for the next file of this update
            else:  # cut off (too long, too slow): never reuse a connection with bytes unread
                response.close()

    def _pool_for(self) -> urllib3.PoolManager:
        """One pool per update (connections are reused), through the system's proxy if any."""
        if self._pool is None:
            url = self.source.metadata_url
            scheme, host = urllib.parse.urlsplit(url).scheme, urllib.parse.urlsplit(url).hostname
            proxy = urllib.request.getproxies().get(scheme)
            if proxy and not urllib.request.proxy_bypass(host or ""):
                self._pool = urllib3.ProxyManager(proxy, num_pools=2)
            else:
                self._pool = urllib3.PoolManager(num_pools=2)
        return self._pool

    def _count(self, chunk: bytes) -> bytes:
        self.received += len(chunk)
        if self.on_bytes is not None:
            self.on_bytes(len(chunk))
        return chunk


def _why(reason: object) -> str:
    text = str(reason)
    # urllib3 wraps the system's words: "<...HTTPConnection object at 0x...>: Failed to
    # establish a new connection: [Errno 111] Connection refused" -> the last part.
    return text.rsplit(": ", 1)[-1] if "object at 0x" in text else text
