"""``agentdesk central``: init, status, sync, report; the password never shows."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict

from agentdesk.cli.main import main
from agentdesk.core.central.config import redact, scrub
from agentdesk.core.diagnostics import REPORT_PATTERN
from agentdesk.core.notes import NoteStore
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings
from tests.central.pgserver import DESK_PASSWORD, Cluster
from tests.core.notes.conftest import note

TODAY = date.today()
NOON = datetime.combine(TODAY, datetime.min.time()).replace(hour=12)


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), "central", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def desk_notes(data: Path) -> NoteStore:
    """A desk with notes of two agents, two flows, offers and follow-ups."""
    store = NoteStore.open(data / "notes.db", backup_every=None)
    for n, (agent, flow, outcome, offers, days_ago) in enumerate(
        [
            ("ana", "migracion", "firmado", ("descuento",), 0),
            ("ana", "migracion", "firmado", (), 0),
            ("ana", "migracion", "rechaza", ("descuento", "bono"), 1),
            ("luis", "reclamo", "resuelto", (), 0),
            ("luis", "reclamo", "resuelto", ("bono",), 30),  # outside the week
        ]
    ):
        store.add(
            note(
                person=f"Cliente 099123456{n}",
                agent=agent,
                pack_id=f"pack-{flow}",
                flow_id=flow,
                path=("inicio: sí", outcome),
                offers_applied=offers,
                created_at=NOON - timedelta(days=days_ago),
                follow_up=NOON - timedelta(days=2) if n == 1 else NOON + timedelta(days=400),
            )
        )
    return store


def test_init_status_sync_report(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    desk_notes: NoteStore,
    empty_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AGENTDESK_CENTRAL_URL", empty_url)
    code, out, err = run(capsys, data, "status", "--json")
    state = json.loads(out)
    assert (state["reachable"], state["schema"], state["waiting"], state["syncing"]) == (
        True, 0, 0, False,
    )  # fmt: skip
    code, out, err = run(capsys, data, "sync")
    assert (code, err.strip()) == (1, "agentdesk: error: " + _no_schema())
    assert run(capsys, data, "init")[0] == 0
    code, out, err = run(capsys, data, "init")
    assert (code, err) == (0, "") and "schema at migration 3" in out and "applied" not in out

    code, out, err = run(capsys, data, "sync", "--batch", "2", "--verbose")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["sent 2 (up to 2)", "sent 2 (up to 4)", "sent 1 (up to 5)",
                                "5 sent; 0 waiting"]  # fmt: skip
    code, out, _ = run(capsys, data, "status")
    assert "waiting:  0" in out and "reachable, schema at migration 3" in out

    code, out, err = run(capsys, data, "report", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert report["per-agent"] == [
        {"day": yesterday, "agent": "ana", "notes": 1, "desks": 1},
        {"day": TODAY.isoformat(), "agent": "ana", "notes": 2, "desks": 1},
        {"day": TODAY.isoformat(), "agent": "luis", "notes": 1, "desks": 1},
    ]
    assert report["outcomes"] == [
        {"pack": "pack-migracion", "flow": "migracion", "outcome": "firmado", "notes": 2},
        {"pack": "pack-migracion", "flow": "migracion", "outcome": "rechaza", "notes": 1},
        {"pack": "pack-reclamo", "flow": "reclamo", "outcome": "resuelto", "notes": 1},
    ]
    assert report["offers"] == [
        {"pack": "pack-migracion", "offer": "descuento", "accepted": 2, "pack_notes": 3,
         "rate": 0.667},
        {"pack": "pack-migracion", "offer": "bono", "accepted": 1, "pack_notes": 3, "rate": 0.333},
    ]  # fmt: skip
    [due] = report["due"]
    assert (due["agent"], due["person"], due["note"]) == ("ana", "Cliente ******4561", 2)

    code, out, err = run(capsys, data, "report", "offers", "--csv",
                         "--since", (TODAY - timedelta(days=40)).isoformat())  # fmt: skip
    assert list(csv.reader(io.StringIO(out))) == [
        ["pack", "offer", "accepted", "pack_notes", "rate"],
        ["pack-migracion", "descuento", "2", "3", "0.667"],
        ["pack-migracion", "bono", "1", "3", "0.333"],
        ["pack-reclamo", "bono", "1", "2", "0.5"],
    ]
    code, out, err = run(capsys, data, "report")
    assert code == 0 and "Notes per agent and day" in out and "Cliente ******4561" in out
    assert run(capsys, data, "report", "--csv")[0] == 2  # which section?


def _no_schema() -> str:
    from agentdesk.core.central.server import NO_SCHEMA

    return NO_SCHEMA


def test_the_setting_is_used_when_the_variable_is_not_set(
    capsys: pytest.CaptureFixture[str], data: Path, central_url: str
) -> None:
    Settings(central_url=central_url).save(Paths.resolve().settings_file)
    _, out, _ = run(capsys, data, "status", "--json")
    assert json.loads(out)["server"] == central_url and json.loads(out)["schema"] == 3


def test_without_a_server_configured_commands_say_how_to_configure_one(
    capsys: pytest.CaptureFixture[str], data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AGENTDESK_CENTRAL_URL", raising=False)
    code, out, err = run(capsys, data, "sync")
    assert code == 2 and "AGENTDESK_CENTRAL_URL" in err
    code, out, err = run(capsys, data, "status")
    assert code == 0 and "not configured" in out


PASSWORDS = [DESK_PASSWORD, "p@ss:w/rd%41"]


@pytest.mark.parametrize("password", PASSWORDS)
def test_the_password_never_shows_in_output_logs_or_crash_reports(
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    data: Path,
    cluster: Cluster,
    monkeypatch: pytest.MonkeyPatch,
    password: str,
) -> None:
    from urllib.parse import quote

    caplog.set_level(logging.DEBUG)
    store = NoteStore.open(data / "notes.db", backup_every=None)
    store.add(note())
    store.close()
    database = cluster.create_database(f"secrets_{len(password)}")
    wrong = cluster.tcp_url(database).replace(DESK_PASSWORD, quote(password, safe=""))
    unreachable = wrong.replace(f":{cluster.port}/", ":1/")
    broken = wrong.replace("sslmode=verify-full", "sslmode=%zz")
    keyword = f"host=localhost port=1 user=desk password='{password}' dbname=x"
    outputs = []
    for url in (wrong, unreachable, broken, keyword):
        monkeypatch.setenv("AGENTDESK_CENTRAL_URL", url)
        for argv in (["status"], ["status", "--json"], ["init"], ["sync"], ["report"]):
            code, out, err = run(capsys, data, *argv)
            assert code in (0, 1), (argv, out, err)
            outputs.append(out + err)
    reports = [r.read_text() for r in Paths.resolve().logs.glob(REPORT_PATTERN)]
    everything = "\n".join([*outputs, caplog.text, *reports])
    # the server was reached: with the right password it worked, with another it said no
    works = password == DESK_PASSWORD
    assert ("1 sent; 0 waiting" in everything) == works
    assert ("password authentication failed" in everything) != works
    assert password not in everything and quote(password, safe="") not in everything
    assert "desk:********@localhost" in everything


def test_redact_hides_the_password_in_both_forms_of_address() -> None:
    assert redact("postgresql://u:p%40ss@db.example:5432/ad?sslmode=verify-full") == (
        "postgresql://u:********@db.example:5432/ad?sslmode=verify-full"
    )
    assert redact("postgresql://u@db/ad?password=x&sslrootcert=/etc/ca.crt") == (
        "postgresql://u@db/ad?password=********&sslrootcert=/etc/ca.crt"
    )
    assert redact("host=db user=u password='a b' dbname=ad") == (
        "host=db user=u password=******** dbname=ad"
    )
    url = "postgresql://u:s3cr%2Ft@db/ad"
    assert scrub(f"failed for {url} (s3cr/t)", url) == (
        "failed for postgresql://u:********@db/ad (********)"
    )
    assert conninfo_to_dict(redact(url))["password"] == "********"


def test_an_internal_error_report_is_scrubbed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentdesk.cli.main import _internal_error

    monkeypatch.setenv("AGENTDESK_CENTRAL_URL", "postgresql://u:hunter2@db/ad")
    failure = RuntimeError("while using postgresql://u:hunter2@db/ad")
    assert _internal_error(failure, "agentdesk central sync", None) == 70
    err = capsys.readouterr().err
    log = "".join(r.read_text() for r in Paths.resolve().logs.glob(REPORT_PATTERN))
    assert log  # the report was written
    assert "hunter2" not in err + log and "u:********@db" in err + log


def test_what_psycopg_logs_is_scrubbed_once_a_server_is_in_use(
    caplog: pytest.LogCaptureFixture, cluster: Cluster
) -> None:
    from agentdesk.core.central.server import Server

    url = cluster.tcp_url("postgres").replace(DESK_PASSWORD, "l0gged-Secret")
    with Server(url, timeout=1):
        logging.getLogger("psycopg.pool").warning("could not use %s", url)
    assert "could not use postgresql://desk:********@localhost" in caplog.text
    assert "l0gged-Secret" not in caplog.text
