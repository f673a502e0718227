"""A throwaway PostgreSQL cluster from the Debian binaries, for tests and the load run.

``initdb`` into a temporary folder, ``pg_ctl start`` on a private socket folder and a free
port of 127.0.0.1, with TLS on (a CA and a server certificate made here) and password
logins over TCP. PostgreSQL refuses to run as root, so as root it runs as the ``postgres``
user that Debian's package creates. ``stop`` and ``crash`` (an immediate shutdown, as a
power cut would) and ``start`` again serve the failure tests.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

INSTALL_HINT = (
    "PostgreSQL's server programs were not found in /usr/lib/postgresql/*/bin: install "
    "Debian's postgresql package (sudo apt-get install --no-install-recommends postgresql) "
    "or run scripts/setup --dev"
)
SUPERUSER = "postgres"
DESK_USER, DESK_PASSWORD = "desk", "s3cret-Pa55word"


class MissingPostgres(RuntimeError):
    pass


def bin_dir() -> Path:
    """The newest installed server's programs."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not found:
        raise MissingPostgres(INSTALL_HINT)
    return found[-1].parent


class Cluster:
    def __init__(self, root: Path | None = None) -> None:
        self.bin = bin_dir()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                raise MissingPostgres(
                    "running as root, and there is no 'postgres' user to run the server as: "
                    + INSTALL_HINT
                ) from None
        # /tmp: every user may reach it (the server runs as postgres), and socket paths stay short
        self.root = Path(root or tempfile.mkdtemp(prefix="agentdesk-pg-", dir="/tmp"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.ca_file = self.root / "ca.crt"

    # -- life cycle -------------------------------------------------------------------------

    def init(self) -> Cluster:
        if self.as_root:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)
        self.root.chmod(0o755)
        self._run(
            "initdb",
            *("-D", str(self.data), "-U", SUPERUSER, "--auth-local=trust"),
            *("--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
        )
        self._certificates()
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
            "ssl": "on",
            "ssl_cert_file": "'server.crt'",
            "ssl_key_file": "'server.key'",
            # A process crash keeps what the OS has; only a power cut needs fsync. The
            # commit itself still waits for its WAL write (synchronous_commit stays on).
            "fsync": "off",
            "full_page_writes": "off",
            "max_connections": "120",
            "shared_buffers": "128MB",
            "log_min_messages": "warning",
        }
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self.start()
        self.psql(f"CREATE ROLE {DESK_USER} LOGIN PASSWORD '{DESK_PASSWORD}'")
        return self

    def start(self) -> None:
        log = self.root / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def crash(self) -> None:
        """Stop at once, transactions and all: the server recovers from its WAL at start."""
        self.stop("immediate")

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- use ----------------------------------------------------------------------------------

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """A socket address (no password needed: local logins are trusted)."""
        return f"postgresql://{user}@/{database}?host={self.root}&port={self.port}"

    def tcp_url(self, database: str, sslmode: str = "verify-full") -> str:
        """127.0.0.1 over TLS, checked against this cluster's CA, with a password."""
        return (
            f"postgresql://{DESK_USER}:{DESK_PASSWORD}@localhost:{self.port}/{database}"
            f"?hostaddr=127.0.0.1&sslmode={sslmode}&sslrootcert={self.ca_file}"
        )

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self._run(
            "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
            "-h", str(self.root), "-p", str(self.port), "-U", SUPERUSER, "-d", database,
            "-c", sql,
        )  # fmt: skip

    def create_database(self, name: str, template: str = "template0") -> str:
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.psql(f'GRANT ALL ON DATABASE "{name}" TO {DESK_USER}')
        return name

    # -- helpers ------------------------------------------------------------------------------

    def _run(self, program: str, *args: str) -> str:
        command: Sequence[str] = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=self.root, check=False, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def _certificates(self) -> None:
        server_files = make_certificates(self.root, self.data)
        if self.as_root:
            for path in server_files:
                os.chown(path, self.owner.pw_uid, self.owner.pw_gid)


def make_certificates(ca_folder: Path, server_folder: Path) -> tuple[Path, Path]:
    """A CA (``ca.crt`` in ``ca_folder``) and a certificate for localhost signed by it
    (``server.crt`` and ``server.key`` in ``server_folder``), with the cryptography package."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    Key = ec.EllipticCurvePrivateKey

    def certificate(subject: str, key: Key, issuer: str, signer: Key, ca: bool) -> Any:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    server_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("AgentDesk test CA", ca_key, "AgentDesk test CA", ca_key, True)
    server = certificate("localhost", server_key, "AgentDesk test CA", ca_key, False)
    pem = serialization.Encoding.PEM
    ca_folder.mkdir(parents=True, exist_ok=True)
    server_folder.mkdir(parents=True, exist_ok=True)
    (ca_folder / "ca.crt").write_bytes(ca.public_bytes(pem))
    cert_file, key_file = server_folder / "server.crt", server_folder / "server.key"
    cert_file.write_bytes(server.public_bytes(pem))
    key_file.write_bytes(
        server_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_file.chmod(0o600)
    return cert_file, key_file


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
