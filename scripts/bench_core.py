"""Benchmarks of the core against floors measured in the same run.

    .venv/bin/python scripts/bench_core.py [--steps 100000]

On a synthetic pack of 10,000 steps and 5,000 macros (scripts/synthetic_pack.py):
- cold load + validate, floors: yaml.load(CSafeLoader) of the same files (goal: <= 1.5x),
  and libyaml's bare event stream, yaml.parse(CSafeLoader), consumed (the tight floor:
  reading the YAML at all);
- warm load from the cache, floor: json.loads of the same data (goal: <= 2x);
- render of one script, floor: a plain Jinja2 render of the same template.

On a pack of 100,000 steps (--steps), loaded from the cache as the app does:
- one engine step with rendering (choose + render the step view), p99, goal < 1 ms, with
  the texts compiled on first visit and prepared in idle time as the app does; floor: the
  same step texts rendered by plain, precompiled Jinja2 templates;
- the longest garbage-collector pause during those steps (gc.callbacks), goal < 10 ms,
  after agentdesk.core.memory.settle(), and without it.
The search index at that size is measured by scripts/bench_search.py.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml
from synthetic_pack import write_synthetic_pack

from agentdesk.core.flows.session import Session
from agentdesk.core.memory import settle
from agentdesk.core.packs.cache import PackCache
from agentdesk.core.packs.loader import load_pack, pack_files
from agentdesk.core.packs.model import Pack

VALUES = {"nombre": "Juan Pérez", "monto": "1500", "cedula": "1712345678"}


def best_of(runs: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def row(name: str, value: float, floor: float | None, goal: str, floor_name: str = "") -> None:
    ratio = f"{value / floor:5.2f}x" if floor else "   -  "
    floor_text = f"{floor * 1000:9.2f} ms" if floor else "        -   "
    print(
        f"{name:<38} {value * 1000:9.2f} ms   floor {floor_text}   {ratio}   goal {goal:<8}"
        f" {floor_name}".rstrip()
    )


def yaml_floors(files: list[Path], runs: int) -> tuple[float, float]:
    """libyaml building Python objects, and libyaml's bare event stream, consumed."""

    def objects() -> None:
        for f in files:
            yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)

    def events() -> None:
        for f in files:
            for _ in yaml.parse(f.read_bytes(), Loader=yaml.CSafeLoader):
                pass

    return best_of(runs, objects), best_of(runs, events)


def loads(root: Path, cache_folder: Path) -> Pack:
    files = [root / p for p in pack_files(root)]
    steps = sum(f.read_text().count("        title: Paso") for f in files)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"synthetic pack: {len(files)} files, {size:.1f} MB, {steps} steps")
    floor_objects, floor_events = yaml_floors(files, 3)
    cold = best_of(3, lambda: load_pack(root, None))
    result = load_pack(root, None)
    assert result.pack is not None, [p.format() for p in result.errors][:5]
    row("cold load + validate", cold, floor_objects, "<= 1.5x", "yaml.load(CSafeLoader)")
    row("", cold, floor_events, "", "yaml.parse(CSafeLoader) events (tight floor)")

    cache = PackCache(cache_folder)
    load_pack(root, cache)
    data = [json.dumps(yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)) for f in files]
    floor_warm = best_of(5, lambda: [json.loads(d) for d in data])
    warm = best_of(5, lambda: load_pack(root, cache))
    row("warm load (cache)", warm, floor_warm, "<= 2x", "json.loads of the same data")
    return result.pack


def render_one(pack: Pack) -> None:
    from jinja2 import Environment

    from agentdesk.core.templates.filters import make_filters

    session = Session(lambda pid: pack, date(2024, 6, 1))
    session.values = dict(VALUES)
    text = pack.scripts["s1"].text
    renderer = session.renderer(pack)
    context = renderer.context(session.values)
    renderer.render(text, context)
    env = Environment()
    env.filters.update(make_filters("es-MX", None))
    plain = env.from_string(text)
    values = dict(session.values, plan="Básico", fecha="2024-01-01")
    n = 20_000
    ours = best_of(3, lambda: [renderer.render(text, context) for _ in range(n)]) / n
    floor = best_of(3, lambda: [plain.render(values) for _ in range(n)]) / n
    print(f"script: {text!r}")
    row("render one script", ours, floor, "", "plain Jinja2, precompiled")


