"""How an install, an update or a rollback ended, said for the agent: done, already
current, refused, offline, cancelled or failed, with what changed in the packs in use.

Whoever runs the job (the desktop app on a worker thread, a script) hands
:func:`job_outcome` what the core returned or raised; once the packs are reloaded,
:func:`with_changes` adds what changed in the content agents see.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Literal, NamedTuple, cast

from agentdesk.core.i18n import _, ngettext
from agentdesk.core.packs.model import Pack
from agentdesk.core.shipping import channel, install
from agentdesk.core.shipping.changes import PackChanges, describe_changes
from agentdesk.core.shipping.messages import change_lines, refusal_text
from agentdesk.core.shipping.refusals import Refusal

log = logging.getLogger(__name__)

Action = Literal["install", "update", "rollback"]
Status = Literal["done", "current", "refused", "offline", "cancelled", "failed"]
TONES: dict[Status, str] = {
    "done": "ok",
    "current": "ok",
    "offline": "info",
    "cancelled": "info",
    "refused": "danger",
    "failed": "danger",
}


class Cancelled(Exception):
    """The agent cancelled the job: raised from the core's progress callback."""


class Outcome(NamedTuple):
    """How an install, update or rollback ended, in the interface language."""

    action: Action
    status: Status
    summary: str  # one sentence
    details: str  # what changed, pack by pack; per-pack results of an update
    #: What changed in the packs in use (before and after the job, as the app sees them).
    changes: tuple[PackChanges, ...] = ()
    reason: str = ""  # a refusal's reason code
    technical: str = ""  # the core's own message (English), for IT
    #: The packs the core says it installed or rolled back.
    touched: frozenset[str] = frozenset()

    @property
    def tone(self) -> str:
        return TONES[self.status]

    @property
    def changed_packs(self) -> bool:
        """Whether packs may have changed on disk (a cancelled update keeps the packs it
        installed before the cancel): the app reloads them."""
        return self.status in ("done", "cancelled", "failed") or bool(self.touched)


def no_source() -> Outcome:
    return Outcome("update", "failed", _("Write a folder or an http(s) address first."), "")


def job_outcome(action: Action, result: object, error: BaseException | None) -> Outcome:
    """What the job did, from what the core returned (``result``) or raised (``error``).

    ``result`` is, by action: install, ``(InstallResult, trust problems)``; rollback, a
    ``RollbackResult``; update, ``(UpdateReport, trust problems)``.
    """
    if isinstance(error, Cancelled):
        return Outcome(action, "cancelled", _("Cancelled. Nothing else was changed."), "")
    if isinstance(error, Refusal):
        return _refused(action, error)
    if isinstance(error, ValueError) and action == "update":
        summary = _("The update source must be a folder or an http(s) address.")
        return Outcome(action, "failed", summary, "", technical=str(error))
    if isinstance(error, OSError):
        summary = _("It could not be completed: {error}").format(error=error.strerror or error)
        return Outcome(action, "failed", summary, "", technical=str(error))
    if error is not None:  # a bug: say it, and keep the traceback for IT
        log.error("the pack %s failed", action, exc_info=error)
        summary = _("Something went wrong: {error}").format(error=error)
        return Outcome(action, "failed", summary, "")
    if action == "install":
        done, problems = cast(tuple[install.InstallResult, list[str]], result)
        summary = _("Installed {id} {version}.").format(id=done.pack_id, version=done.version)
        return Outcome(
            action,
            "done",
            summary,
            "",
            technical=trust_notes(problems),
            touched=frozenset({done.pack_id}),
        )
    if action == "rollback":
        back = cast(install.RollbackResult, result)
        summary = _("{id} is back to version {version}.").format(
            id=back.pack_id, version=back.to_version
        )
        return Outcome(action, "done", summary, "", touched=frozenset({back.pack_id}))
    report, problems = cast(tuple[channel.UpdateReport, list[str]], result)
    return _update_outcome(report, problems)


