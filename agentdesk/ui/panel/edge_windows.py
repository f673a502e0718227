"""Reserve the panel's screen edge on Windows: an application desktop toolbar (AppBar),
registered with ``SHAppBarMessage`` (shell32) through ctypes.

NOT RUN HERE: the project's machines and CI are Linux. Written from the Win32
documentation ("Using Application Desktop Toolbars"): ABM_NEW once per window, then
ABM_QUERYPOS and ABM_SETPOS with the strip the panel takes, ABM_REMOVE when the panel is
hidden or closed. The work area Windows gives other windows then stops at the panel, and
Qt reports the change (QScreen.availableGeometryChanged), which re-places the panel.
The AppBar's notifications (ABN_*) are not read: screen and work-area changes already
reach the panel through Qt. Rectangles here are device pixels.
"""

from __future__ import annotations

import ctypes
import sys

from agentdesk.core.placement import Rect

if sys.platform != "win32":
    raise ImportError("edge_windows is for Windows only")

from ctypes import wintypes

ABM_NEW = 0x00
ABM_REMOVE = 0x01
ABM_QUERYPOS = 0x02
ABM_SETPOS = 0x03
ABE_LEFT = 0
ABE_RIGHT = 2
CALLBACK_MESSAGE = 0x0400 + 0x2A1  # WM_USER + a number of ours: notifications go unread


class APPBARDATA(ctypes.Structure):
    _fields_ = [
        ("cbSize", wintypes.DWORD),
        ("hWnd", wintypes.HWND),
        ("uCallbackMessage", wintypes.UINT),
        ("uEdge", wintypes.UINT),
        ("rc", wintypes.RECT),
        ("lParam", wintypes.LPARAM),
    ]


_shell32 = ctypes.WinDLL("shell32")
_shell32.SHAppBarMessage.restype = ctypes.c_size_t
_shell32.SHAppBarMessage.argtypes = [wintypes.DWORD, ctypes.POINTER(APPBARDATA)]
_registered: set[int] = set()


def _data(window: int) -> APPBARDATA:
    data = APPBARDATA()
    data.cbSize = ctypes.sizeof(APPBARDATA)
    data.hWnd = window
    data.uCallbackMessage = CALLBACK_MESSAGE
    return data


def reserve(window: int, edge: str, strip: Rect) -> Rect:
    """Reserve ``strip`` at ``edge`` for the window ``window`` (an HWND); returns the strip
    Windows granted (it may move it past other AppBars, such as a taskbar at the side)."""
    data = _data(window)
    if window not in _registered:
        if not _shell32.SHAppBarMessage(ABM_NEW, ctypes.byref(data)):
            raise OSError("Windows refused to register the panel as an AppBar")
        _registered.add(window)
    data.uEdge = ABE_RIGHT if edge == "right" else ABE_LEFT
    data.rc = wintypes.RECT(strip.x, strip.y, strip.right, strip.bottom)
    _shell32.SHAppBarMessage(ABM_QUERYPOS, ctypes.byref(data))
    if edge == "right":  # the proposal may have been moved: keep the panel's own width
        data.rc.left = data.rc.right - strip.width
    else:
        data.rc.right = data.rc.left + strip.width
    _shell32.SHAppBarMessage(ABM_SETPOS, ctypes.byref(data))
    got = data.rc
    return Rect(got.left, got.top, got.right - got.left, got.bottom - got.top)


def release(window: int) -> None:
    if window in _registered:
        _shell32.SHAppBarMessage(ABM_REMOVE, ctypes.byref(_data(window)))
        _registered.discard(window)
