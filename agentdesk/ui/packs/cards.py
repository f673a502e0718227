"""The cards of the "Packs" dialog: a pack in use (or installed), and a pack folder that
failed to load."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from agentdesk.core.i18n import _
from agentdesk.core.packs.library import Entry
from agentdesk.core.packs.model import Pack
from agentdesk.core.packs.validity import is_expired
from agentdesk.core.problems import Problem
from agentdesk.core.shipping import install
from agentdesk.ui.shell.theme import fixed_pitch
from agentdesk.ui.shell.widgets import text_label

PROBLEMS_SHOWN = 5  # problems listed per pack that failed to load


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
                _("Updates will not take version {version} again (it was rolled back).").format(
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
