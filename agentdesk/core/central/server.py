"""The central PostgreSQL server: its schema (numbered migrations) and the desks' push.

The schema lives in the ``agentdesk`` schema of whatever database IT chooses. Its
migrations are the files ``migrations/NNNN_name.sql`` beside this module, applied in order
by ``agentdesk central init``, each in the transaction that records it in
``agentdesk.schema_migrations``; an advisory lock keeps two ``init`` runs apart. Never edit
a migration that has shipped: add the next number.

Every psycopg failure leaves this module as a :class:`~.config.CentralError` whose text has
no password in it (see :func:`~.config.failure`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from agentdesk.core.central.config import CentralError, failure, scrub_logs

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

    from agentdesk.core.central.outbox import Entry

SCHEMA = "agentdesk"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK = 0x41474E44  # pg_advisory_xact_lock key for init: "AGND"
CONNECT_TIMEOUT = 10  # seconds, for libpq's connect_timeout when the address sets none
NO_SCHEMA = "the server has no AgentDesk schema yet: run 'agentdesk central init' on it"


class Migration(NamedTuple):
    number: int
    name: str
    path: Path


def migrations() -> list[Migration]:
    """The server schema's migrations, in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise ValueError(f"{path.name}: a migration is named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], path))
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3... without gaps: {numbers}")
    return found


def connect(url: str) -> psycopg.Connection[Any]:
    """One connection (commands that run a few statements and end)."""
    import psycopg

    try:
        return psycopg.connect(url, **_defaults(url))
    except Exception as exc:  # psycopg.Error, or a malformed address (ProgrammingError)
        raise failure("cannot connect to the central server", exc, url) from None


