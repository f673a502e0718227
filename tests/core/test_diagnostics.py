"""The log file and crash reports: where they go, what they hold, and what they never hold."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core import diagnostics
from agentdesk.core.paths import Paths

SECRET = "Ana Pérez 0912345678"  # what an agent might have typed


def _raise_chain() -> None:
    try:
        int(SECRET)
    except ValueError as exc:
        raise RuntimeError(f"could not read {SECRET}") from exc


def _report() -> str:
    try:
        _raise_chain()
    except RuntimeError:
        kind, exc, tb = sys.exc_info()
        assert kind is not None and exc is not None
        return diagnostics.crash_report(kind, exc, tb, "thread MainThread", {"qt": "6.x"})
    raise AssertionError("no exception")


def test_a_crash_report_has_the_frames_types_and_versions_but_no_customer_data() -> None:
    text = _report()
    assert "where: thread MainThread" in text
    assert "agentdesk: " in text and "python: " in text and "platform: " in text
    assert "qt: 6.x" in text
    assert "in _raise_chain" in text and "int(SECRET)" in text  # frames, with source lines
    assert text.index("ValueError") < text.index("direct cause") < text.index("RuntimeError")
    assert "Ana" not in text and "0912345678" not in text  # messages are left out


def test_reports_are_private_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    written = [diagnostics.write_report(tmp_path, f"report {n}\n") for n in range(25)]
    kept = sorted(tmp_path.glob("crash-*.txt"))
    assert len(kept) == diagnostics.REPORTS_KEPT
    assert written[-1] in kept and written[-1].read_text() == "report 24\n"
    assert written[-1].stat().st_mode & 0o077 == 0


def test_the_log_rotates_and_keeps_five_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diagnostics, "LOG_BYTES", 2_000)
    path = diagnostics.start_log(tmp_path)
    try:
        assert diagnostics.start_log(tmp_path) == path  # once per file
        for n in range(400):
            diagnostics.log.info("line %d of the log", n)
    finally:
        diagnostics.stop_log()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["agentdesk.log"] + [f"agentdesk.log.{n}" for n in range(1, 6)]
    assert "line 399 of the log" in path.read_text()
    assert all(p.stat().st_size <= 2_100 for p in tmp_path.iterdir())
    assert logging.getLogger("agentdesk").handlers == []


def test_the_log_folder_follows_a_chosen_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Paths.resolve(tmp_path / "d").logs == (tmp_path / "d" / "logs").resolve()
    monkeypatch.setenv("AGENTDESK_LOG_DIR", str(tmp_path / "it-logs"))
    assert Paths.resolve(tmp_path / "d").logs == (tmp_path / "it-logs").resolve()
    monkeypatch.delenv("AGENTDESK_LOG_DIR")
    monkeypatch.delenv("AGENTDESK_DATA_DIR")
    import platformdirs

    assert Paths.resolve().logs == Path(platformdirs.user_log_dir("agentdesk", False)).resolve()


def test_an_internal_error_of_a_command_writes_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from agentdesk.cli import pack_commands

    def broken(*args: object, **kwargs: object) -> int:
        raise KeyError(SECRET)

    monkeypatch.setattr(pack_commands, "list_packs", broken)
    code = main(["--data-dir", str(tmp_path), "pack", "list"])
    err = capsys.readouterr().err
    assert code == 70
    reports = list((tmp_path / "logs").glob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in err
    text = reports[0].read_text()
    assert "where: command pack" in text and "KeyError" in text and "0912345678" not in text
