"""Render the README's screenshots of the panel, offscreen, from the bundled packs.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

Every picture is a real state of the app (the same code as ``agentdesk --screenshot``);
the date is fixed so the pictures do not change from day to day.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentdesk.core.packs.library import Library

os.environ["QT_QPA_PLATFORM"] = "offscreen"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    home = tempfile.mkdtemp()
    for name in ("DATA", "CONFIG", "CACHE"):
        os.environ[f"AGENTDESK_{name}_DIR"] = f"{home}/{name.lower()}"
    from PySide6.QtWidgets import QApplication

    from agentdesk.core.i18n import set_language
    from agentdesk.core.packs.library import Library
    from agentdesk.core.paths import Paths
    from agentdesk.core.settings import Settings
    from agentdesk.ui.panel.main_window import MainWindow
    from agentdesk.ui.shell.controller import Controller
    from agentdesk.ui.shell.theme import style_sheet

    app = QApplication(sys.argv[:1])
    app.setStyleSheet(style_sheet())
    library = Library(None).load()
    OUT.mkdir(parents=True, exist_ok=True)

    def panel(
        name: str,
        today: date,
        language: str = "es",
        size: tuple[int, int] = (420, 860),
        **state: object,
    ) -> None:
        """The panel at ``size`` (its default width; ``(360, 720)``: the narrowest laptop
        set-up the layout is made for) in a state of a call."""
        set_language(language)
        os.environ["AGENTDESK_DATA_DIR"] = tempfile.mkdtemp(dir=home)  # no earlier notes
        controller = Controller(Paths.resolve(), Settings(), library, "desk", today)
        window = MainWindow(controller)
        window.resize(*size)
        window.show()
        values = state.get("values", {})
        assert isinstance(values, dict)
        for key, value in values.items():
            controller.session.values[key] = value
        if "pack" in state:
            controller.open(str(state["pack"]), str(state["flow"]))
            for choice in state.get("choose", ()):  # type: ignore[attr-defined]
                controller.choose(choice)
        if state.get("note"):
            window.notes.start()
            window.open_note()
        if state.get("details"):
            window.toggle_details()
        for _ in range(10):
            app.processEvents()
        if state.get("scroll"):
            bar = window.wizard.scroller.verticalScrollBar()
            bar.setValue(bar.maximum())
            app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))
        print(OUT / f"{name}.png")
        window.close()

    june = date(2024, 6, 1)
    panel("panel-start", june)
    panel(
        "panel-narrow",
        june,
        size=(360, 720),
        pack="migracion-pre-post",
        flow="contacto",
        choose=["next"],
        values={"nombre": "Juan Pérez"},
    )
    panel(
        "panel-words-first",
        date(2023, 10, 10),
        pack="gestionix-nueva-plataforma",
        flow="gestionix-dejara-de-funcionar",
    )
    panel(
        "panel-timer",
        june,
        pack="ejemplo",
        flow="reclamo",
        choose=["verificar"],
        values={"nombre": "Ana", "monto": "150"},
    )
    panel(
        "panel-macro",
        june,
        pack="migracion-pre-post",
        flow="aceptacion",
        values={"nombre": "Juan Pérez"},
    )
    panel(
        "panel-offers",
        date(2023, 10, 10),
        pack="gestionix-nueva-plataforma",
        flow="gestionix-dejara-de-funcionar",
        choose=["amenaza"],
        scroll=True,
    )
    panel(
        "panel-outcome-en",
        june,
        language="en",
        pack="ejemplo",
        flow="reclamo",
        choose=["verificar", "next"],
        values={"nombre": "Ana", "monto": "150", "cedula": "1712345678"},
    )
    panel(
        "panel-note",
        june,
        pack="ejemplo",
        flow="reclamo",
        choose=["verificar", "next"],
        values={"nombre": "Ana", "monto": "150"},
        note=True,
    )
    set_language("es")
    flow_map_picture(library.get("migracion-pre-post"), OUT / "flowmap-migracion-pre-post.png")
    stats_picture(library, june, OUT / "stats-page.png")


def stats_picture(library: Library, today: date, out: Path) -> None:
    """The usage figures page (menu ☰ → "Uso de los flujos…") at the panel's width, over
    made-up calls recorded as the app records them (scripts/synthetic_usage.py)."""
    from PySide6.QtWidgets import QApplication
    from synthetic_usage import simulate

    from agentdesk.core.paths import Paths
    from agentdesk.core.settings import Settings
    from agentdesk.core.usage.store import UsageStore
    from agentdesk.ui.shell.controller import Controller
    from agentdesk.ui.stats.stats_page import StatsDialog

    os.environ["AGENTDESK_DATA_DIR"] = tempfile.mkdtemp()
    paths = Paths.resolve()
    simulate(library, 400, UsageStore(paths.usage_db).add, today=today)
    dialog = StatsDialog(Controller(paths, Settings(usage_stats="on"), library, "desk", today))
    dialog.resize(420, 860)
    dialog.show()
    dialog.packs.setCurrentIndex(dialog.packs.findData("migracion-pre-post"))
    while dialog._job is not None:  # the figures load on a worker thread
        QApplication.processEvents()
    QApplication.processEvents()
    dialog.grab().save(str(out))
    print(out)
    dialog.close()


def flow_map_picture(pack: object, out: Path) -> None:
    """The pack's flow map (``agentdesk pack graph``), drawn by Qt's SVG renderer as the
    app's map window draws it."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from agentdesk.core.flowmap import flow_map
    from agentdesk.core.flowmap.svg import to_svg

    renderer = QSvgRenderer(QByteArray(to_svg(flow_map(pack)).encode("utf-8")))  # type: ignore[arg-type]
    size = renderer.defaultSize()
    image = QImage(size.width(), size.height(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    image.save(str(out))
    print(out)


if __name__ == "__main__":
    main()
