"""Start-up: the panel paints first; what can wait runs after, in the order it was given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from agentdesk.ui.shell.qt_start import (
    ELIDE_NONE,
    FONT_ROLE,
    PLAIN_TEXT,
    SCROLL_BAR_ALWAYS_OFF,
    USER_ROLE,
    WORD_WRAP,
    read_sources_faster,
    set_enum,
)
from agentdesk.ui.shell.widgets import after_first_paint, text_label
from agentdesk.ui.wizard.start_page import StartPage
from agentdesk.ui.wizard.wrap_rows import wrap_rows
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


def test_work_given_after_the_first_paint_still_runs(qtbot: QtBot) -> None:
    """Given once the widget has painted, it runs on the next turn (it was dropped)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    ran: list[str] = []
    after_first_paint(widget, lambda: ran.append("early"))
    widget.show()
    qtbot.waitUntil(lambda: ran == ["early"])
    after_first_paint(widget, lambda: ran.append("late"))
    qtbot.waitUntil(lambda: ran == ["early", "late"])


def _until_first_paint(script: str) -> str:
    """What ``script`` (the app started as `agentdesk` starts it, with a hook at the first
    paint that shows the packs) printed."""
    env = dict(os.environ, AGENTDESK_QUIT_AFTER_PAINT="1")
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


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

    def start() -> set[str]:
        return set(_until_first_paint(FIRST_PAINT).split())

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


# At the first paint that shows the packs: whether PySide6 had made its ``Qt`` namespace
# by then (its 93 enums, 11 to 15 ms: see agentdesk.ui.shell.qt_start), and whether the
# list shows the "Expired" header (two bundled packs are expired).
QT_AT_FIRST_PAINT = """
import json, os, sys
import agentdesk.ui.shell.app as app
def painted(qt_app):
    from PySide6 import QtCore
    made = "Qt" in vars(QtCore)  # first: what follows makes it
    from agentdesk.core.i18n import _
    from agentdesk.ui.panel.main_window import MainWindow
    (window,) = [w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow)]
    tree = window.start.list
    rows = [tree.topLevelItem(n).text(0) for n in range(tree.topLevelItemCount())]
    print(json.dumps({"qt": made, "expired": _("Expired (for reference only)") in rows}))
    os._exit(0)
app._report_first_paint = painted
sys.argv = ["agentdesk"]
from agentdesk.cli.main import main
main()
"""


def test_nothing_before_the_first_paint_makes_the_qt_namespace() -> None:
    """PySide6 makes all the enums of ``Qt`` at its first use, more than a bare window's
    whole first paint (docs/performance.md, issue 14): the panel paints its list without
    it, the "Expired" header included, and uses it from then on."""

    def start() -> dict[str, object]:
        return json.loads(_until_first_paint(QT_AT_FIRST_PAINT).splitlines()[-1])  # type: ignore[no-any-return]

    start()  # the very first start keeps the start list
    assert (Path(os.environ["AGENTDESK_CACHE_DIR"]) / "start-list.json").is_file()
    shown = start()
    assert shown == {"qt": False, "expired": True}


def test_the_values_start_up_sets_by_number_are_qt_s_own(qtbot: QtBot) -> None:
    """What qt_start names by number (so the first paint needs no ``Qt``) is Qt's value,
    and set through the property system it does what the enum would."""
    named = [
        (USER_ROLE, Qt.ItemDataRole.UserRole),
        (FONT_ROLE, Qt.ItemDataRole.FontRole),
        (WORD_WRAP, Qt.TextFlag.TextWordWrap),
        (PLAIN_TEXT, Qt.TextFormat.PlainText),
        (SCROLL_BAR_ALWAYS_OFF, Qt.ScrollBarPolicy.ScrollBarAlwaysOff),
        (ELIDE_NONE, Qt.TextElideMode.ElideNone),
    ]
    assert [number for number, _ in named] == [value.value for _, value in named]
    label = text_label("<b>not bold</b>")
    assert label.textFormat() == Qt.TextFormat.PlainText
    page = StartPage()
    qtbot.addWidget(page)
    assert page.list.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    wrap_rows(page.list)
    assert page.list.textElideMode() == Qt.TextElideMode.ElideNone
    with pytest.raises(ValueError, match="no property 'wrapping'"):
        set_enum(label, "wrapping", 1)


def test_the_faster_source_check_gives_pyside_s_answers() -> None:
    """read_sources_faster answers "does this module mention PySide6?" from the file's
    bytes, as PySide6's own check does from its source (see qt_start)."""
    import json as no_qt  # a module of the standard library

    from agentdesk.core import paths as core  # no Qt
    from agentdesk.ui.shell import widgets as ui  # Qt

    assert read_sources_faster()
    check = sys.modules["shibokensupport.feature"]._mod_uses_pyside  # type: ignore[attr-defined]
    answers = [check(module) for module in (no_qt, core, ui, sys)]
    assert answers == [check.original(module) for module in (no_qt, core, ui, sys)]
    assert answers == [False, False, True, False]
