"""Ed25519 signing keys: make a pair, load them, name them, and the keys a desk trusts.

A key id is the first 16 hex digits of the SHA-256 of the raw public key: short enough to
read aloud, long enough that two trainers' keys never share one by chance. A desk trusts
the ``*.pub`` files in its trusted keys folder plus any given with ``--trust``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from agentdesk.core.shipping.refusals import Reason, Refusal

PRIVATE_SUFFIX = ".key"
PUBLIC_SUFFIX = ".pub"
DEFAULT_KEY_NAME = "pack-signing"
_BINARY = getattr(os, "O_BINARY", 0)


class KeyFileError(Exception):
    """A key file that cannot be read or written; the message names the file."""


class KeyPair(NamedTuple):
    private: Path
    public: Path
    key_id: str


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate(out: Path, name: str = DEFAULT_KEY_NAME) -> KeyPair:
    """Write ``out/NAME.key`` (owner-only) and ``out/NAME.pub``; never overwrite a key."""
    private_path, public_path = out / f"{name}{PRIVATE_SUFFIX}", out / f"{name}{PUBLIC_SUFFIX}"
    for path in (private_path, public_path):
        if path.exists():
            raise KeyFileError(f"{path} already exists; keys are never overwritten")
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    out.mkdir(parents=True, exist_ok=True)
    # Created with the owner-only mode from the start: never readable by others, not even
    # for the moment between writing and a chmod.
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private_pem)
    public_path.write_bytes(public_pem)
    return KeyPair(private_path, public_path, key_id(public))


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise KeyFileError(f"cannot read the key {path}: {exc.strerror or exc}") from None
    except (ValueError, TypeError):
        raise KeyFileError(f"{path} is not an unencrypted Ed25519 private key (PEM)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} is not an Ed25519 private key")
    return key


def load_public(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except OSError as exc:
        raise KeyFileError(f"cannot read the key {path}: {exc.strerror or exc}") from None
    except (ValueError, TypeError):
        raise KeyFileError(f"{path} is not an Ed25519 public key (PEM)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path} is not an Ed25519 public key")
    return key


class TrustStore:
    """The public keys a desk accepts signatures from, by key id.

    Unreadable files in the trusted keys folder do not stop the others from being used;
    they are listed in ``problems`` for the caller to show.
    """

    def __init__(self, keys: dict[str, Ed25519PublicKey], problems: Iterable[str] = ()) -> None:
        self.keys = dict(keys)
        self.problems = list(problems)

    @classmethod
    def load(cls, folder: Path | None, extra: Iterable[Path] = ()) -> TrustStore:
        """Keys from ``folder/*.pub`` (missing folder: none) and from ``extra`` files.

        A file given explicitly that cannot be read raises :class:`KeyFileError`.
        """
        keys: dict[str, Ed25519PublicKey] = {}
        problems: list[str] = []
        if folder is not None and folder.is_dir():
            for path in sorted(folder.glob(f"*{PUBLIC_SUFFIX}")):
                try:
                    key = load_public(path)
                except KeyFileError as exc:
                    problems.append(f"ignored a trusted key: {exc}")
                    continue
                keys[key_id(key)] = key
        for path in extra:
            key = load_public(path)
            keys[key_id(key)] = key
        return cls(keys, problems)

    def __len__(self) -> int:
        return len(self.keys)

    def verify(self, signer: str, signature: bytes, data: bytes, what: str) -> None:
        """Refuse unless ``signature`` over ``data`` is by the trusted key ``signer``."""
        if not self.keys:
            raise Refusal(
                Reason.NO_TRUSTED_KEYS,
                f"{what}: no trusted keys: put the trainers' .pub files in the trusted keys "
                "folder, or give one with --trust",
            )
        key = self.keys.get(signer)
        if key is None:
            raise Refusal(
                Reason.UNKNOWN_KEY,
                f"{what} is signed with key {signer}, which this desk does not trust",
            )
        try:
            key.verify(signature, data)
        except InvalidSignature:
            raise Refusal(
                Reason.BAD_SIGNATURE,
                f"{what}: the signature does not match: the content was changed after "
                f"signing, or it was not signed by key {signer}",
            ) from None


def public_id(private: Ed25519PrivateKey) -> str:
    return key_id(private.public_key())
