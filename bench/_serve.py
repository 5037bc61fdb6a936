"""The product's app for uvicorn's `--factory --workers N`: each worker builds it from the
environment (NEO4J_URI and friends), as `cmdb serve` would."""

from __future__ import annotations

from starlette.applications import Starlette

from api import Settings, create_app

__all__ = ["create"]


def create() -> Starlette:
    return create_app(Settings.from_env())
