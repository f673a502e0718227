"""Who the app is to the desktop: its desktop entry's id, and its icon on every window.

The icon's pictures are PNG files drawn from ``resources/icons/agentdesk.svg`` by
``scripts/make_icons.py``. The icon is set right after the first paint (QIcon costs start-up
time, and until then the bundle's own icon, or none, shows); the desktop entry's id before
the window exists (Wayland reads it when the window is made).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.core.paths import resources_dir

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QWidget

#: The reverse-DNS id of the desktop entry (packaging/linux/) and of the AppStream data.
DESKTOP_ID = "com.agentdesk.AgentDesk"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in ICON_SIZES:
        icon.addFile(str(folder / f"agentdesk-{size}.png"), QSize(size, size))
    return icon


def set_identity(app: QGuiApplication, window: QWidget) -> None:
    """The desktop entry the windows belong to (the taskbar groups them under its name),
    and, once ``window`` has painted, the icon of every window (dialogs too)."""
    from agentdesk.ui.shell.widgets import after_first_paint

    app.setDesktopFileName(DESKTOP_ID)
    after_first_paint(window, lambda: app.setWindowIcon(app_icon()))
