"""No log line writes a value in full (api/_logging.py): a hostile megabyte costs a line of a
few hundred characters, with the length it had."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import httpx
import pytest

from api._logging import configure_logging

MEGABYTE = "x" * 1_000_000


@pytest.fixture(params=["json", "text"])
def log_stream(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """The process's log at debug level, as `cmdb serve` writes it, captured."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("debug", request.param, stream)
    yield stream
    root.handlers, root.level = handlers, level


def test_long_arguments_extras_and_exceptions_are_cut_with_their_length(
    log_stream: io.StringIO,
) -> None:
    log = logging.getLogger("cmdb.test")
    log.warning("value %s of %d", MEGABYTE, 7, extra={"variables": MEGABYTE})
    try:
        raise ValueError(MEGABYTE)
    except ValueError:
        log.exception("failed on %r", MEGABYTE)
    written = log_stream.getvalue()
    assert len(written) < 10_000
    # The message's argument, the exception's line and (in JSON, which writes extras) the extra.
    assert len(re.findall(r"\.\.\. \(10000(?:00|12) chars\)", written)) >= 3
    assert "of 7" in written


def test_json_lines_stay_json_and_short_values_whole(log_stream: io.StringIO) -> None:
    logging.getLogger("cmdb.test").info("hello %s", "world", extra={"operation": "cis"})
    line = log_stream.getvalue().strip()
    if line.startswith("{"):
        entry = json.loads(line)
        assert (entry["message"], entry["operation"]) == ("hello world", "cis")
    else:
        assert line.endswith("cmdb.test: hello world")


async def test_a_megabyte_document_is_not_logged_in_full(
    client: httpx.AsyncClient, log_stream: io.StringIO
) -> None:
    document = f'{{ cis(filter: {{search: "{MEGABYTE}"}}) {{ totalCount }} }}'
    response = await client.post("/graphql", json={"query": document})
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    written = log_stream.getvalue()
    assert "operation anonymous" in written  # the debug line of the document, cut
    assert len(written) < 20_000
