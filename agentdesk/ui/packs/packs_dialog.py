"""The "Packs" dialog: the packs in use, the ones that failed, and install, update, roll back.

Open it with ``PacksDialog(controller, parent).exec()``; it needs nothing else.

Each install, update or rollback runs as a :class:`~agentdesk.ui.packs.job.Job` on a
worker thread that never touches a widget; Cancel asks it to stop at its next progress
report. When a job ends the controller reloads the packs, so the app uses the new versions
at once, and the dialog says how it ended and what changed in the content agents see, in
the words of :mod:`agentdesk.core.shipping.outcome` and :mod:`.messages` (the command
line's too).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from agentdesk.core.i18n import _
from agentdesk.core.shipping import channel, install
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.messages import change_lines, progress_text
from agentdesk.core.shipping.outcome import Action, Outcome, no_source, with_changes
from agentdesk.ui.packs.cards import FailedCard, PackCard
from agentdesk.ui.packs.job import Job
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.theme import BORDER, MUTED, SURFACE
from agentdesk.ui.shell.widgets import ElidedLabel, section_title, text_label

__all__ = ["STEPS", "Outcome", "PacksDialog", "change_lines"]

log = logging.getLogger(__name__)

STEPS = 1000  # the progress bar's range
CHANGES_MAX_HEIGHT = 200  # pixels of "what changed" before it scrolls


_DIALOG_STYLE = f"""
    #banner[tone="info"] {{ background: #e6eef5; color: #1f3b57; }}
    #problemText {{ font-size: 12px; }}
    #card[tone="danger"] {{ border-color: #e4b4ae; }}
    QTextEdit#changes {{ background: {SURFACE}; border: 1px solid {BORDER};
        border-radius: 8px; font-size: 13px; padding: 2px 4px; }}
    QProgressBar {{ border: 1px solid {BORDER}; border-radius: 6px; background: {SURFACE};
        text-align: center; min-height: 18px; color: {MUTED}; }}
    QProgressBar::chunk {{ background: #7fbcd8; border-radius: 5px; }}
"""


class PacksDialog(QDialog):
    """Packs in use, packs that failed to load; install from a file, update, roll back."""

    sig_busy = Signal(bool)
    """A job started (True) or ended (False)."""
    sig_done = Signal(object)
    """A job ended and the packs were reloaded: carries its :class:`Outcome`."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(_("Packs"))
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setStyleSheet(_DIALOG_STYLE)
        self.setMinimumWidth(400)
        self.resize(560, 720)
        self.job: Job | None = None
        self.pack_cards: dict[str, PackCard] = {}
        self.failed_cards: list[FailedCard] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("page")
        self._body = QVBoxLayout(body)
        self._body.setContentsMargins(14, 12, 14, 12)
        self._body.setSpacing(8)
        self.failed_title = section_title(_("Could not be loaded"))
        self._body.addWidget(self.failed_title)
        self._failed_box = QVBoxLayout()
        self._failed_box.setSpacing(8)
        self._body.addLayout(self._failed_box)
        self.in_use_title = section_title(_("In use ({n})").format(n=0))
        self._body.addWidget(self.in_use_title)
        self._packs_box = QVBoxLayout()
        self._packs_box.setSpacing(8)
        self._body.addLayout(self._packs_box)
        self._body.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        outer.addWidget(self._actions())
        controller.sig_packs_changed.connect(self.refresh)
        self.refresh()

    # -- building -----------------------------------------------------------------------

    def _header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(header)
        column.setContentsMargins(14, 10, 14, 10)
        column.setSpacing(0)
        title = ElidedLabel(_("Packs"))
        title.setObjectName("headerTitle")
        self.subtitle = ElidedLabel()
        self.subtitle.setObjectName("headerSubtitle")
        column.addWidget(title)
        column.addWidget(self.subtitle)
        return header

    def _actions(self) -> QWidget:
        box = QWidget()
        box.setObjectName("page")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(box)
        column.setContentsMargins(14, 10, 14, 12)
        column.setSpacing(8)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet(f"color: {BORDER};")
        column.addWidget(rule)
        column.addWidget(section_title(_("Get new versions")))

        source_row = QHBoxLayout()
        source_row.setSpacing(6)
        self.source = QLineEdit(self.controller.settings.update_source)
        self.source.setPlaceholderText(_("Update source: a folder or an http(s) address"))
        self.source.setAccessibleName(_("Update source"))
        self.source.setClearButtonEnabled(True)
        self.source.returnPressed.connect(lambda: self.check_updates())
        source_row.addWidget(self.source, 1)
        self.folder_button = self._button(_("Folder…"), self._choose_folder)
        self.folder_button.setToolTip(_("Choose a folder as the update source"))
        source_row.addWidget(self.folder_button)
        column.addLayout(source_row)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.update_button = self._button(_("Check for updates"), lambda: self.check_updates())
        self.update_button.setObjectName("primary")
        self.install_button = self._button(_("Install from file…"), self._choose_file)
        buttons.addWidget(self.update_button)
        buttons.addWidget(self.install_button)
        buttons.addStretch(1)
        column.addLayout(buttons)

        self.progress_box = QWidget()
        progress_column = QVBoxLayout(self.progress_box)
        progress_column.setContentsMargins(0, 4, 0, 0)
        progress_column.setSpacing(4)
        self.progress_label = text_label("", "muted")
        progress_column.addWidget(self.progress_label)
        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, STEPS)
        self.progress.setValue(0)
        self.progress.setAccessibleName(_("Progress"))
        progress_row.addWidget(self.progress, 1)
        self.cancel_button = self._button(_("Cancel"), self.cancel)
        progress_row.addWidget(self.cancel_button)
        progress_column.addLayout(progress_row)
        self.progress_box.hide()
        column.addWidget(self.progress_box)

        self.result_banner = text_label("", "banner", selectable=True)
        self.result_banner.hide()
        column.addWidget(self.result_banner)
        self.changes_text = QTextEdit()  # plain text only: pack titles are never markup
        self.changes_text.setObjectName("changes")
        self.changes_text.setReadOnly(True)
        self.changes_text.setAccessibleName(_("What changed"))
        self.changes_text.setAcceptRichText(False)
        self.changes_text.document().documentLayout().documentSizeChanged.connect(self._fit_changes)
        self.changes_text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.changes_text.hide()
        column.addWidget(self.changes_text)
        self.technical = text_label("", "muted", selectable=True)
        self.technical.hide()
        column.addWidget(self.technical)

        close_row = QHBoxLayout()
        close_row.addStretch(1)
        self.close_button = self._button(_("Close"), self.reject)
        close_row.addWidget(self.close_button)
        column.addLayout(close_row)
        return box

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)  # Enter in the source field checks, it does not close
        button.clicked.connect(lambda: slot())
        return button

    # -- what is shown ------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the lists from the library and the installed packs."""
        if not self.controller.library.loaded:
            self.controller.reload()  # emits sig_packs_changed, which comes back here
            return
        library = self.controller.library
        for card in [*self.pack_cards.values(), *self.failed_cards]:
            card.hide()
            card.deleteLater()
        self.pack_cards.clear()
        self.failed_cards.clear()
        in_use = library.in_use()
        installed = {p.pack_id: p for p in install.installed(self.controller.paths)}
        for pack_id in sorted(in_use.keys() | installed.keys()):
            entry = in_use.get(pack_id)
            pack, origin = (entry.pack, entry.source.origin) if entry else (None, "installed")
            card = PackCard(pack_id, pack, origin, installed.get(pack_id), self.controller.today)
            card.sig_rollback.connect(self._ask_rollback)
            if card.rollback_button is not None:
                card.rollback_button.setEnabled(self.job is None)
            self._packs_box.addWidget(card)
            self.pack_cards[pack_id] = card
        for entry in self.controller.failed():
            failed = FailedCard(entry)
            self._failed_box.addWidget(failed)
            self.failed_cards.append(failed)
        self.in_use_title.setText(_("In use ({n})").format(n=len(in_use)).upper())
        self.failed_title.setVisible(bool(self.failed_cards))
        if self.failed_cards:
            self.subtitle.setText(
                _("{n} in use · {failed} with problems").format(
                    n=len(in_use), failed=len(self.failed_cards)
                )
            )
        else:
            self.subtitle.setText(_("{n} in use").format(n=len(in_use)))

    # -- actions ------------------------------------------------------------------------

    def install_file(self, archive: Path) -> None:
        """Install ``archive`` (a ``.adpack``) on a worker thread."""
        paths = self.controller.paths

        def task(report: channel.UpdateProgress) -> tuple[install.InstallResult, list[str]]:
            trust = TrustStore.load(paths.trusted_keys)

            def progress(done: int, total: int) -> None:
                report("", "install", done, total)

            return install.install(archive, paths, trust, progress=progress), trust.problems

        label = _("Checking {name}…").format(name=archive.name)
        self._start("install", task, label, archive.name, cancellable=True)

    def check_updates(self, source: str | None = None) -> None:
        """Update every pack the source offers in a newer version (the field's source if None)."""
        text = (self.source.text() if source is None else source).strip()
        if source is not None:
            self.source.setText(text)
        if not text:
            self._show(no_source())
            self.source.setFocus()
            return
        self._remember_source(text)
        paths = self.controller.paths

        def task(report: channel.UpdateProgress) -> tuple[channel.UpdateReport, list[str]]:
            trust = TrustStore.load(paths.trusted_keys)
            return channel.update(text, paths, trust, progress=report), trust.problems

        label = _("Looking for updates in {source}…").format(source=text)
        self._start("update", task, label, "", cancellable=True)

    def rollback(self, pack_id: str) -> None:
        """Make the previous installed version of ``pack_id`` current again (no question)."""
        paths = self.controller.paths

        def task(report: channel.UpdateProgress) -> install.RollbackResult:
            return install.rollback(paths, pack_id)

        label = _("Going back to the previous version of {id}…").format(id=pack_id)
        self._start("rollback", task, label, pack_id, cancellable=False)

    def cancel(self) -> None:
        """Stop the running job at its next progress report; nothing changes."""
        if self.job is None or self.job.cancelled or not self.job.cancellable:
            return
        self.job.cancel()
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(_("Cancelling…"))

    @property
    def busy(self) -> bool:
        return self.job is not None

    def _choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Install a pack"), "", _("Pack archives (*.adpack)")
        )
        if name:
            self.install_file(Path(name))

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, _("Update source"), self.source.text())
        if name:
            self.source.setText(name)

    def _ask_rollback(self, pack_id: str) -> None:
        found = install.installed_pack(self.controller.paths, pack_id)
        if found is None or not found.previous_version:
            return
        answer = QMessageBox.question(
            self,
            _("Go back to the previous version"),
            _(
                "Use {id} {previous} again instead of {current}? Updates will not take "
                "{current} again (a newer version is taken as usual); install it by hand to "
                "use it after all."
            ).format(id=pack_id, previous=found.previous_version, current=found.version),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.rollback(pack_id)

    def _remember_source(self, text: str) -> None:
        settings = self.controller.settings
        if settings.update_source == text:
            return
        settings.update_source = text
        try:
            settings.save(self.controller.paths.settings_file)
        except OSError as exc:  # the app saves again when it closes
            log.warning("could not save the settings: %s", exc)

    # -- the job ------------------------------------------------------------------------

    def _start(
        self,
        action: Action,
        task: Callable[[channel.UpdateProgress], object],
        label: str,
        subject: str,
        cancellable: bool,
    ) -> None:
        """Run ``task`` on a worker thread; ``subject`` names what it works on."""
        if self.job is not None:
            return
        before = dict(self.controller.library.packs())
        job = Job(task, action, subject, cancellable, before, self)
        job.sig_progress.connect(self._progress)
        job.finished.connect(self._finished)
        self.job = job
        self._set_busy(True)
        self.progress.setRange(0, 0)  # busy until the core reports bytes
        self.progress.setValue(0)
        self.progress_label.setText(label)
        self.cancel_button.setEnabled(cancellable)
        self.cancel_button.setVisible(cancellable)
        self.progress_box.show()
        self.result_banner.hide()
        self.changes_text.hide()
        self.technical.hide()
        job.start()

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.update_button,
            self.install_button,
            self.folder_button,
            self.source,
            self.close_button,
        ):
            widget.setEnabled(not busy)
        for card in self.pack_cards.values():
            if card.rollback_button is not None:
                card.rollback_button.setEnabled(not busy)
        self.sig_busy.emit(busy)

    def _progress(self, pack_id: str, phase: str, done: int, total: int) -> None:
        job = self.job
        if job is None or job.cancelled:
            return
        fraction = done / total if total > 0 else 1.0
        what = pack_id or job.subject
        if job.action == "update":  # each pack: download, then install
            fraction = (fraction + (1 if phase == "install" else 0)) / 2
        if self.progress.maximum() == 0:
            self.progress.setRange(0, STEPS)
        self.progress.setValue(round(fraction * STEPS))
        self.progress_label.setText(progress_text(what, phase, done, total))

    def _finished(self) -> None:
        job = self.job
        assert job is not None
        job.wait()
        self.job = None
        if self.progress.maximum() == 0:
            self.progress.setRange(0, STEPS)
        self.progress_box.hide()
        outcome = job.outcome()
        if outcome.changed_packs:
            self.controller.reload()  # the app uses the new versions now
            outcome = with_changes(outcome, job.before, self.controller.library.packs())
        self._set_busy(False)
        self._show(outcome)
        job.deleteLater()
        self.sig_done.emit(outcome)

    def _show(self, outcome: Outcome) -> None:
        self.result_banner.setText(outcome.summary)
        self.result_banner.setProperty("tone", outcome.tone)
        self.result_banner.style().unpolish(self.result_banner)
        self.result_banner.style().polish(self.result_banner)
        self.result_banner.show()
        self.changes_text.setPlainText(outcome.details)
        self.changes_text.setVisible(bool(outcome.details))
        self.technical.setText(outcome.technical)
        self.technical.setVisible(bool(outcome.technical))

    def _fit_changes(self) -> None:
        """As tall as the text, up to CHANGES_MAX_HEIGHT; it scrolls beyond."""
        box = self.changes_text
        box.ensurePolished()  # the style sheet's border and padding are in the margins
        margins = box.contentsMargins()
        text = box.document().documentLayout().documentSize().height()  # pixels, with margins
        height = math.ceil(text) + margins.top() + margins.bottom()
        box.setFixedHeight(min(CHANGES_MAX_HEIGHT, height))

    # -- closing ------------------------------------------------------------------------

    def reject(self) -> None:
        """Escape or Close: while a job runs, cancel it and stay open to show how it ended."""
        if self.job is not None:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job is not None:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)
