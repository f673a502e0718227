"""``agentdesk kiosk``: set the administrator PIN of a branch kiosk, and see its state.

The PIN is read without echo (twice, to catch a typo) or, for scripts, as one line on
standard input; only its salted hash is written, to ``kiosk_pin_hash`` in the settings.
Setting a PIN also lifts a lock left by wrong PINs.
"""

from __future__ import annotations

import argparse
import sys

from agentdesk.cli.common import UsageError, paths


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kiosk = commands.add_parser(
        "kiosk",
        help="branch kiosk: set the administrator PIN, show the kiosk state",
        description="The branch kiosk (agentdesk --kiosk). Its settings live in the user's "
        "config folder (also AGENTDESK_CONFIG_DIR): run these commands as the kiosk's user.",
    )
    actions = kiosk.add_subparsers(dest="kiosk_command", metavar="ACTION", required=True)

    set_pin = actions.add_parser(
        "set-pin",
        help="set the administrator PIN (asked twice, without echo)",
        description="Set the PIN that leaves kiosk mode or opens its settings: 6 to 12 digits. "
        "Only a salted hash of it is stored.",
    )
    set_pin.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN from the first line of stdin"
    )
    set_pin.set_defaults(handler=set_pin_command)

    clear = actions.add_parser(
        "clear-pin", help="remove the PIN: the kiosk can then only be left from the system"
    )
    clear.set_defaults(handler=clear_pin_command)

    status = actions.add_parser("status", help="whether a PIN is set, wrong PINs, idle time")
    status.set_defaults(handler=status_command)


def set_pin_command(args: argparse.Namespace) -> int:
    from agentdesk.core.i18n import _
    from agentdesk.core.kiosk import PinLimiter, hash_pin, limiter_file, pin_problem
    from agentdesk.core.settings import Settings

    if args.pin_stdin:
        pin = sys.stdin.readline().rstrip("\r\n")
        problem = pin_problem(pin)
    else:
        import getpass

        pin = getpass.getpass("New administrator PIN: ")
        problem = pin_problem(pin)
        if problem is None and getpass.getpass("Repeat the PIN: ") != pin:
            problem = _("The two PINs differ. Try again.")
    if problem:
        raise UsageError(problem)  # and nothing was written
    where = paths(args)
    settings = Settings.load(where.settings_file)
    settings.kiosk_pin_hash = hash_pin(pin)
    settings.save(where.settings_file)
    PinLimiter(limiter_file(where)).reset()
    print(f"Administrator PIN set (salted hash in {where.settings_file}).")
    return 0


def clear_pin_command(args: argparse.Namespace) -> int:
    from agentdesk.core.settings import Settings

    where = paths(args)
    settings = Settings.load(where.settings_file)
    settings.kiosk_pin_hash = ""
    settings.save(where.settings_file)
    print("Administrator PIN removed: the kiosk cannot be left from its screen until one is set.")
    return 0


def status_command(args: argparse.Namespace) -> int:
    from agentdesk.core.kiosk import PinLimiter, idle_seconds, is_pin_hash, limiter_file
    from agentdesk.core.settings import Settings

    where = paths(args)
    settings = Settings.load(where.settings_file)
    limiter = PinLimiter(limiter_file(where))
    locked = limiter.remaining()
    print(f"settings:        {where.settings_file}")
    print(f"starts as kiosk: {'yes' if settings.kiosk else 'no (use agentdesk --kiosk)'}")
    print(f"PIN:             {'set' if is_pin_hash(settings.kiosk_pin_hash) else 'not set'}")
    print(f"idle reset:      after {idle_seconds(settings.kiosk_idle_seconds)} s without input")
    print(f"wrong PINs:      {limiter.failures} in a row", end="")
    print(f", locked for {locked:.0f} s more" if locked else "")
    return 0
