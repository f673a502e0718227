"""``agentdesk pack keygen|build|verify|install|rollback|update|trust-root``: shipping packs
to a desk. The channel's side (``publish`` and the rest) is in :mod:`.channel_commands`.

Refusals exit with status 1 and one line naming the reason (``[reason-code]`` at its end);
bad arguments exit with status 2. Being offline is not a failure: ``update`` exits 0.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentdesk.cli import channel_commands
from agentdesk.cli.common import (
    UsageError,
    existing_file,
    existing_folder,
    parse_today,
    paths,
    print_json,
)

if TYPE_CHECKING:
    from agentdesk.core.shipping.changes import PackChanges
    from agentdesk.core.shipping.keys import TrustStore
    from agentdesk.core.shipping.refusals import Refusal


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the shipping actions to the ``pack`` command's sub-parser."""
    p = sub.add_parser("keygen", help="make an Ed25519 key pair to sign packs with")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the keys to")
    p.add_argument(
        "--name", default="pack-signing", help="file name of the keys (default: pack-signing)"
    )
    p.set_defaults(handler=keygen)

    p = sub.add_parser(
        "build", help="validate and test a pack, then write a signed .adpack archive"
    )
    p.add_argument("path", metavar="PATH", help="pack folder")
    p.add_argument("-o", "--out", required=True, metavar="FILE.adpack", help="archive to write")
    p.add_argument("--key", required=True, metavar="KEY", help="private key file (from keygen)")
    p.add_argument(
        "--expires",
        metavar="YYYY-MM-DD",
        help="last day the archive may be installed (default: a year from now)",
    )
    p.add_argument(
        "--min-app-version",
        metavar="VERSION",
        help="oldest AgentDesk that may install it (default: this one)",
    )
    p.add_argument("--today", metavar="YYYY-MM-DD", help="date for tests that give none")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(handler=build)

    p = sub.add_parser("verify", help="check an archive as install would, without installing")
    p.add_argument("file", metavar="FILE", help=".adpack archive")
    _trust_option(p)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=verify)

    p = sub.add_parser("install", help="verify an archive and make it the installed version")
    p.add_argument("file", metavar="FILE", help=".adpack archive")
    _trust_option(p)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=install)

    p = sub.add_parser("rollback", help="go back to the previous installed version of a pack")
    p.add_argument("pack_id", metavar="ID", help="pack id")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=rollback)

    p = sub.add_parser(
        "update", help="bring packs to the versions an update channel lists (folder or URL)"
    )
    p.add_argument("--from", dest="source", required=True, metavar="SOURCE", help="folder or URL")
    p.add_argument(
        "--pack",
        dest="only",
        action="append",
        default=[],
        metavar="ID",
        help="only this pack (repeatable; default: every pack of the channel)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="the whole update must finish within this time (default: 120)",
    )
    _trust_option(p)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=update)

    p = sub.add_parser("trust-root", help="make this desk trust an update channel's root.json")
    p.add_argument("file", metavar="FILE", help="the channel's root.json (from its trainers)")
    p.add_argument(
        "--replace", action="store_true", help="trust another channel instead of the current one"
    )
    p.set_defaults(handler=trust_root)

    channel_commands.register(sub)


def _trust_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="PUBKEY",
        help="also trust this public key file (repeatable); the trusted keys folder is always "
        "used (for an update: only to adopt a channel's endorsed root once)",
    )


# -- helpers ---------------------------------------------------------------------------


def _refused(refusal: Refusal, as_json: bool) -> int:
    if as_json:
        print_json({"ok": False, **refusal.to_json()})
    print(f"agentdesk: refused: {refusal}", file=sys.stderr)
    return 1


def _trust(args: argparse.Namespace) -> TrustStore:
    from agentdesk.core.shipping.keys import KeyFileError, TrustStore

    extra = [existing_file(value, "--trust") for value in args.trust]
    try:
        store = TrustStore.load(paths(args).trusted_keys, extra)
    except KeyFileError as exc:
        raise UsageError(f"--trust: {exc}") from None
    for problem in store.problems:
        print(f"agentdesk: warning: {problem}", file=sys.stderr)
    return store


def _private_key(value: str) -> Any:
    from agentdesk.core.shipping.keys import KeyFileError, load_private

    try:
        return load_private(existing_file(value))
    except KeyFileError as exc:
        raise UsageError(f"--key: {exc}") from None


def _print_installed(changes: PackChanges) -> None:
    """The line an install or an update prints for a pack, then what changed in it."""
    was = f"{changes.old_version} -> " if changes.old_version else ""
    print(f"installed {changes.pack_id} {was}{changes.new_version}")
    _print_changes(changes)


def _print_changes(changes: PackChanges) -> None:
    """What changed in the pack, one line per item (the words the app uses, see
    :func:`agentdesk.core.shipping.messages.change_lines`), without the head line."""
    from agentdesk.core.shipping.messages import change_lines

    for line in change_lines(changes, for_agents=False)[1:]:
        print(line)


