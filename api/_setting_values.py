"""The parsers of setting values: each names the setting it reads in its error."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SettingsError", "boolean", "choice", "integer"]


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


def integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from error
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (the first is the default), in any case."""
    value = (env.get(name) or choices[0]).lower()
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def boolean(env: Mapping[str, str], name: str, *, default: bool = False) -> bool:
    raw = (env.get(name) or str(default)).strip().lower()
    if raw not in {"true", "false", "1", "0", "yes", "no", "on", "off"}:
        raise SettingsError(f"{name} must be true or false, got {raw!r}")
    return raw in {"true", "1", "yes", "on"}
