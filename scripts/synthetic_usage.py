"""Usage events of made-up calls on the bundled packs, recorded the way the app records them.

    .venv/bin/python scripts/synthetic_usage.py --data /tmp/demo --calls 300

Each call opens a flow the desk may use, answers at random (earlier answers more often),
sometimes decides an offer shown, and sometimes stops before an outcome; a clock the script
moves gives each step some seconds. Every intent goes through the core's ``Call`` with its
``CallUsage``, as in the app. For the stats page's screenshots and ``scripts/bench_usage.py``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentdesk.core.flows.walk import WalkError
from agentdesk.core.interaction.call import Call
from agentdesk.core.packs.library import Library
from agentdesk.core.packs.start_list import of_library
from agentdesk.core.usage.events import Event
from agentdesk.core.usage.recording import CallUsage

TODAY = date(2024, 6, 1)


def simulate(
    library: Library,
    calls: int,
    sink: Callable[[list[Event]], None],
    seed: int = 1,
    today: date = TODAY,
    start: float | None = None,
) -> None:
    """Take ``calls`` made-up calls, their events to ``sink``, from ``start`` on (seconds
    since the epoch; default: as many minutes before the end of ``today`` as calls)."""
    rng = random.Random(seed)
    end = datetime(today.year, today.month, today.day, 18).timestamp()
    clock = [start if start is not None else end - calls * 240]
    call = Call(library.get, "desk", lambda: today)
    call.usage = CallUsage(sink, "on", lambda: clock[0])
    flows = [(p.id, f.id) for p, f, _ in of_library(library).current("desk", today)]
    weights = [1 / (n + 1) for n in range(len(flows))]
    for _ in range(calls):
        pack, flow = rng.choices(flows, weights)[0]
        view = call.open(pack, flow)
        while not view.ended and view.choices and rng.random() > 0.06:
            clock[0] += rng.expovariate(1 / 25)
            offers = [o for o in view.offers if o.available and not o.answered]
            if offers and rng.random() < 0.5:
                decision = "accepted" if rng.random() < 0.4 else "refused"
                view = call.decide(rng.choice(offers).id, decision)  # type: ignore[arg-type]
                continue
            picks = [1 / (n + 1) for n in range(len(view.choices))]
            try:
                view = call.choose(rng.choices(view.choices, picks)[0].id)
            except WalkError:
                break
        clock[0] += rng.expovariate(1 / 40)
        call.new_customer()
        clock[0] += rng.expovariate(1 / 60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the data folder to write")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from agentdesk.core.usage.store import UsageStore

    store = UsageStore(args.data / "usage.db")
    simulate(Library(None).load(), args.calls, store.add, args.seed)
    print(store.path)


if __name__ == "__main__":
    main()
