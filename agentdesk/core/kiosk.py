"""Kiosk mode without Qt: the administrator PIN, the limit on wrong PINs, and the idle policy.

The PIN is never stored: ``settings.kiosk_pin_hash`` holds one string,
``scrypt$N$r$p$SALT$HASH`` (a random 16-byte salt per PIN; base64 without padding), and a
PIN is checked by recomputing the hash and comparing in constant time.

Wrong PINs are limited by :class:`PinLimiter`: after ``FREE_ATTEMPTS`` wrong PINs in a row
every further wrong PIN locks the keypad, for ``FIRST_LOCK`` seconds and then twice as long
each time, up to ``MAX_LOCK``. The count is written to the config folder *before* a PIN is
checked, so neither a restart nor a power cut mid-check gives an attempt back.

:class:`IdlePolicy` says, from the time of the last input and the time now, whether the
kiosk is in use, counting down, or due to clear itself for the next customer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal, NamedTuple

from agentdesk.core.files import write_atomic
from agentdesk.core.i18n import _
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings

PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 12

SCHEME = "scrypt"
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_HASH_BYTES = 32
_MAXMEM = 64 * 1024 * 1024  # a tampered hash cannot make a check take more than this

FREE_ATTEMPTS = 3
FIRST_LOCK = 30.0
MAX_LOCK = 3600.0

IDLE_MIN_SECONDS = 15
IDLE_MAX_SECONDS = 3600
COUNTDOWN_SECONDS = 10

Clock = Callable[[], float]


# -- the PIN ------------------------------------------------------------------------------


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be an administrator PIN, or None if it can."""
    if not (pin.isascii() and pin.isdigit()):
        return _("The PIN must be made of digits only.")
    if len(pin) < PIN_MIN_DIGITS:
        return _("The PIN must have at least {n} digits.").format(n=PIN_MIN_DIGITS)
    if len(pin) > PIN_MAX_DIGITS:
        return _("The PIN must have at most {n} digits.").format(n=PIN_MAX_DIGITS)
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if steps in ({0}, {1}, {-1}):
        return _("The PIN is too easy to guess (one digit repeated, or a run like 123456).")
    return None


