"""Where the docked panel goes: flush with the edge, frame included, stable when reserved."""

from __future__ import annotations

import pytest

from agentdesk.core.placement import (
    MIN_PANEL_WIDTH,
    Margins,
    Rect,
    outer_rect,
    panel_rect,
    strut_partial,
    to_device,
    work_area,
)

SCREEN = Rect(0, 0, 1920, 1080)
AVAILABLE = Rect(0, 0, 1920, 1040)  # a taskbar at the bottom
FRAME = Margins(left=3, top=28, right=3, bottom=4)


@pytest.mark.parametrize("edge", ["left", "right"])
@pytest.mark.parametrize("frame", [Margins(), FRAME])
def test_the_framed_panel_fills_the_work_area_height_flush_with_its_edge(
    edge: str, frame: Margins
) -> None:
    content = panel_rect(AVAILABLE, edge, 420, frame)
    outer = outer_rect(content, frame)
    assert content.width == 420
    assert (outer.y, outer.bottom) == (AVAILABLE.y, AVAILABLE.bottom)  # the bottom is not cut
    if edge == "right":
        assert outer.right == AVAILABLE.right
    else:
        assert outer.x == AVAILABLE.x


def test_the_width_stays_between_the_minimum_and_half_the_screen() -> None:
    assert panel_rect(AVAILABLE, "right", 100, FRAME).width == MIN_PANEL_WIDTH
    assert panel_rect(AVAILABLE, "right", 5000, FRAME).width == AVAILABLE.width // 2
    small = Rect(0, 0, 300, 600)  # narrower than the minimum: the panel still fits
    assert outer_rect(panel_rect(small, "left", 420, FRAME), FRAME).width == small.width


def test_placing_again_after_reserving_the_edge_does_not_move_the_panel() -> None:
    content = panel_rect(AVAILABLE, "right", 420, FRAME)
    strip = outer_rect(content, FRAME)
    # the desktop now keeps maximized windows out of the strip: the work area shrinks
    shrunk = Rect(0, 0, strip.x, AVAILABLE.height)
    assert panel_rect(shrunk, "right", 420, FRAME) != content  # it would creep inwards
    again = panel_rect(work_area(shrunk, SCREEN, strip), "right", 420, FRAME)
    assert again == content
    # switching edge while the right strip is still reserved: the left edge of the screen
    left = panel_rect(work_area(shrunk, SCREEN, strip), "left", 420, FRAME)
    assert outer_rect(left, FRAME).x == 0


def test_a_strip_on_another_screen_is_not_given_back() -> None:
    assert work_area(AVAILABLE, SCREEN, Rect(2800, 0, 400, 1024)) == AVAILABLE
    assert work_area(AVAILABLE, SCREEN, None) == AVAILABLE


def test_device_pixels_scale_from_the_screens_corner() -> None:
    screen = Rect(1920, 0, 1280, 720)  # a 2560x1440 screen at 200 %
    assert to_device(Rect(1920 + 860, 0, 420, 700), screen, 2.0) == Rect(3640, 0, 840, 1400)


def test_struts_name_the_reserved_strip_from_the_root_windows_edges() -> None:
    root = Rect(0, 0, 3200, 1080)
    right = strut_partial(root, Rect(2780, 0, 420, 1040), "right")
    assert right == (0, 420, 0, 0, 0, 0, 0, 1039, 0, 0, 0, 0)
    left = strut_partial(root, Rect(0, 10, 400, 1000), "left")
    assert left == (400, 0, 0, 0, 10, 1009, 0, 0, 0, 0, 0, 0)