class Pauses:
    """The collector's pauses (gc.callbacks), while recording."""

    def __init__(self) -> None:
        self.found: list[tuple[float, int]] = []
        self._start = 0.0
        gc.callbacks.append(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.found.append((time.perf_counter() - self._start, info["generation"]))

    def longest(self) -> tuple[float, int]:
        return max(self.found, default=(0.0, 0))


def walk_randomly(session: Session, prepared: bool, steps: int = 20_000) -> list[float]:
    """Time choose + render over a random walk; with ``prepared``, the next steps' texts
    are compiled between answers, as the desktop app does while it waits for the agent."""
    pack = session.walk.pack
    rng = random.Random(1)
    flows = list(pack.flows)
    samples: list[float] = []
    session.open(pack.id, flows[0])
    while len(samples) < steps:
        choices = session.walk.step.choices
        if not choices:
            session.open(pack.id, rng.choice(flows))
            continue
        if prepared:
            session.prepare_next()
        choice = rng.choice(choices).id or ""
        start = time.perf_counter()
        session.choose(choice)
        session.view()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples


def plain_floor(pack: Pack, steps: int = 20_000) -> list[float]:
    """The same kind of walk, each step's texts rendered by precompiled plain Jinja2."""
    from jinja2 import DictLoader, Environment

    from agentdesk.core.templates.filters import make_filters

    snippets = {k: v.text for k, v in pack.snippets.items()}
    env = Environment(loader=DictLoader(snippets))
    env.filters.update(make_filters("es-MX", None))
    values = dict(VALUES, plan="Básico", fecha="2024-01-01")
    rng = random.Random(1)
    flows = list(pack.flows.values())
    flow = flows[0]
    step = next(iter(flow.steps.values()))
    compiled: dict[str, object] = {}
    samples: list[float] = []
    while len(samples) < steps:
        if not step.choices:
            flow = rng.choice(flows)
            step = next(iter(flow.steps.values()))
            continue
        step = flow.steps[rng.choice(step.choices).go or ""]
        texts = [t for t in (step.text, step.ask) if t]
        for t in texts:
            compiled.setdefault(t, env.from_string(t))
        start = time.perf_counter()
        for t in texts:
            compiled[t].render(values)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples


def steps_and_pauses(pack: Pack) -> None:
    floor = plain_floor(pack)
    floor_p99 = floor[int(len(floor) * 0.99)]
    pauses = Pauses()

    def walk(label: str, prepared: bool) -> None:
        session = Session(lambda pid: pack, date(2024, 6, 1))
        session.values = dict(VALUES)
        session.open(pack.id, next(iter(pack.flows)))
        pauses.found.clear()
        samples = walk_randomly(session, prepared)
        longest, generation = pauses.longest()
        print(f"engine step + render ({label}), {len(samples)} steps:")
        row("  p50", samples[len(samples) // 2], floor[len(floor) // 2], "")
        row("  p99", samples[int(len(samples) * 0.99)], floor_p99, "< 1 ms", "plain Jinja2")
        row("  mean", statistics.mean(samples), statistics.mean(floor), "")
        print(
            f"  longest collector pause: {longest * 1000:.2f} ms (generation {generation}), "
            f"{len(pauses.found)} collections; goal < 10 ms"
        )

    walk("first visits compile, before settle()", False)
    start = time.perf_counter()
    settle()
    print(f"settle(): {(time.perf_counter() - start) * 1000:.0f} ms, once, in idle time")
    walk("first visits compile", False)
    walk("prepared in idle time, as the app does", True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=100_000, help="steps of the large pack")
    parser.add_argument("--walk", nargs=2, metavar=("PACK", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.walk:  # in a process of its own, as the app: the pack from the cache
        large = load_pack(Path(args.walk[0]), PackCache(Path(args.walk[1]))).pack
        assert large is not None
        steps_and_pauses(large)
        return
    with tempfile.TemporaryDirectory() as tmp:
        pack = loads(write_synthetic_pack(Path(tmp) / "pack"), Path(tmp) / "cache")
        render_one(pack)
        root = write_synthetic_pack(Path(tmp) / "large", steps=args.steps)
        start = time.perf_counter()
        load_pack(root, PackCache(Path(tmp) / "cache"))
        print(f"\nlarge pack: {args.steps:,} steps, cold load {time.perf_counter() - start:.1f} s")
        walk = [sys.executable, __file__, "--walk", str(root), str(Path(tmp) / "cache")]
        subprocess.run(walk, check=True)


if __name__ == "__main__":
    main()
