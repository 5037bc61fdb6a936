"""GraphiQL works with no internet: its page and every asset it references come from the
product itself."""

from __future__ import annotations

import re

import httpx

REFERENCE = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)\"""")


async def test_graphiql_page_and_every_asset_it_references_come_from_the_product(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    references = REFERENCE.findall(page.text)
    assert sorted(references) == [
        "/static/graphiql/graphiql.min.css",
        "/static/graphiql/graphiql.min.js",
        "/static/graphiql/react-dom.production.min.js",
        "/static/graphiql/react.production.min.js",
    ]
    assert "://" not in page.text
    for reference in references:
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        assert len(asset.content) > 1000, reference
        expected = "text/css" if reference.endswith(".css") else "javascript"
        assert expected in asset.headers["content-type"], reference


async def test_the_graphiql_build_loads_nothing_from_elsewhere(client: httpx.AsyncClient) -> None:
    script = await client.get("/static/graphiql/graphiql.min.js")

    # Bundled, not fetched: no module is imported from a CDN at run time.
    assert not re.search(r"""import\(\s*["']https?://""", script.text)
    assert "GraphiQL" in script.text
