"""The "Packs" dialog: the packs in use, the ones that failed, and install, update, roll back.

Open it with ``PacksDialog(controller, parent).exec()``; it needs nothing else.

The core's install, update and rollback block (they read archives, write and sync files,
reach the network), so each runs in a :class:`Job`, a worker thread. The worker never
touches a widget: it reports progress and its end through signals, which Qt delivers on
the GUI thread. Cancel sets a flag; the next progress callback raises :class:`Cancelled`
and the core stops, changing nothing (an update keeps the packs it already installed).
When a job ends the controller reloads the packs, so the app uses the new versions at
once, and the dialog says what changed in the content agents see.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Literal, NamedTuple, cast

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
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
from agentdesk.core.packs.library import Entry
from agentdesk.core.packs.model import Pack
from agentdesk.core.packs.validity import is_expired
from agentdesk.core.problems import Problem
from agentdesk.core.shipping import channel, install
from agentdesk.core.shipping.changes import REPORTED, PackChanges, describe_changes
from agentdesk.core.shipping.keys import TrustStore
from agentdesk.core.shipping.refusals import Reason, Refusal
from agentdesk.ui.shell.controller import Controller
from agentdesk.ui.shell.theme import BORDER, MUTED, SURFACE, fixed_pitch
from agentdesk.ui.shell.widgets import ElidedLabel, section_title, text_label

log = logging.getLogger(__name__)

Action = Literal["install", "update", "rollback"]
Status = Literal["done", "current", "refused", "offline", "cancelled", "failed"]

STEPS = 1000  # the progress bar's range
TITLES_SHOWN = 6  # item titles listed per kind of change; the rest are counted
PROBLEMS_SHOWN = 5  # problems listed per pack that failed to load
CHANGES_MAX_HEIGHT = 200  # pixels of "what changed" before it scrolls


class Cancelled(Exception):
    """The agent pressed Cancel: raised from the core's progress callback."""


class Outcome(NamedTuple):
    """How an install, update or rollback ended, in the interface language."""

    action: Action
    status: Status
    summary: str  # one sentence
    details: str  # what changed, pack by pack; per-pack results of an update
    #: What changed in the packs in use (before and after the job, as the app sees them).
    changes: tuple[PackChanges, ...] = ()
    reason: str = ""  # a refusal's reason code
    technical: str = ""  # the core's own message (English), for IT
    #: The packs the core says it installed or rolled back.
    touched: frozenset[str] = frozenset()

    @property
    def tone(self) -> str:
        return {
            "done": "ok",
            "current": "ok",
            "offline": "info",
            "cancelled": "info",
            "refused": "danger",
            "failed": "danger",
        }[self.status]


