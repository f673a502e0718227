"""Pushing the desk's outbox to the central server: in batches, resumable, with backoff.

A batch is sent in one server transaction and taken out of the outbox only after the server
committed it. A crash or a cut in between leaves it queued; it is sent again, and the
server keeps the copy it has (the push is idempotent). So whatever the desk acknowledged
arrives exactly once, whenever the sync is killed or the server stops.

Syncing never blocks the agent: it runs in a process (``agentdesk central sync``) or a
thread (:class:`SyncThread`, which the app starts) of its own, on its own connections.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Callable

from agentdesk.core.central import usage
from agentdesk.core.central.config import CentralError
from agentdesk.core.central.outbox import DeskOutbox, Entry
from agentdesk.core.central.server import Clash, Server
from agentdesk.core.paths import Paths

BATCH = 500


def push_pending(
    outbox: DeskOutbox,
    server: Server,
    batch: int = BATCH,
    on_batch: Callable[[list[Entry]], None] | None = None,
) -> int:
    """Send everything queued, batch after batch, until the outbox is empty; how many were
    sent. Usage events recorded meanwhile are queued first (:func:`.usage.collect`). Raises
    :class:`CentralError` if the server cannot be used (the rest stays queued).
    """
    desk_id = outbox.desk_id or outbox.enable()
    sent = 0
    while True:
        usage.collect(outbox, batch)  # recorded since the last round: queued behind the notes
        entries = outbox.pending(batch)
        if not entries:
            return sent
        clashes = server.push(desk_id, outbox.desk_name, entries)
        if clashes:
            _renumber(outbox, clashes)
            continue
        outbox.acknowledge(entries)
        sent += len(entries)
        if on_batch is not None:
            on_batch(entries)


def _renumber(outbox: DeskOutbox, clashes: list[Clash]) -> None:
    first: dict[tuple[str, str], Clash] = {}
    for clash in clashes:
        key = (clash.kind, clash.record)
        if key not in first or clash.revision < first[key].revision:
            first[key] = clash
    for clash in first.values():
        outbox.renumber(clash.kind, clash.record, after=clash.newest, since=clash.revision)


class Backoff:
    """Waits between failed attempts: doubling from ``first`` up to ``most`` seconds, each
    with up to a quarter of random spread so many desks do not retry in step."""

    def __init__(
        self, first: float = 1.0, most: float = 300.0, rng: random.Random | None = None
    ) -> None:
        self.first = first
        self.most = most
        self.rng = rng or random.Random()
        self._next = 0.0

    def failed(self) -> float:
        """The wait after another failure."""
        self._next = min(self.most, self._next * 2) if self._next else self.first
        return self._next * (1 + self.rng.uniform(-0.25, 0.25))

    def succeeded(self) -> None:
        self._next = 0.0


class SyncStatus:
    """What the loop last did, for the app's status line and the command's output."""

    def __init__(self) -> None:
        self.sent = 0
        self.error: str | None = None
        self.attempts = 0


def run(
    outbox: DeskOutbox,
    server: Server,
    stop: threading.Event,
    *,
    every: float = 5.0,
    backoff: Backoff | None = None,
    status: SyncStatus | None = None,
    batch: int = BATCH,
    report: Callable[[SyncStatus], None] | None = None,
) -> SyncStatus:
    """Push, then wait ``every`` seconds (or the backoff after a failure), until ``stop``."""
    backoff = backoff or Backoff()
    status = status or SyncStatus()
    while not stop.is_set():
        status.attempts += 1
        try:
            status.sent += push_pending(outbox, server, batch)
            status.error = None
            backoff.succeeded()
            wait = every
        except CentralError as exc:
            status.error = str(exc)
            wait = backoff.failed()
        if report is not None:
            report(status)
        stop.wait(wait)
    return status


class SyncThread(threading.Thread):
    """The sync loop on a daemon thread, with its own database connection and server pool."""

    def __init__(
        self,
        paths: Paths,
        url: str,
        every: float = 5.0,
        on_report: Callable[[SyncStatus], None] | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(name="agentdesk-central-sync", daemon=True)
        self.timeout = timeout
        self.paths = paths
        self.url = url
        self.every = every
        self.on_report = on_report
        self.stop_event = threading.Event()
        self.status = SyncStatus()

    def run(self) -> None:
        backoff = Backoff()
        while not self.stop_event.is_set():
            try:
                with (
                    DeskOutbox.attach(self.paths) as outbox,
                    Server(self.url, timeout=self.timeout) as server,
                ):
                    run(
                        outbox,
                        server,
                        self.stop_event,
                        every=self.every,
                        backoff=backoff,
                        status=self.status,
                        report=self.on_report,
                    )
            except (CentralError, sqlite3.Error, OSError) as exc:
                self.status.error = str(exc)
                if self.on_report is not None:
                    self.on_report(self.status)
                self.stop_event.wait(backoff.failed())

    def stop(self) -> None:
        self.stop_event.set()


def start_background_sync(paths: Paths) -> SyncThread | None:
    """The app's sync thread, started, if a central server is configured (else None)."""
    from agentdesk.core.central.config import NotConfigured, central_url

    try:
        url = central_url(paths)
    except NotConfigured:
        return None
    worker = SyncThread(paths, url)
    worker.start()
    return worker
