"""One app per user and data folder: a second start hands its request to the first.

The first start takes a lock file in the data folder (QLockFile; a lock left by a process
that died is taken over) and, once its window has painted, listens on a local socket
(QLocalServer: a Unix socket in the temporary folder, a named pipe on Windows, only the
user may connect) named from the user and the data folder. A later start finds the lock
taken: it connects, sends its ``--pack``/``--flow`` as one JSON line, waits for the answer
and ends. The first one brings its window forward and opens what was asked, so there are
never two panels writing the same note draft.

Before the first paint this costs one lock file: QtNetwork is loaded after it.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer
    from PySide6.QtWidgets import QWidget

    from agentdesk.ui.shell.controller import Controller

LOCK_NAME = "agentdesk.lock"
#: A second start waits this long for the first to listen (it may still be starting).
CONNECT_SECONDS = 15.0
REPLY_MS = 5000
MAX_REQUEST_BYTES = 64 * 1024
log = logging.getLogger("agentdesk")  # the app's log (agentdesk.core.diagnostics)


def server_name(data: Path) -> str:
    """The local socket's name: the same for every start of one user on one data folder."""
    import getpass
    import hashlib

    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment nor the password file
        user = ""
    digest = hashlib.sha256(f"{user}\0{data.resolve()}".encode()).hexdigest()[:24]
    return f"agentdesk-{digest}"


def read_request(line: bytes) -> dict[str, str]:
    """A second start's request: the pack and flow it was given (anything else is dropped)."""
    try:
        raw = json.loads(line.decode("utf-8"))
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {k: v for k, v in raw.items() if k in ("pack", "flow") and isinstance(v, str) and v}


class SingleInstance(QObject):
    sig_request = Signal(dict)
    """A later start asked for something: a dict with its ``pack`` and ``flow`` (if given)."""

    def __init__(self, data: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.lock = QLockFile(str(data / LOCK_NAME))
        self.lock.setStaleLockTime(0)  # held as long as the app runs: never stale by age
        self.server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True: this start is the app (or the lock cannot be written: it runs anyway).
        False: another start of the same user runs on the same data folder."""
        try:
            self.data.mkdir(parents=True, exist_ok=True)
        except OSError:
            return True
        if self.lock.tryLock(0):
            return True
        return self.lock.error() != QLockFile.LockError.LockFailedError

    def listen(self) -> bool:
        """Take requests from later starts (after the first paint)."""
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(self.data)
        QLocalServer.removeServer(name)  # left by a start that died: this one holds the lock
        if not server.listen(name):
            log.warning("single instance: cannot listen on %s: %s", name, server.errorString())
            return False
        server.newConnection.connect(self._accept)
        self.server = server
        return True

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.lock.isLocked():
            self.lock.unlock()

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)

    def _read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        socket = self.sender()
        assert isinstance(socket, QLocalSocket)
        if socket.bytesAvailable() > MAX_REQUEST_BYTES:
            socket.abort()
            return
        if not socket.canReadLine():
            return
        request = read_request(bytes(socket.readLine().data()))
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        log.info("a second start was handed over: %s", request or "no pack or flow")
        self.sig_request.emit(request)

    def hand_over(self, pack: str | None, flow: str | None) -> int:
        """This start is a second one: pass its request on; the exit status to end with."""
        request: dict[str, Any] = {}
        if pack:
            folder = Path(pack)
            request["pack"] = str(folder.resolve()) if folder.is_dir() else pack
        if flow:
            request["flow"] = flow
        if forward(self.data, request):
            print("AgentDesk is already running: it was brought forward.")
            return 0
        print(
            f"agentdesk: AgentDesk is already running on {self.data} but does not answer.",
            file=sys.stderr,
        )
        return 1


def forward(data: Path, request: dict[str, Any], seconds: float = CONNECT_SECONDS) -> bool:
    """Send ``request`` to the app running on ``data``; True once it answered. Blocking:
    a second start has nothing else to do (and no event loop)."""
    from PySide6.QtCore import QThread
    from PySide6.QtNetwork import QLocalSocket

    name = server_name(data)
    message = (json.dumps(request) + "\n").encode("utf-8")
    deadline = time.monotonic() + seconds
    while True:
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(1000):
            socket.write(message)
            socket.waitForBytesWritten(REPLY_MS)
            answered = socket.waitForReadyRead(REPLY_MS) and socket.canReadLine()
            socket.abort()
            if answered:
                return True
        socket.abort()
        if time.monotonic() > deadline:
            return False
        QThread.msleep(100)  # the first start is not listening yet: it is still painting


def main_window() -> QWidget | None:
    """The app's window: the desk panel or the kiosk (a language switch replaces it)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    windows = [w for w in QApplication.topLevelWidgets() if w.windowType() == Qt.WindowType.Window]
    shown = [w for w in windows if w.isVisible()]
    found = shown or windows
    return found[0] if found else None


def bring_forward(window: QWidget) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.alert(window)  # the taskbar flashes where the desktop refuses the focus


def open_request(controller: Controller, request: dict[str, str]) -> bool:
    """Bring the window forward and open the pack and flow a second start asked for."""
    from agentdesk.core.packs import MANIFEST

    window = main_window()
    if window is not None:
        bring_forward(window)
    pack = request.get("pack")
    if not pack:
        return False
    library = controller.library
    folder = Path(pack)
    if (folder / MANIFEST).is_file():
        if folder not in library.folders:
            library.folders.append(folder)
            controller.reload()
        entry = library.entries.get(folder)
        pack = entry.pack.id if entry and entry.pack else pack
    elif not library.loaded:
        controller.reload()
    opened = controller.open(pack, request.get("flow"))  # a new interaction, as any flow opened
    log.info("opened %s/%s for a second start: %s", pack, request.get("flow"), opened)
    return opened


def serve(instance: SingleInstance, window: QWidget, controller: Controller) -> None:
    """Listen once ``window`` has painted; later starts' requests are opened in this app."""
    from agentdesk.ui.shell.widgets import after_first_paint

    instance.sig_request.connect(lambda request: open_request(controller, request))
    after_first_paint(window, instance.listen)
