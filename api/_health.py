"""`/healthz` (the process is alive) and `/readyz` (Neo4j answers, every migration applied)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from graph import Database
from graph.errors import GraphError, StorageFailed
from migrations import status

__all__ = ["healthz", "readyz"]


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    db: Database = request.app.state.db
    try:
        await db.ping()
        migrations = await status(db)
    except StorageFailed as error:
        # A full or failing disk: Neo4j's own status of the database says more.
        said = await db.database_status()
        reason = f"{error}; Neo4j reports the database {said}" if said else str(error)
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    except GraphError as error:
        return JSONResponse({"status": "unavailable", "reason": str(error)}, status_code=503)
    pending = [f"V{m.migration.version}" for m in migrations if not m.applied]
    if pending:
        return JSONResponse(
            {
                "status": "unavailable",
                "reason": f"migrations not applied: {', '.join(pending)}; run `cmdb migrate`",
            },
            status_code=503,
        )
    return JSONResponse({"status": "ready", "migrations": len(migrations)})
