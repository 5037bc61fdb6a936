"""`cmdb discover SOURCE PATH...`: discovery from the files teams already have, through one
call of the import (docs/discovery.md)."""

from __future__ import annotations

import time
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from api._cli_base import console, read_settings, with_db
from api._discover_files import files_in, json_document, read_text, yaml_documents
from api._transfer import print_result
from api._wiring import build_transfer
from graph import Database
from graph.domain import CIClass
from graph.errors import InvalidInput
from graph.imports import ImportPreview, ImportResult, StaleReport
from graph.imports import discovery as found
from graph.imports.discovery import Discovery, PoolRule

__all__ = ["discover"]


class DiscoverySource(StrEnum):
    K8S = "k8s"
    COMPOSE = "compose"
    TERRAFORM = "terraform"
    BACKSTAGE = "backstage"
    SERVICENOW = "servicenow"
    TRACES = "traces"


def _servicenow(paths: list[Path], source: str, pools: PoolRule) -> Discovery:
    files = files_in(paths, (".csv", ".json"))
    cis: list[dict[str, str]] = []
    relationships: list[dict[str, str]] = []
    for path in files:
        records = found.servicenow_records(read_text(path), path.suffix.lower() == ".json")
        (relationships if path.name.startswith("cmdb_rel_ci") else cis).extend(records)
    return found.map_servicenow(cis, relationships, source, pools)


async def _traces(db: Database, paths: list[Path], source: str) -> Discovery:
    calls: list[found.ObservedCall] = []
    for path in files_in(paths, (".json", ".txt", ".prom")):
        text = read_text(path)
        is_json = path.suffix.lower() == ".json"
        calls += found.read_jaeger(text) if is_json else found.read_service_graph(text)
    names = {name for call in calls for name in (call.caller, call.callee)}
    resolved, ambiguous = await found.ServiceNames(db).resolve(names)
    return found.map_traces(calls, resolved, source, ambiguous)


def _compose_files(paths: list[Path]) -> list[Path]:
    """Files in the order given; a folder's compose files first, its overrides after."""
    files: list[Path] = []
    for path in paths:
        found_here = files_in([path], (".yaml", ".yml"))
        if path.is_dir():
            found_here.sort(key=lambda p: (".override." in p.name, str(p)))
        files += found_here
    return files


def _discovery(kind: DiscoverySource, paths: list[Path], source: str, pools: PoolRule) -> Discovery:
    """The import the files describe (all sources but traces: those need the graph)."""
    if kind is DiscoverySource.K8S:
        return found.map_kubernetes(yaml_documents(files_in(paths)), source, pools)
    if kind is DiscoverySource.COMPOSE:
        return found.map_compose(yaml_documents(_compose_files(paths)), source)
    if kind is DiscoverySource.TERRAFORM:
        [state] = [json_document(path) for path in files_in(paths, (".tfstate", ".json"))][:1]
        return found.map_terraform(state, source)
    if kind is DiscoverySource.BACKSTAGE:
        return found.map_backstage(yaml_documents(files_in(paths)), source)
    return _servicenow(paths, source, pools)


def _print_stale(stale: StaleReport | None, source: str, verb: str) -> None:
    if stale is None or not (stale.cis or stale.relationships):
        return
    console.print(
        f"stale: {len(stale.cis)} CIs and {len(stale.relationships)} relationships that"
        f" '{escape(source)}' reported before and not now {verb} (never deleted):",
        highlight=False,
    )
    for ci in stale.cis:
        console.print(f"  {ci.ci_class.name} {escape(ci.name)} ({escape(ci.external_id)})")
    for edge in stale.relationships:
        console.print(
            f"  {edge.type.value} {escape(edge.from_name)} -> {escape(edge.to_name)}",
            highlight=False,
        )


def _print_preview(preview: ImportPreview) -> None:
    console.print("[bold]dry run[/bold]: nothing written")
    sections = [
        ("would create", preview.created),
        ("would update", preview.updated),
        ("would confirm", preview.confirmed),
    ]
    for verb, cis in sections:
        console.print(f"{verb} {len(cis)} CIs", highlight=False)
        for ci in cis:
            console.print(f"  {CIClass(ci.label).name} {escape(ci.name)}", highlight=False)
    edge_sections = [
        ("would create", preview.relationships_created),
        ("would update", preview.relationships_updated),
        ("would confirm", preview.relationships_confirmed),
    ]
    for verb, edges in edge_sections:
        console.print(f"{verb} {len(edges)} relationships", highlight=False)
        for e in edges:
            console.print(
                f"  {e.type.value} {escape(e.from_name)} -> {escape(e.to_name)}",
                highlight=False,
            )
    for error in preview.errors:
        where, message = escape(error.where), escape(error.message)
        console.print(f"[red]{where}[/red] {escape(error.field)}: {message}", highlight=False)
    if preview.refused:
        console.print("[red]the import would be refused[/red]: invalid rows (see above)")


def discover(
    kind: Annotated[DiscoverySource, typer.Argument(metavar="SOURCE", help="What the files are.")],
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Files or folders.", show_default=False)
    ],
    source: Annotated[str, typer.Option(help="The import's source name, e.g. k8s-prod.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would change; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the valid rows, report the invalid.")
    ] = False,
) -> None:
    """Discover CIs and dependencies from Kubernetes manifests, docker-compose files, Terraform
    state, a Backstage catalog, a ServiceNow export or traces (docs/discovery.md)."""
    settings = read_settings()
    pools = PoolRule(settings.discovery_pool_min_percent)
    try:
        offline = None if kind is DiscoverySource.TRACES else _discovery(kind, paths, source, pools)
    except InvalidInput as error:
        console.print(f"[red]{escape(str(error))}[/red]", highlight=False)
        raise typer.Exit(2) from error
    started = time.perf_counter()

    async def run(db: Database) -> tuple[Discovery, ImportPreview | ImportResult]:
        discovery = offline or await _traces(db, paths, source)
        request = discovery.request
        if skip_invalid:
            request = replace(request, skip_invalid=True)
        imports = build_transfer(db, settings).imports
        if dry_run:
            return discovery, await imports.preview(request)
        return discovery, await imports.run(request, settings.actor, report_stale=True)

    try:
        discovery, outcome = with_db(settings, run)
    except InvalidInput as error:
        console.print(f"[red]{escape(str(error))}[/red]", highlight=False)
        raise typer.Exit(2) from error
    request = discovery.request
    console.print(
        f"{kind.value}: {len(request.cis)} CIs and {len(request.relationships)} relationships"
        f" for source '{escape(request.source)}'",
        highlight=False,
    )
    if isinstance(outcome, ImportPreview):
        _print_preview(outcome)
        _print_stale(outcome.stale, request.source, "would be left as they are")
    else:
        print_result(console, outcome, time.perf_counter() - started)
        _print_stale(outcome.stale, request.source, "are left as they are")
    for item in discovery.unresolved:
        console.print(
            f"unresolved: {escape(item.where)}: {escape(item.reference)} ({escape(item.reason)})",
            highlight=False,
        )
    if outcome.refused:
        raise typer.Exit(1)
