"""``pack validate`` and ``walk`` on every hostile pack of the corpus, as a user runs them.

    .venv/bin/python scripts/bench_hostile.py [--only NAME]

Each case of ``tests/hostile.py`` is built in a fresh folder and checked by two separate
processes, with a cold pack cache (nothing prepared in advance): ``agentdesk pack validate
PATH...`` and ``agentdesk walk PATH --flow f --choose fin`` with 500-character details.
Each process's wall time and peak resident memory (``wait4``) are printed beside the same
figures for the bundled example pack (the floor: what any pack costs), measured in the
same run. Goal for every case: at most 2 s and 300 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import CASES, LONG_VALUES  # noqa: E402

AGENTDESK = [sys.executable, "-c", "from agentdesk.cli.main import main; raise SystemExit(main())"]
GOAL_SECONDS = 2.0
GOAL_MB = 300.0


def measure(argv: list[str], home: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit status of ``agentdesk ARGV``, cold cache."""
    env = dict(os.environ, AGENTDESK_LANG="en")
    for name in ("DATA", "CONFIG", "CACHE"):
        env[f"AGENTDESK_{name}_DIR"] = str(home / name.lower())
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*AGENTDESK, *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss: KiB on Linux


def walk_args(root: Path) -> list[str]:
    values = [f"--var={name}={value}" for name, value in LONG_VALUES.items()]
    return ["walk", str(root), "--flow", "f", "--choose", "fin", *values]


def main() -> int:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    cases = [c for c in CASES if only in (None, c.name)]
    example = ROOT / "resources" / "packs" / "ejemplo"
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        floor_validate = measure(["pack", "validate", str(example)], base / "floor-v")
        floor_walk = measure(["walk", str(example), "--flow", "reclamo"], base / "floor-w")
        print(f"{'case':<30} {'expect':<9} {'validate':>17} {'walk':>17}   exit")
        print(f"{'(floor: bundled ejemplo)':<40}{_fig(floor_validate)}{_fig(floor_walk)}")
        worst_wall = worst_mb = 0.0
        worst_name = ""
        for case in cases:
            roots = case.build(base / case.name)
            validate = measure(["pack", "validate", *map(str, roots)], base / f"{case.name}-v")
            walk = measure(walk_args(roots[0]), base / f"{case.name}-w")
            print(
                f"{case.name:<30} {case.expect:<9}{_fig(validate)}{_fig(walk)}"
                f"   {validate[2]}/{walk[2]}"
            )
            for wall, mb, _ in (validate, walk):
                if wall > worst_wall:
                    worst_wall, worst_name = wall, case.name
                worst_mb = max(worst_mb, mb)
    ok = worst_wall <= GOAL_SECONDS and worst_mb <= GOAL_MB
    print(
        f"\nworst wall time {worst_wall:.2f} s ({worst_name}), floor {floor_validate[0]:.2f} s, "
        f"goal <= {GOAL_SECONDS:.0f} s"
    )
    floor_mb = floor_validate[1]
    print(f"worst peak RSS  {worst_mb:.0f} MB, floor {floor_mb:.0f} MB, goal <= {GOAL_MB:.0f} MB")
    print("within the goal" if ok else "OVER THE GOAL")
    return 0 if ok else 1


def _fig(figure: tuple[float, float, int]) -> str:
    wall, mb, _ = figure
    return f" {wall:6.2f} s {mb:6.0f} MB"


if __name__ == "__main__":
    raise SystemExit(main())
