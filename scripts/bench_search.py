"""Benchmark the search of flows, scripts, macros and offers (issue 14), against floors
measured in the same run, on a synthetic pack of 100,000 steps (60,200 items):

- index build time (SearchIndex.from_packs, at once; the app builds it a slice at a time
  in idle time with IndexBuild), goal <= 1 s; floor: the plainest inverted index of the
  same texts (lower case, split on spaces, a dict of lists);
- the index's memory (tracemalloc: what it keeps, and its peak while building), goal
  <= 2x the pack's own (what the pack loaded from the cache keeps);
- keystroke -> results: every prefix of what agents type, on a fresh index (the first
  keystroke included), p95 goal <= 10 ms; floor: a linear scan of the same items' folded
  titles for the same text.

Run: ``.venv/bin/python scripts/bench_search.py [--steps N]`` (about a minute, most of it
writing and loading the pack).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_pack import write_synthetic_pack

from agentdesk.core.packs.cache import PackCache
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.packs.model import Pack
from agentdesk.core.search.index import SearchIndex, _entries
from agentdesk.core.text import fold

TYPED = [
    "migracion",
    "macro 1234",
    "seguimiento grupo 12",
    "guion 77",
    "flujo sintetico 3",
    "respuesta 2 del paso 40",
    "whatsapp paso 999",
    "cedula titular",
    "canales de pago",
    "estimado solicitud 4567",
    "vigencia token",
    "plan plus",
]


def row(name: str, value: float, floor: float, goal: str, floor_name: str, unit: str) -> None:
    scale = 1000 if unit == "ms" else 1
    print(
        f"{name:<34} {value * scale:9.2f} {unit}   floor {floor * scale:9.2f} {unit}   "
        f"{value / floor:5.2f}x   goal {goal:<10} {floor_name}"
    )


def plain_index(pack: Pack) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for n, (item, text) in enumerate(_entries(pack, None)):
        for word in set(f"{item.title} {item.detail} {text}".lower().split()):
            index.setdefault(word, []).append(n)
    return index


def build(pack: Pack) -> None:
    floor = min(_timed(lambda: plain_index(pack)) for _ in range(3))
    took = min(_timed(lambda: SearchIndex.from_packs([pack])) for _ in range(3))
    row("index build", took, floor, "<= 1 s", "plain dict of split words", "ms")


def memory(root: Path, cache: PackCache) -> None:
    gc.collect()
    tracemalloc.start()
    pack = load_pack(root, cache).pack
    assert pack is not None
    own = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    index = SearchIndex.from_packs([pack])
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"index of {len(index.items):,} items:")
    row("  memory kept", (kept - own) / 1e6, own / 1e6, "<= 2x", "the pack's own", "MB")
    row("  memory at the peak of the build", (peak - own) / 1e6, own / 1e6, "<= 2x", "", "MB")


def keystrokes(pack: Pack) -> None:
    index = SearchIndex.from_packs([pack])
    titles = [fold(item.title) for item in index.items]
    typed = [text[:n] for text in TYPED for n in range(1, len(text) + 1)]
    times, floor = [], []
    for text in typed:
        times.append(_timed(lambda text=text: index.search(text, 20)))
        query = fold(text)
        scan = lambda q=query: [i for i, title in enumerate(titles) if q in title]  # noqa: E731
        floor.append(_timed(scan))
    first = times[0]
    times.sort()
    floor.sort()
    print(f"{len(times)} keystrokes on a fresh index ({len(index.items):,} items):")
    row("  first keystroke", first, floor[len(floor) // 2], "<= 10 ms", "scan of titles", "ms")
    for name, q in (("p50", 0.5), ("p95", 0.95), ("max", 1.0)):
        at = min(len(times) - 1, int(len(times) * q))
        goal = "<= 10 ms" if name == "p95" else ""
        row(f"  {name}", times[at], floor[at], goal, "scan of titles (same rank)", "ms")


def _timed(func: object) -> float:
    start = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=100_000, help="steps of the pack")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_pack(Path(tmp) / "pack", steps=args.steps)
        cache = PackCache(Path(tmp) / "cache")
        load_pack(root, cache)
        pack = load_pack(root, cache).pack  # from the cache, as the app loads it
        assert pack is not None
        print(f"synthetic pack: {args.steps:,} steps")
        build(pack)
        keystrokes(pack)
        memory(root, cache)


if __name__ == "__main__":
    main()
