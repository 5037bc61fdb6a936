"""Reading problems: by number, a page of them, the known error database, the suggestions of
proactive problem management, and the problems of a batch of incidents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction
from neo4j import exceptions as neo4j_errors

from graph._clock import Clock
from graph._database import Database, Row
from graph.domain import OPEN_PROBLEM_STATES, check_suggestion_window
from graph.errors import FieldError, InvalidInput
from graph.problems._cypher import (
    COUNT_KNOWN_ERRORS,
    COUNT_PROBLEMS,
    COUNT_SEARCHED_PROBLEMS,
    GET_PROBLEMS,
    KNOWN_ERRORS,
    PROBLEMS_OF_INCIDENTS,
    SUGGESTIONS,
    page_problems,
)
from graph.problems._model import (
    KnownErrorPage,
    Problem,
    ProblemFilter,
    ProblemOrder,
    ProblemOrderField,
    ProblemPage,
    ProblemSuggestion,
    problem_from_projection,
)

__all__ = ["ProblemReader"]

NO_FILTER = ProblemFilter()
NEWEST_FIRST = ProblemOrder()

# Neo4j wraps the failure of Lucene's query parser (ParseException, TokenMgrError).
_LUCENE_PARSER = "org.apache.lucene.queryparser"


def _search_error(field: str, text: str) -> FieldError:
    return FieldError(
        field,
        f"cannot read the search text {text!r} as a Lucene query: close quotes and brackets, "
        "complete AND/OR, or put a backslash before special characters such as "
        '+ - ! ( ) { } [ ] ^ " ~ * ? : \\ /',
        "INVALID_FORMAT",
    )


def _text(value: str | None) -> str | None:
    # Blank text does not filter: an empty search box means "everything".
    return value.strip() if value and value.strip() else None


class ProblemReader:
    """The reads of the problem repository; each is one round trip."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def get(self, number: str) -> Problem | None:
        """The problem with this number, or None. One round trip."""
        return (await self.get_many([number]))[0]

    async def get_many(self, numbers: Sequence[str]) -> list[Problem | None]:
        """The problems with these numbers, in the same order (None where absent). One round
        trip."""
        rows = await self._db.read_rows("getProblems", GET_PROBLEMS, numbers=list(numbers))
        found = {row["problem"]["number"]: problem_from_projection(row["problem"]) for row in rows}
        return [found.get(number) for number in numbers]

    async def problems_of_incidents(self, incident_ids: Sequence[str]) -> list[Problem | None]:
        """The problem grouping each incident (by incident id), in the same order: None for an
        incident no problem groups, or no incident with that id. An incident has at most one
        problem. One round trip, whatever the number of ids: a DataLoader's batch function."""
        rows = await self._db.read_rows(
            "problemsOfIncidents", PROBLEMS_OF_INCIDENTS, ids=list(incident_ids)
        )
        found = {row["incidentId"]: problem_from_projection(row["problem"]) for row in rows}
        return [found.get(incident_id) for incident_id in incident_ids]

    async def page(
        self,
        first: int,
        after: tuple[str, str] | None = None,
        problem_filter: ProblemFilter = NO_FILTER,
        order: ProblemOrder = NEWEST_FIRST,
    ) -> ProblemPage:
        """Up to `first` problems matching `problem_filter` in `order` (newest first by opened
        time, then number, by default), after the position `after`. Raises `InvalidInput`
        (field `filter.search`) for search text that is not Lucene syntax. One round trip."""
        search = _text(problem_filter.search)
        states = [s.value for s in problem_filter.states] or None
        by_number = order.field is ProblemOrderField.NUMBER
        rows = await self._read_searched(
            "pageProblems",
            page_problems(search is not None, by_number, order.descending),
            "filter.search",
            search=search,
            states=states,
            rootCauseCiId=problem_filter.root_cause_ci_id,
            afterAt=after[0] if after else None,
            afterNumber=after[1] if after else None,
            limit=first + 1,
        )
        return ProblemPage(
            items=tuple(problem_from_projection(row["problem"]) for row in rows[:first]),
            has_next=len(rows) > first,
            positions=tuple((row["position"], row["problem"]["number"]) for row in rows[:first]),
        )

    async def count(self, problem_filter: ProblemFilter = NO_FILTER) -> int:
        """How many problems match `problem_filter` (`InvalidInput` as `page`). One round
        trip."""
        search = _text(problem_filter.search)
        rows = await self._read_searched(
            "countProblems",
            COUNT_SEARCHED_PROBLEMS if search else COUNT_PROBLEMS,
            "filter.search",
            search=search,
            states=[s.value for s in problem_filter.states] or None,
            rootCauseCiId=problem_filter.root_cause_ci_id,
        )
        return int(rows[0]["total"])

    async def count_known_errors(self, search: str) -> int:
        """How many known errors match the Lucene text `search` (0 for blank text; `InvalidInput`
        as `known_errors`). One round trip."""
        text = _text(search)
        if text is None:
            return 0
        rows = await self._read_searched(
            "countKnownErrors", COUNT_KNOWN_ERRORS, "search", search=text
        )
        return int(rows[0]["total"])

    async def known_errors(
        self, search: str, first: int, after: tuple[str, str] | None = None
    ) -> KnownErrorPage:
        """The known error database: up to `first` problems in KNOWN_ERROR whose title,
        description or workaround match the Lucene text `search`, best match first (ties by
        number), after the position `after`. Raises `InvalidInput` (field `search`) for blank
        text, text that is not Lucene syntax or a position that is not one. One round trip."""
        text = _text(search)
        if text is None:
            message = "give a word to search the known errors for"
            raise InvalidInput([FieldError("search", message, "REQUIRED")])
        try:
            after_score = float(after[0]) if after else None
        except ValueError as error:
            raise InvalidInput([FieldError("after", "not a position", "INVALID_VALUE")]) from error
        rows = await self._read_searched(
            "knownErrors",
            KNOWN_ERRORS,
            "search",
            search=text,
            afterScore=after_score,
            afterNumber=after[1] if after else None,
            limit=first + 1,
        )
        return KnownErrorPage(
            items=tuple(problem_from_projection(row["problem"]) for row in rows[:first]),
            has_next=len(rows) > first,
            positions=tuple(
                (repr(float(row["score"])), row["problem"]["number"]) for row in rows[:first]
            ),
        )

    async def suggestions(
        self, min_incidents: int, days: int, first: int
    ) -> list[ProblemSuggestion]:
        """CIs affected by at least `min_incidents` incidents opened in the last `days` days
        (up to the clock's now; cancelled incidents aside), most incidents first (ties by CI
        id), at most `first`; each with the open problem that has it as root cause, if any.
        Raises `InvalidInput` for bounds out of range. One round trip."""
        check_suggestion_window(min_incidents, days)
        now = self._clock.now()
        rows = await self._db.read_rows(
            "problemSuggestions",
            SUGGESTIONS,
            now=now,
            since=now - timedelta(days=days),
            minIncidents=min_incidents,
            limit=first,
            openStates=[s.value for s in OPEN_PROBLEM_STATES],
        )
        return [
            ProblemSuggestion(
                ci_id=row["ciId"],
                incident_numbers=tuple(sorted(row["numbers"])),
                open_problem=problem_from_projection(row["problem"]) if row["problem"] else None,
            )
            for row in rows
        ]

    async def _read_searched(
        self, operation: str, cypher: LiteralString, field: str, **params: Any
    ) -> list[Row]:
        """Runs a query that may search; Lucene's refusal of the text becomes `InvalidInput`."""

        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            try:
                return await self._db.query(tx, cypher, **params)
            except neo4j_errors.ClientError as error:
                if params.get("search") and _LUCENE_PARSER in (error.message or ""):
                    raise InvalidInput([_search_error(field, params["search"])]) from error
                raise

        return await self._db.read(operation, work)
