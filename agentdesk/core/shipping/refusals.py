"""Why an archive, a channel's metadata or a key is refused: a reason code and a message.

The reason codes are stable (tests, scripts and the desktop app rely on them); the messages
are English sentences naming the reason and the file concerned.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    # the file itself
    NOT_AN_ARCHIVE = "not-an-archive"
    CORRUPT = "corrupt"
    # signature and trust
    MISSING_SIGNATURE = "missing-signature"
    BAD_SIGNATURE = "bad-signature"
    UNKNOWN_KEY = "unknown-key"
    NO_TRUSTED_KEYS = "no-trusted-keys"
    BAD_MANIFEST = "bad-manifest"
    # what the manifest says
    UNSUPPORTED_FORMAT = "unsupported-format"
    ROLLBACK = "rollback"
    EXPIRED = "expired"
    APP_TOO_OLD = "app-too-old"
    # the files against the manifest
    NOT_IN_MANIFEST = "not-in-manifest"
    MISSING_FILE = "missing-file"
    SIZE_MISMATCH = "size-mismatch"
    HASH_MISMATCH = "hash-mismatch"
    # entry names
    ABSOLUTE_PATH = "absolute-path"
    PARENT_PATH = "parent-path"
    BACKSLASH = "backslash"
    NUL_IN_NAME = "nul-in-name"
    BAD_NAME = "bad-name"
    DUPLICATE_NAME = "duplicate-name"
    CASE_COLLISION = "case-collision"
    # entry kinds and sizes
    SYMLINK = "symlink"
    ENCRYPTED = "encrypted"
    NESTED_ARCHIVE = "nested-archive"
    TOO_MANY_FILES = "too-many-files"
    TOO_MANY_BYTES = "too-many-bytes"
    COMPRESSION_RATIO = "compression-ratio"
    # the pack inside
    PACK_INVALID = "pack-invalid"
    # installed packs and update channels
    NOTHING_TO_ROLL_BACK = "nothing-to-roll-back"
    NOT_INSTALLED = "not-installed"
    #: The channel's metadata is malformed, or does not match the archive it lists.
    BAD_INDEX = "bad-index"
    DOWNLOAD_FAILED = "download-failed"
    NO_TRUSTED_ROOT = "no-trusted-root"
    #: Freeze: the channel's metadata is past its expiry date.
    CHANNEL_EXPIRED = "channel-expired"
    #: The source's metadata is older than what this desk already saw.
    CHANNEL_ROLLBACK = "channel-rollback"
    #: Mix-and-match: the metadata files do not belong to the same publication.
    CHANNEL_MISMATCH = "channel-mismatch"
    #: Not signed by enough of the keys the channel's root names for that role.
    UNTRUSTED_METADATA = "untrusted-metadata"
    #: Slow retrieval: the update did not finish within its deadline.
    TOO_SLOW = "too-slow"


class Refusal(Exception):
    """An archive (or index, or key) that must not be used. ``str()`` is the whole message."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} [{self.reason}]"

    def to_json(self) -> dict[str, str]:
        return {"reason": str(self.reason), "message": self.message}
