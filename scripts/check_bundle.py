"""Check a built bundle as CI does (.ci/run): its size, what was pruned, and that it starts
from a clean environment and paints the panel.

    .venv/bin/python scripts/check_bundle.py dist/agentdesk

The bundle's executable runs under ``env -i`` with only what a desktop session has (HOME,
PATH without the virtual environment, LANG, XDG_RUNTIME_DIR; on Windows the profile
folders), in a fresh home folder:
``--version``, ``pack validate`` on the packs inside the bundle, and two screenshots (the
start screen; a step whose macros render with Jinja2 and Babel). Each picture must have the
panel's size and show more than a blank page. Exit status 1 with a reason when a check fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MAX_MB = 250
PANEL_SIZE = (420, 860)  # agentdesk.ui.shell.app.screenshot, panel mode
# the share of pixels that are not the background: the start screen shows text and buttons
MIN_DRAWN = 0.05
MIN_COLOURS = 20
# what must not be in the bundle (packaging/agentdesk.spec prunes it)
NOT_BUNDLED = ("Qt6Qml", "Qt6Quick", "Qt6WebEngine", "libqeglfs", "libqvnc", "libgtk-3")


class Failed(Exception):
    pass


def size_mb(folder: Path) -> float:
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())
    return total / 1_000_000


def check_pruned(folder: Path) -> None:
    names = [p.name for p in folder.rglob("*")]
    found = sorted({n for n in names for bad in NOT_BUNDLED if bad in n})
    if found:
        raise Failed(f"pruned files are in the bundle: {found}")
    catalogs = sorted(n for n in names if n.endswith(".qm"))
    if not catalogs or any(not n.endswith(("_es.qm", "_en.qm")) for n in catalogs):
        raise Failed(f"Qt translations other than Spanish and English: {catalogs}")
    for needed in ("qtbase_es.qm", "qtbase_en.qm", "es.mo", "agentdesk.svg", "pack.schema.json"):
        if needed not in names:
            raise Failed(f"{needed} is missing from the bundle")
    if "es.po" in names:  # the app would compile it again at start, where it cannot write
        raise Failed("es.po is in the bundle: ship the compiled es.mo only")


def run_clean(executable: Path, home: Path, *args: str) -> str:
    """Run the bundle's executable with nothing of this environment (``env -i``), as a
    fresh desktop session of a new user would start it."""
    if sys.platform == "win32":
        keep = {k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR") if k in os.environ}
        session = {
            **keep,
            "PATH": str(Path(keep.get("SYSTEMROOT", r"C:\Windows")) / "System32"),
            "USERPROFILE": str(home),
            "APPDATA": str(home / "AppData" / "Roaming"),
            "LOCALAPPDATA": str(home / "AppData" / "Local"),
            "TEMP": str(home),
            "TMP": str(home),
        }
        command, env = [str(executable), *args], session
    else:
        (home / "run").mkdir(mode=0o700, exist_ok=True)
        session_vars = [
            f"HOME={home}",
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "LANG=C.UTF-8",
            f"XDG_RUNTIME_DIR={home / 'run'}",
        ]
        command, env = ["env", "-i", *session_vars, str(executable), *args], None
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=home)
    if done.returncode != 0:
        raise Failed(f"{executable.name} {' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return done.stdout


def check_picture(path: Path, size: tuple[int, int]) -> str:
    from PySide6.QtGui import QGuiApplication, QImage

    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(str(path))
    if image.isNull():
        raise Failed(f"{path} is not a picture")
    if (image.width(), image.height()) != size:
        raise Failed(f"{path} is {image.width()}x{image.height()}, not {size[0]}x{size[1]}")
    pixels = Counter(
        image.pixel(x, y) for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
    )
    background = pixels.most_common(1)[0][1]
    drawn = 1 - background / sum(pixels.values())
    if drawn < MIN_DRAWN or len(pixels) < MIN_COLOURS:
        raise Failed(f"{path} looks blank: {drawn:.1%} drawn, {len(pixels)} colours")
    return f"{drawn:.0%} drawn, {len(pixels)} colours"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    bundle = Path(argv[0]).resolve()
    # the console executable: its output is read here (AgentDesk.exe has none on Windows)
    executable = bundle / ("agentdesk-cli.exe" if sys.platform == "win32" else "agentdesk")
    try:
        megabytes = size_mb(bundle)
        print(f"bundle: {bundle}, {megabytes:.1f} MB unpacked (limit {MAX_MB} MB)")
        if megabytes > MAX_MB:
            raise Failed(f"the bundle is {megabytes:.1f} MB, over {MAX_MB} MB")
        check_pruned(bundle)
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            print(run_clean(executable, home, "--version").strip())
            inside = bundle / "_internal" / "agentdesk" / "resources" / "packs"
            packs = sorted(str(p) for p in inside.iterdir() if p.is_dir())
            run_clean(executable, home, "pack", "validate", *packs)
            print(f"pack validate: {len(packs)} bundled packs valid")
            start, step = home / "start.png", home / "step.png"
            run_clean(executable, home, "--screenshot", str(start))
            print(f"start screen: {check_picture(start, PANEL_SIZE)}")
            flow = ["--pack", "ejemplo", "--flow", "reclamo", "--choose", "verificar"]
            flow += ["--choose", "next", "--var", "monto=1500"]
            run_clean(executable, home, *flow, "--screenshot", str(step))
            print(f"a step with macros: {check_picture(step, PANEL_SIZE)}")
            made = [p.name for p in home.rglob("agentdesk") if p.is_dir()]
            if not made:
                raise Failed("the app did not keep its folders in the clean home folder")
    except Failed as failure:
        print(f"check_bundle: FAILED: {failure}", file=sys.stderr)
        return 1
    print("check_bundle: the bundle is good")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
