"""Kiosk mode's core: the PIN's salted hash, the limit on wrong PINs, the idle policy, and
``agentdesk kiosk``."""

from __future__ import annotations

import hmac
import io
import json
import stat
import sys
from pathlib import Path

import pytest

from agentdesk.cli.main import main
from agentdesk.core import kiosk
from agentdesk.core.kiosk import (
    FIRST_LOCK,
    FREE_ATTEMPTS,
    MAX_LOCK,
    IdlePolicy,
    PinLimiter,
    hash_pin,
    idle_seconds,
    is_pin_hash,
    limiter_file,
    lock_seconds,
    pin_problem,
    stored_pin_hash,
    verify_pin,
)
from agentdesk.core.paths import Paths
from agentdesk.core.settings import Settings

PIN = "480135"


class Clock:
    """Wall-clock time that moves only when a test says so."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_pin(PIN)


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "kiosk-pin-attempts.json"


# -- the PIN --------------------------------------------------------------------------------


def test_the_hash_is_salted_and_never_holds_the_pin(stored: str) -> None:
    scheme, n, r, p, salt, _ = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert PIN not in stored
    again = hash_pin(PIN)
    assert again != stored and again.split("$")[4] != salt  # a new random salt each time
    assert verify_pin(PIN, stored) and verify_pin(PIN, again)


def test_only_the_right_pin_matches(stored: str) -> None:
    assert verify_pin(PIN, stored)
    for wrong in ("480136", "48013", "4801350", "", " 480135", "480135\n"):
        assert not verify_pin(wrong, stored)


def test_the_comparison_is_constant_time(stored: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(kiosk.hmac, "compare_digest", spy)
    assert not verify_pin("111357", stored)
    assert len(calls) == 1


@pytest.mark.parametrize(
    "damaged",
    [
        "",
        "480135",
        "pbkdf2$16384$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        "scrypt$16384$8$1$c2FsdHNhbHQ",
        "scrypt$abc$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        "scrypt$16384$8$1$!!!$aGFzaGhhc2hoYXNoaGFzaA",
        "scrypt$1048576$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",  # memory-hungry
        "scrypt$16383$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",  # not a power of 2
        "scrypt$16384$8$1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",  # salt too short
    ],
)
def test_a_damaged_or_foreign_hash_matches_nothing(damaged: str) -> None:
    assert not is_pin_hash(damaged)
    assert not verify_pin(PIN, damaged)


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("12a456", "digits only"),
        ("١٢٣٤٥٧", "digits only"),  # Arabic-Indic digits are digits, but not on a keypad
        ("48013", "at least 6"),
        ("4801354801354", "at most 12"),
        ("777777", "too easy"),
        ("123456", "too easy"),
        ("987654", "too easy"),
    ],
)
def test_weak_or_malformed_pins_are_refused(pin: str, problem: str) -> None:
    message = pin_problem(pin)
    assert message is not None and problem in message
    with pytest.raises(ValueError, match=problem):
        hash_pin(pin)


def test_good_pins_pass() -> None:
    for pin in (PIN, "000001", "135792468024"):
        assert pin_problem(pin) is None


# -- wrong PINs -----------------------------------------------------------------------------


def test_the_lock_doubles_after_the_free_attempts() -> None:
    assert [lock_seconds(n) for n in range(FREE_ATTEMPTS)] == [0.0] * FREE_ATTEMPTS
    locks = [lock_seconds(FREE_ATTEMPTS + n) for n in range(5)]
    assert locks == [FIRST_LOCK * 2**n for n in range(5)]
    assert lock_seconds(1000) == MAX_LOCK


def test_three_wrong_pins_lock_and_the_lock_doubles(stored: str, state_file: Path) -> None:
    clock = Clock()
    limiter = PinLimiter(state_file, clock)
    first, second = limiter.attempt("111111", stored), limiter.attempt("222222", stored)
    assert (first.outcome, first.attempts_left) == ("wrong", 2)
    assert (second.outcome, second.attempts_left) == ("wrong", 1)
    third = limiter.attempt("333333", stored)
    assert third.outcome == "wrong" and third.locked_for == FIRST_LOCK
    assert limiter.remaining() == FIRST_LOCK

    clock.advance(FIRST_LOCK - 1)
    assert limiter.attempt(PIN, stored).outcome == "locked"  # even the right PIN waits
    clock.advance(1)
    assert limiter.remaining() == 0
    fourth = limiter.attempt("444444", stored)
    assert fourth.locked_for == 2 * FIRST_LOCK
    clock.advance(2 * FIRST_LOCK)
    assert limiter.attempt("555555", stored).locked_for == 4 * FIRST_LOCK


def test_a_locked_gate_does_not_even_check_the_pin(
    stored: str, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limiter = PinLimiter(state_file, Clock())
    for _ in range(FREE_ATTEMPTS):
        limiter.attempt("111111", stored)

    def no_check(pin: str, stored: str) -> bool:
        raise AssertionError("checked while locked")

    monkeypatch.setattr(kiosk, "verify_pin", no_check)
    verdict = limiter.attempt(PIN, stored)
    assert verdict.outcome == "locked" and verdict.locked_for == FIRST_LOCK


def test_the_right_pin_clears_the_count(stored: str, state_file: Path) -> None:
    limiter = PinLimiter(state_file, Clock())
    limiter.attempt("111111", stored)
    limiter.attempt("222222", stored)
    assert limiter.attempt(PIN, stored).ok
    assert limiter.failures == 0
    assert limiter.attempt("111111", stored).attempts_left == FREE_ATTEMPTS - 1


def test_the_limit_survives_a_restart(stored: str, state_file: Path) -> None:
    clock = Clock()
    limiter = PinLimiter(state_file, clock)
    for _ in range(FREE_ATTEMPTS):
        limiter.attempt("111111", stored)
    clock.advance(10)
    rebooted = PinLimiter(state_file, clock)
    assert rebooted.failures == FREE_ATTEMPTS
    assert rebooted.remaining() == FIRST_LOCK - 10
    assert rebooted.attempt(PIN, stored).outcome == "locked"
    assert json.loads(state_file.read_text()) == {
        "failures": FREE_ATTEMPTS,
        "locked_until": clock.now - 10 + FIRST_LOCK,
    }


def test_an_attempt_counts_before_the_pin_is_checked(
    stored: str, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cutting the power while the PIN is checked gives the attempt back to no one."""

    def power_cut(pin: str, stored: str) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(kiosk, "verify_pin", power_cut)
    with pytest.raises(KeyboardInterrupt):
        PinLimiter(state_file, Clock()).attempt("111111", stored)
    assert PinLimiter(state_file, Clock()).failures == 1


