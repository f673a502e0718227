"""The start screen: the flows current for this audience, grouped by pack.

Keyboard first: the list has the focus on the start flow (Inicio) every time the screen
shows, so "Ctrl+Home, Enter, 5" always lands on the same answer; arrows move, Enter opens.
One click or tap opens a flow (or folds a pack). Titles wrap in a narrow panel, and each
row's tooltip has the full title and what it is for. Expired content stays reachable at the
end, clearly marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from agentdesk.core.i18n import _, ngettext
from agentdesk.ui.shell.qt_start import SCROLL_BAR_ALWAYS_OFF, USER_ROLE, Qt, set_enum
from agentdesk.ui.shell.shortcuts import with_key
from agentdesk.ui.shell.widgets import after_first_paint, section_title, text_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from agentdesk.core.packs.start_list import ListedFlow, ListedPack

    Listed = list[tuple[ListedPack, ListedFlow, bool]]

_ROLE = USER_ROLE
START_PACK = "inicio"


class StartPage(QWidget):
    sig_open = Signal(str, str)
    """A flow was chosen: (pack id, flow id)."""
    sig_search = Signal()
    """The agent wants to search."""
    sig_problems = Signal()
    """The agent wants to see why some packs could not be loaded."""
    sig_listed = Signal()
    """Flows were listed (the list is painted next)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        self.problems = QPushButton()
        self.problems.setObjectName("banner")
        self.problems.setProperty("tone", "danger")
        self.problems.clicked.connect(self.sig_problems.emit)
        self.problems.hide()
        layout.addWidget(self.problems)
        search = QPushButton(_("Search flows, scripts, macros and offers…"))
        search.setObjectName("choice")
        search.setToolTip(with_key(_("Search"), "open_search"))  # the subtitle names it too
        search.clicked.connect(self.sig_search.emit)
        layout.addWidget(search)
        layout.addWidget(section_title(_("What is the situation?")))
        self.list = QTreeWidget()  # its rows wrap once flows are listed (wrap_rows)
        self.list.setHeaderHidden(True)
        self.list.setAccessibleName(_("Flows"))
        self.list.setAccessibleDescription(
            _("Enter or one click opens a flow; the start flow is selected.")
        )
        self.list.setIndentation(14)
        set_enum(self.list, "horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._clicked)
        layout.addWidget(self.list, 1)
        self.empty = text_label(_("No flows are available for this audience today."), "muted")
        layout.addWidget(self.empty)
        self._wrapping = False
        self._shown: tuple[object, ...] | None = None  # what the list shows now
        self._start: QTreeWidgetItem | None = None  # the row selected whenever it shows
        self._expired_header: QTreeWidgetItem | None = None
        self._painted = False  # see _seal_header
        after_first_paint(self, self._first_paint)

    def show_loading(self) -> None:
        self._shown = self._start = self._expired_header = None
        self.list.clear()
        self.empty.setText(_("Loading packs…"))
        self.empty.show()

    def show_flows(self, flows: Listed, failed: int, last_pack: str = "") -> None:
        """Packs as groups (the start pack first and open), their flows inside; ``failed``:
        how many packs could not be loaded. What is shown already is not built again (the
        start list kept from the last start, then the same from the packs just loaded)."""
        shown = (flows, failed, last_pack)
        if shown == self._shown:
            self._select_start()
            return
        self._shown = shown
        if not self._wrapping:
            from agentdesk.ui.wizard.wrap_rows import wrap_rows

            wrap_rows(self.list)
            self._wrapping = True
        self.list.clear()
        self.empty.setText(_("No flows are available for this audience today."))
        packs: dict[str, tuple[ListedPack, bool, list[ListedFlow]]] = {}
        for pack, flow, expired in flows:
            packs.setdefault(pack.id, (pack, expired, []))[2].append(flow)
        order = sorted(packs.values(), key=lambda e: (e[1], e[0].id != START_PACK, e[0].title))
        expired_header: QTreeWidgetItem | None = None
        self._start = None
        for pack, expired, pack_flows in order:
            parent: QTreeWidget | QTreeWidgetItem = self.list
            if expired:
                if expired_header is None:
                    expired_header = QTreeWidgetItem(self.list, [_("Expired (for reference only)")])
                    expired_header.setExpanded(True)
                parent = expired_header
            until = pack.manifest.valid_until
            label = (
                pack.title
                if not expired
                else "⚠ "
                + pack.title
                + " — "
                + _("expired {date}").format(date=until.isoformat() if until else "")
            )
            start = pack.manifest.start
            pack_flows.sort(key=lambda f: f.id != start)  # the start flow first, if listed
            group = QTreeWidgetItem(parent, [label])
            group.setData(0, _ROLE, (pack.id, pack_flows[0].id))  # opens the first one listed
            group.setToolTip(0, "\n".join(x for x in (label, pack.manifest.description) if x))
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for flow in pack_flows:
                item = QTreeWidgetItem(group, [flow.title])
                item.setData(0, _ROLE, (pack.id, flow.id))
                item.setToolTip(0, "\n".join(x for x in (flow.title, flow.description) if x))
            group.setExpanded(pack.id in (START_PACK, last_pack) and not expired)
            if self._start is None or pack.id == START_PACK:  # the start flow, every time
                self._start = group.child(0) if pack.id == START_PACK else group
        self._expired_header = expired_header
        self._seal_header()
        self.empty.setVisible(not flows)
        if failed:
            self.problems.setText(
                ngettext(
                    "{n} pack could not be loaded. Show the problems",
                    "{n} packs could not be loaded. Show the problems",
                    failed,
                ).format(n=failed)
            )
        self.problems.setVisible(bool(failed))
        self._select_start()
        self.sig_listed.emit()

    def _first_paint(self) -> None:
        self._painted = True
        self._seal_header()

    def _seal_header(self) -> None:
        """The "Expired" header opens nothing, so it is not selectable (only enabled). Its
        flags' enum would cost start-up the ``Qt`` namespace (see qt_start): a header
        listed before the page's first paint gets them right after it."""
        if self._painted and self._expired_header is not None:
            self._expired_header.setFlags(Qt.ItemFlag.ItemIsEnabled)

    @property
    def listed(self) -> bool:
        """Whether flows (or the words that there are none) are listed, not "Loading"."""
        return self._shown is not None

    def _select_start(self) -> None:
        if self._start is not None:
            self.list.setCurrentItem(self._start)

    def _activated(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, _ROLE)
        if data:
            self.sig_open.emit(*data)

    def _clicked(self, item: QTreeWidgetItem) -> None:
        """One click or tap: a flow opens; a pack folds or unfolds (Enter opens its first
        flow)."""
        if item.childCount():
            item.setExpanded(not item.isExpanded())
        else:
            self._activated(item)

    def focus_list(self) -> None:
        self.list.setFocus()  # the reason: Qt.FocusReason.OtherFocusReason


def when_listed(page: StartPage, action: Callable[[], object]) -> None:
    """Run ``action`` once ``page`` has painted a list of flows (not "Loading packs…"):
    where the time a start takes ends for the agent (scripts/bench_ui.py)."""

    def listed() -> None:
        page.sig_listed.disconnect(listed)
        after_first_paint(page.list.viewport(), action)

    if page.listed:  # at the window's first paint, before the work that follows it
        after_first_paint(page.window(), action, first=True)
    else:
        page.sig_listed.connect(listed)
