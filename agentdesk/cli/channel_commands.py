"""``agentdesk pack new-channel|publish|delegate|rotate-keys|timestamp|endorse-root|
channel-status``: the trainers' side of an update channel (a TUF repository in a folder).

A change that cannot be made (too few keys for a threshold, an archive refused) exits with
status 1 and one line saying what to do; nothing is written then. Bad arguments exit 2.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from agentdesk.cli.common import UsageError, existing_file, existing_folder, print_json

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

ROLES = ("root", "targets", "snapshot", "timestamp")
Handler = Callable[[argparse.Namespace], int]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the channel actions to the ``pack`` command's sub-parser."""
    p = sub.add_parser("new-channel", help="create an update channel (TUF metadata) in a folder")
    p.add_argument("folder", metavar="DIR", help="folder to create the channel in")
    _keys_option(p)
    for role, what in (("root", "root"), ("targets", "targets"), ("online", "snapshot+timestamp")):
        p.add_argument(
            f"--{role}",
            action="append",
            default=[],
            metavar="PUBKEY",
            help=f"a key of the {what} role (repeatable; default: the --key keys)",
        )
    p.add_argument("--root-threshold", type=int, default=1, metavar="N", help="default 1")
    p.add_argument("--targets-threshold", type=int, default=1, metavar="N", help="default 1")
    _days_option(p)
    p.set_defaults(handler=new_channel)

    p = sub.add_parser("publish", help="publish signed archives to an update channel")
    p.add_argument("folder", metavar="DIR", help="the channel's folder")
    p.add_argument("archives", nargs="*", metavar="FILE.adpack", help="archives to publish")
    _keys_option(p)
    p.add_argument(
        "--downgrade",
        action="store_true",
        help="publish a version older than the one listed (desks go back to it)",
    )
    _days_option(p)
    p.add_argument("--json", action="store_true", help="print what was published as JSON")
    p.set_defaults(handler=publish)

    p = sub.add_parser("delegate", help="let a team or a pack's owner publish packs with own keys")
    p.add_argument("folder", metavar="DIR", help="the channel's folder")
    p.add_argument("role", metavar="ROLE", help="name of the role, e.g. 'ventas'")
    _keys_option(p)
    p.add_argument("--pack", action="append", default=[], metavar="ID", help="a pack it publishes")
    p.add_argument("--signer", action="append", default=[], metavar="PUBKEY", help="its key")
    p.add_argument("--threshold", type=int, default=1, metavar="N", help="default 1")
    p.add_argument("--remove", action="store_true", help="remove the role")
    _days_option(p)
    p.set_defaults(handler=delegate)

    p = sub.add_parser(
        "rotate-keys", help="add or revoke keys of a channel role (publishes a new root)"
    )
    p.add_argument("folder", metavar="DIR", help="the channel's folder")
    p.add_argument("--role", required=True, choices=ROLES, help="the role whose keys change")
    _keys_option(p)
    p.add_argument("--add", action="append", default=[], metavar="PUBKEY", help="a new key")
    p.add_argument("--remove", action="append", default=[], metavar="KEY_ID", help="a key id")
    p.add_argument("--threshold", type=int, metavar="N", help="signatures the role needs")
    _days_option(p)
    p.set_defaults(handler=rotate_keys)

    p = sub.add_parser("timestamp", help="re-sign the channel's timestamp (run it daily)")
    p.add_argument("folder", metavar="DIR", help="the channel's folder")
    _keys_option(p)
    _days_option(p)
    p.set_defaults(handler=timestamp)

    p = sub.add_parser(
        "endorse-root", help="sign the channel's root with a pre-TUF key (desk migration)"
    )
    p.add_argument("folder", metavar="DIR", help="the channel's folder")
    _keys_option(p)
    p.set_defaults(handler=endorse_root)

    p = sub.add_parser("channel-status", help="roles, keys, versions and expiry of a channel")
    p.add_argument("folder", metavar="DIR", help="the channel's folder")
    p.add_argument("--json", action="store_true", help="print it as JSON")
    p.set_defaults(handler=channel_status)


def _keys_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--key",
        action="append",
        default=[],
        required=True,
        metavar="KEY",
        help="a private key to sign with (repeatable, one per signature a threshold needs)",
    )


def _days_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--days",
        action="append",
        default=[],
        metavar="ROLE=N",
        help="days the role's new metadata stays valid "
        "(default: root=365, targets=90, snapshot=7, timestamp=1)",
    )


# -- helpers ---------------------------------------------------------------------------


def _private_keys(args: argparse.Namespace) -> list[Ed25519PrivateKey]:
    from agentdesk.core.shipping.keys import KeyFileError, load_private

    try:
        return [load_private(existing_file(value, "--key")) for value in args.key]
    except KeyFileError as exc:
        raise UsageError(f"--key: {exc}") from None


