"""Benchmarks of the core against floors measured in the same run.

    .venv/bin/python scripts/bench_core.py

On a synthetic pack of 10,000 steps and 5,000 macros (scripts/synthetic_pack.py):
- cold load + validate, floor: yaml.load(CSafeLoader) of the same files (goal: <= 1.5x)
- warm load from the cache, floor: json.loads of the same data (goal: <= 2x)
- one engine step with rendering: choose + render the step view (goal: p99 < 1 ms)
- render of one script, floor: a plain Jinja2 render of the same template
"""

from __future__ import annotations

import json
import random
import statistics
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
from agentdesk.core.packs.cache import PackCache
from agentdesk.core.packs.loader import load_pack, pack_files


def best_of(runs: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def row(name: str, value: float, floor: float | None, goal: str) -> None:
    ratio = f"{value / floor:5.2f}x" if floor else "   -  "
    floor_text = f"{floor * 1000:9.2f} ms" if floor else "        -   "
    print(f"{name:<38} {value * 1000:9.2f} ms   floor {floor_text}   {ratio}   goal {goal}")


def walk_randomly(session: Session, prepared: bool, steps: int = 20_000) -> list[float]:
    """Time choose + render over a random walk; with ``prepared``, the next steps' texts
    are compiled between answers, as the desktop app does while it waits for the agent."""
    pack = session.walk.pack
    session._renderers.clear()
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_pack(Path(tmp) / "pack")
        files = [root / p for p in pack_files(root)]
        steps = sum(f.read_text().count("        title: Paso") for f in files)
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"synthetic pack: {len(files)} files, {size:.1f} MB, {steps} steps")

        def c_yaml() -> list[object]:
            return [yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader) for f in files]

        floor_cold = best_of(3, c_yaml)
        cold = best_of(3, lambda: load_pack(root, None))
        result = load_pack(root, None)
        assert result.pack is not None, [p.format() for p in result.errors][:5]
        row("cold load + validate", cold, floor_cold, "<= 1.5x")

        cache = PackCache(Path(tmp) / "cache")
        load_pack(root, cache)
        data = [json.dumps(d) for d in c_yaml()]
        floor_warm = best_of(5, lambda: [json.loads(d) for d in data])
        warm = best_of(5, lambda: load_pack(root, cache))
        row("warm load (cache)", warm, floor_warm, "<= 2x")

        pack = result.pack
        session = Session(lambda pid: pack, date(2024, 6, 1))
        session.values = {"nombre": "Juan Pérez", "monto": "1500", "cedula": "1712345678"}
        session.open(pack.id, next(iter(pack.flows)))
        for prepared in (False, True):
            samples = walk_randomly(session, prepared)
            label = "prepared in idle time" if prepared else "first visits compile"
            print(f"engine step + render ({label}), {len(samples)} steps:")
            row("  p50", samples[len(samples) // 2], None, "")
            row("  p99", samples[int(len(samples) * 0.99)], None, "< 1 ms")
            row("  mean", statistics.mean(samples), None, "")

        from jinja2 import Environment

        from agentdesk.core.templates.filters import make_filters

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
        floor_render = best_of(3, lambda: [plain.render(values) for _ in range(n)]) / n
        print(f"script: {text!r}")
        row("render one script", ours, floor_render, "")


if __name__ == "__main__":
    main()
