"""The supervisors' page in a real headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agentdesk.core.central import sync
from agentdesk.core.central.outbox import DeskOutbox
from agentdesk.core.central.server import Server
from agentdesk.core.notes import NoteStore
from tests.core.notes.conftest import note

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
TODAY = date.today()


@pytest.fixture
def page_url(central_url: str, tmp_path: Path) -> Iterator[str]:
    """The page, served by waitress on a free port of 127.0.0.1, over a synced desk."""
    import waitress.server

    from agentdesk.web.supervisor import create_app

    with NoteStore.open(tmp_path / "notes.db", backup_every=None) as store:
        noon = datetime.combine(TODAY, datetime.min.time()).replace(hour=12)
        store.add(note(person="Ana <b>0991234567</b>", agent="ana", pack_id="p", flow_id="f",
                       path=("inicio: sí", "firmado"), offers_applied=("descuento",),
                       created_at=noon, follow_up=noon - timedelta(days=1)))  # fmt: skip
        store.add(note(agent="luis", created_at=noon - timedelta(days=20)))
        with Server(central_url) as pool:
            sync.push_pending(DeskOutbox(store), pool)
    with Server(central_url, max_size=2, read_only=True) as pool:
        server: Any = waitress.server.create_server(
            create_app(pool), host="127.0.0.1", port=0, threads=2
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.effective_port}/"
        server.close()
        thread.join(30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            "the supervisor page's tests need Debian's chromium: "
            "sudo apt-get install --no-install-recommends chromium (or scripts/setup --dev)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def test_the_page_shows_each_section_and_the_period_can_be_changed_by_keyboard(
    browser: Any, page_url: str, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    response = page.goto(page_url)
    assert response.status == 200
    for title in ("Notes per agent and day", "Follow-ups due", "Outcomes", "Offer acceptance"):
        assert page.get_by_role("heading", name=title).is_visible()
    per_agent = page.locator("#per-agent tbody tr")
    assert per_agent.count() == 1  # luis's note is older than the default week
    assert per_agent.first.inner_text().split("\t") == [TODAY.isoformat(), "ana", "1", "1"]
    due = page.locator("#due tbody tr").first.inner_text()
    assert "Ana <b>******4567</b>" in due  # masked at the desk, escaped on the page
    assert page.locator("#due b").count() == 0
    assert page.locator("#offers tbody tr").first.inner_text().split("\t")[-1] == "100%"
    page.screenshot(path=str(tmp_path / "supervisor.png"), full_page=True)

    since = page.get_by_label("From")
    since.focus()
    since.fill((TODAY - timedelta(days=30)).isoformat())
    since.press("Enter")  # submits the form: no mouse needed
    page.wait_for_url("**since=*")
    assert page.locator("#per-agent tbody tr").count() == 2
    page.close()


def test_csv_and_json_are_the_report_and_bad_input_is_a_clear_400(
    browser: Any, page_url: str
) -> None:
    context = browser.new_context()
    got = context.request.get(page_url + "report.csv?section=outcomes")
    assert got.status == 200 and got.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(got.text()))) == [
        ["pack", "flow", "outcome", "notes"], ["p", "f", "firmado", "1"],
    ]  # fmt: skip
    data = context.request.get(page_url + "report.json").json()
    assert data["per-agent"][0]["agent"] == "ana"
    assert context.request.get(page_url + "report.csv?section=nope").status == 400
    assert context.request.get(page_url + "?since=yesterday").status == 400
    context.close()


def test_the_page_says_when_the_server_cannot_be_read(empty_url: str) -> None:
    from agentdesk.web.supervisor import create_app

    with Server(empty_url, read_only=True) as pool:
        client = create_app(pool).test_client()
        answer = client.get("/")
    assert answer.status_code == 503
    assert b"agentdesk central init" in answer.data
