"""`cmdb token create|list|revoke`: API tokens, managed on the server (docs/security.md). Like
import and export, these talk to Neo4j directly and need no token themselves; the audit names
CMDB_ACTOR."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api._cli_base import console, read_settings, with_db
from api._wiring import build_tokens
from api.settings import Settings
from graph import Database
from graph.access import Role
from graph.errors import Conflict, InvalidInput, NotFound
from graph.tokens import ApiToken, CreatedToken

__all__ = ["DEMO_TOKEN", "announce_demo_token", "token_app"]

token_app = typer.Typer(help="API tokens: create (the secret is shown once), list, revoke.")

DEMO_TOKEN = "demo-admin"


def _roles_text(token: ApiToken) -> str:
    return ",".join(role.value for role in token.roles)


@token_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="A unique name: who or what uses the token.")],
    role: Annotated[
        list[Role], typer.Option(help="A role; repeat for several (docs/security.md).")
    ],
) -> None:
    """Create an API token and print its secret: shown this once, stored only as a hash."""
    settings = read_settings()

    async def work(db: Database) -> CreatedToken:
        return await build_tokens(db).create(name, role, settings.actor)

    try:
        created = with_db(settings, work)
    except (Conflict, InvalidInput) as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(1) from error
    console.print(f"created API token {created.token.id} ({_roles_text(created.token)})")
    console.print("its secret, shown this once: send it as `Authorization: Bearer <secret>`")
    print(created.secret)


@token_app.command("list")
def list_tokens() -> None:
    """List every API token, revoked ones too (never their secrets)."""
    tokens = with_db(read_settings(), lambda db: build_tokens(db).list())
    table = Table("id", "name", "roles", "secret starts", "created", "by", "revoked")
    for token in tokens:
        revoked = (
            f"{token.revoked_at:%Y-%m-%d %H:%M} by {token.revoked_by}" if token.revoked else ""
        )
        table.add_row(
            token.id,
            token.name,
            _roles_text(token),
            token.prefix + "…",
            f"{token.created_at:%Y-%m-%d %H:%M}",
            token.created_by,
            revoked,
        )
    console.print(table)


@token_app.command("revoke")
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (cmdb token list).")],
) -> None:
    """Revoke an API token: every request with it is refused from the next one on."""
    settings = read_settings()

    async def work(db: Database) -> ApiToken:
        return await build_tokens(db).revoke(token_id, settings.actor)

    try:
        token = with_db(settings, work)
    except NotFound as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(1) from error
    console.print(f"revoked API token {token.id} ({escape(token.name)})")


def announce_demo_token(settings: Settings) -> None:
    """For `make run`: creates the admin token `demo-admin` on first use and prints its secret;
    once it exists, says how to create another."""

    async def work(db: Database) -> CreatedToken | None:
        tokens = build_tokens(db)
        if any(token.name == DEMO_TOKEN for token in await tokens.list()):
            return None
        return await tokens.create(DEMO_TOKEN, [Role.ADMIN], settings.actor)

    created = with_db(settings, work)
    if created is None:
        console.print(
            f"API token {DEMO_TOKEN} exists (its secret was shown when it was created); for a "
            "new admin token: cmdb token create --name <you> --role admin"
        )
        return
    console.print(
        f"admin API token {DEMO_TOKEN} created; send `Authorization: Bearer <secret>` "
        f"(shown this once):\n{created.secret}",
        highlight=False,
    )