def test_setting_the_clock_back_does_not_lengthen_or_lift_the_lock(
    stored: str, state_file: Path
) -> None:
    clock = Clock()
    limiter = PinLimiter(state_file, clock)
    for _ in range(FREE_ATTEMPTS):
        limiter.attempt("111111", stored)
    clock.advance(-86_400)  # a day back
    assert limiter.remaining() == FIRST_LOCK
    clock.advance(FIRST_LOCK)
    assert limiter.remaining() == 0


def test_a_damaged_state_file_fails_closed(stored: str, state_file: Path) -> None:
    state_file.parent.mkdir(parents=True)
    for damaged in ("{not json", '{"failures": "0", "locked_until": 0}', "[]"):
        state_file.write_text(damaged)
        limiter = PinLimiter(state_file, Clock())
        assert limiter.remaining() == lock_seconds(FREE_ATTEMPTS)
        assert limiter.attempt(PIN, stored).outcome == "locked"


def test_without_a_pin_nothing_unlocks_and_nothing_counts(state_file: Path) -> None:
    limiter = PinLimiter(state_file, Clock())
    for pin in ("", PIN):
        assert limiter.attempt(pin, "").outcome == "no-pin"
    assert limiter.failures == 0


def test_a_lock_lifted_by_another_process_is_lifted_for_a_running_kiosk(
    stored: str, state_file: Path
) -> None:
    clock = Clock()
    running = PinLimiter(state_file, clock)
    for _ in range(FREE_ATTEMPTS):
        running.attempt("111111", stored)
    assert running.remaining() == FIRST_LOCK
    PinLimiter(state_file, clock).reset()  # agentdesk kiosk set-pin, meanwhile
    assert running.remaining() == 0
    assert running.attempt("222222", stored).attempts_left == FREE_ATTEMPTS - 1
    assert json.loads(state_file.read_text())["failures"] == 1  # the reset was not overwritten
    for _ in range(FREE_ATTEMPTS):
        running.attempt("333333", stored)
    state_file.unlink()  # the other way docs/kiosk.md gives
    assert running.remaining() == 0


def test_wrong_pins_another_process_counted_count_here_too(stored: str, state_file: Path) -> None:
    clock = Clock()
    running, other = PinLimiter(state_file, clock), PinLimiter(state_file, clock)
    for _ in range(FREE_ATTEMPTS):
        other.attempt("111111", stored)
    assert running.attempt(PIN, stored).outcome == "locked"


