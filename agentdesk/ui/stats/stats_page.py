"""The usage figures of this desk, for trainers and supervisors: menu ☰ → "Usage of the flows…".

Choose a pack (or every pack) and a period; the page shows visits per step, answer shares,
outcomes, offer acceptance, median time per step, drop-off points and the steps nobody
visited, as bars (:mod:`.bars`), from what :mod:`agentdesk.core.usage.overview` gives. The
events are read and aggregated on a worker thread (:func:`read_figures`): a year of a busy
desk is a second or more of work. The page also sets the ``usage_stats`` setting and
exports the figures as CSV, the same file as ``agentdesk stats --csv``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.usage.figures import Figures
from agentdesk.core.usage.overview import (
    PERIODS,
    Cancelled,
    charts,
    load,
    period_name,
    since,
    summary,
    write_csv,
)
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.widgets import set_text, text_label
from agentdesk.ui.shell.worker import Worker, run_in_worker
from agentdesk.ui.stats.bars import ChartList


def recording_names() -> dict[str, str]:
    """The words for each value of the ``usage_stats`` setting."""
    return {
        "off": _("Recording: off"),
        "on": _("Recording: every pack"),
        "pack": _("Recording: packs that ask"),
    }


def read_figures(path: Path, pack: str | None, start: float | None) -> Figures | str | None:
    """On a worker: the figures, the text of why the file could not be read, or None when
    the load was given up (the worker's interruption was requested)."""
    try:
        return load(path, pack, start, QThread.currentThread().isInterruptionRequested)
    except Cancelled:
        return None
    except sqlite3.Error as exc:
        return str(exc)


class StatsDialog(QDialog):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.figures: Figures | None = None
        self._job: Worker | None = None
        self.setWindowTitle(_("Usage of the flows"))
        self.resize(760, 820)

        self.packs = QComboBox()
        self.packs.setAccessibleName(_("Pack"))
        self.packs.addItem(_("All packs"), None)
        for pack in controller.packs().values():
            self.packs.addItem(pack.title, pack.id)
        view = controller.view
        if view is not None:
            self.packs.setCurrentIndex(max(0, self.packs.findData(view.pack_id)))
        self.period = QComboBox()
        self.period.setAccessibleName(_("Period"))
        for days in PERIODS:
            self.period.addItem(period_name(days), days)
        self.period.setCurrentIndex(1)
        self.recording = QComboBox()
        self.recording.setAccessibleName(_("Recording of usage figures"))
        for value, name in recording_names().items():
            self.recording.addItem(name, value)
        # (a value edited by hand that means nothing shows as off, which it is)
        self.recording.setCurrentIndex(
            max(0, self.recording.findData(controller.settings.usage_stats))
        )
        self.export_button = QPushButton(_("Export CSV…"))
        self.export_button.setAccessibleName(_("Export the figures as CSV"))
        self.export_button.setEnabled(False)
        for box in (self.packs, self.period, self.recording):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(8)

        self.summary = text_label(name="cardTitle")
        self.summary.setAccessibleName(_("Summary"))
        self.state = text_label(name="muted")
        self.chart = ChartList()
        choices, end = QHBoxLayout(), QHBoxLayout()
        choices.addWidget(self.packs, 3)
        choices.addWidget(self.period, 2)
        end.addStretch(1)
        end.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.recording)
        layout.addWidget(self.summary)
        layout.addWidget(self.state)
        layout.addWidget(self.chart, 1)
        layout.addLayout(end)

        self.packs.currentIndexChanged.connect(self.reload)
        self.period.currentIndexChanged.connect(self.reload)
        self.recording.currentIndexChanged.connect(self._set_recording)
        self.export_button.clicked.connect(lambda: self.export_csv())
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._wait_for_jobs)
        self.reload()
        self.packs.setFocus()

    @property
    def pack(self) -> str | None:
        data = self.packs.currentData()
        return str(data) if data else None

    def reload(self) -> None:
        """Load the figures of the pack and period chosen (the load before, if still
        running, is given up)."""
        self._stop_job()
        self.export_button.setEnabled(False)
        set_text(self.state, _("Loading the figures…"))
        start = since(self.period.currentData(), self.controller.today)
        path, pack = self.controller.paths.usage_db, self.pack
        self._job = run_in_worker(lambda: read_figures(path, pack, start), self._loaded, self)

    def _loaded(self, result: object) -> None:
        if self.sender() is not self._job:
            return  # a load given up
        self._job = None
        if not isinstance(result, Figures):  # why it could not be read
            self.figures = None
            self.summary.setText("")
            set_text(self.state, _("The figures cannot be read: {reason}").format(reason=result))
            self.chart.clear()
            return
        self.figures = result
        self.summary.setText(summary(result))
        self._say_recording()
        self.chart.show_charts(charts(result, self.controller.library.get, self.pack))
        self.export_button.setEnabled(True)

    def _say_recording(self) -> None:
        setting = self.controller.settings.usage_stats
        words = {
            "off": _("Recording is off: no new call is counted."),
            "pack": _("Only packs that ask for figures are counted."),
        }
        text = words.get(setting, "")
        if not self.figures or not self.figures.calls:
            text = " ".join((_("No calls recorded in this period."), text))
        set_text(self.state, text.strip())

    def _set_recording(self) -> None:
        """The ``usage_stats`` setting: saved at once, in force from the next call."""
        value = str(self.recording.currentData())
        settings = self.controller.settings
        settings.usage_stats = value
        settings.save(self.controller.paths.settings_file)
        usage = self.controller.call.usage
        if usage is not None:
            usage.setting = value
        if self._job is None:
            self._say_recording()

    def export_csv(self, target: Path | None = None) -> Path | None:
        """Write the figures shown as CSV (asks where, unless told); the file written."""
        if self.figures is None:
            return None
        if target is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export the figures as CSV"), "uso-agentdesk.csv", "CSV (*.csv)"
            )
            if not chosen:
                return None
            target = Path(chosen)
        try:
            write_csv(self.figures, target)
        except OSError as exc:
            set_text(
                self.state,
                _("Could not write {path}: {reason}").format(
                    path=target, reason=exc.strerror or exc
                ),
            )
            return None
        set_text(self.state, _("Figures written to {path}").format(path=target))
        return target

    def _stop_job(self) -> None:
        if self._job is not None:
            self._job.requestInterruption()
            self._job = None

    def _wait_for_jobs(self) -> None:
        """No load may outlive the page (or the app): each gives up within moments."""
        self._job = None
        for job in self.findChildren(Worker):
            job.requestInterruption()
            job.wait()

    def done(self, result: int) -> None:
        self._wait_for_jobs()
        super().done(result)


def open_usage_stats(controller: Controller, parent: QWidget | None = None) -> StatsDialog:
    dialog = StatsDialog(controller, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
