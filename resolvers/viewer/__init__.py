"""Who is signed in, and what they may do: the `viewer` query (docs/api.md, "The viewer")."""

from resolvers.viewer.queries import ViewerQuery
from resolvers.viewer.types import Viewer

__all__ = ["Viewer", "ViewerQuery"]