def stored_pin_hash(paths: Paths, settings: Settings) -> str:
    """The PIN's hash as the settings file holds it now (``agentdesk kiosk set-pin`` may
    have changed it while the kiosk runs); ``settings`` follow, so saving them later does not
    bring an old PIN back. Without a settings file, the hash in ``settings``."""
    path = paths.settings_file
    if path.is_file():
        settings.kiosk_pin_hash = Settings.load(path).kiosk_pin_hash
    return settings.kiosk_pin_hash


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """The string to store for ``pin``: scheme, parameters, salt and hash."""
    problem = pin_problem(pin)
    if problem:
        raise ValueError(problem)
    salt = os.urandom(_SALT_BYTES) if salt is None else salt
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, _HASH_BYTES)
    return "$".join((SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)))


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` is the PIN ``stored`` was made from. A damaged hash matches nothing."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, expected = parsed
    computed = _scrypt(pin, salt, n, r, p, len(expected))
    return hmac.compare_digest(computed, expected)


def is_pin_hash(stored: str) -> bool:
    return _parse(stored) is not None


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=_MAXMEM
    )


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except (ValueError, binascii.Error):
        return None
    sane = n > 1 and n & (n - 1) == 0 and n <= 2**17 and 1 <= r <= 16 and 1 <= p <= 4
    if not sane or 128 * r * n * p > _MAXMEM // 2 or len(salt) < 8 or len(digest) < 16:
        return None
    return n, r, p, salt, digest


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


# -- wrong PINs ---------------------------------------------------------------------------


def limiter_file(paths: Paths) -> Path:
    """Where the count of wrong PINs is kept: next to the settings."""
    return paths.config / "kiosk-pin-attempts.json"


def lock_seconds(failures: int) -> float:
    """How long the keypad stays locked after ``failures`` wrong PINs in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(FIRST_LOCK * (1 << min(failures - FREE_ATTEMPTS, 20)), MAX_LOCK)


class Verdict(NamedTuple):
    outcome: Literal["ok", "wrong", "locked", "no-pin"]
    locked_for: float = 0.0
    """Seconds before the next PIN will be checked (0: now)."""
    attempts_left: int = 0
    """Wrong PINs still allowed before the keypad locks."""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class PinLimiter:
    """Counts wrong PINs in a row and locks the gate for longer and longer.

    ``clock`` is wall-clock time (seconds since the epoch) because the lock must outlast a
    restart; a clock set back never makes a lock longer than the one earned, nor shorter.
    The file is read again whenever another process changed it: ``agentdesk kiosk set-pin``
    (or deleting the file) lifts the lock of a running kiosk.
    """

    def __init__(self, state_file: Path, clock: Clock = time.time) -> None:
        self.state_file = state_file
        self.clock = clock
        self.failures = 0
        self.locked_until = 0.0
        self._seen: tuple[int, int, int] | None = None
        self._load()

    def remaining(self) -> float:
        """Seconds the gate stays locked (0: a PIN may be tried now)."""
        if self._stamp() != self._seen:
            self._load()
        now = self.clock()
        left = self.locked_until - now
        longest = lock_seconds(self.failures)
        if left > longest:  # the clock went back: keep the earned lock, from now
            self.locked_until = now + longest
            left = longest
            self._save()
        return max(0.0, left)

    def attempt(self, pin: str, stored: str) -> Verdict:
        """Check ``pin`` against ``stored``, unless the gate is locked."""
        left = self.remaining()
        if left > 0:
            return Verdict("locked", locked_for=left)
        if not is_pin_hash(stored):
            return Verdict("no-pin")
        # Counted before the check: cutting the power once the PIN is typed gives nothing back.
        self.failures += 1
        self.locked_until = self.clock() + lock_seconds(self.failures)
        self._save()
        if verify_pin(pin, stored):
            self.reset()
            return Verdict("ok")
        return Verdict(
            "wrong",
            locked_for=lock_seconds(self.failures),
            attempts_left=max(0, FREE_ATTEMPTS - self.failures),
        )

    def reset(self) -> None:
        """Forget the wrong PINs (after the right one, or a new PIN)."""
        self.failures = 0
        self.locked_until = 0.0
        self._save()

    def _stamp(self) -> tuple[int, int, int] | None:
        """Which version of the file is on disk (None: none)."""
        try:
            st = self.state_file.stat()
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _load(self) -> None:
        self._seen = self._stamp()
        try:
            raw = json.loads(self.state_file.read_text(encoding="utf-8"))
            failures, until = raw["failures"], raw["locked_until"]
            if not isinstance(failures, int) or not isinstance(until, int | float):
                raise ValueError("bad types")
            self.failures, self.locked_until = max(0, failures), float(until)
        except FileNotFoundError:  # none yet, or deleted to lift the lock
            self.failures, self.locked_until = 0, 0.0
        except (OSError, ValueError, KeyError, TypeError):
            # Damaged or unreadable: fail closed, as after FREE_ATTEMPTS wrong PINs.
            self.failures = FREE_ATTEMPTS
            self.locked_until = self.clock() + lock_seconds(FREE_ATTEMPTS)

    def _save(self) -> None:
        """Write atomically and durably; a read-only folder keeps the limit in memory only."""
        data = {"failures": self.failures, "locked_until": self.locked_until}
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.state_file, json.dumps(data).encode("utf-8"), mode=0o600)
        except OSError:
            return
        self._seen = self._stamp()


# -- being idle ---------------------------------------------------------------------------


def idle_seconds(value: int) -> int:
    """The ``kiosk_idle_seconds`` setting, kept within sensible bounds."""
    return max(IDLE_MIN_SECONDS, min(IDLE_MAX_SECONDS, value))


class IdleState(NamedTuple):
    phase: Literal["active", "warning", "reset"]
    seconds_left: float
    """active: before the countdown starts; warning: before the reset; reset: 0."""


class IdlePolicy(NamedTuple):
    """After ``idle`` seconds without input, count down ``countdown`` seconds, then reset."""

    idle: float
    countdown: float = COUNTDOWN_SECONDS

    def state(self, last_input: float, now: float) -> IdleState:
        quiet = max(0.0, now - last_input)
        if quiet < self.idle:
            return IdleState("active", self.idle - quiet)
        if quiet < self.idle + self.countdown:
            return IdleState("warning", self.idle + self.countdown - quiet)
        return IdleState("reset", 0.0)
