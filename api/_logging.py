"""Log lines as JSON objects, one per line, each with the id of the request it belongs to.
Query texts are logged at debug level only (they may hold names and addresses). No value is
written in full when it is long: each argument of a message and each extra field is cut to
`KEEP` characters, a message to `KEEP_MESSAGE`, each line of a traceback to `KEEP_LINE`, with
the length it had (a hostile 1 MB argument costs a log line, not a megabyte)."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson

from api._middleware import current_request_id

__all__ = ["JsonFormatter", "configure_logging", "shortened"]

# The attributes every LogRecord has; anything else was passed in `extra` and is kept.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

KEEP = 200
KEEP_MESSAGE = 2000
KEEP_LINE = 1000


def shortened(text: str, keep: int = KEEP) -> str:
    """`text`, or its first `keep` characters and how long it was."""
    if len(text) <= keep:
        return text
    return f"{text[:keep]}... ({len(text)} chars)"


def _argument(value: object) -> object:
    # Numbers stay numbers (`%d`); anything else is text once formatted, so it is cut as text.
    if value is None or isinstance(value, int | float):
        return value
    return shortened(value if isinstance(value, str) else str(value))


def _message(record: logging.LogRecord) -> str:
    args = record.args
    try:
        if isinstance(args, tuple) and args:
            message = str(record.msg) % tuple(_argument(a) for a in args)
        else:
            message = record.getMessage()
    except (TypeError, ValueError):
        message = record.getMessage()
    return shortened(message, KEEP_MESSAGE)


def _traceback(text: str) -> str:
    return "\n".join(shortened(line, KEEP_LINE) for line in text.splitlines())


def _value(value: Any) -> Any:
    return shortened(value) if isinstance(value, str) else value


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": _message(record),
        }
        request_id = current_request_id()
        if request_id is not None:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = _value(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=lambda v: shortened(str(v))).decode()

    def formatException(self, ei: Any) -> str:
        return _traceback(super().formatException(ei))


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        short = logging.makeLogRecord({**record.__dict__, "msg": _message(record), "args": None})
        line = super().format(short)
        request_id = current_request_id()
        return f"{line} [request {request_id}]" if request_id else line

    def formatException(self, ei: Any) -> str:
        return _traceback(super().formatException(ei))


def configure_logging(level: str, log_format: str, stream: TextIO | None = None) -> None:
    """Sends every log line (uvicorn's too) to `stream` (stderr) as JSON or as text."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