def _os_error(exc: OSError) -> int:
    where = f" {exc.filename}" if exc.filename else ""
    print(f"agentdesk: error: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
    return 1


# -- handlers --------------------------------------------------------------------------


def keygen(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.keys import KeyFileError, generate

    try:
        pair = generate(Path(args.out), args.name)
    except KeyFileError as exc:
        print(f"agentdesk: refused: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        return _os_error(exc)
    print(f"private key: {pair.private}  (keep it secret: only you can read it)")
    print(f"public key:  {pair.public}  (copy it into the desks' trusted keys folder)")
    print(f"key id:      {pair.key_id}")
    return 0


def build(args: argparse.Namespace) -> int:
    from agentdesk.core.packs.cache import PackCache
    from agentdesk.core.shipping.build import BuildRefused, build_archive

    folder = existing_folder(args.path)
    key = _private_key(args.key)
    today = parse_today(args.today) if args.today else None
    expires = None
    if args.expires:
        try:
            last_day = date.fromisoformat(args.expires)
        except ValueError:
            raise UsageError(
                f"--expires must be a date as YYYY-MM-DD, not '{args.expires}'"
            ) from None
        expires = datetime.combine(last_day, time(23, 59, 59), UTC)
    if args.min_app_version is not None:
        from agentdesk.core.shipping.manifest import VERSION_RE

        if not VERSION_RE.match(args.min_app_version):
            raise UsageError("--min-app-version must be numbers and dots, e.g. '0.2.0'")
    try:
        built = build_archive(
            folder,
            Path(args.out),
            key,
            today=today,
            expires=expires,
            min_app_version=args.min_app_version,
            cache=PackCache(paths(args).pack_cache),
        )
    except BuildRefused as exc:
        for line in exc.lines:
            print(line)
        print(f"agentdesk: refused to build: {exc.summary}", file=sys.stderr)
        return 1
    except OSError as exc:
        return _os_error(exc)
    for problem in built.warnings:
        print(problem.format())
    m = built.manifest
    if args.json:
        print_json({"ok": True, "path": str(built.path), "manifest": m.to_json()})
        return 0
    print(
        f"built {built.path}: {m.pack_id} {m.version}, {len(m.files)} files, "
        f"{built.size} bytes, {built.tests} test(s) passed"
    )
    print(f"signed by key {m.key_id}; installable until {_day(m.expires)}")
    return 0


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def verify(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.install import installed_pack
    from agentdesk.core.shipping.refusals import Refusal
    from agentdesk.core.shipping.verify import verify_archive

    file = existing_file(args.file)
    trust = _trust(args)

    def installed_version(pack_id: str) -> str | None:
        current = installed_pack(paths(args), pack_id)
        return current.version if current else None

    try:
        manifest = verify_archive(file, trust, installed_version)
    except Refusal as exc:
        return _refused(exc, args.json)
    installed = installed_version(manifest.pack_id)
    if args.json:
        print_json({"ok": True, "installed": installed, "manifest": manifest.to_json()})
        return 0
    was = f" (installed: {installed})" if installed else " (not installed)"
    print(
        f"{file}: ok: {manifest.pack_id} {manifest.version}{was}, {len(manifest.files)} "
        f"files, signed by trusted key {manifest.key_id}, installable until "
        f"{_day(manifest.expires)}"
    )
    return 0


def install(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.install import install as install_archive
    from agentdesk.core.shipping.refusals import Refusal

    file = existing_file(args.file)
    trust = _trust(args)
    try:
        result = install_archive(file, paths(args), trust)
    except Refusal as exc:
        return _refused(exc, args.json)
    except OSError as exc:
        return _os_error(exc)
    if args.json:
        print_json({"ok": True, **result.to_json()})
        return 0
    _print_installed(result.changes)
    return 0


def rollback(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.install import rollback as roll_back
    from agentdesk.core.shipping.refusals import Refusal

    try:
        result = roll_back(paths(args), args.pack_id)
    except Refusal as exc:
        return _refused(exc, args.json)
    except OSError as exc:
        return _os_error(exc)
    if args.json:
        print_json({"ok": True, **result.to_json()})
        return 0
    print(f"rolled back {result.pack_id} {result.from_version} -> {result.to_version}")
    _print_changes(result.changes)
    print(f"updates will not take {result.pack_id} {result.from_version} again")
    return 0


def update(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.channel import update as run_update
    from agentdesk.core.shipping.refusals import Refusal

    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    trust = _trust(args)
    try:
        report = run_update(args.source, paths(args), trust, only=args.only, timeout=args.timeout)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except Refusal as exc:
        return _refused(exc, args.json)
    except OSError as exc:
        return _os_error(exc)
    if args.json:
        print_json(report.to_json())
        return 1 if report.failed else 0
    for item in report.items:
        if item.status == "installed" and item.changes is not None:
            _print_installed(item.changes)
        elif item.status in ("refused", "absent"):
            print(f"agentdesk: refused: {item.message}", file=sys.stderr)
        else:
            print(f"{item.status}: {item.message}")
    if report.offline:
        print(f"offline: {report.message}; nothing more was changed, try again later")
    elif not report.items:
        print(f"{args.source}: the channel offers no packs")
    return 1 if report.failed else 0


def trust_root(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.desk_trust import fingerprint
    from agentdesk.core.shipping.desk_trust import trust_root as trust
    from agentdesk.core.shipping.refusals import Refusal
    from agentdesk.core.shipping.repository import short_id

    file = existing_file(args.file)
    data = file.read_bytes()
    try:
        root = trust(paths(args).channel, data, replace=args.replace, what=str(file))
    except Refusal as exc:
        return _refused(exc, False)
    except OSError as exc:
        return _os_error(exc)
    print(f"this desk now trusts the channel root version {root.version} of {file}")
    print(f"  SHA-256 {fingerprint(data)}")
    for name, role in root.roles.items():
        ids = ", ".join(short_id(root.keys[k]) for k in role.keyids)
        print(f"  {name}: {role.threshold} of {ids}")
    return 0
