"""Bearer JWTs, verified by PyJWT: the signature with the configured secret (HS*), PEM public key
or JWKS file (RS*, ES*), and the expiry, not-before, issuer and audience claims. Its time claims
are checked against the system clock, as every issuer sets them by one (PyJWT takes no clock)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from api.settings import JwtSettings, SettingsError
from graph.access import AuthMethod, Principal, parse_roles

__all__ = ["InvalidCredentials", "JwtVerifier"]


class InvalidCredentials(Exception):
    """The credentials do not prove who the caller is; the message says why, safely."""


_REASONS: Sequence[tuple[type[jwt.PyJWTError], str]] = (
    (jwt.ExpiredSignatureError, "the bearer token has expired"),
    (jwt.ImmatureSignatureError, "the bearer token is not valid yet (nbf)"),
    (jwt.InvalidAudienceError, "the bearer token is for another audience"),
    (jwt.InvalidIssuerError, "the bearer token is from another issuer"),
    (jwt.MissingRequiredClaimError, "the bearer token lacks a required claim"),
    (jwt.InvalidSignatureError, "the bearer token's signature is invalid"),
)


def _load_public_key(settings: JwtSettings) -> PublicKeyTypes | None:
    if settings.public_key_file is None:
        return None
    try:
        return load_pem_public_key(settings.public_key_file.read_bytes())
    except (OSError, ValueError) as error:
        raise SettingsError(f"CMDB_JWT_PUBLIC_KEY_FILE: not a PEM public key: {error}") from error


def _load_jwks(settings: JwtSettings) -> jwt.PyJWKSet | None:
    if settings.jwks_file is None:
        return None
    try:
        return jwt.PyJWKSet.from_json(settings.jwks_file.read_text())
    except (OSError, ValueError, jwt.PyJWTError) as error:
        raise SettingsError(f"CMDB_JWT_JWKS_FILE: not a JSON Web Key Set: {error}") from error


def _claim(claims: dict[str, Any], path: str) -> object:
    """A claim by name, or by a dotted path into nested objects (`realm_access.roles`)."""
    value: object = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


class JwtVerifier:
    """Turns a bearer JWT into a principal. The keys are read once, at start-up; a bad file
    stops it with the setting's name."""

    def __init__(self, settings: JwtSettings) -> None:
        self._settings = settings
        self._public_key = _load_public_key(settings)
        self._jwks = _load_jwks(settings)

    def principal(self, token: str) -> Principal:
        """The principal the token names: its name from the name claim, its roles from the
        roles claim (a list, or a space-separated string). Raises `InvalidCredentials`."""
        settings = self._settings
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            if algorithm not in settings.algorithms:
                raise InvalidCredentials(
                    f"the bearer token's algorithm {algorithm} is not accepted"
                )
            claims = jwt.decode(
                token,
                self._key(token, str(algorithm)),
                algorithms=[str(algorithm)],
                audience=settings.audience,
                issuer=settings.issuer,
                leeway=settings.leeway_seconds,
                options={"require": ["exp"]},
            )
        except jwt.PyJWTError as error:
            reason = next((r for kind, r in _REASONS if isinstance(error, kind)), None)
            raise InvalidCredentials(reason or "the bearer token is malformed") from error
        except (TypeError, ValueError) as error:
            # An RS256 token naming an EC key, or the reverse: PyJWT refuses the key's type.
            raise InvalidCredentials("the bearer token's key does not fit its algorithm") from error
        name = _claim(claims, settings.name_claim)
        if not isinstance(name, str) or not name.strip():
            raise InvalidCredentials(f"the bearer token has no {settings.name_claim} claim")
        raw = _claim(claims, settings.roles_claim)
        names = raw.split() if isinstance(raw, str) else raw if isinstance(raw, list) else []
        roles, _ = parse_roles([str(n) for n in names])
        return Principal(name.strip(), roles, AuthMethod.JWT)

    def _key(self, token: str, algorithm: str) -> Any:
        if algorithm.startswith("HS"):
            if self._settings.secret is None:
                raise InvalidCredentials("no secret is configured for HS tokens")
            return self._settings.secret
        if self._jwks is not None:
            kid = jwt.get_unverified_header(token).get("kid")
            keys = [key for key in self._jwks.keys if kid is None or key.key_id == kid]
            if len(keys) != 1:
                raise InvalidCredentials("the bearer token's key (kid) is not in the key set")
            return keys[0].key
        if self._public_key is None:
            raise InvalidCredentials("no public key is configured for RS and ES tokens")
        return self._public_key
