"""The supervisors' page: the central report in a browser, read-only.

A Flask app (Jinja2, which the packs already use, with autoescaping) served by waitress, a
pure-Python production WSGI server that runs the same on Windows and Linux. Every request
runs in a read-only transaction on a pooled connection; the page only shows what
:mod:`agentdesk.core.central.report` builds, the same as ``agentdesk central report``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, Response, abort, render_template, request

from agentdesk.core.central import report
from agentdesk.core.central.config import CentralError
from agentdesk.core.central.server import Server


def create_app(server: Server) -> Flask:
    app = Flask(__name__)

    def build(names: tuple[str, ...] = report.NAMES) -> report.Report:
        today = date.today()
        try:
            since, until = report.period(_day("since"), _day("until"), today)
        except ValueError:
            abort(400, "since and until are dates as YYYY-MM-DD")
        with server.connection("cannot read the central server") as conn:
            return report.build(conn, since, until, datetime.now().replace(microsecond=0), names)

    @app.get("/")
    def page() -> Any:
        try:
            result = build()
        except CentralError as exc:
            return render_template("supervisor.html", report=None, error=str(exc)), 503
        return render_template("supervisor.html", report=result, error=None)

    @app.get("/report.json")
    def as_json() -> Any:
        return build().to_json()

    @app.get("/report.csv")
    def as_csv() -> Response:
        name = request.args.get("section", "")
        if name not in report.NAMES:
            abort(400, f"section is one of: {', '.join(report.NAMES)}")
        return Response(
            build((name,)).csv(name),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="agentdesk-{name}.csv"'},
        )

    @app.template_filter("cell")
    def cell(value: Any) -> str:
        return report.cell(value)

    return app


def serve(url: str, host: str, port: int) -> None:
    """Serve the page until interrupted."""
    import waitress

    with Server(url, max_size=4, read_only=True) as server:
        print(f"The supervisors' page: http://{host}:{port}/", flush=True)
        waitress.serve(create_app(server), host=host, port=port, threads=4)


def _day(name: str) -> date | None:
    value = request.args.get(name, "").strip()
    return date.fromisoformat(value) if value else None
