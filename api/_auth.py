"""Authentication: who a request acts for, resolved once per request from its credentials (the
`Authorization: Bearer …` header over HTTP, the `connection_init` payload over WebSocket). A
bearer value that starts with `cmdb_` is an API token, anything else a JWT."""

from __future__ import annotations

from collections.abc import Mapping

from api._jwt import InvalidCredentials, JwtVerifier
from api.settings import Settings
from graph.access import ANONYMOUS, AuthMethod, Principal, Unauthenticated
from graph.tokens import SECRET_PREFIX, TokenRepository

__all__ = ["Authenticator", "jwt_verifier"]

NO_CREDENTIALS = Unauthenticated("authentication required: send Authorization: Bearer <token>")


def jwt_verifier(settings: Settings) -> JwtVerifier | None:
    """The JWT verifier of the settings, its keys read now (a bad file raises
    `SettingsError`), or None when no key is configured."""
    return JwtVerifier(settings.jwt) if settings.jwt.enabled else None


class Authenticator:
    def __init__(
        self, jwt: JwtVerifier | None, tokens: TokenRepository, *, anonymous_read: bool
    ) -> None:
        self._jwt = jwt
        self._tokens = tokens
        self._anonymous_read = anonymous_read

    async def authenticate(self, authorization: str | None) -> Principal | Unauthenticated:
        """The principal of an `Authorization` header value, the anonymous principal when there
        is none and anonymous read access is on, else why not. An API token costs one indexed
        read (not cached: a revocation counts from the next request); a JWT none."""
        if authorization is None or not authorization.strip():
            return ANONYMOUS if self._anonymous_read else NO_CREDENTIALS
        scheme, _, credentials = authorization.strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            return Unauthenticated("use the Bearer scheme: Authorization: Bearer <token>", True)
        if credentials.startswith(SECRET_PREFIX):
            token = await self._tokens.find(credentials)
            if token is None:
                return Unauthenticated("the API token is unknown or revoked", True)
            return Principal(token.name, frozenset(token.roles), AuthMethod.API_TOKEN)
        if self._jwt is None:
            return Unauthenticated("JWT bearer tokens are not accepted here (no key set)", True)
        try:
            return self._jwt.principal(credentials)
        except InvalidCredentials as error:
            return Unauthenticated(str(error), True)

    async def from_connection_params(
        self, params: Mapping[str, object] | None
    ) -> Principal | Unauthenticated:
        """The principal of a WebSocket's `connection_init` payload: `{"authorization":
        "Bearer …"}` (any case of the key) or `{"token": "…"}`."""
        lowered = {str(key).lower(): value for key, value in (params or {}).items()}
        value = lowered.get("authorization")
        if value is None and isinstance(lowered.get("token"), str):
            value = f"Bearer {lowered['token']}"
        return await self.authenticate(value if isinstance(value, str) else None)
