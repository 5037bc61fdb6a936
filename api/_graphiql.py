"""GraphiQL from the product's own files: the pinned npm builds (web/package.json) that
`make setup` copies to api/static/graphiql/, so that it works with no internet."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["ASSETS", "STATIC_DIR", "graphiql_page"]

STATIC_DIR = Path(__file__).parent / "static"
ASSETS = "/static/graphiql"

_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>CMDB GraphiQL</title>
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="stylesheet" href="{assets}/graphiql.min.css" />
    <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL...</div>
    <script src="{assets}/react.production.min.js"></script>
    <script src="{assets}/react-dom.production.min.js"></script>
    <script src="{assets}/graphiql.min.js"></script>
    <script>
      const fetcher = GraphiQL.createFetcher({{ url: {endpoint} }});
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {{ fetcher, defaultEditorToolsVisibility: true }})
      );
    </script>
  </body>
</html>
"""


def graphiql_page(endpoint: str) -> str:
    """The GraphiQL page for the GraphQL endpoint at path `endpoint`."""
    # Escaped for a <script> element: a path cannot close it.
    return _PAGE.format(assets=ASSETS, endpoint=json.dumps(endpoint).replace("<", "\\u003c"))
