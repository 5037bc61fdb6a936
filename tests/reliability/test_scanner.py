"""graphql-cop's checks (tests/reliability/scanner.py) against a live server: in the
production configuration (docs/operations.md) nothing HIGH is found, with or without
credentials; the development defaults answer introspection, GraphiQL and suggestions. Every
check's verdict is pinned, so that a regression shows as the check that changed."""

from __future__ import annotations

import re
import time
from pathlib import Path

import jwt
import pytest

from api import Settings
from graph import Database
from tests import conftest
from tests.conftest import AUTH_ENV, TEST_JWT_SECRET
from tests.live import live_server
from tests.reliability.scanner import (
    CHECKS,
    PRODUCTION_ENV,
    Finding,
    Severity,
    findings_table,
    scan,
)

ROOT = Path(__file__).parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
SECURITY = ROOT / "docs" / "security.md"

PRODUCTION_VERDICTS = {check.name: False for check in CHECKS} | {"get_queries": True}
"""What is found in production: GET answers queries (docs/security.md says why that is safe)."""

DEFAULT_VERDICTS = PRODUCTION_VERDICTS | {
    "introspection": True,
    "graphiql": True,
    "field_suggestions": True,
}


@pytest.fixture(scope="module")
def production(server: conftest.TestServer) -> Settings:
    return Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            **AUTH_ENV,
            **PRODUCTION_ENV,
        }
    )


def production_token() -> dict[str, str]:
    """An admin's JWT as the production configuration's identity provider issues it."""
    claims = {
        "sub": "scanner",
        "roles": ["admin"],
        "iss": PRODUCTION_ENV["CMDB_JWT_ISSUER"],
        "aud": PRODUCTION_ENV["CMDB_JWT_AUDIENCE"],
        "exp": int(time.time()) + 3600,
    }
    return {"authorization": f"Bearer {jwt.encode(claims, TEST_JWT_SECRET, 'HS256')}"}


def verdicts(findings: list[Finding]) -> dict[str, bool]:
    return {finding.check: finding.found for finding in findings}


def high(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.found and f.severity is Severity.HIGH]


async def test_the_production_configuration_shows_no_high_finding_to_an_anonymous_scan(
    production: Settings, db: Database
) -> None:
    async with live_server(production, db) as live:
        findings = await scan(f"http://{live.address}/graphql")

    assert high(findings) == [], findings_table(findings)
    assert verdicts(findings) == PRODUCTION_VERDICTS, findings_table(findings)


async def test_the_production_configuration_shows_no_high_finding_to_an_admin_either(
    production: Settings, db: Database
) -> None:
    async with live_server(production, db) as live:
        findings = await scan(f"http://{live.address}/graphql", production_token())

    assert high(findings) == [], findings_table(findings)
    assert verdicts(findings) == PRODUCTION_VERDICTS, findings_table(findings)


async def test_the_development_defaults_answer_introspection_graphiql_and_suggestions(
    settings: Settings, db: Database
) -> None:
    async with live_server(settings, db) as live:
        findings = await scan(f"http://{live.address}/graphql")

    assert verdicts(findings) == DEFAULT_VERDICTS, findings_table(findings)
    assert [f.check for f in high(findings)] == ["introspection"]


async def test_each_refusal_in_production_is_the_products_own_answer(
    production: Settings, db: Database
) -> None:
    async with live_server(production, db) as live:
        findings = {f.check: f for f in await scan(f"http://{live.address}/graphql")}

    evidence = {name: finding.evidence for name, finding in findings.items()}
    assert evidence["get_mutations"].startswith("HTTP 405")
    assert evidence["array_batching"].startswith("HTTP 400, 1 error(s): Batched operations")
    assert "aliases found. Allowed: 50" in evidence["alias_overloading"]
    assert "more than the limit of 4" in evidence["directive_overloading"]
    assert "selected 500 times" in evidence["field_duplication"]
    assert "introspection has been disabled" in evidence["introspection"]
    for kind in ("post_urlencoded", "post_multipart", "post_text_plain"):
        assert evidence[kind] == "HTTP 400, 1 error(s): Unsupported content type", kind
    assert evidence["graphiql"] == "HTTP 404, application/json"


def test_the_production_checklist_names_every_setting_the_scan_serves() -> None:
    section = OPERATIONS.read_text().split("## Production configuration", 1)[1]
    section = section.split("\n## ", 1)[0]
    named = set(re.findall(r"`(CMDB_[A-Z_]+)", section))

    assert set(PRODUCTION_ENV) <= named, set(PRODUCTION_ENV) - named


def test_every_test_the_security_doc_names_exists() -> None:
    """docs/security.md maps the OWASP cheat sheet to tests by file and name."""
    named = set(re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", SECURITY.read_text()))
    missing = [
        f"{path}::{name}"
        for path, name in sorted(named)
        if not (ROOT / path).is_file() or f"def {name}(" not in (ROOT / path).read_text()
    ]

    assert len(named) > 40
    assert missing == []