def _refused(action: Action, error: Refusal) -> Outcome:
    why = refusal_text(error.reason)
    if action == "rollback":
        summary = _("Could not go back: {why}").format(why=why)
    elif action == "update":
        summary = _("The update source was refused: {why} Nothing was installed.").format(why=why)
    else:
        summary = _("Not installed: {why} Nothing was changed.").format(why=why)
    return Outcome(action, "refused", summary, "", reason=str(error.reason), technical=str(error))


def _update_outcome(report: channel.UpdateReport, problems: list[str]) -> Outcome:
    lines: list[str] = []
    technical: list[str] = []
    installed = refused = 0
    for item in report.items:
        offered = item.offered or ""
        if item.status == "installed":
            installed += 1
        elif item.status == "current":
            lines.append(
                _("{id} {version}: already up to date.").format(id=item.pack_id, version=offered)
            )
        elif item.status == "held":
            lines.append(
                _(
                    "{id} {version}: skipped, because this computer went back to an "
                    "earlier version. Install the archive by hand to use it."
                ).format(id=item.pack_id, version=offered)
            )
        elif item.status == "refused":
            refused += 1
            why = refusal_text(item.reason or "")
            lines.append(
                _("{id} {version}: refused. {why}").format(
                    id=item.pack_id, version=offered, why=why
                )
            )
            technical.append(item.message)
        else:
            lines.append(_("{id}: not in this source.").format(id=item.pack_id))
    if report.offline:
        technical.insert(0, report.message)
    tech = "\n".join(filter(None, [*technical, trust_notes(problems)]))
    touched = frozenset(item.pack_id for item in report.items if item.status == "installed")

    def outcome(status: Status, summary: str) -> Outcome:
        return Outcome("update", status, summary, "\n".join(lines), technical=tech, touched=touched)

    if report.offline and installed:
        return outcome(
            "offline",
            ngettext(
                "The update source could not be reached any more; {n} pack was updated "
                "before that. Try again later for the rest.",
                "The update source could not be reached any more; {n} packs were updated "
                "before that. Try again later for the rest.",
                installed,
            ).format(n=installed),
        )
    if report.offline:
        return outcome(
            "offline",
            _("The update source cannot be reached now. Nothing was changed; try again later."),
        )
    if refused:
        return outcome(
            "refused",
            ngettext(
                "{n} pack refused; the details are below.",
                "{n} packs refused; the details are below.",
                refused,
            ).format(n=refused),
        )
    if installed:
        return outcome(
            "done",
            ngettext("{n} pack updated.", "{n} packs updated.", installed).format(n=installed),
        )
    if not report.items:
        return outcome("current", _("This source offers no packs."))
    return outcome("current", _("Everything is up to date."))


def with_changes(
    outcome: Outcome, before: Mapping[str, Pack], after: Mapping[str, Pack]
) -> Outcome:
    """``outcome`` with what changed in the packs in use: ``before`` the job against
    ``after`` it (the library reloaded)."""
    moved = {
        pid
        for pid in before.keys() | after.keys()
        if pid in outcome.touched or not _same(before.get(pid), after.get(pid))
    }
    found: list[PackChanges] = []
    lines: list[str] = []
    for pid in sorted(moved):
        old, new = before.get(pid), after.get(pid)
        if new is None:
            lines.append(_("{id} is no longer in use.").format(id=pid))
            continue
        if _same(old, new):
            lines.append(
                _("{id}: the version in use is still {version}.").format(
                    id=pid, version=new.version
                )
            )
            continue
        changes = describe_changes(old, new)
        found.append(changes)
        lines += change_lines(changes)
    if not lines:
        return outcome
    details = "\n".join([*lines, *([outcome.details] if outcome.details else [])])
    return outcome._replace(details=details, changes=tuple(found))


def trust_notes(problems: list[str]) -> str:
    """The trusted key files that were skipped (for IT), or nothing."""
    if not problems:
        return ""
    return "\n".join([_("Some trusted key files were skipped:"), *problems])


def _same(a: Pack | None, b: Pack | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.id, a.version, a.root, a.digest) == (b.id, b.version, b.root, b.digest)
