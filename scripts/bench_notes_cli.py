"""Benchmark ``agentdesk notes list|search|export`` on 1,000,000 notes (issue 14) against the
sqlite3 command-line shell running the same query on the same file, in the same run.

For each command: the time from starting the process to the first line on its output
(goal: under 100 ms), the time to the last line, and the process's peak memory (RSS).
The million notes are made in the set-up (scripts/bench_notes.py's generator; nobody
waits for that); the commands run as installed, from compiled bytecode.

Run: ``.venv/bin/python scripts/bench_notes_cli.py [--keep DIR]`` (``--keep`` shares the
database with ``scripts/bench_notes.py --keep DIR``; about five minutes the first time).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_notes import make_notes

ROOT = Path(__file__).resolve().parent.parent
AGENTDESK = [sys.executable, "-m", "agentdesk"]
FIELDS = "id, created_at, medium, person, reason, follow_up, follow_up_done"
QUALIFIED = ", ".join(f"notes.{name.strip()}" for name in FIELDS.split(","))
SEARCH = "'\"migr\"*'"


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """Seconds to the first line and to the end, peak RSS in MB, and lines read."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    first = process.stdout.readline()
    to_first = time.perf_counter() - start
    lines = 1 if first else 0
    for _ in process.stdout:
        lines += 1
    _, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - start
    assert status == 0, (argv, status)
    return to_first, took, usage.ru_maxrss / 1024, lines


def floors(db: Path) -> dict[str, list[str]]:
    """The sqlite3 shell reading the same rows (or raw sqlite3 in Python, without it)."""
    queries = {
        "list": f"SELECT {FIELDS} FROM notes ORDER BY id DESC",
        "search migr": f"SELECT {QUALIFIED} FROM notes_fts JOIN notes ON notes.id = "
        f"notes_fts.rowid WHERE notes_fts MATCH {SEARCH} ORDER BY notes_fts.rowid DESC",
        "export --format csv": "SELECT * FROM notes ORDER BY id",
        "export --format jsonl": "SELECT * FROM notes ORDER BY id",
    }
    shell = shutil.which("sqlite3")
    if shell:
        modes = {"export --format csv": ["-csv", "-header"], "export --format jsonl": ["-json"]}
        return {name: [shell, *modes.get(name, []), str(db), sql] for name, sql in queries.items()}
    stream = (
        "import sqlite3, sys\n"
        "for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(*row, sep='|')"
    )
    return {name: [sys.executable, "-c", stream, str(db), sql] for name, sql in queries.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="agentdesk-bench-") as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"notes-{args.notes}.db"
        if not db.exists():
            make_notes(db, args.notes)
        data = Path(scratch) / "data"
        data.mkdir()
        os.link(db, data / "notes.db")  # the same file, as the data folder's notes
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(scratch) / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app runs from bytecode
        env["PYTHONPATH"] = str(ROOT)
        base = [*AGENTDESK, "--data-dir", str(data), "notes"]
        run([*base, "list", "--limit", "1"], env)  # compiles the bytecode, as installing does
        floor = floors(db)
        print(f"{args.notes:,} notes; floor: {Path(floor['list'][0]).name} on the same file")
        print(f"{'command':<24} {'first line':>18} {'last line':>18} {'peak RSS':>18}  lines")
        for name, shell in floor.items():
            ours = run([*base, *name.split()], env)
            bare = run(shell, env)
            print(
                f"notes {name:<18} {ours[0] * 1e3:7.0f} ms ({bare[0] * 1e3:4.0f})"
                f" {ours[1]:8.2f} s ({bare[1]:5.2f}) {ours[2]:8.0f} MB ({bare[2]:5.0f})"
                f"  {ours[3]:,} ({bare[3]:,})"
            )
        print("(in brackets: the floor; goal: first line under 100 ms, flat memory)")


if __name__ == "__main__":
    main()