class Job(QThread):
    """Runs ``task(report)`` on a worker thread; the result is read once it has finished.

    ``report`` is what the core's progress callbacks call: it forwards progress as a signal
    and raises :class:`Cancelled` once :meth:`cancel` was called. ``subject`` names what the
    job works on; ``before`` holds the packs in use when it started.
    """

    sig_progress = Signal(str, str, int, int)
    """Progress from the core: (pack id or "", phase, bytes done, bytes in all)."""

    def __init__(
        self,
        task: Callable[[channel.UpdateProgress], object],
        action: Action,
        subject: str,
        cancellable: bool,
        before: dict[str, Pack],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._task = task
        self.action = action
        self.subject = subject
        self.cancellable = cancellable
        self.before = before
        self._cancel = threading.Event()
        self.result: object = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.result = self._task(self.report)
        except Exception as exc:  # every end goes back to the GUI thread, which says it
            self.error = exc

    def report(self, pack_id: str, phase: str, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.sig_progress.emit(pack_id, phase, done, total)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


# -- texts ------------------------------------------------------------------------------


def origin_label(origin: str) -> str:
    return {
        "bundled": _("bundled"),
        "installed": _("installed"),
        "folder": _("folder"),
    }.get(origin, origin)


def validity(pack: Pack, today: date) -> tuple[str, bool]:
    """(text, expired) for the pack's validity window on ``today``."""
    start, end = pack.manifest.valid_from, pack.manifest.valid_until
    if is_expired(pack.manifest, today):
        return _("expired {date}").format(date=str(end)), True
    if start is not None and today < start:
        return _("valid from {date}").format(date=start.isoformat()), False
    if end is not None:
        return _("valid until {date}").format(date=end.isoformat()), False
    return _("no end date"), False


def refusal_text(reason: str) -> str:
    """Why an archive or an update source was refused, for the agent or IT."""
    names = _(
        "It holds file names or entries a pack archive never has: only archives made with "
        "agentdesk pack build are accepted."
    )
    changed = _("A file was changed after signing, or the copy is damaged.")
    size = _("It is larger than a pack may be.")
    texts: dict[str, str] = {
        Reason.NOT_AN_ARCHIVE: _("The file is not a pack archive (.adpack), or cannot be read."),
        Reason.CORRUPT: _("The file is damaged: get it again."),
        Reason.MISSING_SIGNATURE: _("It is not signed."),
        Reason.BAD_SIGNATURE: _(
            "The signature does not match: the content was changed after signing."
        ),
        Reason.UNKNOWN_KEY: _("It is signed with a key this computer does not trust."),
        Reason.NO_TRUSTED_KEYS: _(
            "This computer trusts no signing key yet: ask IT to add the trainers' key."
        ),
        Reason.BAD_MANIFEST: _("Its manifest is missing or malformed."),
        Reason.UNSUPPORTED_FORMAT: _("It is in a format this AgentDesk cannot read."),
        Reason.ROLLBACK: _("Its version is not newer than the one installed."),
        Reason.EXPIRED: _("It has expired (or this computer's clock is wrong)."),
        Reason.APP_TOO_OLD: _("It needs a newer AgentDesk."),
        Reason.NOT_IN_MANIFEST: _("It holds a file the signature does not cover."),
        Reason.MISSING_FILE: _("A signed file is missing."),
        Reason.SIZE_MISMATCH: changed,
        Reason.HASH_MISMATCH: changed,
        Reason.ABSOLUTE_PATH: names,
        Reason.PARENT_PATH: names,
        Reason.BACKSLASH: names,
        Reason.NUL_IN_NAME: names,
        Reason.BAD_NAME: names,
        Reason.DUPLICATE_NAME: names,
        Reason.CASE_COLLISION: names,
        Reason.SYMLINK: names,
        Reason.ENCRYPTED: names,
        Reason.NESTED_ARCHIVE: names,
        Reason.TOO_MANY_FILES: size,
        Reason.TOO_MANY_BYTES: size,
        Reason.COMPRESSION_RATIO: size,
        Reason.PACK_INVALID: _("The pack inside cannot be used by this AgentDesk."),
        Reason.NOTHING_TO_ROLL_BACK: _("There is no previous version to go back to."),
        Reason.NOT_INSTALLED: _("This pack was not installed from an archive."),
        Reason.BAD_INDEX: _("The update source's index is malformed."),
        Reason.DOWNLOAD_FAILED: _("The update source answered with an error, or lacks a file."),
    }
    return texts.get(reason, _("It cannot be used."))


def _counts() -> dict[tuple[str, str], tuple[str, str]]:
    """(section, change) -> (one, several {n}): whole phrases, so each language agrees."""
    return {
        ("flows", "added"): (_("1 new flow"), _("{n} new flows")),
        ("flows", "changed"): (_("1 changed flow"), _("{n} changed flows")),
        ("flows", "removed"): (_("1 removed flow"), _("{n} removed flows")),
        ("scripts", "added"): (_("1 new script"), _("{n} new scripts")),
        ("scripts", "changed"): (_("1 changed script"), _("{n} changed scripts")),
        ("scripts", "removed"): (_("1 removed script"), _("{n} removed scripts")),
        ("macros", "added"): (_("1 new macro"), _("{n} new macros")),
        ("macros", "changed"): (_("1 changed macro"), _("{n} changed macros")),
        ("macros", "removed"): (_("1 removed macro"), _("{n} removed macros")),
        ("offers", "added"): (_("1 new offer"), _("{n} new offers")),
        ("offers", "changed"): (_("1 changed offer"), _("{n} changed offers")),
        ("offers", "removed"): (_("1 removed offer"), _("{n} removed offers")),
        ("snippets", "added"): (_("1 new snippet"), _("{n} new snippets")),
        ("snippets", "changed"): (_("1 changed snippet"), _("{n} changed snippets")),
        ("snippets", "removed"): (_("1 removed snippet"), _("{n} removed snippets")),
        ("variables", "added"): (_("1 new customer detail"), _("{n} new customer details")),
        ("variables", "changed"): (
            _("1 changed customer detail"),
            _("{n} changed customer details"),
        ),
        ("variables", "removed"): (
            _("1 removed customer detail"),
            _("{n} removed customer details"),
        ),
        ("facts", "added"): (_("1 new fact to record"), _("{n} new facts to record")),
        ("facts", "changed"): (_("1 changed fact to record"), _("{n} changed facts to record")),
        ("facts", "removed"): (_("1 removed fact to record"), _("{n} removed facts to record")),
    }


def change_lines(changes: PackChanges) -> list[str]:
    """What changed in one pack, readable: a head line, then one line per kind of change.

    ``Title: id 1.0.0 → 1.1.0`` then e.g. ``2 flujos nuevos: Alta, Baja``.
    """
    if changes.old_version is None:
        head = _("{title}: {id} {version} (new on this computer)").format(
            title=changes.title, id=changes.pack_id, version=changes.new_version
        )
    else:
        head = _("{title}: {id} {old} → {new}").format(
            title=changes.title,
            id=changes.pack_id,
            old=changes.old_version,
            new=changes.new_version,
        )
    lines = [head]
    counts = _counts()
    for section in REPORTED:
        for change in ("added", "changed", "removed"):
            titles = [i.title for i in changes.items if (i.section, i.change) == (section, change)]
            if not titles:
                continue
            one, several = counts[(section, change)]
            count = one if len(titles) == 1 else several.format(n=len(titles))
            shown = ", ".join(titles[:TITLES_SHOWN])
            if len(titles) > TITLES_SHOWN:
                shown = _("{items} and {n} more").format(items=shown, n=len(titles) - TITLES_SHOWN)
            lines.append(f"  {count}: {shown}")
    if changes.manifest_changed:
        lines.append("  " + _("The pack's details changed (title, validity or audiences)."))
    if not changes.items and not changes.manifest_changed:
        lines.append("  " + _("No change agents can see."))
    return lines


def _same(a: Pack | None, b: Pack | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.id, a.version, a.root, a.digest) == (b.id, b.version, b.root, b.digest)


# -- the dialog -------------------------------------------------------------------------


class PackCard(QFrame):
    """One pack in use (or installed): what it is, where from, and going back a version."""

    sig_rollback = Signal(str)
    """Go back to the previous version of this pack: (pack id)."""

    def __init__(
        self,
        pack_id: str,
        pack: Pack | None,
        origin: str,
        installed: install.InstalledPack | None,
        today: date,
    ) -> None:
        super().__init__()
        self.setObjectName("card")
        self.pack_id = pack_id
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 10)
        column.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.title = text_label(pack.title if pack else pack_id, "cardTitle")
        top.addWidget(self.title, 1)
        self.expired = False
        parts = [pack_id]
        if pack is not None:
            text, self.expired = validity(pack, today)
            parts += [_("version {version}").format(version=pack.version), origin_label(origin)]
            parts.append(text)
        else:
            parts.append(_("not in use"))
        if self.expired:
            badge = QLabel(_("Expired"))
            badge.setObjectName("badge")
            top.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        self.meta = text_label(" · ".join(parts), "cardMeta")
        if origin == "folder" and pack is not None:
            self.meta.setToolTip(pack.root)
        column.addWidget(self.meta)
        self.rollback_button: QPushButton | None = None
        self.notes: QLabel | None = None
        if installed is None:
            return
        notes = []
        if pack is None or origin != "installed" or pack.version != installed.version:
            notes.append(
                _("Installed: version {version}, not the one in use.").format(
                    version=installed.version
                )
            )
        if installed.previous_version:
            notes.append(
                _("Previous version kept: {version}").format(version=installed.previous_version)
            )
        if installed.held_back:
            notes.append(
                _("Updates skip version {version} and older (it was rolled back).").format(
                    version=installed.held_back
                )
            )
        self.notes = text_label("\n".join(notes), "cardMeta")
        self.notes.setVisible(bool(notes))
        column.addWidget(self.notes)
        if installed.previous_version:
            button = QPushButton(_("Go back to the previous version"))
            button.setAutoDefault(False)
            button.setAccessibleName(
                _("Go back to version {version} of {title}").format(
                    version=installed.previous_version, title=self.title.text()
                )
            )
            button.clicked.connect(lambda: self.sig_rollback.emit(pack_id))
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
            self.rollback_button = button


class FailedCard(QFrame):
    """A pack folder that failed to load: its problems, and what is used meanwhile."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setProperty("tone", "danger")
        self.entry = entry
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 10)
        column.setSpacing(4)
        root = entry.source.root
        name = entry.pack.title if entry.pack else root.name
        column.addWidget(text_label(name, "cardTitle"))
        where = text_label(
            f"{origin_label(entry.source.origin)} · {root}", "cardMeta", selectable=True
        )
        column.addWidget(where)
        if entry.stale and entry.pack is not None:
            status = _("The previous version stays in use ({version}).").format(
                version=entry.pack.version
            )
        else:
            status = _("It cannot be used until it is fixed.")
        self.status = text_label(status, "banner")
        self.status.setProperty("tone", "warning" if entry.stale else "danger")
        column.addWidget(self.status)
        errors = entry.result.errors
        lines = [_relative(p, root).format() for p in errors[:PROBLEMS_SHOWN]]
        if len(errors) > PROBLEMS_SHOWN:
            lines.append(_("… and {n} more").format(n=len(errors) - PROBLEMS_SHOWN))
        self.problems = fixed_pitch(text_label("\n".join(lines), "problemText", selectable=True))
        column.addWidget(self.problems)


def _relative(problem: Problem, root: Path) -> Problem:
    """The problem with its file named inside the pack folder (the card names the folder)."""
    try:
        file = Path(problem.loc.file).relative_to(root).as_posix()
    except ValueError:
        return problem
    return problem._replace(loc=problem.loc._replace(file=file))


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
            self._show(
                Outcome("update", "failed", _("Write a folder or an http(s) address first."), "")
            )
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
                "Use {id} {previous} again instead of {current}? Updates will skip "
                "{current} and older until a newer version is installed by hand."
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
        if phase == "download":
            text = _("Downloading {id}…").format(id=what)
        elif done >= total:
            text = _("Finishing the install of {id}…").format(id=what)
        else:
            text = _("Installing {id}…").format(id=what)
        self.progress_label.setText(text)

    def _finished(self) -> None:
        job = self.job
        assert job is not None
        job.wait()
        self.job = None
        if self.progress.maximum() == 0:
            self.progress.setRange(0, STEPS)
        self.progress_box.hide()
        outcome = self._outcome(job)
        if outcome.status in ("done", "cancelled", "failed") or outcome.touched:
            # (a cancelled update keeps the packs it installed before the cancel)
            self.controller.reload()  # the app uses the new versions now
            outcome = self._with_changes(outcome, job.before)
        self._set_busy(False)
        self._show(outcome)
        job.deleteLater()
        self.sig_done.emit(outcome)

    def _outcome(self, job: Job) -> Outcome:
        """What the job did, before the reload; the packs' changes are added after it."""
        action, error = job.action, job.error
        if isinstance(error, Cancelled):
            return Outcome(action, "cancelled", _("Cancelled. Nothing else was changed."), "")
        if isinstance(error, Refusal):
            return self._refused(action, error)
        if isinstance(error, ValueError) and action == "update":
            return Outcome(
                action,
                "failed",
                _("The update source must be a folder or an http(s) address."),
                "",
                technical=str(error),
            )
        if isinstance(error, OSError):
            return Outcome(
                action,
                "failed",
                _("It could not be completed: {error}").format(error=error.strerror or error),
                "",
                technical=str(error),
            )
        if error is not None:  # a bug: say it, and keep the traceback for IT
            log.error("the pack %s failed", action, exc_info=error)
            return Outcome(
                action, "failed", _("Something went wrong: {error}").format(error=error), ""
            )
        if action == "install":
            result, problems = cast(tuple[install.InstallResult, list[str]], job.result)
            summary = _("Installed {id} {version}.").format(
                id=result.pack_id, version=result.version
            )
            return Outcome(
                action,
                "done",
                summary,
                "",
                technical=_trust_notes(problems),
                touched=frozenset({result.pack_id}),
            )
        if action == "rollback":
            back = cast(install.RollbackResult, job.result)
            summary = _("{id} is back to version {version}.").format(
                id=back.pack_id, version=back.to_version
            )
            return Outcome(action, "done", summary, "", touched=frozenset({back.pack_id}))
        report, problems = cast(tuple[channel.UpdateReport, list[str]], job.result)
        return self._update_outcome(report, problems)

    def _refused(self, action: Action, error: Refusal) -> Outcome:
        if action == "rollback":
            summary = _("Could not go back: {why}").format(why=refusal_text(error.reason))
        elif action == "update":
            summary = _("The update source was refused: {why} Nothing was installed.").format(
                why=refusal_text(error.reason)
            )
        else:
            summary = _("Not installed: {why} Nothing was changed.").format(
                why=refusal_text(error.reason)
            )
        return Outcome(
            action, "refused", summary, "", reason=str(error.reason), technical=str(error)
        )

    def _update_outcome(self, report: channel.UpdateReport, problems: list[str]) -> Outcome:
        lines: list[str] = []
        technical: list[str] = []
        installed = refused = 0
        for item in report.items:
            offered = item.offered or ""
            if item.status == "installed":
                installed += 1
            elif item.status == "current":
                lines.append(
                    _("{id} {version}: already up to date.").format(
                        id=item.pack_id, version=offered
                    )
                )
            elif item.status == "held":
                lines.append(
                    _(
                        "{id} {version}: skipped, because this computer went back to an "
                        "earlier version. Install the archive by hand to use it."
                    ).format(id=item.pack_id, version=offered)
                )
            elif item.status == "refused":
                refused += 1
                lines.append(
                    _("{id} {version}: refused. {why}").format(
                        id=item.pack_id, version=offered, why=refusal_text(item.reason or "")
                    )
                )
                technical.append(item.message)
            else:
                lines.append(_("{id}: not in this source.").format(id=item.pack_id))
        details = "\n".join(lines)
        if report.offline:
            technical.insert(0, report.message)
        tech = "\n".join(filter(None, [*technical, _trust_notes(problems)]))
        touched = frozenset(item.pack_id for item in report.items if item.status == "installed")

        def outcome(status: Status, summary: str) -> Outcome:
            return Outcome("update", status, summary, details, technical=tech, touched=touched)

        if report.offline and installed:
            return outcome(
                "offline",
                _(
                    "The update source could not be reached any more; {n} pack(s) were "
                    "updated before that. Try again later for the rest."
                ).format(n=installed),
            )
        if report.offline:
            return outcome(
                "offline",
                _("The update source cannot be reached now. Nothing was changed; try again later."),
            )
        if refused:
            return outcome(
                "refused", _("{n} pack(s) refused; the details are below.").format(n=refused)
            )
        if installed == 1:
            return outcome("done", _("1 pack updated."))
        if installed:
            return outcome("done", _("{n} packs updated.").format(n=installed))
        if not report.items:
            return outcome("current", _("This source offers no packs."))
        return outcome("current", _("Everything is up to date."))

    def _with_changes(self, outcome: Outcome, before: dict[str, Pack]) -> Outcome:
        """Add what changed in the packs in use: before the job against after the reload."""
        after = self.controller.library.packs()
        moved = {
            pid
            for pid in before.keys() | after.keys()
            if pid in outcome.touched or not _same(before.get(pid), after.get(pid))
        }
        found: list[PackChanges] = []
        lines: list[str] = []
        for pid in sorted(moved):
            old, new = before.get(pid), after.get(pid)
            if new is None:
                lines.append(_("{id} is no longer in use.").format(id=pid))
                continue
            if _same(old, new):
                lines.append(
                    _("{id}: the version in use is still {version}.").format(
                        id=pid, version=new.version
                    )
                )
                continue
            changes = describe_changes(old, new)
            found.append(changes)
            lines += change_lines(changes)
        if not lines:
            return outcome
        details = "\n".join([*lines, *([outcome.details] if outcome.details else [])])
        return outcome._replace(details=details, changes=tuple(found))

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


def _trust_notes(problems: list[str]) -> str:
    if not problems:
        return ""
    return "\n".join([_("Some trusted key files were skipped:"), *problems])
