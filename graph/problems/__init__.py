"""Problems and the known error database in Neo4j (docs/concepts.md, "Problem management"):
create, update and transition problems, group incidents under them, page and search them, and
suggest problems for CIs with recurring incidents."""

from graph.problems._model import (
    UNCHANGED,
    KnownErrorPage,
    NewProblem,
    Problem,
    ProblemFilter,
    ProblemOrder,
    ProblemOrderField,
    ProblemPage,
    ProblemPatch,
    ProblemSuggestion,
    Transition,
)
from graph.problems._repository import ProblemRepository

__all__ = [
    "UNCHANGED",
    "KnownErrorPage",
    "NewProblem",
    "Problem",
    "ProblemFilter",
    "ProblemOrder",
    "ProblemOrderField",
    "ProblemPage",
    "ProblemPatch",
    "ProblemRepository",
    "ProblemSuggestion",
    "Transition",
]
