"""Transport: the Starlette application (HTTP and WebSocket), health, settings, the CLI."""

from api._wiring import Transfer, build_repositories, build_transfer
from api.app import create_app
from api.settings import Settings, SettingsError

__all__ = [
    "Settings",
    "SettingsError",
    "Transfer",
    "build_repositories",
    "build_transfer",
    "create_app",
]
