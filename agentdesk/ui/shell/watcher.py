"""Reload packs when their files change: a trainer saves, the panel shows it at once;
a pack installed from another process appears without a restart.

A save that breaks the pack keeps the last good content on screen; the start screen then
says a pack has problems (see :class:`agentdesk.core.packs.library.Library`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from agentdesk.core.packs.installed import watch_folders
from agentdesk.core.packs.loader import pack_files
from agentdesk.ui.shell.controller import Controller


class PackWatcher(QObject):
    DELAY_MS = 300  # editors write in bursts; reload once they are done

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self._reload)
        controller.sig_packs_changed.connect(self.watch)  # what is watched follows the library
        self.watch()

    def watch(self) -> None:
        """(Re)watch every pack folder, its sub-folders and files, and the install folder."""
        paths: set[str] = set()
        library = self.controller.library
        for root in library.entries:
            paths.add(str(root))
            for rel in pack_files(root) if root.is_dir() else []:
                paths.add(str(root / rel))
                paths.add(str((root / rel).parent))
        if library.paths is not None:
            installed = library.paths.installed_packs
            installed.mkdir(parents=True, exist_ok=True)
            paths.update(str(p) for p in watch_folders(installed))
        old = set(self.watcher.files()) | set(self.watcher.directories())
        if old - paths:
            self.watcher.removePaths(sorted(old - paths))
        if paths - old:
            self.watcher.addPaths(sorted(paths - old))

    def _changed(self, path: str) -> None:
        self._pending.add(path)
        self._timer.start()

    def _reload(self) -> None:
        changed = [Path(p) for p in self._pending]
        self._pending.clear()
        library = self.controller.library
        roots = {root for root in library.entries for p in changed if p.is_relative_to(root)}
        installed = library.paths.installed_packs if library.paths else None
        if installed is not None and any(p.is_relative_to(installed) for p in changed):
            self.controller.reload()  # a pack was installed, updated or rolled back
        else:
            for root in roots:
                self.controller.reload(root)
