"""Render the application icon from its SVG source: PNG sizes and the Windows .ico.

    .venv/bin/python scripts/make_icons.py

Run it after changing ``resources/icons/agentdesk.svg`` and commit what it writes:
``agentdesk-<size>.png`` (Linux desktops, the window icon, the .deb) and ``agentdesk.ico``
(the Windows executable and installer). The SVG is drawn by Qt's own renderer (QtSvg, in
PySide6-Essentials). Qt writes one picture per .ico file, so the .ico is put together here:
it is a short directory of PNG pictures (the format Windows has read since Vista).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "agentdesk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico holds


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pictures: dict[int, bytes]) -> bytes:
    """An .ico file of PNG pictures: a header, one directory entry per size, the PNGs."""
    header = struct.pack("<HHH", 0, 1, len(pictures))
    offset = len(header) + 16 * len(pictures)
    entries, bodies = b"", b""
    for size, png in sorted(pictures.items()):
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        bodies += png
        offset += len(png)
    return header + entries + bodies


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"make_icons: cannot read {SOURCE}", file=sys.stderr)
        return 1
    pictures = {size: render(renderer, size) for size in PNG_SIZES}
    for size, png in pictures.items():
        (ICONS / f"agentdesk-{size}.png").write_bytes(png)
    (ICONS / "agentdesk.ico").write_bytes(ico({s: pictures[s] for s in ICO_SIZES}))
    print(f"wrote {len(PNG_SIZES)} PNG sizes and agentdesk.ico to {ICONS}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
