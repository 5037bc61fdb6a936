"""API tokens as the product knows them: the stored record (never the secret) and the secret's
shape, made and hashed here and nowhere else."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from graph.access import Role

__all__ = ["SECRET_PREFIX", "ApiToken", "CreatedToken", "hash_secret", "new_secret"]

SECRET_PREFIX = "cmdb_"
"""Starts every API token secret: tells it apart from a JWT (which has dots) and lets secret
scanners find a leaked one."""

_SECRET_BYTES = 32
"""256 bits from the operating system's CSPRNG."""

DISPLAY_CHARS = len(SECRET_PREFIX) + 6
"""How much of the secret is kept in clear to recognise a token in a list."""


@dataclass(frozen=True)
class ApiToken:
    """A stored API token: everything but its secret (only its SHA-256 hash is stored)."""

    id: str
    name: str
    roles: tuple[Role, ...]
    prefix: str
    """The secret's first characters, to recognise it; too few to guess the rest."""
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True)
class CreatedToken:
    """A token just created, with its secret: shown once, never stored."""

    token: ApiToken
    secret: str


def new_secret() -> str:
    """A fresh secret: the prefix and 43 URL-safe characters (256 random bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(_SECRET_BYTES)


def hash_secret(secret: str) -> str:
    """The hex SHA-256 of `secret`, as stored. A plain hash suffices: the secret has 256 bits of
    entropy, so no dictionary or brute force reaches it, unlike a password's."""
    return hashlib.sha256(secret.encode()).hexdigest()
