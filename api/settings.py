"""Settings: the one module that reads the environment. Every setting is documented in the
README with its default; a value that cannot be parsed stops start-up with its name."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from api._middleware import allowed_hosts
from api._setting_values import SettingsError
from api._setting_values import boolean as _bool
from api._setting_values import choice as _choice
from api._setting_values import integer as _int
from graph.domain import BusinessCalendar
from graph.imports import SourcePrecedence, parse_precedence

__all__ = ["JwtSettings", "Settings", "SettingsError"]

# The schemes of the Bolt protocol the driver speaks (its HTTP support is a preview).
BOLT_SCHEMES = tuple(
    f"{scheme}{tls}://" for scheme in ("bolt", "neo4j") for tls in ("", "+s", "+ssc")
)


def _precedence(env: Mapping[str, str], name: str) -> SourcePrecedence:
    try:
        return parse_precedence(env.get(name) or "")
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from error


def _origins(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated origins (`https://desk.example.com`), or `*` for any."""
    origins = tuple(o.strip().rstrip("/") for o in (env.get(name) or "").split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise SettingsError(f"{name}: an origin is http(s)://host[:port] or *, got {origin!r}")
    return origins


_CALENDAR_SETTINGS = {
    "hours": ("CMDB_SLA_HOURS", "09:00-17:00"),
    "days": ("CMDB_SLA_DAYS", "MON-FRI"),
    "timezone": ("CMDB_SLA_TIMEZONE", "UTC"),
    "holidays": ("CMDB_SLA_HOLIDAYS", ""),
}


def _calendar(env: Mapping[str, str]) -> BusinessCalendar:
    """The business calendar of SLA business days. Each setting is parsed with the others'
    defaults first, so that an error names the setting at fault."""
    defaults = {part: default for part, (_, default) in _CALENDAR_SETTINGS.items()}
    values = {
        part: env.get(name) or defaults[part] for part, (name, _) in _CALENDAR_SETTINGS.items()
    }
    for part, (name, _) in _CALENDAR_SETTINGS.items():
        try:
            BusinessCalendar.parse(**{**defaults, part: values[part]})
        except ValueError as error:
            raise SettingsError(f"{name}: {error}") from error
    return BusinessCalendar.parse(**values)


def _hosts(env: Mapping[str, str], name: str, bind_host: str) -> tuple[str, ...]:
    try:
        return allowed_hosts(env.get(name) or "", bind_host)
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from error


_JWT_ALGORITHMS = ("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
_MIN_SECRET_BYTES = 32
"""RFC 7518 3.2: an HS256 key of at least 256 bits."""


@dataclass(frozen=True)
class JwtSettings:
    """How bearer JWTs are verified: by a shared secret (HS*), a PEM public key or a JWKS file
    (RS*, ES*); with no key configured, no JWT is accepted."""

    secret: str | None = None
    public_key_file: Path | None = None
    jwks_file: Path | None = None
    algorithms: tuple[str, ...] = ()
    issuer: str | None = None
    audience: str | None = None
    roles_claim: str = "roles"
    name_claim: str = "sub"
    leeway_seconds: int = 30

    @property
    def enabled(self) -> bool:
        return bool(self.secret or self.public_key_file or self.jwks_file)


def _jwt(env: Mapping[str, str]) -> JwtSettings:
    secret = env.get("CMDB_JWT_SECRET") or None
    if secret is not None and len(secret.encode()) < _MIN_SECRET_BYTES:
        raise SettingsError(f"CMDB_JWT_SECRET must be at least {_MIN_SECRET_BYTES} bytes long")
    key_file = env.get("CMDB_JWT_PUBLIC_KEY_FILE") or None
    jwks_file = env.get("CMDB_JWT_JWKS_FILE") or None
    if key_file and jwks_file:
        raise SettingsError("set CMDB_JWT_PUBLIC_KEY_FILE or CMDB_JWT_JWKS_FILE, not both")
    default = [
        *(["HS256"] if secret else []),
        *(["RS256", "ES256"] if key_file or jwks_file else []),
    ]
    raw = env.get("CMDB_JWT_ALGORITHMS") or ",".join(default)
    algorithms = tuple(a.strip() for a in raw.split(",") if a.strip())
    unknown = [a for a in algorithms if a not in _JWT_ALGORITHMS]
    if unknown:
        raise SettingsError(
            f"CMDB_JWT_ALGORITHMS: unknown {', '.join(unknown)}; use {', '.join(_JWT_ALGORITHMS)}"
        )
    if any(a.startswith("HS") for a in algorithms) and secret is None:
        raise SettingsError("CMDB_JWT_ALGORITHMS names an HS algorithm: set CMDB_JWT_SECRET")
    return JwtSettings(
        secret=secret,
        public_key_file=Path(key_file) if key_file else None,
        jwks_file=Path(jwks_file) if jwks_file else None,
        algorithms=algorithms,
        issuer=env.get("CMDB_JWT_ISSUER") or None,
        audience=env.get("CMDB_JWT_AUDIENCE") or None,
        roles_claim=env.get("CMDB_JWT_ROLES_CLAIM") or "roles",
        name_claim=env.get("CMDB_JWT_NAME_CLAIM") or "sub",
        leeway_seconds=_int(env, "CMDB_JWT_LEEWAY_SECONDS", 30, 0, 3600),
    )


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str | None
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    host: str
    port: int
    data_dir: Path
    neo4j_port: int
    neo4j_page_cache: str
    neo4j_heap: str
    java_home: str | None
    actor: str
    log_level: str
    query_cache_size: int
    import_precedence: SourcePrecedence
    sla_calendar: BusinessCalendar
    correlation_minutes: int
    """How close in time incidents sharing a root cause must open to be grouped."""
    cab_approvals: int
    """CAB approvals a normal or emergency change needs before it is scheduled."""
    suspect_change_hours: int
    """How far back `suspectedChanges` looks for implemented changes."""
    discovery_pool_min_percent: int | None
    """The share of a discovered pool's members that must be up; None: one member."""
    max_query_depth: int
    max_query_aliases: int
    max_query_tokens: int
    max_query_cost: int
    max_body_bytes: int
    """The largest request body accepted (413 above)."""
    time_budget_seconds: float
    """How long one request may run."""
    neo4j_pool_size: int
    neo4j_acquisition_timeout: float
    """How long a request waits for a free Neo4j connection before answering 503."""
    log_format: str
    """`json` (one object per line) or `text`."""
    neo4j_unavailable_seconds: float = 2.0
    """How long a request tries to reach a Neo4j that does not answer before answering 503."""
    neo4j_restart: bool = True
    """Whether `cmdb serve` starts its embedded Neo4j again when it ends unasked."""
    jwt: JwtSettings = field(default_factory=lambda: JwtSettings())
    """How bearer JWTs are verified (docs/security.md); none are accepted without a key."""
    anonymous_read: bool = False
    """Whether requests without credentials may read (never write)."""
    subscription_queue: int = 256
    """Events one subscriber may have waiting before it is dropped (docs/subscriptions.md)."""
    topology_delta_log: int = 2000
    """Topology deltas the writers keep (docs/impact.md): a process further behind reloads."""
    subscriptions_per_connection: int = 20
    """Operations one WebSocket connection may run at once."""
    connections_per_principal: int = 10
    """WebSocket connections one principal may hold at once."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call the API from a browser (CORS); none: CORS is off."""
    idempotency_key_hours: int = 24
    """How long an `Idempotency-Key` is remembered (docs/api.md)."""
    idempotency_wait_seconds: int = 10
    """How long a request waits for a concurrent first request with the same key."""
    persisted_documents_only: bool = False
    """The allow-list mode: only documents an operator registered run (docs/api.md)."""
    allow_list_introspection: bool = False
    """Whether introspection runs in the allow-list mode without being registered."""
    document_cache_size: int = 1000
    """Persisted documents each API process keeps in memory, by hash."""
    neo4j_query_timeout: float = 30.0
    """How long Neo4j lets one transaction of the API run before it stops it (`TIMEOUT`)."""
    allowed_hosts: tuple[str, ...] = ("*",)  # the `Host` names requests may carry
    introspection: bool = True
    """Whether `__schema` and `__type` are answered, and errors suggest names ("Did you mean")."""
    graphiql: bool = True
    """Whether `/graphql` serves GraphiQL to a browser."""

    @property
    def embedded(self) -> bool:
        """True when the product starts its own Neo4j (NEO4J_URI unset)."""
        return self.neo4j_uri is None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        uri = env.get("NEO4J_URI") or None
        if uri is not None and not uri.startswith(BOLT_SCHEMES):
            raise SettingsError(
                f"NEO4J_URI must be bolt://host:port or neo4j://host:port (or bolt+s://, "
                f"neo4j+s://, bolt+ssc://, neo4j+ssc://), got {uri!r}"
            )
        password = env.get("NEO4J_PASSWORD") or None
        if uri is not None and password is None:
            raise SettingsError("NEO4J_PASSWORD must be set when NEO4J_URI names a server")
        return cls(
            neo4j_uri=uri,
            neo4j_user=env.get("NEO4J_USER") or "neo4j",
            neo4j_password=password,
            neo4j_database=env.get("NEO4J_DATABASE") or "neo4j",
            host=env.get("CMDB_HOST") or "127.0.0.1",
            port=_int(env, "CMDB_PORT", 8000, 1, 65535),
            data_dir=Path(env.get("CMDB_DATA_DIR") or "data").absolute(),
            neo4j_port=_int(env, "CMDB_NEO4J_PORT", 7687, 1, 65535),
            neo4j_page_cache=env.get("CMDB_NEO4J_PAGECACHE") or "512m",
            neo4j_heap=env.get("CMDB_NEO4J_HEAP") or "1g",
            java_home=env.get("CMDB_JAVA_HOME") or None,
            actor=env.get("CMDB_ACTOR") or "system",
            log_level=(env.get("CMDB_LOG_LEVEL") or "info").lower(),
            query_cache_size=_int(env, "CMDB_QUERY_CACHE_SIZE", 1000, 1, 1_000_000),
            import_precedence=_precedence(env, "CMDB_IMPORT_PRECEDENCE"),
            sla_calendar=_calendar(env),
            correlation_minutes=_int(env, "CMDB_INCIDENT_CORRELATION_MINUTES", 240, 1, 43_200),
            cab_approvals=_int(env, "CMDB_CAB_APPROVALS", 1, 1, 20),
            suspect_change_hours=_int(env, "CMDB_SUSPECT_CHANGE_HOURS", 72, 1, 8_760),
            discovery_pool_min_percent=(
                _int(env, "CMDB_DISCOVERY_POOL_MIN_PERCENT", 1, 1, 100)
                if env.get("CMDB_DISCOVERY_POOL_MIN_PERCENT")
                else None
            ),
            jwt=_jwt(env),
            anonymous_read=_bool(env, "CMDB_ANONYMOUS_READ"),
            max_query_depth=_int(env, "CMDB_MAX_QUERY_DEPTH", 15, 2, 100),
            max_query_aliases=_int(env, "CMDB_MAX_QUERY_ALIASES", 50, 1, 10_000),
            max_query_tokens=_int(env, "CMDB_MAX_QUERY_TOKENS", 10_000, 100, 1_000_000),
            max_query_cost=_int(env, "CMDB_MAX_QUERY_COST", 50_000, 1, 100_000_000),
            max_body_bytes=_int(env, "CMDB_MAX_BODY_BYTES", 4 * 1024 * 1024, 1024, 1 << 30),
            time_budget_seconds=_int(env, "CMDB_TIME_BUDGET_SECONDS", 30, 1, 3_600),
            neo4j_pool_size=_int(env, "CMDB_NEO4J_POOL_SIZE", 50, 1, 1_000),
            neo4j_acquisition_timeout=_int(
                env, "CMDB_NEO4J_ACQUISITION_TIMEOUT_SECONDS", 5, 1, 600
            ),
            neo4j_unavailable_seconds=_int(env, "CMDB_NEO4J_UNAVAILABLE_SECONDS", 2, 1, 300),
            neo4j_restart=_bool(env, "CMDB_NEO4J_RESTART", default=True),
            log_format=_choice(env, "CMDB_LOG_FORMAT", ("json", "text")),
            subscription_queue=_int(env, "CMDB_SUBSCRIPTION_QUEUE", 256, 1, 100_000),
            topology_delta_log=_int(env, "CMDB_TOPOLOGY_DELTA_LOG", 2000, 1, 1_000_000),
            subscriptions_per_connection=_int(env, "CMDB_WS_MAX_SUBSCRIPTIONS", 20, 1, 1_000),
            connections_per_principal=_int(env, "CMDB_WS_MAX_CONNECTIONS", 10, 1, 10_000),
            cors_origins=_origins(env, "CMDB_CORS_ORIGINS"),
            idempotency_key_hours=_int(env, "CMDB_IDEMPOTENCY_KEY_HOURS", 24, 1, 8_760),
            idempotency_wait_seconds=_int(env, "CMDB_IDEMPOTENCY_WAIT_SECONDS", 10, 0, 300),
            persisted_documents_only=_bool(env, "CMDB_PERSISTED_DOCUMENTS_ONLY"),
            allow_list_introspection=_bool(env, "CMDB_ALLOW_LIST_INTROSPECTION"),
            document_cache_size=_int(env, "CMDB_DOCUMENT_CACHE_SIZE", 1000, 1, 1_000_000),
            neo4j_query_timeout=_int(env, "CMDB_NEO4J_QUERY_TIMEOUT_SECONDS", 30, 1, 3_600),
            allowed_hosts=_hosts(env, "CMDB_ALLOWED_HOSTS", env.get("CMDB_HOST") or "127.0.0.1"),
            introspection=_bool(env, "CMDB_INTROSPECTION", default=True),
            graphiql=_bool(env, "CMDB_GRAPHIQL", default=True),
        )
