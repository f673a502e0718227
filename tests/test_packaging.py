"""The packaging files stay in step with the app: ids, version, entry points, no console."""

from __future__ import annotations

import ast
import configparser
import io
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import entry_points

import pytest

import agentdesk
from agentdesk.cli.main import gui_main
from tests.conftest import REPO

LINUX = REPO / "packaging" / "linux"
APP_ID = "com.agentdesk.AgentDesk"  # agentdesk.ui.shell.identity.DESKTOP_ID


def test_the_desktop_entry_and_appstream_data_name_the_same_app() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert (desktop["Exec"], desktop["Icon"], desktop["Terminal"]) == ("agentdesk", APP_ID, "false")
    meta = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable") == f"{APP_ID}.desktop"
    newest = meta.find("releases/release")
    assert newest is not None and newest.get("version") == agentdesk.__version__


def test_the_windows_version_resource_is_filled_from_the_version() -> None:
    template = (REPO / "packaging" / "windows" / "version_info.txt").read_text(encoding="utf-8")
    text = template.replace("VERSION_TUPLE", "(0, 1, 0, 0)").replace("VERSION_TEXT", "0.1.0")
    call = ast.parse(text, mode="eval").body
    assert isinstance(call, ast.Call) and ast.unparse(call.func) == "VSVersionInfo"
    assert "VERSION_" not in text
    iss = (REPO / "packaging" / "windows" / "agentdesk.iss").read_text(encoding="utf-8")
    assert "SetupIconFile={#Root}\\resources\\icons\\agentdesk.ico" in iss
    assert "VersionInfoVersion={#AppVersion}" in iss


def test_the_desktop_app_has_an_entry_point_without_a_console() -> None:
    gui = {e.name: e.value for e in entry_points(group="gui_scripts")}
    console = {e.name: e.value for e in entry_points(group="console_scripts")}
    assert gui.get("agentdesk-gui") == "agentdesk.cli.main:gui_main"
    assert console.get("agentdesk") == "agentdesk.cli.main:main"


def test_with_no_console_output_goes_nowhere_instead_of_failing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pythonw and a windowed executable have no standard output or error (None)."""
    monkeypatch.setattr(sys, "argv", ["agentdesk-gui", "pack", "list"])
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    try:
        assert gui_main() == 0
        assert isinstance(sys.stdout, io.TextIOBase) and isinstance(sys.stderr, io.TextIOBase)
    finally:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.close()


def test_setup_and_the_deb_read_one_list_of_system_packages() -> None:
    listed = (LINUX / "runtime-packages.txt").read_text(encoding="utf-8")
    names = [line for line in listed.splitlines() if line and not line.startswith("#")]
    assert "libxcb-cursor0" in names and "libegl1" in names
    for script in (REPO / "scripts" / "setup", LINUX / "build-deb.sh"):
        assert "runtime-packages.txt" in script.read_text(encoding="utf-8")
