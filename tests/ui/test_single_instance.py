"""One app per user and data folder: a second start hands its --pack/--flow to the first."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agentdesk.ui.shell.single_instance import (
    SingleInstance,
    forward,
    open_request,
    read_request,
    server_name,
)
from tests.conftest import EXAMPLE, REPO
from tests.ui.conftest import Make

# A second start's hand-over, in a process of its own: it blocks until the first answers.
HAND_OVER = """
import json, sys
from pathlib import Path
from agentdesk.ui.shell.single_instance import forward
print(forward(Path(sys.argv[1]), json.loads(sys.argv[2]), 20))
"""


def _second_start(data: Path, request: object) -> subprocess.Popen[str]:
    argv = [sys.executable, "-c", HAND_OVER, str(data), json.dumps(request)]
    return subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, text=True)


def test_a_second_start_on_the_same_data_folder_hands_over(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = SingleInstance(data)
    assert first.acquire()
    assert not SingleInstance(data).acquire()  # the same folder: taken
    assert SingleInstance(tmp_path / "other").acquire()  # another folder: its own app
    try:
        assert first.listen()
        with qtbot.waitSignal(first.sig_request, timeout=30_000) as request:
            second = _second_start(data, {"pack": "ejemplo", "flow": "reclamo"})
        assert request.args == [{"pack": "ejemplo", "flow": "reclamo"}]
        assert second.communicate(timeout=30)[0] == "True\n"
    finally:
        first.release()
    assert SingleInstance(data).acquire()  # released: the next start is the app


def test_a_garbled_request_only_brings_the_app_forward(qtbot: QtBot, tmp_path: Path) -> None:
    first = SingleInstance(tmp_path)
    assert first.acquire() and first.listen()
    try:
        with qtbot.waitSignal(first.sig_request, timeout=30_000) as request:
            second = _second_start(tmp_path, {"pack": 7, "flow": ["x"], "rm": "-rf"})
        assert request.args == [{}]
        assert second.communicate(timeout=30)[0] == "True\n"
    finally:
        first.release()
    assert read_request(b"[1, 2") == {} and read_request(b"\xff\xfe") == {}


def test_nobody_answering_ends_the_second_start_with_an_error(tmp_path: Path) -> None:
    assert forward(tmp_path, {}, seconds=0) is False
    assert server_name(tmp_path) == server_name(tmp_path / ".")
    assert server_name(tmp_path) != server_name(tmp_path / "other")


def test_the_lock_of_an_app_that_was_killed_is_taken_over(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path\n"
            "from agentdesk.ui.shell.single_instance import SingleInstance\n"
            "held = SingleInstance(Path(sys.argv[1]))\n"
            "assert held.acquire()\n"
            "print('locked', flush=True); sys.stdin.read()",
            str(tmp_path),
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        assert not SingleInstance(tmp_path).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate()
    assert SingleInstance(tmp_path).acquire()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no desktop
def test_the_running_panel_opens_what_a_second_start_asked_for(make_window: Make) -> None:
    window = make_window()
    assert open_request(window.controller, {"pack": "ejemplo", "flow": "reclamo"})
    assert window.pages.currentWidget() is window.wizard
    assert window.controller.session.walk.flow.id == "reclamo"
    assert open_request(window.controller, {"pack": str(EXAMPLE), "flow": "reclamo"})
    assert EXAMPLE in window.controller.library.folders  # a trainer's folder, as with --pack
    assert not open_request(window.controller, {})  # nothing asked: only brought forward


def test_two_real_starts(qtbot: QtBot, tmp_path: Path) -> None:
    """The app, started twice on one data folder: the second ends at once, the first opens
    the flow (its log file says so)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "agentdesk"]
    first = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    data = Path(os.environ["AGENTDESK_DATA_DIR"])
    try:
        qtbot.waitUntil((data / "agentdesk.lock").is_file, timeout=60_000)  # it is the app
        second = subprocess.run(
            [*command, "--pack", "ejemplo", "--flow", "reclamo"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        log = data / "logs" / "agentdesk.log"
        opened = "opened ejemplo/reclamo for a second start: True"
        qtbot.waitUntil(lambda: log.is_file() and opened in log.read_text(), timeout=60_000)
        assert first.poll() is None  # the first one goes on
    finally:
        first.terminate()
        first.wait(60)
