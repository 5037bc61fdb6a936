"""Problems: types, inputs, queries, mutations."""

from resolvers.problems.mutations import ProblemMutation
from resolvers.problems.queries import ProblemQuery

__all__ = ["ProblemMutation", "ProblemQuery"]
