"""GraphiQL served from this package (see README.md here): the page and its asset folder."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ASSET_PATH = "/graphiql"
ASSET_DIRECTORY = Path(__file__).resolve().parent / "static"


def graphiql_page() -> str:
    """The HTML page ``GET /graphql`` answers browsers with; its assets are under ASSET_PATH."""
    return files(__package__).joinpath("page.html").read_text(encoding="utf-8")
