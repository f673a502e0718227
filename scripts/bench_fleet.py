"""Benchmark a fleet of desks updating from one channel (issue 16).

1,000 desks (each its own data, config and cache folders, each trusting the channel's root)
poll a static web server on loopback, run by a separate process. Every desk first installs
ejemplo 1.0.0; once the fleet has done half its second round of polls, 1.1.0 is published
(archives, metadata, timestamp last) while the desks keep polling. The desks run in a pool
of worker processes, each taking its desks one after the other, round after round, until
all of them have 1.1.0.

Printed, each beside a floor measured in the same run:

- converged: desks on 1.1.0 at the end (all of them, or the run failed);
- unverified installs: installed versions whose signed manifest is not one published
  (must be 0), and refusals or leftovers in the desks' download folders;
- time to converge: from the moment 1.1.0 is published to the last desk on it; floor: the
  same processes fetching the new archive and metadata 1,000 times with plain HTTP GETs,
  nothing verified, nothing installed;
- bytes served per desk for the move to 1.1.0; floor: the files that changed (archive,
  timestamp, snapshot, targets), once each;
- median time of one polling update that finds nothing new, and of one that installs.

Run: ``.venv/bin/python scripts/bench_fleet.py`` (a few minutes on 2 cores; ``--desks``,
``--workers`` to change the fleet).
"""

from __future__ import annotations

import argparse
import http.server
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MAX_SECONDS = 1800  # a run that has not converged by then stops and says so


# -- the server (its own process) ---------------------------------------------------------


