"""Problems and the known error database: types, inputs, queries, mutations."""

from resolvers.problems.mutations import ProblemMutation
from resolvers.problems.queries import ProblemQuery
from resolvers.problems.types import Problem, to_problem

__all__ = ["Problem", "ProblemMutation", "ProblemQuery", "to_problem"]
