"""Start-up: the panel paints first; what can wait runs after, in the order it was given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from agentdesk.ui.shell.widgets import after_first_paint
from tests.conftest import REPO


def test_work_after_the_first_paint_runs_in_the_order_given(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    ran: list[str] = []
    after_first_paint(widget, lambda: ran.append("notes"))
    after_first_paint(widget, lambda: ran.append("packs"))
    after_first_paint(widget, lambda: ran.append("measure"), first=True)
    QApplication.processEvents()
    assert ran == []  # not shown, so not painted
    widget.show()
    qtbot.waitUntil(lambda: len(ran) == 3)
    assert ran == ["measure", "notes", "packs"]


# Run the app as `agentdesk` does; at its first paint, list what it had imported by then.
FIRST_PAINT = """
import os, sys
import agentdesk.ui.shell.app as app
def painted(qt_app):
    print(" ".join(sorted(sys.modules)))
    os._exit(0)
app._report_first_paint = painted
sys.argv = ["agentdesk"]
from agentdesk.cli.main import main
main()
"""


def test_the_panel_paints_before_packs_notes_or_pages_are_loaded() -> None:
    """Nothing that can wait delays the first paint: no pack reading (YAML, templates,
    cache), no notes database, no other pages (docs: issue 4, scripts/bench_ui.py). The
    first paint shows the packs listed, from the start list the previous start kept (the
    very first start loads the packs before it can list them)."""
    env = dict(os.environ, AGENTDESK_QUIT_AFTER_PAINT="1")

    def start() -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return set(done.stdout.split())

    assert "agentdesk.core.packs.loader" in start()  # the very first loads the packs
    assert (Path(os.environ["AGENTDESK_CACHE_DIR"]) / "start-list.json").is_file()
    loaded = start()
    assert "agentdesk.ui.panel.main_window" in loaded  # it did paint the panel
    waited = {
        "yaml",
        "jinja2",
        "babel",
        "sqlite3",
        "sqlite_utils",
        "pickle",
        "hashlib",
        "dataclasses",
        "cryptography",
        "agentdesk.core.packs.loader",
        "agentdesk.core.notes",
        "agentdesk.core.flows.walk",
        "agentdesk.ui.wizard.wizard_page",
        "agentdesk.ui.wizard.search_popup",
        "agentdesk.ui.shell.watcher",
        "PySide6.QtNetwork",  # the single instance listens after the first paint
        "logging.handlers",  # the log file opens after it too
        "platform",
        "agentdesk.core.search.index",  # the search is built in idle time (issue 14)
        "agentdesk.core.memory",
        "agentdesk.ui.notes.notes_model",
        "agentdesk.ui.shell.worker",  # the notes open on a worker after the first paint
    }
    assert waited & loaded == set()