@contextmanager
def session(url: str, what: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection for a few statements; any failure becomes a :class:`CentralError`."""
    import psycopg

    conn = connect(url)
    try:
        with conn:
            yield conn
    except psycopg.errors.UndefinedTable:
        raise CentralError(NO_SCHEMA) from None
    except psycopg.Error as exc:
        raise failure(what, exc, url) from None


def applied_migrations(conn: psycopg.Connection[Any]) -> list[int]:
    """Numbers of the migrations the server has (empty for a database never initialised)."""
    exists = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.schema_migrations",)
    ).fetchone()
    if not exists or not exists[0]:
        return []
    rows = conn.execute(f"SELECT number FROM {SCHEMA}.schema_migrations ORDER BY number")
    return [number for (number,) in rows]


def migrate(conn: psycopg.Connection[Any]) -> list[str]:
    """Apply the pending migrations, all in one transaction; the names applied."""
    done: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.schema_migrations ("
            " number integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        have = set(applied_migrations(conn))
        for migration in migrations():
            if migration.number in have:
                continue
            conn.execute(migration.path.read_text(encoding="utf-8").encode("utf-8"))
            conn.execute(
                f"INSERT INTO {SCHEMA}.schema_migrations (number, name) VALUES (%s, %s)",
                (migration.number, migration.name),
            )
            done.append(f"{migration.number:04d}_{migration.name}")
    return done


class Clash(NamedTuple):
    """A revision the server has with other content: the desk's database went back in time
    (a backup was restored) and numbered a new write like one it had already sent."""

    kind: str
    record: str
    revision: int
    newest: int  # the newest revision of that record on the server


class Server:
    """A pool of connections to the central server (one is plenty for a desk)."""

    def __init__(
        self, url: str, max_size: int = 1, timeout: float = 10.0, read_only: bool = False
    ) -> None:
        from psycopg_pool import ConnectionPool

        def configure(conn: psycopg.Connection[Any]) -> None:
            conn.read_only = read_only

        self.url = url
        self.timeout = timeout
        #: Why the last connection attempt failed (no secret in it), to say so on a time-out.
        self.last_error: str | None = None
        scrub_logs(url)
        try:
            self.pool: ConnectionPool[Any] = ConnectionPool(
                url,
                connection_class=self._recording_class(),
                kwargs=_defaults(url),
                min_size=1,
                max_size=max_size,
                open=False,
                check=ConnectionPool.check_connection,
                configure=configure,
                name="agentdesk-central",
            )
            self.pool.open(wait=False)
        except Exception as exc:
            raise failure("cannot use the central server", exc, url) from None

    def _recording_class(self) -> type[psycopg.Connection[Any]]:
        """A connection class that notes why a connection attempt of the pool failed."""
        import psycopg

        server = self

        class Recording(psycopg.Connection[Any]):
            @classmethod
            def connect(cls, conninfo: str = "", **kwargs: Any) -> Any:
                try:
                    return super().connect(conninfo, **kwargs)
                except Exception as exc:
                    server.last_error = str(failure("", exc, server.url)).removeprefix(": ")
                    raise

        return Recording

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def connection(self, what: str) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection; any failure becomes a :class:`CentralError` about ``what``."""
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with self.pool.connection(timeout=self.timeout) as conn:
                yield conn
        except CentralError:
            raise
        except PoolTimeout:
            why = self.last_error or "the central server cannot be reached"
            raise CentralError(f"{what}: {why}") from None
        except psycopg.errors.UndefinedTable:
            raise CentralError(NO_SCHEMA) from None
        except psycopg.Error as exc:
            raise failure(what, exc, self.url) from None

    def push(self, desk_id: str, desk_name: str, entries: Sequence[Entry]) -> list[Clash]:
        """Store ``entries`` in one transaction; pushing them again changes nothing.

        If the server has any of them with other content (see :class:`Clash`), nothing is
        stored and the clashes are returned: the desk renumbers them and pushes again.
        """
        from psycopg import Rollback

        if not entries:
            return []
        columns = (
            [e.kind for e in entries],
            [e.record for e in entries],
            [e.revision for e in entries],
            [e.deleted for e in entries],
            [e.payload for e in entries],
            [e.digest for e in entries],
            [e.seq for e in entries],
            [e.queued_at for e in entries],
        )
        clashes: list[Clash] = []
        with self.connection("cannot send to the central server") as conn, conn.transaction():
            conn.execute(
                f"INSERT INTO {SCHEMA}.desks (desk_id, name, last_seq) VALUES (%s, %s, %s) "
                "ON CONFLICT (desk_id) DO UPDATE SET name = EXCLUDED.name, last_seen = now(), "
                "last_seq = greatest(desks.last_seq, EXCLUDED.last_seq)",
                (desk_id, desk_name, max(e.seq for e in entries)),
            )
            stored = conn.execute(
                f"INSERT INTO {SCHEMA}.revisions (desk_id, kind, record, revision, deleted, "
                "payload, digest, seq, queued_at) SELECT %s, * FROM unnest(%b::text[], "
                "%b::text[], %b::int[], %b::bool[], %b::text[]::jsonb[], %b::text[], "
                "%b::bigint[], %b::timestamp[]) "
                "ON CONFLICT DO NOTHING RETURNING kind, record, revision",
                (desk_id, *columns),
            ).fetchall()
            if len(stored) < len(entries):
                clashes = _clashes(conn, desk_id, entries, {tuple(row) for row in stored})
                if clashes:
                    raise Rollback()  # nothing of this batch stays
        return clashes

    def schema_version(self) -> list[int]:
        with self.connection("cannot read the central server") as conn:
            return applied_migrations(conn)


def _clashes(
    conn: psycopg.Connection[Any], desk_id: str, entries: Sequence[Entry], stored: set[Any]
) -> list[Clash]:
    """Of the entries the server already had, those it has with other content; ``stored``
    are the keys this batch has just inserted (rolled back if there is a clash)."""
    resent = [e for e in entries if (e.kind, e.record, e.revision) not in stored]
    found = conn.execute(
        f"SELECT r.kind, r.record, r.revision, r.digest FROM {SCHEMA}.revisions r "
        "JOIN unnest(%s::text[], %s::text[], %s::int[]) AS k(kind, record, revision) "
        "USING (kind, record, revision) WHERE r.desk_id = %s",
        (
            [e.kind for e in resent],
            [e.record for e in resent],
            [e.revision for e in resent],
            desk_id,
        ),
    )
    digests = {(kind, record, revision): digest for kind, record, revision, digest in found}
    clashing = [e for e in resent if digests[(e.kind, e.record, e.revision)] != e.digest]
    if not clashing:
        return []
    newest: dict[tuple[str, str], int] = {}
    for kind, record, revision in conn.execute(
        f"SELECT r.kind, r.record, r.revision FROM {SCHEMA}.revisions r "
        "JOIN unnest(%s::text[], %s::text[]) AS k(kind, record) USING (kind, record) "
        "WHERE r.desk_id = %s",
        ([e.kind for e in clashing], [e.record for e in clashing], desk_id),
    ):
        if (kind, record, revision) not in stored:  # what the server had before this batch
            newest[(kind, record)] = max(revision, newest.get((kind, record), 0))
    return [Clash(e.kind, e.record, e.revision, newest[(e.kind, e.record)]) for e in clashing]


def _defaults(url: str) -> dict[str, Any]:
    """Connection options unless the address sets them: a connect timeout, an app name."""
    from psycopg.conninfo import conninfo_to_dict

    given = conninfo_to_dict(url)
    options: dict[str, Any] = {}
    if "connect_timeout" not in given:
        options["connect_timeout"] = CONNECT_TIMEOUT
    if "application_name" not in given:
        options["application_name"] = "agentdesk"
    return options
