"""Reserve the panel's screen edge on X11: ``_NET_WM_STRUT_PARTIAL`` (and the older
``_NET_WM_STRUT``) on the panel's window, so maximized windows (the CRM) stop at the panel.

Window managers that follow the EWMH take struts from any window (Openbox, Xfwm, KWin,
Fluxbox...); some keep them for docks only. The window stays a normal window, not a dock:
a dock does not get the keyboard focus in many window managers, and the panel is used
from the keyboard. The properties are set through libxcb, the library Qt's X11 platform
itself runs on, over a connection of our own (properties live on the X server).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

CARDINAL = 6  # XCB_ATOM_CARDINAL
REPLACE = 0  # XCB_PROP_MODE_REPLACE


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _AtomReply(ctypes.Structure):
    _fields_ = [
        ("response_type", ctypes.c_uint8),
        ("pad0", ctypes.c_uint8),
        ("sequence", ctypes.c_uint16),
        ("length", ctypes.c_uint32),
        ("atom", ctypes.c_uint32),
    ]


class _Xcb:
    def __init__(self) -> None:
        lib = ctypes.CDLL(ctypes.util.find_library("xcb") or "libxcb.so.1")
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        lib.xcb_connect.restype = ctypes.c_void_p
        lib.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        lib.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
        lib.xcb_intern_atom.restype = _Cookie
        lib.xcb_intern_atom.argtypes = [ctypes.c_void_p, ctypes.c_uint8, ctypes.c_uint16]
        lib.xcb_intern_atom.argtypes += [ctypes.c_char_p]
        lib.xcb_intern_atom_reply.restype = ctypes.POINTER(_AtomReply)
        lib.xcb_intern_atom_reply.argtypes = [ctypes.c_void_p, _Cookie, ctypes.c_void_p]
        lib.xcb_change_property.restype = _Cookie
        lib.xcb_change_property.argtypes = [
            ctypes.c_void_p,
            ctypes.c_uint8,
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.c_uint8,
            ctypes.c_uint32,
            ctypes.c_void_p,
        ]
        lib.xcb_delete_property.restype = _Cookie
        lib.xcb_delete_property.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint32]
        lib.xcb_flush.argtypes = [ctypes.c_void_p]
        libc.free.argtypes = [ctypes.c_void_p]
        self.lib, self.libc = lib, libc
        self.connection = lib.xcb_connect(None, None)
        if not self.connection or lib.xcb_connection_has_error(self.connection):
            raise OSError("cannot connect to the X server")

    @cache  # noqa: B019 - one connection for the life of the app
    def atom(self, name: str) -> int:
        raw = name.encode("ascii")
        cookie = self.lib.xcb_intern_atom(self.connection, 0, len(raw), raw)
        reply = self.lib.xcb_intern_atom_reply(self.connection, cookie, None)
        if not reply:
            raise OSError(f"X server did not name {name}")
        atom = int(reply.contents.atom)
        self.libc.free(reply)
        return atom

    def set_cardinals(self, window: int, name: str, values: tuple[int, ...]) -> None:
        data = (ctypes.c_uint32 * len(values))(*values)
        self.lib.xcb_change_property(
            self.connection, REPLACE, window, self.atom(name), CARDINAL, 32, len(values), data
        )

    def delete(self, window: int, name: str) -> None:
        self.lib.xcb_delete_property(self.connection, window, self.atom(name))

    def flush(self) -> None:
        self.lib.xcb_flush(self.connection)


@cache
def _xcb() -> _Xcb:
    return _Xcb()


def reserve(window: int, strut: tuple[int, ...]) -> None:
    """Reserve the strip ``strut`` (the 12 values of ``_NET_WM_STRUT_PARTIAL``)."""
    xcb = _xcb()
    xcb.set_cardinals(window, "_NET_WM_STRUT_PARTIAL", strut)
    xcb.set_cardinals(window, "_NET_WM_STRUT", strut[:4])
    xcb.flush()


def release(window: int) -> None:
    xcb = _xcb()
    xcb.delete(window, "_NET_WM_STRUT_PARTIAL")
    xcb.delete(window, "_NET_WM_STRUT")
    xcb.flush()