def serve(folder: str, port: Any, counters: Any, stop: Any) -> None:
    """A static server for ``folder`` that counts requests and bytes sent."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a desk reuses its connection

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=folder, **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            # Headers and body go out as two writes; without this, Nagle's algorithm and the
            # client's delayed ACK add 40 ms to every answer (web servers turn it off too).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def copyfile(self, source: Any, outputfile: Any) -> None:
            data = source.read()
            outputfile.write(data)
            with counters.get_lock():
                counters[0] += 1
                counters[1] += len(data)

        def send_error(self, code: int, *args: Any, **kwargs: Any) -> None:
            with counters.get_lock():
                counters[0] += 1
            super().send_error(code, *args, **kwargs)

    http.server.ThreadingHTTPServer.request_queue_size = 256
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port.value = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    stop.wait()
    httpd.shutdown()


# -- the desks (worker processes) ---------------------------------------------------------


def desk_paths(root: Path, index: int) -> Any:
    from agentdesk.core.paths import Paths

    base = root / f"desk-{index:04d}"
    return Paths(base / "data", base / "config", base / "cache")


def run_desks(
    job: tuple[str, str, list[int], str], polls: Any, published: Any, results: Any
) -> None:
    """Poll for each desk in turn until every one has ``target``; report per desk."""
    root, url, desks, target = job
    from agentdesk.core.shipping.channel import update
    from agentdesk.core.shipping.install import installed_pack
    from agentdesk.core.shipping.keys import TrustStore

    no_keys = TrustStore({})
    pending = list(desks)
    converged: dict[int, float] = {}
    idle: list[float] = []
    installing: list[float] = []
    refusals = 0
    deadline = time.monotonic() + MAX_SECONDS
    while pending and time.monotonic() < deadline:
        for index in list(pending):
            paths = desk_paths(Path(root), index)
            start = time.monotonic()
            report = update(url, paths, no_keys, timeout=60)
            took = time.monotonic() - start
            refusals += sum(item.status == "refused" for item in report.items) + report.offline
            if any(item.status == "installed" for item in report.items):
                installing.append(took)
            else:
                idle.append(took)
            found = installed_pack(paths, "ejemplo")
            if published.value and found is not None and found.version == target:
                converged[index] = time.monotonic()
                pending.remove(index)
            with polls.get_lock():
                polls.value += 1
    results.put({"converged": converged, "idle": idle, "installing": installing,
                 "refusals": refusals, "pending": pending})  # fmt: skip


def raw_gets(job: tuple[str, list[str], int]) -> list[float]:
    """The floor: plain GETs of the files a desk needs to move, no checks, no install."""
    import urllib3

    url, names, count = job
    took = []
    for _ in range(count):
        start = time.monotonic()
        pool = urllib3.PoolManager()
        for name in names:
            pool.request("GET", url + name).data  # noqa: B018
        pool.clear()
        took.append(time.monotonic() - start)
    return took


# -- the run ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desks", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 2))
    args = parser.parse_args()

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from agentdesk.core.shipping.desk_trust import trust_root
    from agentdesk.core.shipping.install import installed_pack
    from agentdesk.core.shipping.publish import create_channel, publish
    from agentdesk.core.shipping.repository import ChannelRepository, sha256_of
    from tests.core.shipping.forge import build, copy_example

    work = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    try:
        root_key, targets_key, online_key = (Ed25519PrivateKey.generate() for _ in range(3))
        src = copy_example(work / "src")
        old = build(src, work / "ejemplo-1.0.0.adpack", targets_key, "1.0.0").path
        flows = src / "flows" / "consulta.yaml"
        flows.write_text(flows.read_text("utf-8").replace("title:", "title: Nueva", 1), "utf-8")
        new = build(src, work / "ejemplo-1.1.0.adpack", targets_key, "1.1.0").path
        channel = work / "channel"
        create_channel(
            channel,
            [root_key, targets_key, online_key],
            root=[root_key.public_key()],
            targets=[targets_key.public_key()],
            online=[online_key.public_key()],
        )
        publish(channel, [targets_key, online_key], [old])
        root_json = (channel / "metadata" / "root.json").read_bytes()
        desks = work / "desks"
        for index in range(args.desks):  # IT's part, done when the desk was set up
            trust_root(desk_paths(desks, index).channel, root_json)

        port, stop = mp.Value("i", 0), mp.Event()
        counters = mp.Array("q", 2)  # requests, bytes
        server = mp.Process(target=serve, args=(str(channel), port, counters, stop))
        server.start()
        while not port.value:
            time.sleep(0.01)
        url = f"http://127.0.0.1:{port.value}/"

        polls, published = mp.Value("q", 0), mp.Value("b", 0)
        results: Any = mp.Queue()
        shares = [list(range(w, args.desks, args.workers)) for w in range(args.workers)]
        workers = [
            mp.Process(
                target=run_desks,
                args=((str(desks), url, share, "1.1.0"), polls, published, results),
            )
            for share in shares
        ]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        while polls.value < args.desks * 1.5:  # every desk on 1.0.0, half a round more
            time.sleep(0.05)
        before = (counters[0], counters[1])
        publish(channel, [targets_key, online_key], [new])
        published_at = time.monotonic()
        published.value = 1
        reports = [results.get() for _ in workers]
        for worker in workers:
            worker.join()
        after = (counters[0], counters[1])
        total = time.monotonic() - started

        converged = {k: v for r in reports for k, v in r["converged"].items()}
        last = max(converged.values()) if converged else float("nan")
        refusals = sum(r["refusals"] for r in reports)
        idle = [t for r in reports for t in r["idle"]]
        installing = [t for r in reports for t in r["installing"]]

        # Nothing unverified: each desk's current version is a published, signed manifest.
        published_manifests = {_manifest_of_archive(old), _manifest_of_archive(new)}
        unverified = leftovers = 0
        for index in range(args.desks):
            paths = desk_paths(desks, index)
            found = installed_pack(paths, "ejemplo")
            record = (found.root / ".adpack-manifest.json").read_bytes() if found else b""
            unverified += _manifest_of_record(record) not in published_manifests
            downloads = paths.cache / "downloads"
            leftovers += len(list(downloads.iterdir())) if downloads.is_dir() else 0

        repo = ChannelRepository(channel)
        changed = [new.stat().st_size]
        changed += [
            (channel / "metadata" / name).stat().st_size
            for name in (
                "timestamp.json",
                f"{repo.snapshot_info.version}.snapshot.json",
                f"{repo.targets_infos['targets.json'].version}.targets.json",
            )
        ]
        names = [f"metadata/{n}" for n in ("timestamp.json",)] + [
            f"metadata/{repo.snapshot_info.version}.snapshot.json",
            f"metadata/{repo.targets_infos['targets.json'].version}.targets.json",
            f"targets/{sha256_of(new)}.ejemplo.adpack",
        ]
        root_version = repo.root().version + 1
        poll_names = [f"metadata/{root_version}.root.json", "metadata/timestamp.json"]
        per = max(1, args.desks // args.workers)
        with mp.Pool(args.workers) as pool:
            floor_start = time.monotonic()
            moves = pool.map(raw_gets, [(url, names, per)] * args.workers)
            floor_total = time.monotonic() - floor_start
            polls_floor = pool.map(raw_gets, [(url, poll_names, per)] * args.workers)
        move_floor = [t for chunk in moves for t in chunk]
        poll_floor = [t for chunk in polls_floor for t in chunk]
        stop.set()
        server.join()

        moved_bytes = (after[1] - before[1]) / args.desks
        print(f"fleet: {args.desks} desks, {args.workers} worker processes, 2 versions")
        print(f"converged to 1.1.0:        {len(converged)}/{args.desks}")
        print(f"unverified installs:       {unverified}  (refusals: {refusals}, "
              f"files left in download folders: {leftovers})")  # fmt: skip
        print(f"time to converge:          {last - published_at:.1f} s after publishing  "
              f"(floor, {args.desks} plain GET rounds of the changed files: "
              f"{floor_total:.1f} s)")  # fmt: skip
        print(f"bytes served per desk:     {moved_bytes:,.0f} for the move to 1.1.0  "
              f"(floor, the changed files once: {sum(changed):,})")  # fmt: skip
        print(f"  of which polls:          {(after[0] - before[0]) / args.desks:.1f} requests "
              f"per desk between publishing and converging")  # fmt: skip
        print(f"one update, nothing new:   median {_ms(idle)}  (floor, plain GETs of the "
              f"next root and timestamp.json: {_ms(poll_floor)})")  # fmt: skip
        print(f"one update that installs:  median {_ms(installing)}  (floor, plain GETs of "
              f"the changed files: {_ms(move_floor)})")  # fmt: skip
        print(f"whole run: {total:.0f} s, {polls.value} polling updates, "
              f"{after[1] / 1e6:.1f} MB served in {after[0]} requests")  # fmt: skip
        ok = len(converged) == args.desks and unverified == 0 and refusals == 0
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.1f} ms" if times else "-"


def _manifest_of_archive(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read("manifest.json")


def _manifest_of_record(record: bytes) -> bytes:
    import json

    from agentdesk.core.shipping.manifest import canonical_json

    if not record:
        return b""
    return canonical_json(json.loads(record)["manifest"])


if __name__ == "__main__":
    sys.exit(main())