def _public_keys(values: list[str], option: str) -> list[Ed25519PublicKey]:
    """Public key files; a private key file gives its public half."""
    from agentdesk.core.shipping.keys import KeyFileError, load_private, load_public

    found = []
    for value in values:
        path = existing_file(value, option)
        try:
            found.append(load_public(path))
        except KeyFileError:
            try:
                found.append(load_private(path).public_key())
            except KeyFileError as exc:
                raise UsageError(f"{option}: {exc}") from None
    return found


def _lifetimes(args: argparse.Namespace) -> dict[str, timedelta]:
    found = {}
    for value in args.days:
        role, _, days = value.partition("=")
        if not role or not days.isdigit() or int(days) < 1:
            raise UsageError(f"--days takes ROLE=N with N days of 1 or more, not '{value}'")
        found[role] = timedelta(days=int(days))
    return found


def _channel_errors(handler: Handler) -> Handler:
    """A change the channel refuses, or a failed write, is one line and exit status 1."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from agentdesk.core.shipping.repository import ChannelError

        try:
            return handler(args)
        except ChannelError as exc:
            print(f"agentdesk: refused: {exc}", file=sys.stderr)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            print(f"agentdesk: error: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1

    return run


# -- handlers --------------------------------------------------------------------------


@_channel_errors
def new_channel(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.publish import create_channel

    keys = _private_keys(args)
    mine = [k.public_key() for k in keys]
    folder = Path(args.folder)
    create_channel(
        folder,
        keys,
        root=_public_keys(args.root, "--root") or mine,
        targets=_public_keys(args.targets, "--targets") or mine,
        online=_public_keys(args.online, "--online") or mine,
        root_threshold=args.root_threshold,
        targets_threshold=args.targets_threshold,
        lifetimes=_lifetimes(args),
    )
    print(f"created the channel {folder}")
    print(f"give IT {folder / 'metadata' / 'root.json'} for the desks (agentdesk pack trust-root)")
    return 0


@_channel_errors
def publish(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.publish import publish as publish_archives

    folder = existing_folder(args.folder)
    archives = [existing_file(value) for value in args.archives]
    keys = _private_keys(args)
    done = publish_archives(
        folder, keys, archives, downgrade=args.downgrade, lifetimes=_lifetimes(args)
    )
    if args.json:
        print_json({"ok": True, "published": [p._asdict() for p in done]})
        return 0
    for item in done:
        was = f"{item.previous} -> " if item.previous else ""
        print(f"published {item.pack_id} {was}{item.version} (role {item.role})")
    if not done:
        print(f"{folder}: nothing new to publish; roles due for renewal were signed again")
    return 0


@_channel_errors
def delegate(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.publish import delegate as delegate_role

    if not args.remove and (not args.pack or not args.signer):
        raise UsageError("give --pack and --signer (or --remove)")
    folder = existing_folder(args.folder)
    notes = delegate_role(
        folder,
        _private_keys(args),
        args.role,
        packs=args.pack,
        signers=_public_keys(args.signer, "--signer"),
        threshold=args.threshold,
        remove=args.remove,
        lifetimes=_lifetimes(args),
    )
    print(f"{'removed' if args.remove else 'delegated'} the role {args.role}")
    for note in notes:
        print(f"  {note}")
    return 0


@_channel_errors
def rotate_keys(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.publish import rotate_keys as rotate
    from agentdesk.core.shipping.repository import short_id

    folder = existing_folder(args.folder)
    root = rotate(
        folder,
        _private_keys(args),
        args.role,
        add=_public_keys(args.add, "--add"),
        remove=args.remove,
        threshold=args.threshold,
        lifetimes=_lifetimes(args),
    )

    role = root.roles[args.role]
    ids = ", ".join(short_id(root.keys[k]) for k in role.keyids)
    print(f"root version {root.version}: {args.role} keys {ids}, threshold {role.threshold}")
    return 0


@_channel_errors
def timestamp(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.publish import refresh_timestamp

    folder = existing_folder(args.folder)
    warnings = refresh_timestamp(folder, _private_keys(args), lifetimes=_lifetimes(args))
    print(f"{folder}: timestamp signed again")
    for warning in warnings:
        print(f"agentdesk: warning: {warning}", file=sys.stderr)
    return 0


@_channel_errors
def endorse_root(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.publish import endorse_root as endorse

    folder = existing_folder(args.folder)
    out = endorse(folder, _private_keys(args))
    print(f"wrote {out}: desks that trust these keys adopt the channel's root once")
    return 0


@_channel_errors
def channel_status(args: argparse.Namespace) -> int:
    from agentdesk.core.shipping.publish import status

    folder = existing_folder(args.folder)
    roles = status(folder)
    if args.json:
        print_json([r._asdict() for r in roles])
        return 0
    for r in roles:
        print(
            f"{r.role:<12} v{r.version:<4} expires {r.expires:%Y-%m-%d %H:%M} UTC  "
            f"{r.threshold} of {', '.join(r.keys)}"
        )
        for pack in r.packs:
            print(f"  {pack}")
    return 0
