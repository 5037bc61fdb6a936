"""Transport: the Starlette application (HTTP and WebSocket), health, settings, the CLI."""

from api.app import create_app
from api.settings import Settings, SettingsError

__all__ = ["Settings", "SettingsError", "create_app"]
