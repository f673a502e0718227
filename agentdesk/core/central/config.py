"""Where the central server is, and keeping its credentials out of every message.

The address is a libpq connection string, URL (``postgresql://user@host/db?sslmode=...``)
or ``key=value`` form, from ``AGENTDESK_CENTRAL_URL`` or else the ``central_url`` setting.
libpq reads every TLS option there (``sslmode``, ``sslrootcert``, ``sslcert``, ``sslkey``)
and its own variables (``PGPASSFILE``, ``PGSSLMODE``...), so nothing here handles TLS.

A password may be part of the address. It must never reach a log, a crash report or the
output of a command: :func:`redact` shows an address without it, and :class:`CentralError`
(what every failure here becomes) carries only redacted text and no chained exception.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings

ENV = "AGENTDESK_CENTRAL_URL"
HIDDEN = "********"
#: Options whose value is a secret, in either form of a connection string.
SECRET_KEYS = ("password", "sslpassword")
_KEYWORD_SECRET = re.compile(
    r"(\b(?:" + "|".join(SECRET_KEYS) + r")\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE
)


class CentralError(Exception):
    """The central server could not be used; the message is safe to show and to log."""


class NotConfigured(CentralError):
    """No address: neither the variable nor the setting is set."""


def central_url(paths: Paths | None = None, settings_file: Path | None = None) -> str:
    """The configured address; :class:`NotConfigured` if there is none."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        file = settings_file or (paths or Paths.resolve()).settings_file
        url = Settings.load(file).central_url.strip()
    if not url:
        raise NotConfigured(
            f"no central server is configured: set {ENV} or the central_url setting "
            "(a libpq address such as postgresql://desk@server/agentdesk?sslmode=verify-full)"
        )
    return url


def redact(url: str) -> str:
    """``url`` with any password replaced by ``********`` (URL or key=value form)."""
    if "://" not in url:
        return _KEYWORD_SECRET.sub(lambda m: m.group(1) + HIDDEN, url)
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            users, _, hosts = netloc.rpartition("@")
            user, colon, _password = users.partition(":")
            netloc = f"{user}:{HIDDEN}@{hosts}" if colon else f"{user}@{hosts}"
        query = urlencode(
            [
                (key, HIDDEN if key.lower() in SECRET_KEYS else value)
                for key, value in parse_qsl(parts.query, keep_blank_values=True)
            ],
            safe="/:*",
        )
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return "(an address that cannot be read)"


def secrets_of(url: str) -> list[str]:
    """The secret values written in ``url`` (to scrub them from any text)."""
    found = [m.group(2).strip("'") for m in _KEYWORD_SECRET.finditer(url)]
    if "://" in url:
        try:
            parts = urlsplit(url)
            if parts.password:
                found += [parts.password, unquote(parts.password)]
            found += [v for k, v in parse_qsl(parts.query) if k.lower() in SECRET_KEYS]
        except ValueError:
            found.append(url)
    return [s for s in found if s]


def scrub(text: str, url: str) -> str:
    """``text`` with every secret of ``url`` (and the address itself) made harmless."""
    text = text.replace(url, redact(url))
    for secret in sorted(secrets_of(url), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def failure(what: str, exc: BaseException, url: str) -> CentralError:
    """A :class:`CentralError` saying ``what`` failed and why, with no secret in it.

    Raise it ``from None``: a chained exception would print the original message."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return CentralError(scrub(f"{what}: {reason}", url))


def scrub_configured(text: str) -> str:
    """``text`` without the configured server's secrets (for crash reports)."""
    try:
        url = central_url()
    except (NotConfigured, OSError):
        return text
    return scrub(text, url)


class _Scrubber(logging.Filter):
    """Takes the secrets of ``url`` out of log records (psycopg's pool logs its failures)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub(record.getMessage(), self.url), None
        return True


def scrub_logs(url: str, loggers: tuple[str, ...] = ("psycopg", "psycopg.pool")) -> None:
    """Keep the secrets of ``url`` out of what psycopg logs (once per address)."""
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _Scrubber) and f.url == url for f in logger.filters):
            logger.addFilter(_Scrubber(url))
