"""Kill -9 a writer at random moments, many times: nothing it reported saved is lost.

A writer process drafts notes the way the panel does (the draft saved as the agent types,
then finished), restoring and finishing the draft it finds at start, and reports each
durable step on stdout. Another runs ``agentdesk notes add``. Each is killed with SIGKILL
at a random moment (fixed seed); then every id reported must be in the database, the
database must pass ``PRAGMA integrity_check``, and the draft must be the last one saved.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

from agentdesk.core.notes import Draft, NoteStore
from tests.conftest import REPO

WRITER_ROUNDS = 80
CLI_ROUNDS = 20
VERSIONS = 3  # draft saves per note before it is finished

WRITER = """
import sys
from pathlib import Path
from agentdesk.core.notes import Draft, NoteStore

def say(*words):
    sys.stdout.write(" ".join(map(str, words)) + "\\n")
    sys.stdout.flush()

store = NoteStore.open(Path(sys.argv[1]))
say("open")
restored = store.load_draft()
if restored is not None:
    say("restored", restored.key, restored.reason)
    say("note", store.finish_draft(restored).id, restored.key)
run = sys.argv[2]
for n in range(10**6):
    key = f"{run}.{n}"
    draft = Draft(key=key, person=f"Cliente {key}", medium="phone")
    for v in range(VERSIONS):
        draft = store.save_draft(draft._replace(reason=f"{key} v{v}"))
        say("draft", key, v)
    say("note", store.finish_draft(draft).id, key)
""".replace("VERSIONS", str(VERSIONS))


def events(output: str) -> list[list[str]]:
    """The complete lines the writer printed (a line cut by the kill does not count)."""
    lines = output.split("\n")[:-1]
    return [line.split() for line in lines]


def run_writer(db: Path, run: int, rng: random.Random) -> list[list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(run)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines = rng.choice([0, 1, 2, rng.randint(3, 12), rng.randint(3, 40)])
    seen = ""
    for _ in range(lines):  # let it get that far, then kill it wherever it is
        line = proc.stdout.readline()
        if not line:
            break
        seen += line
    rest, err = kill(proc)
    assert proc.returncode == -signal.SIGKILL, err
    return events(seen + rest)


def kill(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGKILL, then what it had printed. Read through ``proc.stdout`` itself:
    ``communicate`` would miss what ``readline`` had already buffered."""
    assert proc.stdout is not None and proc.stderr is not None
    proc.send_signal(signal.SIGKILL)
    with proc.stdout, proc.stderr:
        out, err = proc.stdout.read(), proc.stderr.read()
    proc.wait()
    return out, err


def check_writer(store: NoteStore, printed: list[list[str]], ids: set[int]) -> None:
    """Every id printed is stored; the draft is the last saved, or it became a note."""
    notes = {n.id: n for n in store.list_notes(limit=None)}
    ids.update(int(e[1]) for e in printed if e[0] == "note")
    assert ids <= notes.keys()
    draft = store.load_draft()
    saves = [e for e in printed if e[0] == "draft"]
    if not saves:
        return
    _, key, version = saves[-1]
    finished = [n for n in notes.values() if n.reason.startswith(f"{key} v")]
    if printed[-1][0] == "draft":  # killed while drafting: that draft (or the next save) is kept
        allowed = {f"{key} v{version}", f"{key} v{int(version) + 1}"}
        if draft is not None and draft.key == key:
            assert draft.reason in allowed
        else:  # the finish committed but was not printed
            assert int(version) == VERSIONS - 1 and finished
            assert draft is None or draft.reason.endswith(" v0")
    else:
        assert finished and (draft is None or draft.key != key)


def test_kill_9_never_loses_a_reported_note_or_the_draft(tmp_path: Path) -> None:
    rng = random.Random(20240601)
    data = tmp_path / "data"
    db = data / "notes.db"
    ids: set[int] = set()
    restored: dict[int, str] = {}  # note id -> the reason of the draft it was restored from
    for run in range(WRITER_ROUNDS):
        printed = run_writer(db, run, rng)
        if not db.exists():
            continue  # killed before it created the database
        with NoteStore.open(db, backup_every=None) as store:
            assert store.recovery is None
            assert store.integrity_errors() == []
            check_writer(store, printed, ids)
            draft = store.load_draft()
        if draft is not None:  # the next writer finds it and finishes it first
            printed = run_writer_to_restore(db, run, draft)
            assert printed[1] == ["restored", draft.key, *draft.reason.split()]
            assert printed[2][0] == "note" and printed[2][2] == draft.key
            restored[int(printed[2][1])] = draft.reason
            ids.update(int(e[1]) for e in printed if e[0] == "note")

    cli_ids: dict[int, str] = {}  # id printed -> the reason it was given
    for n in range(CLI_ROUNDS):
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "agentdesk", "--data-dir", str(data), "notes", "add"),
                *("--person", f"Cliente {n}", "--medium", "phone", "--reason", f"cli {n}"),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:  # every fourth runs to the end; the others are killed if not done by then
            out, err = proc.communicate(timeout=60 if n % 4 == 3 else rng.uniform(0.02, 0.5))
            assert proc.returncode == 0, err
        except subprocess.TimeoutExpired:  # communicate() again keeps what it had read
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate()
        cli_ids.update({int(line[0]): f"cli {n}" for line in events(out)})

    with NoteStore.open(db, backup_every=None) as store:
        assert store.integrity_errors() == []
        stored = {n.id: n for n in store.list_notes(limit=None)}
    assert ids <= stored.keys()
    assert {i: stored[i].reason for i in restored} == restored
    assert {i: stored[i].reason for i in cli_ids if i in stored} == cli_ids
    # the kills landed mid-work, not only at start; some commands were cut short
    assert len(ids) >= WRITER_ROUNDS // 2 and len(restored) >= 5
    assert CLI_ROUNDS // 4 <= len(cli_ids) < CLI_ROUNDS


def run_writer_to_restore(db: Path, run: int, draft: Draft) -> list[list[str]]:
    """Start a writer and stop it once it has restored and finished the draft."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), f"r{run}"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    seen = "".join(proc.stdout.readline() for _ in range(3))  # open, restored, note
    rest, _ = kill(proc)
    return events(seen + rest)
