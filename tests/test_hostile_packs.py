"""The hostile-pack corpus (tests/hostile.py): each case is refused cleanly, warned about, or
accepted and then rendered within bounds, by ``pack validate`` and ``walk`` as users run them.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core.flows.session import Session
from agentdesk.core.packs.loader import load_pack
from agentdesk.core.templates.policy import MAX_OUTPUT_CHARS
from tests.hostile import CASES, LONG_VALUES, Case

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.expect for c in CASES} == {"refused", "warned", "accepted"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_hostile_pack_is_refused_cleanly_or_renders_within_bounds(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roots = case.build(tmp_path)
    args = [str(r) for r in roots]

    code = main(["pack", "validate", "--json", *args])
    out, err = capsys.readouterr()
    assert err == ""
    problems = [p for report in json.loads(out) for p in report["problems"]]
    for problem in problems:  # each says which file, and what to do
        assert Path(problem["file"]).is_relative_to(tmp_path), problem
        assert problem["hint"], problem
    found = {(p["severity"], p["code"]) for p in problems}

    main(["pack", "validate", *args])
    text = capsys.readouterr().out
    assert not RAW_CONTROL.search(text), text  # names and messages escaped
    assert all(line.startswith((str(tmp_path), "    hint: ")) for line in text.splitlines())

    if case.expect == "refused":
        assert code == 1 and ("error", case.code) in found, out
        if len(roots) == 1:  # (two folders clash only when validated together)
            assert run(["walk", str(roots[0]), "--flow", "f"]) == 1, "walk refuses it too"
            walked, err = capsys.readouterr()
            assert walked.strip() and "internal error" not in err  # never silently
        return
    if case.expect == "warned":
        assert code == 0 and ("warning", case.code) in found, out
        assert main(["pack", "validate", "--strict", *args]) == 1
        capsys.readouterr()
    else:
        assert code == 0, out
    for root in roots:
        render_everything(root)


def run(argv: list[str]) -> int | str | None:
    """``agentdesk ARGV``'s exit status (walk ends a pack with errors with SystemExit)."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def render_everything(root: Path) -> None:
    """Every step of every flow, with the examples, with long values, with none typed."""
    pack = load_pack(root).pack
    assert pack is not None
    session = Session(lambda pid: pack if pid == pack.id else None, date(2024, 6, 1))
    examples = {name: var.example or "" for name, var in pack.variables.items()}
    for values in (examples, LONG_VALUES, {}):
        session.values = dict(values)
        for flow in pack.flows.values():
            session.open(pack.id, flow.id)
            for step_id in list(flow.steps)[:50]:
                session.jump(0, step_id)
                view = session.view()
                assert view.errors == (), view.errors
                shown = json.dumps(view.to_json(), ensure_ascii=False, default=str)
                assert len(shown) < 20 * MAX_OUTPUT_CHARS