def test_a_limit_that_cannot_be_written_holds_in_memory(
    stored: str, state_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PinLimiter(state_file, Clock()).reset()  # a file, then the folder turns read-only

    def read_only(path: Path, data: bytes, mode: int = 0o644) -> None:
        raise PermissionError(path)

    monkeypatch.setattr(kiosk, "write_atomic", read_only)
    limiter = PinLimiter(state_file, Clock())
    for _ in range(FREE_ATTEMPTS):
        limiter.attempt("111111", stored)
    assert limiter.remaining() == FIRST_LOCK
    assert limiter.attempt(PIN, stored).outcome == "locked"


def test_the_running_kiosk_reads_the_pin_hash_on_disk(stored: str) -> None:
    paths = Paths.resolve()
    settings = Settings(kiosk_pin_hash=stored)
    assert stored_pin_hash(paths, settings) == stored  # no file yet: the one in memory
    Settings(kiosk_pin_hash="").save(paths.settings_file)  # agentdesk kiosk clear-pin
    assert stored_pin_hash(paths, settings) == ""
    assert settings.kiosk_pin_hash == ""  # saving them at exit keeps the PIN cleared


def test_the_state_lives_next_to_the_settings() -> None:
    paths = Paths.resolve()
    assert limiter_file(paths).parent == paths.settings_file.parent


# -- being idle -----------------------------------------------------------------------------


def test_idle_policy_warns_then_resets() -> None:
    policy = IdlePolicy(idle=90, countdown=10)
    assert policy.state(100, 100) == kiosk.IdleState("active", 90)
    assert policy.state(100, 189.5).phase == "active"
    assert policy.state(100, 190) == kiosk.IdleState("warning", 10)
    assert policy.state(100, 197.5) == kiosk.IdleState("warning", 2.5)
    assert policy.state(100, 200) == kiosk.IdleState("reset", 0)
    assert policy.state(100, 5000).phase == "reset"
    assert policy.state(100, 50).phase == "active"  # a clock that went back is not idle


def test_idle_seconds_stay_sensible() -> None:
    assert idle_seconds(90) == 90
    assert idle_seconds(0) == kiosk.IDLE_MIN_SECONDS
    assert idle_seconds(-5) == kiosk.IDLE_MIN_SECONDS
    assert idle_seconds(10**9) == kiosk.IDLE_MAX_SECONDS


# -- agentdesk kiosk ------------------------------------------------------------------------


def _settings() -> Settings:
    return Settings.load(Paths.resolve().settings_file)


def test_set_pin_from_stdin_stores_only_a_salted_hash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = Paths.resolve()
    PinLimiter(limiter_file(paths), Clock()).attempt("1", hash_pin(PIN))  # one wrong PIN
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert main(["kiosk", "set-pin", "--pin-stdin"]) == 0
    assert "PIN set" in capsys.readouterr().out
    text = paths.settings_file.read_text(encoding="utf-8")
    assert PIN not in text
    assert verify_pin(PIN, _settings().kiosk_pin_hash)
    assert PinLimiter(limiter_file(paths), Clock()).failures == 0  # a new PIN lifts a lock


def test_set_pin_asks_twice_without_echo(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PIN, PIN])
    prompts: list[str] = []

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", getpass)
    assert main(["kiosk", "set-pin"]) == 0
    assert len(prompts) == 2
    assert verify_pin(PIN, _settings().kiosk_pin_hash)


def test_set_pin_refuses_a_typo_or_a_weak_pin_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PIN, "480136"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["--lang", "en", "kiosk", "set-pin"]) == 2
    assert "differ" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("1234\n"))
    assert main(["--lang", "es", "kiosk", "set-pin", "--pin-stdin"]) == 2
    assert "al menos 6 dígitos" in capsys.readouterr().err
    assert not Paths.resolve().settings_file.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_pin_hash_and_the_lock_are_readable_by_their_user_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = Paths.resolve()
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert main(["kiosk", "set-pin", "--pin-stdin"]) == 0
    for path in (paths.settings_file, limiter_file(paths)):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    assert [p.name for p in paths.config.iterdir() if p.suffix == ".tmp"] == []


def test_status_and_clear_pin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kiosk", "status"]) == 0
    assert "PIN:             not set" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN))
    main(["kiosk", "set-pin", "--pin-stdin"])
    assert main(["kiosk", "status"]) == 0
    out = capsys.readouterr().out
    assert "PIN:             set" in out and "after 90 s" in out and "0 in a row" in out
    assert main(["kiosk", "clear-pin"]) == 0
    assert _settings().kiosk_pin_hash == ""
