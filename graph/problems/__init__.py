"""Problems and the known error database in Neo4j (docs/concepts.md, "Problem management")."""

from graph.problems._repository import ProblemRepository

__all__ = ["ProblemRepository"]
