"""Where the docked panel goes, as plain arithmetic on rectangles (no Qt here).

The panel fills the height of the screen's work area and sits flush with one edge. Its
window frame (title bar, borders, drawn by the desktop) is outside the rectangle Qt places,
so the frame is taken off on every side: the outer edge of the frame, not the content,
meets the screen's edge, and the bottom border stays on screen.

Where the desktop lets a window reserve its edge (X11 struts, Windows AppBars), the work
area shrinks by the panel's own strip; :func:`work_area` gives that strip back, so placing
the panel again puts it where it is rather than pushing it inwards each time.
"""

from __future__ import annotations

from typing import NamedTuple

MIN_PANEL_WIDTH = 320
EDGES = ("left", "right")


class Rect(NamedTuple):
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """One past the last column (unlike QRect.right())."""
        return self.x + self.width

    @property
    def bottom(self) -> int:
        """One past the last row."""
        return self.y + self.height

    def intersects(self, other: Rect) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def united(self, other: Rect) -> Rect:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)


class Margins(NamedTuple):
    """The window frame's width on each side."""

    left: int = 0
    top: int = 0
    right: int = 0
    bottom: int = 0


def work_area(available: Rect, screen: Rect, reserved: Rect | None) -> Rect:
    """The area the panel may use: the screen's work area plus the strip the panel itself
    reserved on this screen (if any)."""
    if reserved is None or not reserved.intersects(screen):
        return available
    return available.united(reserved)


def panel_rect(area: Rect, edge: str, width: int, frame: Margins) -> Rect:
    """The content rectangle of a panel of ``width`` docked at ``edge`` of ``area``."""
    outer = max(MIN_PANEL_WIDTH, min(width, area.width // 2)) + frame.left + frame.right
    outer = min(outer, area.width)
    x = area.right - outer if edge == "right" else area.x
    height = max(1, area.height - frame.top - frame.bottom)
    return Rect(x + frame.left, area.y + frame.top, outer - frame.left - frame.right, height)


def outer_rect(content: Rect, frame: Margins) -> Rect:
    """The rectangle of the window with its frame."""
    return Rect(
        content.x - frame.left,
        content.y - frame.top,
        content.width + frame.left + frame.right,
        content.height + frame.top + frame.bottom,
    )


def to_device(rect: Rect, screen: Rect, ratio: float) -> Rect:
    """A rectangle on ``screen`` in device pixels. Qt keeps each screen's top-left corner
    where the device puts it and scales what lies beyond it by the screen's ratio."""
    x = screen.x + round((rect.x - screen.x) * ratio)
    y = screen.y + round((rect.y - screen.y) * ratio)
    return Rect(x, y, round(rect.width * ratio), round(rect.height * ratio))


def strut_partial(root: Rect, outer: Rect, edge: str) -> tuple[int, ...]:
    """X11's ``_NET_WM_STRUT_PARTIAL`` for a panel at ``outer`` (device pixels) on the
    ``root`` window: left, right, top, bottom, then the start and end of each strip."""
    top, bottom = outer.y, outer.bottom - 1
    if edge == "left":
        return (outer.right - root.x, 0, 0, 0, top, bottom, 0, 0, 0, 0, 0, 0)
    return (0, root.right - outer.x, 0, 0, 0, 0, top, bottom, 0, 0, 0, 0)
