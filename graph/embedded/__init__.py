"""The embedded Neo4j Community server: the Python launcher beside the Maven project that
builds it.
"""

from graph.embedded._build import Neo4jBuildError, build_launcher, find_java_home
from graph.embedded._launcher import (
    EmbeddedNeo4j,
    Neo4jStartError,
    RunningNeo4j,
    free_port,
    read_or_create_password,
)
from graph.embedded._supervisor import Supervisor

__all__ = [
    "EmbeddedNeo4j",
    "Neo4jBuildError",
    "Neo4jStartError",
    "RunningNeo4j",
    "Supervisor",
    "build_launcher",
    "find_java_home",
    "free_port",
    "read_or_create_password",
]
