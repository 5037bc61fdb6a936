"""Persisted documents over HTTP (docs/api.md, "Persisted documents"): the Apollo
`persistedQuery` protocol, and the allow-list mode in which only the documents an operator
registered (`cmdb documents add`) run.

A request's `extensions.persistedQuery` is `{"version": 1, "sha256Hash": "<hex>"}`. Without a
`query` the registered document of that hash runs, or the answer is PERSISTED_QUERY_NOT_FOUND
so that the client sends it again with the text; with a `query`, its hash is checked (a wrong
one is a request error) and the document is registered once it parsed and validated.

The documents are kept in Neo4j (`graph/documents/`), so that every API process knows what one
registered; a bounded in-process cache of the documents by hash saves the round trip on the
requests that follow (a hash names one text forever, and a document once allowed stays so, so
the cache never holds a stale answer)."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse

from graph.documents import DocumentRepository, PersistedDocument, document_hash

__all__ = ["DocumentRefused", "PersistedDocuments", "is_introspection"]

_HASH = re.compile(r"[0-9a-f]{64}")
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"


class DocumentRefused(Exception):
    """The request names no document that may run: answered before execution."""

    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


def is_introspection(document: str) -> bool:
    """Whether every operation of the document selects only `__schema`, `__type` and
    `__typename` (what GraphiQL and code generators ask); False when it does not parse."""
    try:
        parsed = parse(document)
    except GraphQLError:
        return False
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        getattr(selection, "name", None) is not None and selection.name.value.startswith("__")  # type: ignore[attr-defined]
        for operation in operations
        for selection in operation.selection_set.selections
    )


def _persisted_hash(extensions: dict[str, Any] | None) -> str | None:
    """The hash `extensions.persistedQuery` names, None without one; a malformed one is
    refused."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise DocumentRefused(
            "extensions.persistedQuery must be {version: 1, sha256Hash}: only version 1 is"
            " supported",
            "BAD_USER_INPUT",
            400,
        )
    found = persisted.get("sha256Hash")
    if not isinstance(found, str) or not _HASH.fullmatch(found):
        raise DocumentRefused(
            "extensions.persistedQuery.sha256Hash must be the sha256 of the document, 64"
            " lowercase hex digits",
            "BAD_USER_INPUT",
            400,
        )
    return found


class PersistedDocuments:
    def __init__(
        self,
        repository: Callable[[], DocumentRepository],
        *,
        allow_list: bool,
        allow_introspection: bool,
        cache_size: int,
    ) -> None:
        self._repository = repository
        self.allow_list = allow_list
        self._introspection = allow_introspection
        self._cache: OrderedDict[str, PersistedDocument] = OrderedDict()
        self._cache_size = cache_size

    async def document_of(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The text the request runs (None: it sent none, which the view refuses), or
        DocumentRefused. At most one round trip, none for a cached hash."""
        wanted = _persisted_hash(extensions)
        if wanted is not None and query is not None and document_hash(query) != wanted:
            raise DocumentRefused(
                "provided sha does not match query: sha256Hash must be the sha256 of the"
                " query's UTF-8 text",
                "BAD_USER_INPUT",
                400,
            )
        if wanted is None and query is None:
            return None
        if not self.allow_list and query is not None:
            return query
        stored = await self._find(wanted or document_hash(query or ""))
        if stored is None and query is None and not self.allow_list:
            raise DocumentRefused("PersistedQueryNotFound", NOT_FOUND, 200)
        text = stored.document if stored is not None else query
        if not self.allow_list or (stored is not None and stored.allowed):
            return text
        if self._introspection and text is not None and is_introspection(text):
            return text
        raise DocumentRefused(
            "Only registered documents run on this server (allow-list mode): ask its operator"
            " to register this one (cmdb documents add).",
            NOT_ALLOWED,
            403,
        )

    def should_register(self, query: str | None, extensions: dict[str, Any] | None) -> bool:
        """Whether a request that ran registers its document: it sent the text with a hash
        that is not known yet (never in the allow-list mode, where only operators do)."""
        return (
            not self.allow_list
            and query is not None
            and _persisted_hash(extensions) is not None
            and document_hash(query) not in self._cache
        )

    async def register(self, query: str, actor: str) -> None:
        """Registers a document a client sent (MERGE on its hash: once). One round trip."""
        [stored] = await self._repository().register([query], actor, allowed=False)
        self._remember(stored)

    async def _find(self, wanted: str) -> PersistedDocument | None:
        cached = self._cache.get(wanted)
        if cached is not None:
            self._cache.move_to_end(wanted)
            return cached
        stored = await self._repository().find(wanted)
        if stored is not None and (stored.allowed or not self.allow_list):
            self._remember(stored)
        return stored

    def _remember(self, stored: PersistedDocument) -> None:
        self._cache[stored.hash] = stored
        self._cache.move_to_end(stored.hash)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
